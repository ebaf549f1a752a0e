package dev.keyward.lint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Runs the cases of rule files: a flagged case must yield findings of its rule at exactly the listed
 * pointers, a clean case none. Other rules run too (a rule may claim parser problems that another would
 * otherwise report) but only the rule under test's findings count.
 */
public final class RuleTester {

  private final Linter linter;

  private RuleTester(Linter linter) {
    this.linter = linter;
  }

  /** A tester whose linter holds {@code allRules} (the built-in pack plus the user's, typically). */
  public static RuleTester create(List<Rule> allRules) {
    return new RuleTester(Linter.create(allRules));
  }

  /** The outcome of one case; {@code failure} is null when it passed. */
  public record CaseResult(Rule rule, RuleCase ruleCase, boolean flagged, String failure) {
    public boolean passed() {
      return failure == null;
    }

    /** {@code KW101 flagged "name"}. */
    public String title() {
      return rule.id() + " " + (flagged ? "flagged" : "clean") + " \"" + ruleCase.name() + "\"";
    }
  }

  public List<CaseResult> run(List<Rule> rules) {
    List<CaseResult> out = new ArrayList<>();
    for (Rule r : rules) {
      for (RuleCase c : r.flagged()) {
        out.add(run(r, c, true));
      }
      for (RuleCase c : r.clean()) {
        out.add(run(r, c, false));
      }
    }
    return out;
  }

  public CaseResult run(Rule rule, RuleCase c, boolean flagged) {
    String file = rule.id() + "-case-" + c.line() + ".json";
    Linter.FileResult result = linter.lint(c.policyText().getBytes(StandardCharsets.UTF_8), file, c.type());
    if (!result.ruleFailures().isEmpty()) {
      return new CaseResult(rule, c, flagged, String.join("; ", result.ruleFailures()));
    }
    TreeSet<String> got = new TreeSet<>();
    List<String> messages = new ArrayList<>();
    for (Finding f : result.findings()) {
      if (f.ruleId().equals(rule.id())) {
        got.add(f.pointer());
        messages.add(f.pointer() + ": " + f.message());
      }
    }
    TreeSet<String> want = new TreeSet<>(c.pointers());
    if (got.equals(want)) {
      for (String m : c.messages()) {
        if (messages.stream().noneMatch(x -> x.contains(m))) {
          return new CaseResult(rule, c, flagged, "line " + c.line() + " of " + rule.origin()
              + ": expected a finding that says `" + m + "`, got " + messages);
        }
      }
      if (!c.messages().isEmpty()) {
        for (String m : messages) {
          if (c.messages().stream().noneMatch(m::contains)) {
            return new CaseResult(rule, c, flagged, "line " + c.line() + " of " + rule.origin()
                + ": the finding `" + m + "` says none of the case's messages " + c.messages());
          }
        }
      }
      return new CaseResult(rule, c, flagged, null);
    }
    String failure = flagged
        ? "expected findings at " + want + ", got " + (got.isEmpty() ? "none" : messages)
        : "expected no finding, got " + messages;
    return new CaseResult(rule, c, flagged, "line " + c.line() + " of " + rule.origin() + ": " + failure);
  }
}
