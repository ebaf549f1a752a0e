package dev.keyward.bench;

import dev.keyward.lint.Linter;
import dev.keyward.lint.RuleLoader;
import dev.keyward.model.PolicyType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The real-world corpus (templates and policies from public repositories, listed in
 * {@code real-world/sources.tsv}): one operation lints every file with every built-in rule, templates read
 * with their intrinsic functions, on one thread, after start-up.
 *
 * <p>{@code mvn -B -q -o -pl engine/cli -am -Pbench -DskipTests verify -Djmh.args="RealWorldLintBenchmark -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RealWorldLintBenchmark {

  private Linter linter;
  private final List<String> names = new ArrayList<>();
  private final List<byte[]> files = new ArrayList<>();

  @Setup
  public void setUp() {
    linter = Linter.create(RuleLoader.create().builtIn().rules());
    String list = new String(resource("/real-world/sources.tsv"), StandardCharsets.UTF_8);
    for (String line : list.split("\n")) {
      if (!line.isBlank()) {
        String name = line.substring(0, line.indexOf('\t'));
        names.add(name);
        files.add(resource("/real-world/" + name));
      }
    }
  }

  /** Every file of the corpus, linted; returns the number of findings. */
  @Benchmark
  public int lintCorpus() {
    int n = 0;
    for (int i = 0; i < files.size(); i++) {
      n += linter.lint(files.get(i), names.get(i), PolicyType.UNKNOWN).findings().size();
    }
    return n;
  }

  private static byte[] resource(String path) {
    try (InputStream in = RealWorldLintBenchmark.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
