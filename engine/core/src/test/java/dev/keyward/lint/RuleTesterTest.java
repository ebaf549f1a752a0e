package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTesterTest {

  private static final String RULE = String.join("\n",
      "id: XX100",
      "name: deny-anything",
      "summary: a statement denies",
      "severity: warning",
      "appliesTo: [identity-policy]",
      "since: 0.1.0",
      "docs: |",
      "  ## Why it matters",
      "  ## How to fix",
      "  ## References",
      "check: |",
      "  for s in statements",
      "  where s.effect == \"Deny\"",
      "  report s.effect \"statement {s.label} denies\"",
      "cases:",
      "  flagged:",
      "    - policy: {Version: \"2012-10-17\", Statement: [{Effect: Deny, Action: \"*\", Resource: \"*\"}]}",
      "      pointers: [%s]",
      "  clean:",
      "    - policy: %s",
      "");

  private static final String CLEAN = "{Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: \"*\", Resource: \"*\"}]}";
  private static final String NOT_CLEAN = "{Version: \"2012-10-17\", Statement: [{Effect: Deny, Action: \"*\", Resource: \"*\"}]}";

  private static Rule load(String text) {
    List<Problem> problems = new ArrayList<>();
    Rule r = RuleLoader.create().loadFile(text.getBytes(StandardCharsets.UTF_8), "XX100-deny-anything.yaml",
        "XX100-deny-anything.yaml", "custom", problems);
    assertThat(problems).isEmpty();
    return r;
  }

  @Test
  void run_rightPointers_passes() {
    Rule r = load(String.format(RULE, "/Statement/0/Effect", CLEAN));
    assertThat(RuleTester.create(List.of(r)).run(List.of(r))).allMatch(RuleTester.CaseResult::passed);
  }

  @Test
  void run_wrongPointer_fails() {
    Rule r = load(String.format(RULE, "/Statement/0", CLEAN));
    List<RuleTester.CaseResult> results = RuleTester.create(List.of(r)).run(List.of(r));
    assertThat(results.get(0).failure()).contains("expected findings at [/Statement/0]")
        .contains("/Statement/0/Effect: statement #0 denies");
  }

  @Test
  void run_rightMessage_passes() {
    Rule r = load(String.format(RULE, "/Statement/0/Effect]\n      messages: [\"statement #0 denies\"", CLEAN));
    assertThat(RuleTester.create(List.of(r)).run(List.of(r))).allMatch(RuleTester.CaseResult::passed);
  }

  @Test
  void run_messageNoFindingSays_fails() {
    Rule r = load(String.format(RULE, "/Statement/0/Effect]\n      messages: [\"statement #0 allows\"", CLEAN));
    List<RuleTester.CaseResult> results = RuleTester.create(List.of(r)).run(List.of(r));
    assertThat(results.get(0).failure()).contains("expected a finding that says `statement #0 allows`");
  }

  @Test
  void run_findingThatSaysNoneOfTheMessages_fails() {
    // two Deny statements: the case names the message of the first only, so the second finding is unpinned
    Rule r = load(String.format(RULE.replace("[{Effect: Deny, Action: \"*\", Resource: \"*\"}]",
        "[{Sid: A, Effect: Deny, Action: \"*\", Resource: \"*\"}, {Sid: B, Effect: Deny, Action: \"*\", Resource: \"*\"}]"),
        "/Statement/0/Effect, /Statement/1/Effect]\n      messages: [\"statement A denies\"", CLEAN));
    List<RuleTester.CaseResult> results = RuleTester.create(List.of(r)).run(List.of(r));
    assertThat(results.get(0).failure()).contains("the finding `/Statement/1/Effect: statement B denies` says none of");
  }

  @Test
  void run_cleanCaseThatIsFlagged_fails() {
    Rule r = load(String.format(RULE, "/Statement/0/Effect", NOT_CLEAN));
    List<RuleTester.CaseResult> results = RuleTester.create(List.of(r)).run(List.of(r));
    assertThat(results.get(1).passed()).isFalse();
    assertThat(results.get(1).failure()).contains("expected no finding");
  }

  @Test
  void loadFile_checkWithUnknownName_isRejectedWithPosition() {
    String text = String.format(RULE, "/Statement/0/Effect", CLEAN).replace("s.label", "t.label");
    List<Problem> problems = new ArrayList<>();
    Rule r = RuleLoader.create().loadFile(text.getBytes(StandardCharsets.UTF_8), "XX100-deny-anything.yaml",
        "XX100-deny-anything.yaml", "custom", problems);
    assertThat(r).isNull();
    assertThat(problems).extracting(Problem::message).anyMatch(m -> m.contains("unknown name `t`"));
  }

  @Test
  void loadFile_wrongFileName_isRejected() {
    List<Problem> problems = new ArrayList<>();
    RuleLoader.create().loadFile(String.format(RULE, "/Statement/0/Effect", CLEAN).getBytes(StandardCharsets.UTF_8),
        "x.yaml", "x.yaml", "custom", problems);
    assertThat(problems).extracting(Problem::code).contains("rules.file-name");
  }
}
