package dev.keyward.policytest;

import dev.keyward.model.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders policy-test results for people: one line per test ({@code PASS}/{@code FAIL}, file:line, name),
 * under a failing test each unmet expectation with what was expected, what the evaluator decided and
 * the deciding statements, then the summary line {@code N passed, N failed}. Pure functions.
 */
public final class TestReport {

  private TestReport() {}

  /** The lines for one file: its problems, then a line per test with failures indented below. */
  public static List<String> lines(FileResult r) {
    List<String> out = new ArrayList<>();
    for (Problem p : r.problems()) {
      out.add(p.display());
    }
    out.addAll(testLines(r));
    return out;
  }

  /** A line per test of the file, with its failures indented below; nothing for a file of bad input. */
  public static List<String> testLines(FileResult r) {
    List<String> out = new ArrayList<>();
    for (TestResult t : r.tests()) {
      out.add((t.passed() ? "PASS  " : "FAIL  ") + t.file() + ":" + t.line() + "  " + t.name());
      for (String g : t.gaps()) {
        out.add("      gap: the snapshots could not read this, and the answer may depend on it: " + g);
      }
      for (TestResult.Failure f : t.failures()) {
        out.add("      " + t.file() + ":" + f.line() + ":" + f.column() + ": " + f.message());
        for (String d : f.details()) {
          out.add("        " + d);
        }
      }
    }
    return out;
  }

  /** {@code N passed, N failed}, followed by {@code , N files with errors} when some file was bad input. */
  public static String summary(List<FileResult> results) {
    long passed = 0;
    long failed = 0;
    long bad = 0;
    for (FileResult r : results) {
      passed += r.passed();
      failed += r.failed();
      bad += r.badInput() ? 1 : 0;
    }
    return passed + " passed, " + failed + " failed" + (bad == 0 ? "" : ", " + bad + (bad == 1 ? " file" : " files")
        + " with errors");
  }
}
