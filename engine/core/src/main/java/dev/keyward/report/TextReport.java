package dev.keyward.report;

import dev.keyward.lint.Finding;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.Suppressions;
import dev.keyward.model.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * The report for people: findings grouped by file, one line each as
 * {@code file:line:column: severity RULE message}, then a summary. Colour (ANSI) only when asked for;
 * the CLI asks when standard output is a terminal and NO_COLOR is unset. A pure function of the report.
 */
public final class TextReport {

  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";
  private static final String DIM = "\u001b[2m";

  private TextReport() {}

  public static String render(LintReport report, boolean colour) {
    StringBuilder b = new StringBuilder();
    String file = null;
    for (Finding f : report.findings()) {
      if (!f.file().equals(file)) {
        if (file != null) {
          b.append('\n');
        }
        file = f.file();
        b.append(paint(colour, BOLD, file)).append('\n');
      }
      b.append("  ").append(f.where()).append(": ").append(severity(f.severity(), colour)).append(' ')
          .append(paint(colour, DIM, f.ruleId())).append(' ').append(f.message()).append('\n');
    }
    if (!report.findings().isEmpty()) {
      b.append('\n');
    }
    for (Suppressions.Entry e : report.unusedSuppressions()) {
      b.append(e.where().display()).append(": ").append(severity(Severity.NOTE, colour))
          .append(" unused suppression (").append(e.describe()).append("): it matched no finding\n");
    }
    for (String failure : report.ruleFailures()) {
      b.append(paint(colour, RED, "rule failure")).append(": ").append(failure).append('\n');
    }
    b.append(summary(report)).append('\n');
    return b.toString();
  }

  /** {@code 2 errors, 1 warning, 0 notes in 3 files (1 suppressed, 2 skipped)}. */
  public static String summary(LintReport r) {
    List<String> extra = new ArrayList<>();
    if (!r.suppressed().isEmpty()) {
      extra.add(r.suppressed().size() + " suppressed");
    }
    if (!r.skipped().isEmpty()) {
      extra.add(r.skipped().size() + " not a policy, skipped");
    }
    return plural(r.count(Severity.ERROR), "error") + ", " + plural(r.count(Severity.WARNING), "warning") + ", "
        + plural(r.count(Severity.NOTE), "note") + " in " + plural(r.files().size(), "file")
        + (extra.isEmpty() ? "" : " (" + String.join(", ", extra) + ")");
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  private static String severity(Severity s, boolean colour) {
    switch (s) {
      case ERROR: return paint(colour, RED, "error");
      case WARNING: return paint(colour, YELLOW, "warning");
      default: return paint(colour, CYAN, "note");
    }
  }

  private static String paint(boolean colour, String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
