package dev.keyward.policytest;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one named test of a policy-test file.
 *
 * @param file the test file as shown to the user
 * @param name the test's name
 * @param line the 1-based line of the {@code test} keyword
 * @param failures every expectation of the test that did not hold, in file order; empty when it passed
 * @param nanos how long the test took to run
 * @param gaps what the world's snapshots could not read that the test's answers depend on (a passing test
 *     may pass only because of it), one line each; empty for worlds without snapshots
 */
public record TestResult(String file, String name, int line, List<Failure> failures, long nanos, List<String> gaps) {

  public TestResult {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    failures = List.copyOf(failures);
    gaps = List.copyOf(gaps);
  }

  /** A result whose world has no gaps. */
  public TestResult(String file, String name, int line, List<Failure> failures, long nanos) {
    this(file, name, line, failures, nanos, List.of());
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /**
   * One expectation that did not hold.
   *
   * @param line 1-based line of the {@code expect} keyword
   * @param column 1-based column of the {@code expect} keyword
   * @param message one line: what was expected and what the evaluator decided
   * @param details further lines: the request, the deciding statements with file:line, the principals
   *     found, each without indentation
   */
  public record Failure(int line, int column, String message, List<String> details) {
    public Failure {
      Objects.requireNonNull(message, "message");
      details = List.copyOf(details);
    }
  }
}
