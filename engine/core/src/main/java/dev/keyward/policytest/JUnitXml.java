package dev.keyward.policytest;

import dev.keyward.model.Problem;
import java.util.List;
import java.util.Locale;

/**
 * Renders policy-test results as JUnit XML (the Ant/Surefire format that CI dashboards read): a
 * {@code <testsuites>} with one {@code <testsuite>} per test file and one {@code <testcase>} per test; a
 * failing test has a {@code <failure>} whose message is the first unmet expectation and whose text holds
 * every unmet expectation with its details. A file that was bad input is a suite with one
 * {@code <testcase>} named {@code (file)} holding an {@code <error>} with the problems. Deterministic
 * apart from the times.
 */
public final class JUnitXml {

  private JUnitXml() {}

  public static String render(List<FileResult> results) {
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    long tests = 0;
    long failures = 0;
    long errors = 0;
    for (FileResult r : results) {
      tests += r.badInput() ? 1 : r.tests().size();
      failures += r.failed();
      errors += r.badInput() ? 1 : 0;
    }
    b.append("<testsuites name=\"keyward\" tests=\"").append(tests).append("\" failures=\"").append(failures)
        .append("\" errors=\"").append(errors).append("\">\n");
    for (FileResult r : results) {
      suite(b, r);
    }
    return b.append("</testsuites>\n").toString();
  }

  private static void suite(StringBuilder b, FileResult r) {
    String suiteName = r.file();
    long nanos = r.tests().stream().mapToLong(TestResult::nanos).sum();
    b.append("  <testsuite name=\"").append(attr(suiteName)).append("\" tests=\"")
        .append(r.badInput() ? 1 : r.tests().size()).append("\" failures=\"").append(r.failed())
        .append("\" errors=\"").append(r.badInput() ? 1 : 0).append("\" skipped=\"0\" time=\"")
        .append(seconds(nanos)).append("\">\n");
    if (r.badInput()) {
      StringBuilder text = new StringBuilder();
      String first = null;
      for (Problem p : r.problems()) {
        text.append(p.display()).append('\n');
        if (first == null && p.isError()) {
          first = p.display();
        }
      }
      b.append("    <testcase classname=\"").append(attr(suiteName)).append("\" name=\"(file)\" time=\"0\">\n")
          .append("      <error message=\"").append(attr(first)).append("\" type=\"bad-input\">")
          .append(text(text.toString())).append("</error>\n")
          .append("    </testcase>\n");
    }
    for (TestResult t : r.tests()) {
      b.append("    <testcase classname=\"").append(attr(suiteName)).append("\" name=\"").append(attr(t.name()))
          .append("\" time=\"").append(seconds(t.nanos())).append('"');
      if (t.passed()) {
        b.append("/>\n");
        continue;
      }
      b.append(">\n");
      StringBuilder text = new StringBuilder();
      for (TestResult.Failure f : t.failures()) {
        text.append(t.file()).append(':').append(f.line()).append(':').append(f.column()).append(": ")
            .append(f.message()).append('\n');
        for (String d : f.details()) {
          text.append("  ").append(d).append('\n');
        }
      }
      b.append("      <failure message=\"").append(attr(t.failures().get(0).message()))
          .append("\" type=\"expectation\">").append(text(text.toString())).append("</failure>\n");
      b.append("    </testcase>\n");
    }
    b.append("  </testsuite>\n");
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }

  static String attr(String s) {
    return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
  }

  static String text(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&': b.append("&amp;"); break;
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        default:
          // XML 1.0 forbids most control characters, even escaped.
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            b.append('?');
          } else {
            b.append(c);
          }
      }
    }
    return b.toString();
  }
}
