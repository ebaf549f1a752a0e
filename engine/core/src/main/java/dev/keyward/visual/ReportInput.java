package dev.keyward.visual;

import dev.keyward.analysis.CheckResult;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.Rule;
import dev.keyward.world.World;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What a report shows.
 *
 * @param title the page title (usually the world's file names)
 * @param world the world, or null for a report of lint findings alone
 * @param graph the access graph of {@code world}, or null when there is no world
 * @param check the findings of the environment analyses, or null when they were not run
 * @param externalAccess per key of {@code world} (same order), the labels of the key policy statements that
 *     give access to principals outside the key's account; empty when there is no world
 * @param lint the lint report, or null when nothing was linted
 * @param rules the lint rules, for each finding's fix
 * @param iamDataDate the date of the IAM reference data the answers rest on
 */
public record ReportInput(String title, World world, AccessGraph graph, CheckResult check,
    List<java.util.Set<String>> externalAccess, LintReport lint, List<Rule> rules, LocalDate iamDataDate) {

  public ReportInput {
    Objects.requireNonNull(title, "title");
    externalAccess = List.copyOf(externalAccess);
    rules = List.copyOf(rules);
    Objects.requireNonNull(iamDataDate, "iamDataDate");
    if ((world == null) != (graph == null)) {
      throw new IllegalArgumentException("a world needs its graph and a graph its world");
    }
  }
}
