package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Lints all 1,594 AWS managed policies: no rule may fail on any of them, and the findings per rule stay
 * within the bounds reviewed for false positives (see docs/linting.md, "Corpus review"). A rule that
 * suddenly fires on hundreds of AWS's own policies is more likely wrong than AWS.
 */
class CorpusLintTest {

  @Test
  void corpus_everyManagedPolicy_lintsWithoutRuleFailure() throws Exception {
    Map<String, byte[]> corpus = Corpus.managedPolicies();
    assertThat(corpus).hasSize(1594);
    Linter linter = Linter.create(RuleLoader.create().builtIn().rules());
    List<String> failures = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, Integer> perRule = new TreeMap<>();
    Map<String, String> sample = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : corpus.entrySet()) {
      Linter.FileResult r = linter.lint(e.getValue(), e.getKey(), PolicyType.UNKNOWN);
      failures.addAll(r.ruleFailures());
      assertThat(r.type()).as(e.getKey()).isEqualTo(PolicyType.IDENTITY);
      for (Finding f : r.findings()) {
        if (f.severity() == dev.keyward.model.Severity.ERROR) {
          errors.add(f.where() + " " + f.ruleId() + " " + f.message());
        }
        perRule.merge(f.ruleId(), 1, Integer::sum);
        sample.putIfAbsent(f.ruleId(), f.where() + " " + f.message());
      }
    }
    System.out.println("corpus findings per rule: " + perRule);
    sample.forEach((k, v) -> System.out.println("  e.g. " + k + " " + v));
    assertThat(failures).isEmpty();
    // A policy that AWS itself ships is never an error: names missing from the IAM reference data that AWS's
    // own policies use (retired services, newer actions) are KW058 notes.
    assertThat(errors).as("error findings on AWS's own policies").isEmpty();
    // The counts reviewed in docs/linting.md ("Corpus review"), with some room for new reference data. A rule
    // not listed here must not fire at all: structure errors would mean AWS publishes policies IAM rejects.
    Map<String, Integer> reviewed = Map.ofEntries(Map.entry("KW050", 110), Map.entry("KW051", 70),
        Map.entry("KW052", 20), Map.entry("KW053", 15), Map.entry("KW057", 700), Map.entry("KW105", 3),
        Map.entry("KW150", 5), Map.entry("KW152", 10), Map.entry("KW300", 12), Map.entry("KW302", 4),
        Map.entry("KW303", 12), Map.entry("KW304", 12), Map.entry("KW305", 2), Map.entry("KW058", 140));
    perRule.forEach((rule, n) -> assertThat(n).as("findings of %s in the corpus", rule)
        .isLessThanOrEqualTo(reviewed.getOrDefault(rule, 0)));
  }
}
