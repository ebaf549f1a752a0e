package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyward.model.PolicyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every invalid action that cfn-lint (W3037) finds in the real-world corpus's CloudFormation templates is found
 * by Keyward too (KW050 unknown service, KW051 unknown action, or KW058 for a name AWS's own policies use).
 * Findings are matched per file by the name cfn-lint quotes: the action's name after the colon, or the service
 * prefix, compared ignoring case, each Keyward finding used once. Skipped, with a message, when {@code cfn-lint}
 * is not on the PATH ({@code .ci/run} says whether it is), except on CI ({@code CI=true}), where it fails.
 */
class CfnLintParityTest {

  static final Pattern TEMPLATE = Pattern.compile("(?m)^\\s*\"?Resources\"?\\s*:");
  static final Pattern CFN_LINT_LINE = Pattern.compile("^(.+?):\\d+:\\d+:\\d+:\\d+:W3037:'([^']*)' is not one of .*$");
  static final Pattern FIRST_CODE = Pattern.compile("`([^`]+)`");

  @Test
  void everyInvalidActionCfnLintFinds_keywardFindsToo() throws Exception {
    boolean present = cfnLintPresent();
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("cfn-lint is not on the PATH, but CI runs this test: the machine's Python must have"
          + " cfn-lint 1.51.0 (.ci/run checks for it)");
    }
    assumeTrue(present, "cfn-lint is not on the PATH: the comparison with cfn-lint is skipped");
    List<Path> templates = new ArrayList<>();
    for (Path p : RealWorldCorpusTest.files()) {
      if (TEMPLATE.matcher(Files.readString(p, StandardCharsets.UTF_8)).find()) {
        templates.add(RealWorldCorpusTest.ROOT.relativize(p));
      }
    }
    assertThat(templates).as("templates in the corpus").isNotEmpty();

    Map<String, List<String>> cfnLint = runCfnLint(templates);
    Map<String, List<String>> keyward = new TreeMap<>();
    Linter linter = Linter.create(RuleLoader.create().builtIn().rules());
    for (Path rel : templates) {
      String name = rel.toString().replace('\\', '/');
      Linter.FileResult r = linter.lint(Files.readAllBytes(RealWorldCorpusTest.ROOT.resolve(rel)), name,
          PolicyType.UNKNOWN);
      for (Finding f : r.findings()) {
        if (List.of("KW050", "KW051", "KW058").contains(f.ruleId())) {
          Matcher m = FIRST_CODE.matcher(f.message());
          if (m.find()) {
            keyward.computeIfAbsent(name, k -> new ArrayList<>()).add(m.group(1).toLowerCase(Locale.ROOT));
          }
        }
      }
    }

    List<String> missed = new ArrayList<>();
    int total = 0;
    for (Map.Entry<String, List<String>> e : cfnLint.entrySet()) {
      List<String> ours = new ArrayList<>(keyward.getOrDefault(e.getKey(), List.of()));
      for (String value : e.getValue()) {
        total++;
        String v = value.toLowerCase(Locale.ROOT);
        int at = -1;
        for (int i = 0; i < ours.size() && at < 0; i++) {
          String n = ours.get(i);
          int colon = n.indexOf(':');
          if (n.equals(v) || n.substring(colon + 1).equals(v) || (colon > 0 && n.substring(0, colon).equals(v))) {
            at = i;
          }
        }
        boolean found = at >= 0;
        if (found) {
          ours.remove(at);
        }
        if (!found) {
          missed.add(e.getKey() + ": " + value);
        }
      }
    }
    int ourTotal = keyward.values().stream().mapToInt(List::size).sum();
    System.out.printf("cfn-lint parity: %d templates, cfn-lint W3037 invalid names %d, Keyward KW050/KW051/KW058 %d,"
        + " missed %d%n", templates.size(), total, ourTotal, missed.size());
    assertThat(missed).as("invalid actions cfn-lint finds that Keyward does not").isEmpty();
  }

  static boolean cfnLintPresent() {
    try {
      Process p = new ProcessBuilder("cfn-lint", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The names cfn-lint's W3037 quotes, by file (relative to the corpus folder). */
  static Map<String, List<String>> runCfnLint(List<Path> templates) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("cfn-lint", "--format", "parseable", "--"));
    templates.forEach(t -> cmd.add(t.toString()));
    Path out = Files.createTempFile("cfn-lint", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).directory(RealWorldCorpusTest.ROOT.toFile())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("cfn-lint did not finish in 10 minutes");
      }
      Map<String, List<String>> byFile = new TreeMap<>();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        Matcher m = CFN_LINT_LINE.matcher(line);
        if (m.matches()) {
          byFile.computeIfAbsent(m.group(1).replace('\\', '/'), k -> new ArrayList<>()).add(m.group(2));
        }
      }
      return byFile;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
