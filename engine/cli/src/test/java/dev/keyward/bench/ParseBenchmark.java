package dev.keyward.bench;

import dev.keyward.model.PolicyType;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.parse.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The policy parser: one typical key policy (the console-style policy with administrators, users and the
 * grant statement), and the 1,594 AWS managed policies of the test corpus, both from bytes (reading the
 * 3.4 MB JSON file included) and from its already-read tree (the parser alone).
 *
 * <p>Run: {@code mvn -B -q -pl engine/cli -am -Pbench -DskipTests verify -Djmh.args=ParseBenchmark} (the
 * annotations give 1 fork, 5 warm-up and 5 measurement iterations of 2 s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseBenchmark {

  private PolicyParser parser;
  private byte[] keyPolicy;
  private byte[] corpus;
  private List<Node> corpusDocuments;
  private List<String> corpusNames;

  @Setup
  public void setUp() {
    parser = PolicyParser.create();
    keyPolicy = resource("/policies/valid/key-policy/console.json");
    corpus = resource("/corpus/aws-managed-policies.json");
    ReadResult read = DocumentReader.create().read(corpus, "aws-managed-policies.json", DocumentFormat.JSON);
    corpusDocuments = new ArrayList<>();
    corpusNames = new ArrayList<>();
    for (Node.Field f : ((Node.ObjectNode) read.root()).fields()) {
      corpusNames.add(f.key());
      corpusDocuments.add(((Node.ObjectNode) f.value()).get("document"));
    }
    if (corpusDocuments.size() != 1594) {
      throw new IllegalStateException("expected 1,594 managed policies, found " + corpusDocuments.size());
    }
  }

  /** A typical key policy from its bytes: reading, parsing and checking. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public ParseResult keyPolicy() {
    return parser.parse(keyPolicy, "console.json", PolicyType.KEY_POLICY);
  }

  /** All 1,594 managed policies from the corpus file's bytes: reading the 3.4 MB file and parsing each. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void corpusFromBytes(Blackhole bh) {
    ReadResult read = DocumentReader.create().read(corpus, "aws-managed-policies.json", DocumentFormat.JSON);
    for (Node.Field f : ((Node.ObjectNode) read.root()).fields()) {
      bh.consume(parser.parseNode(((Node.ObjectNode) f.value()).get("document"), f.key(), PolicyType.IDENTITY));
    }
  }

  /** All 1,594 managed policies from the already-read tree: the parser alone. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public void corpusFromTree(Blackhole bh) {
    for (int i = 0; i < corpusDocuments.size(); i++) {
      bh.consume(parser.parseNode(corpusDocuments.get(i), corpusNames.get(i), PolicyType.IDENTITY));
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ParseBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
