package dev.keyward.bench;

import dev.keyward.lint.PolicyContainer;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.NodeJson;
import dev.keyward.parse.ReadResult;
import dev.keyward.template.TemplateInputs;
import dev.keyward.template.TemplateLoader;
import dev.keyward.template.TemplatePolicies;
import dev.keyward.template.TemplateResult;
import dev.keyward.template.TemplateWorld;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Templates: what `keyward lint` pays for asking every file whether it is a template (the byte scan over
 * the 1,594 managed policies of the corpus, each as its own JSON text), and reading the CloudFormation and
 * Terraform fixtures into a template, a world and lint subjects.
 *
 * <p>Run: {@code mvn -B -q -pl engine/cli -am -Pbench -DskipTests verify -Djmh.args=TemplateBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TemplateBenchmark {

  private final TemplatePolicies container = new TemplatePolicies();
  private final TemplateInputs deployed = new TemplateInputs(Map.of(), "111111111111", "us-east-1");
  private List<byte[]> corpusPolicies;
  private byte[] cloudFormation;
  private byte[] plan;

  @Setup
  public void setUp() {
    byte[] corpus = resource("/corpus/aws-managed-policies.json");
    ReadResult read = DocumentReader.create().read(corpus, "aws-managed-policies.json", DocumentFormat.JSON);
    corpusPolicies = new ArrayList<>();
    for (Node.Field f : ((Node.ObjectNode) read.root()).fields()) {
      corpusPolicies.add(NodeJson.compact(((Node.ObjectNode) f.value()).get("document")).getBytes(StandardCharsets.UTF_8));
    }
    cloudFormation = resource("/templates/finance-key.yaml");
    plan = resource("/templates/finance-plan.json");
  }

  /** The container's answer for all 1,594 managed policies (2 mention `AWS::` and are read in full). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int corpusDetection() {
    int templates = 0;
    for (byte[] p : corpusPolicies) {
      PolicyContainer.Contents c = container.read(p, "p.json");
      if (c != null) {
        templates++;
      }
    }
    return templates;
  }

  /** finance-key.yaml: read, intrinsics resolved, 5 policies parsed and made sound, world built. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void cloudFormationToWorld(Blackhole bh) {
    TemplateResult r = TemplateLoader.create().read(cloudFormation, "finance-key.yaml", deployed);
    bh.consume(TemplateWorld.toWorld(r.template()));
  }

  /** finance-plan.json: read, references followed, 5 policies parsed, world built. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void planToWorld(Blackhole bh) {
    TemplateResult r = TemplateLoader.create().read(plan, "finance-plan.json", TemplateInputs.none());
    bh.consume(TemplateWorld.toWorld(r.template()));
  }

  private static byte[] resource(String name) {
    try (InputStream in = TemplateBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
