package dev.keyward.visual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.bench.ReportBenchmark;
import dev.keyward.eval.Authorizer;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AccessGraphTest {

  private static final Path EXAMPLES = Path.of("..", "..", "examples");

  static Stream<Path> worlds() throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      dirs.map(d -> d.resolve("world.yaml")).filter(Files::isRegularFile).sorted().forEach(out::add);
    }
    return out.stream();
  }

  private static World load(Path p) {
    World w = WorldLoader.create().load(p).world();
    assertThat(w).as(p.toString()).isNotNull();
    return w;
  }

  @ParameterizedTest
  @MethodSource("worlds")
  void of_exampleWorld_prunedEqualsEveryPairAsked(Path world) {
    World w = load(world);
    Authorizer a = Authorizer.create(w);
    // pruned and with shared answers, against every pair asked one principal at a time
    assertThat(AccessGraph.of(w, a, true)).isEqualTo(AccessGraph.of(w, a, false));
  }

  @Test
  void of_generatedWorld_prunedEqualsEveryPairAsked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("world.yaml");
    ReportBenchmark.writeWorld(file, 4, 12, 6);
    World w = load(file);
    Authorizer a = Authorizer.create(w);
    AccessGraph pruned = AccessGraph.of(w, a, true);
    assertThat(pruned.edges()).isNotEmpty();
    assertThat(pruned).isEqualTo(AccessGraph.of(w, a, false));
  }

  /**
   * The world of the report benchmark (5,000 principals, 2,000 keys; in each account five roles have the same
   * policy and share their answers): the graph with shared answers is the graph asked one principal at a time.
   */
  @Test
  void of_largeGeneratedWorld_sharedAnswersEqualOneByOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("world.yaml");
    ReportBenchmark.writeWorld(file, 50, 100, 40);
    World w = load(file);
    Authorizer a = Authorizer.create(w);
    AccessGraph shared = AccessGraph.of(w, a, true, true, true);
    assertThat(shared.edges()).hasSize(29_250);
    assertThat(shared).isEqualTo(AccessGraph.of(w, a, true, true, false));
  }

  @Test
  void of_crossAccountExample_answersAsWhoCan() {
    World w = load(EXAMPLES.resolve("cross-account-decrypt").resolve("world.yaml"));
    AccessGraph g = AccessGraph.of(w, Authorizer.create(w));
    String key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    AccessGraph.Edge analyst = edge(g, "arn:aws:iam::222222222222:role/Analyst", key);
    // the key policy lets the analyst decrypt only with the finance encryption context
    assertThat(analyst.crossAccount()).isTrue();
    assertThat(analyst.outsideOrganization()).isFalse();
    assertThat(analyst.strongest()).isEqualTo(AccessGraph.Access.USE);
    assertThat(analyst.conditional()).isTrue();
    assertThat(analyst.answers()).extracting(AccessGraph.ActionAnswer::action).containsExactly("kms:Decrypt");
    assertThat(analyst.answers().get(0).conditions()).singleElement().asString().contains("Dept");
    AccessGraph.Edge admin = edge(g, "arn:aws:iam::111111111111:role/KeyAdmin", key);
    assertThat(admin.strongest()).isEqualTo(AccessGraph.Access.ADMINISTER);
    assertThat(admin.answers()).extracting(AccessGraph.ActionAnswer::action).contains("kms:PutKeyPolicy");
    assertThat(admin.answers().get(0).deciding()).isNotEmpty();
    // generous IAM, but the key policy does not trust the intern: no edge
    assertThat(g.edges()).noneMatch(e -> g.principals().get(e.principal()).arn().endsWith("role/Intern"));
  }

  private static AccessGraph.Edge edge(AccessGraph g, String principal, String key) {
    for (AccessGraph.Edge e : g.edges()) {
      if (g.principals().get(e.principal()).arn().equals(principal) && g.keys().get(e.key()).arn().toString()
          .equals(key)) {
        return e;
      }
    }
    throw new AssertionError("no edge " + principal + " -> " + key);
  }
}
