package dev.keyward.bench;

import dev.keyward.lint.Corpus;
import dev.keyward.lint.Linter;
import dev.keyward.lint.RuleLoader;
import dev.keyward.model.PolicyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lints the whole corpus of 1,594 AWS managed policies (each as its own JSON file's bytes) with every
 * built-in rule, after start-up: the rules are loaded, the IAM reference read and the JIT warmed before
 * measuring. One operation = parse, infer the type of, and lint all 1,594 documents on one thread.
 *
 * <p>{@code mvn -B -q -o -pl engine/cli -am -Pbench -DskipTests verify -Djmh.args="LintBenchmark -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LintBenchmark {

  private Linter linter;
  private List<String> names;
  private List<byte[]> documents;

  @Setup
  public void setUp() throws Exception {
    linter = Linter.create(RuleLoader.create().builtIn().rules());
    names = new ArrayList<>();
    documents = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : Corpus.managedPolicies().entrySet()) {
      names.add(e.getKey());
      documents.add(e.getValue());
    }
  }

  @Benchmark
  public int lintCorpus() {
    int findings = 0;
    for (int i = 0; i < documents.size(); i++) {
      findings += linter.lint(documents.get(i), names.get(i), PolicyType.UNKNOWN).findings().size();
    }
    return findings;
  }
}
