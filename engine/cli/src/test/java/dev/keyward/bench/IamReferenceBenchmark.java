package dev.keyward.bench;

import dev.keyward.iam.IamReference;
import dev.keyward.iam.IamReferenceLoader;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bundled IAM reference data: how long reading and indexing it takes, and how fast wildcard actions
 * expand. Run: {@code mvn -B -q -pl engine/cli -am -Pbench -DskipTests verify -Djmh.args="IamReference -f 1 -wi 3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
public class IamReferenceBenchmark {

  private IamReference iam;
  private byte[] resource;

  @Setup
  public void setUp() throws IOException {
    iam = IamReference.bundled();
    resource = IamReferenceLoader.bundledBytes();
  }

  /** Decompress, parse and index the resource, as {@code IamReference.bundled()} does once. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public IamReference load() throws IOException {
    return IamReferenceLoader.read(resource);
  }

  /** Load, then parse the actions of one service (what a lint of a key policy needs). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<String> loadAndUseKms() throws IOException {
    return IamReferenceLoader.read(resource).expand("kms:*");
  }

  /** Load, then parse every service's actions. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<String> loadAndUseAll() throws IOException {
    return IamReferenceLoader.read(resource).expand("*");
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<String> expandKmsStar() {
    return iam.expand("kms:*");
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<String> expandKmsRe() {
    return iam.expand("kms:Re*");
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<String> expandAnyServiceGet() {
    return iam.expand("*:Get*");
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Object conditionKeyPattern() {
    return iam.conditionKey("kms:EncryptionContext:Department");
  }
}
