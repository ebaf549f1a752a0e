package dev.keyward.bench;

import dev.keyward.access.AccessReport;
import dev.keyward.access.ExternalAccess;
import dev.keyward.access.KeyTarget;
import dev.keyward.access.PolicyDiff;
import dev.keyward.access.Zone;
import dev.keyward.iam.IamReference;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.parse.PolicyParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the external-access analysis on the typical key policies of the tests
 * ({@code src/test/resources/access}): compiling the key's rules, building the request space (automata
 * regions, interval end points) and walking every cell, for a zone of the key's account. {@code diff}
 * compares the console policy with its cross-account variant and confirms each example with the
 * authorizer. Target: well under 50 ms per policy.
 *
 * <p>Run: {@code mvn -B -q -pl engine/cli -am -Pbench -DskipTests verify
 * -Djmh.args="AccessAnalysis -f 1 -wi 3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AccessAnalysisBenchmark {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  /** The policy under analysis (a parameter of {@link #analyze} only, so {@link #diff} runs once). */
  @State(Scope.Benchmark)
  public static class Policy {
    @Param({"default", "console", "console-cross-account", "aws-managed-ebs", "cross-account-role", "org-wide",
        "caller-account", "via-service", "public", "deny-outside-org"})
    public String name;

    PolicyDocument document;

    @Setup
    public void setUp() {
      document = load(name);
    }
  }

  private IamReference iam;
  private PolicyDocument console;
  private PolicyDocument consoleCrossAccount;
  private final Zone zone = Zone.ofAccount("111111111111");

  static PolicyDocument load(String name) {
    try (InputStream in = AccessAnalysisBenchmark.class.getResourceAsStream("/access/" + name + ".json")) {
      return PolicyParser.create().parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          name + ".json", PolicyType.KEY_POLICY).policy();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Setup
  public void setUp() {
    iam = IamReference.bundled();
    console = load("console");
    consoleCrossAccount = load("console-cross-account");
  }

  @Benchmark
  public AccessReport analyze(Policy policy) {
    return ExternalAccess.analyze(KeyTarget.of(KEY, policy.document, iam), zone);
  }

  @Benchmark
  public PolicyDiff.Result diff() {
    return PolicyDiff.diff(KeyTarget.of(KEY, console, iam), KeyTarget.of(KEY, consoleCrossAccount, iam));
  }
}
