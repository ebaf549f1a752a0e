package dev.keyward.lang;

import java.util.List;

/**
 * A policy-test file: the world it runs against and its tests. Only the syntax is defined here; the
 * runner is {@code dev.keyward.policytest.PolicyTestRunner}.
 *
 * @param world the world file's path as written, or null when absent
 * @param worldPos where the {@code world} clause is, or null when absent
 */
public record TestFile(String world, Pos worldPos, List<TestCase> tests) {

  public TestFile {
    tests = List.copyOf(tests);
  }

  public record TestCase(String name, List<Expectation> expectations, Pos pos) {
    public TestCase {
      expectations = List.copyOf(expectations);
    }
  }

  /** The decision an {@code expect allow|deny|explicit-deny} line asks for. */
  public enum ExpectedDecision {
    ALLOW("allow"), DENY("deny"), EXPLICIT_DENY("explicit-deny");

    private final String keyword;

    ExpectedDecision(String keyword) {
      this.keyword = keyword;
    }

    public String keyword() {
      return keyword;
    }
  }

  public sealed interface Expectation permits Decision, Only, NobodyOutside, CheckClean {
    Pos pos();
  }

  /** {@code expect allow|deny|explicit-deny P A R [with context {...}]}. */
  public record Decision(ExpectedDecision decision, Query.Term principal, Query.Term action,
      Query.Term resource, List<Expr.Entry> context, Pos pos) implements Expectation {
    public Decision {
      context = List.copyOf(context);
    }
  }

  /** {@code expect only [P, ...] can A R [with context {...}]}. */
  public record Only(List<Query.Term> principals, Query.Term action, Query.Term resource,
      List<Expr.Entry> context, Pos pos) implements Expectation {
    public Only {
      principals = List.copyOf(principals);
      context = List.copyOf(context);
    }
  }

  /** {@code expect nobody outside account|organization ID can A R [with context {...}]}. */
  public record NobodyOutside(String scope, Query.Term id, Query.Term action, Query.Term resource,
      List<Expr.Entry> context, Pos pos) implements Expectation {
    public NobodyOutside {
      context = List.copyOf(context);
    }
  }

  /** {@code expect check ANALYSIS clean}. */
  public record CheckClean(Query.Term analysis, Pos pos) implements Expectation {}
}
