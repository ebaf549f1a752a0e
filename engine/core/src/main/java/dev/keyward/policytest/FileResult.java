package dev.keyward.policytest;

import dev.keyward.model.Problem;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one policy-test file: the problems that stopped it (syntax errors, a world that does not
 * load, names that do not resolve) or the results of its tests. When {@link #badInput()} is true no test
 * of the file was run.
 *
 * @param file the test file as shown to the user
 * @param problems every problem, with file, line and column; warnings do not stop the tests
 * @param tests the tests' results in file order; empty when the input was bad
 */
public record FileResult(String file, List<Problem> problems, List<TestResult> tests) {

  public FileResult {
    Objects.requireNonNull(file, "file");
    problems = List.copyOf(problems);
    tests = List.copyOf(tests);
  }

  /** True when an error stopped the file: nothing was tested. */
  public boolean badInput() {
    return problems.stream().anyMatch(Problem::isError);
  }

  public long passed() {
    return tests.stream().filter(TestResult::passed).count();
  }

  public long failed() {
    return tests.size() - passed();
  }
}
