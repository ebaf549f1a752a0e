package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of every built-in rule is a test: flagged cases at exactly their pointers and with the messages
 * they list (each finding of the rule says one of them), clean ones clean.
 */
class RuleCasesTest {

  @TestFactory
  Stream<DynamicTest> builtInRules_everyCase_passes() {
    RuleLoader.Loaded loaded = RuleLoader.create().builtIn();
    assertThat(loaded.problems()).extracting(p -> p.display()).isEmpty();
    RuleTester tester = RuleTester.create(loaded.rules());
    List<RuleTester.CaseResult> results = tester.run(loaded.rules());
    return results.stream().map(r -> DynamicTest.dynamicTest(r.title(), () ->
        assertThat(r.failure()).as(r.title()).isNull()));
  }

  @Test
  void builtInRules_everyFlaggedCase_assertsItsMessages() {
    List<String> without = new java.util.ArrayList<>();
    for (Rule r : RuleLoader.create().builtIn().rules()) {
      for (RuleCase c : r.flagged()) {
        if (c.messages().isEmpty()) {
          without.add(r.id() + " line " + c.line() + " (" + c.name() + ")");
        }
      }
    }
    assertThat(without).as("flagged cases without `messages:`").isEmpty();
  }
}
