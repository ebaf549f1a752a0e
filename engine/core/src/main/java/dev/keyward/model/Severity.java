package dev.keyward.model;

/** How serious a problem or finding is, from most to least. */
public enum Severity {
  ERROR,
  WARNING,
  NOTE;

  /** The lower-case name used in files, reports and on the command line. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True when this severity is at least as serious as {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }
}
