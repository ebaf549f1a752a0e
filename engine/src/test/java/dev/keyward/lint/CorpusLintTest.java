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
    Map<String, Integer> perRule = new TreeMap<>();
    Map<String, String> sample = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : corpus.entrySet()) {
      Linter.FileResult r = linter.lint(e.getValue(), e.getKey(), PolicyType.UNKNOWN);
      failures.addAll(r.ruleFailures());
      assertThat(r.type()).as(e.getKey()).isEqualTo(PolicyType.IDENTITY);
      for (Finding f : r.findings()) {
        perRule.merge(f.ruleId(), 1, Integer::sum);
        sample.putIfAbsent(f.ruleId(), f.where() + " " + f.message());
      }
    }
    System.out.println("corpus findings per rule: " + perRule);
    sample.forEach((k, v) -> System.out.println("  e.g. " + k + " " + v));
    assertThat(failures).isEmpty();
    // Structure and vocabulary errors would mean AWS publishes policies IAM rejects: none may appear.
    assertThat(perRule.keySet()).doesNotContain("KW000", "KW001", "KW002", "KW004", "KW006", "KW007", "KW008",
        "KW009", "KW010", "KW011", "KW013", "KW015", "KW016", "KW017", "KW055");
  }
}
