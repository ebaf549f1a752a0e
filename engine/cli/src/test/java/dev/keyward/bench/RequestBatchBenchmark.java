package dev.keyward.bench;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.world.RequestReader;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The per-line cost of {@code keyward can --requests}: reading one JSON line (with name resolution:
 * short principal names, aliases), and reading plus deciding it, over the fifteen requests of
 * examples/cross-account-decrypt (cross-account, grants, SCPs, explicit denies).
 *
 * <p>Run: {@code mvn -B -q -pl engine/cli -am -Pbench -DskipTests verify -Djmh.args=RequestBatchBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RequestBatchBenchmark {

  private RequestReader reader;
  private Authorizer authorizer;
  private List<String> lines;
  private int next;

  @Setup
  public void setUp() {
    Path example = Path.of("..", "..", "examples", "cross-account-decrypt");
    WorldLoadResult loaded = WorldLoader.create().load(example.resolve("world.yaml"));
    if (loaded.hasErrors()) {
      throw new IllegalStateException("example world has errors: " + loaded.problems());
    }
    World world = loaded.world();
    authorizer = Authorizer.create(world);
    reader = RequestReader.create(authorizer.index());
    try {
      lines = Files.readAllLines(example.resolve("requests.jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String nextLine() {
    String l = lines.get(next);
    next = next + 1 == lines.size() ? 0 : next + 1;
    return l;
  }

  /** One line read, validated and resolved to a request. */
  @Benchmark
  public RequestReader.Line readLine() {
    return reader.parseLine(nextLine(), "requests.jsonl", 1);
  }

  /** One line read and decided: the work of one batch line before output. */
  @Benchmark
  public Decision readAndDecide() {
    return authorizer.authorize(reader.parseLine(nextLine(), "requests.jsonl", 1).request());
  }
}
