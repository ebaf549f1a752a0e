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

  /** The names a fail threshold may have, as messages list them. */
  public static final String THRESHOLDS = "error, warning, note or none";

  /**
   * The fail threshold named {@code error}, {@code warning}, {@code note} or {@code none} (any case, blanks
   * around ignored): a finding at or above it fails the run. Null for {@code none} and for no name at all
   * ({@code error}, the default).
   *
   * @throws IllegalArgumentException for any other name; the message says which names there are
   */
  public static Severity threshold(String name) {
    String n = name == null ? "error" : name.trim().toLowerCase(java.util.Locale.ROOT);
    if (n.equals("none")) {
      return null;
    }
    for (Severity s : values()) {
      if (s.label().equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("`" + name + "` must be " + THRESHOLDS);
  }
}
