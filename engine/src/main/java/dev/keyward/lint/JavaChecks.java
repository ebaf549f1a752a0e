package dev.keyward.lint;

import dev.keyward.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks the Keyward language cannot say, by the name rule files give them in {@code javaCheck}.
 * There is one: reporting the parser problems that no rule claims needs to know every other rule.
 */
final class JavaChecks {

  /** {@code unclaimed-problems}: every parser problem whose code no loaded rule lists in problemCodes. */
  static final String UNCLAIMED_PROBLEMS = "unclaimed-problems";

  static final List<String> NAMES = List.of(UNCLAIMED_PROBLEMS);

  private JavaChecks() {}

  static List<Evaluator.Hit> run(String name, Subject subject, Set<String> claimedCodes) {
    if (!UNCLAIMED_PROBLEMS.equals(name)) {
      throw new IllegalArgumentException("unknown Java check " + name);
    }
    List<Evaluator.Hit> hits = new ArrayList<>();
    for (Problem p : subject.problems()) {
      if (!claimedCodes.contains(p.code())) {
        hits.add(new Evaluator.Hit(p, p.message() + " [" + p.code() + "]"));
      }
    }
    return hits;
  }
}
