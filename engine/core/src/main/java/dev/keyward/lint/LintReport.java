package dev.keyward.lint;

import dev.keyward.model.PolicyType;
import dev.keyward.model.Severity;
import java.util.List;

/**
 * Everything a lint run produced, in deterministic order, for the renderers in dev.keyward.report.
 *
 * @param rules every rule the run used, in catalogue order (SARIF's ruleIndex refers to this list)
 * @param files the files linted, with the type each was linted as, sorted by path
 * @param skipped files found in folders that were not linted because they are not policies
 * @param findings the findings to report, sorted by file, position and rule
 * @param suppressed findings hidden by a suppression or the baseline, with the reason
 * @param unusedSuppressions suppressions of the config file that matched no finding
 * @param ruleFailures rules whose check broke on some input (never silently dropped)
 */
public record LintReport(
    List<Rule> rules,
    List<LintedFile> files,
    List<String> skipped,
    List<Finding> findings,
    List<Suppressed> suppressed,
    List<Suppressions.Entry> unusedSuppressions,
    List<String> ruleFailures) {

  public LintReport {
    rules = List.copyOf(rules);
    files = List.copyOf(files);
    skipped = List.copyOf(skipped);
    findings = List.copyOf(findings);
    suppressed = List.copyOf(suppressed);
    unusedSuppressions = List.copyOf(unusedSuppressions);
    ruleFailures = List.copyOf(ruleFailures);
  }

  /** A file and the policy type it was linted as. */
  public record LintedFile(String file, PolicyType type) {}

  /**
   * A hidden finding: {@code kind} is SARIF's suppression kind ({@code external} for the config file and
   * the baseline), {@code justification} the reason given.
   */
  public record Suppressed(Finding finding, String kind, String justification) {}

  /** The number of findings of a severity. */
  public long count(Severity s) {
    return findings.stream().filter(f -> f.severity() == s).count();
  }

  /** True when some finding is at least as serious as {@code threshold}; never for null (fail-on none). */
  public boolean fails(Severity threshold) {
    return threshold != null && findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
  }
}
