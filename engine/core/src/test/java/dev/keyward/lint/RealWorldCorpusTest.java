package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import dev.keyward.model.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Lints the real-world corpus (CloudFormation templates and policies from public repositories, each with its
 * source and licence in {@code real-world/SOURCES.md}) against a reviewed expectation file: every finding is
 * listed once with its verdict ({@code true}, {@code false-positive} or {@code noise}), and the test fails
 * on any finding that is not listed, any listed finding that is gone, any rule failure, precision below 95%
 * over error and warning findings, or more than one "unknown until deployment" finding per template.
 *
 * <p>To review a change: run with {@code -Dkeyward.realWorld.write=true}; the file is rewritten with the
 * verdicts kept and new findings marked {@code unreviewed}, which fails the test until each is classified.
 */
class RealWorldCorpusTest {

  static final Path ROOT = Path.of("src/test/resources/real-world");
  static final Path EXPECTED = ROOT.resolve("expected-findings.tsv");
  static final List<String> VERDICTS = List.of("true", "false-positive", "noise");

  /** The linted files, relative to the corpus folder, in a stable order. */
  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(json|ya?ml|template)$"))
          .sorted().toList();
    }
  }

  @Test
  void realWorldCorpus_findingsMatchTheReviewedExpectations() throws IOException {
    Linter linter = Linter.create(RuleLoader.create().builtIn().rules());
    List<String> failures = new ArrayList<>();
    Map<String, Finding> got = new LinkedHashMap<>();
    Map<String, Integer> unknownPerFile = new TreeMap<>();
    List<Path> files = files();
    for (Path p : files) {
      String name = ROOT.relativize(p).toString().replace('\\', '/');
      Linter.FileResult r = linter.lint(Files.readAllBytes(p), name, PolicyType.UNKNOWN);
      failures.addAll(r.ruleFailures());
      for (Finding f : r.findings()) {
        got.put(key(f), f);
        if (f.ruleId().equals("KW405") && f.message().contains("unknown until deployment")) {
          unknownPerFile.merge(name, 1, Integer::sum);
          assertThat(f.severity()).as("unknown values are a note: %s", f.where()).isEqualTo(Severity.NOTE);
        }
      }
    }
    assertThat(failures).as("internal errors (rule failures)").isEmpty();
    assertThat(unknownPerFile.values()).as("'unknown until deployment' per template").allMatch(n -> n == 1);

    Map<String, String> verdicts = read();
    if (Boolean.getBoolean("keyward.realWorld.write")) {
      write(got, verdicts);
      verdicts = read();
    }
    List<String> unlisted = new ArrayList<>();
    for (String k : got.keySet()) {
      if (!verdicts.containsKey(k)) {
        unlisted.add(k);
      }
    }
    List<String> gone = new ArrayList<>();
    for (String k : verdicts.keySet()) {
      if (!got.containsKey(k)) {
        gone.add(k);
      }
    }
    assertThat(unlisted).as("findings not in %s (run with -Dkeyward.realWorld.write=true and review them)",
        EXPECTED).isEmpty();
    assertThat(gone).as("reviewed findings that are gone (update %s)", EXPECTED).isEmpty();
    assertThat(verdicts.values()).as("every finding classified").allMatch(VERDICTS::contains);

    Map<String, int[]> byVerdict = new TreeMap<>();
    int serious = 0;
    int seriousTrue = 0;
    for (Map.Entry<String, Finding> e : got.entrySet()) {
      String v = verdicts.get(e.getKey());
      byVerdict.computeIfAbsent(v, x -> new int[1])[0]++;
      if (e.getValue().severity() != Severity.NOTE) {
        serious++;
        if (v.equals("true")) {
          seriousTrue++;
        }
      }
    }
    double precision = serious == 0 ? 1.0 : (double) seriousTrue / serious;
    StringBuilder b = new StringBuilder();
    byVerdict.forEach((v, n) -> b.append(' ').append(v).append('=').append(n[0]));
    System.out.printf("real-world corpus: %d files, %d findings (%s), %d error/warning of which %d true: "
        + "precision %.1f%%, 0 internal errors%n", files.size(), got.size(), b.toString().trim(), serious,
        seriousTrue, precision * 100);
    assertThat(precision).as("precision over error and warning findings").isGreaterThanOrEqualTo(0.95);
  }

  static String key(Finding f) {
    return f.ruleId() + "\t" + f.severity().label() + "\t" + f.where() + "\t" + f.message();
  }

  /** The expectation file: verdict, then the finding's key; lines starting with # are comments. */
  static Map<String, String> read() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(EXPECTED)) {
      return out;
    }
    for (String line : Files.readAllLines(EXPECTED, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int tab = line.indexOf('\t');
      String previous = out.put(line.substring(tab + 1), line.substring(0, tab));
      assertThat(previous).as("finding listed twice: %s", line).isNull();
    }
    return out;
  }

  private static void write(Map<String, Finding> got, Map<String, String> verdicts) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# verdict\trule\tseverity\tfile:line:column\tmessage  (verdicts: true, false-positive, noise)");
    for (String k : got.keySet()) {
      lines.add(verdicts.getOrDefault(k, "unreviewed") + "\t" + k);
    }
    Files.write(EXPECTED, lines, StandardCharsets.UTF_8);
  }
}
