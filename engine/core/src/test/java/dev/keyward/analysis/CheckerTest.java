package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.model.Severity;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckerTest {

  @TempDir Path dir;

  private World world(String yaml) throws IOException {
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, yaml);
    WorldLoadResult r = WorldLoader.create().load(w, "world.yaml");
    assertThat(r.hasErrors()).as("%s", r.problems()).isFalse();
    return r.world();
  }

  @Test
  void check_everyWorldOfTheTestResources_runsAndIsDeterministic() throws IOException {
    List<Path> worlds = new ArrayList<>();
    try (Stream<Path> s = Files.walk(Path.of("src", "test", "resources"))) {
      s.filter(p -> p.getFileName().toString().equals("world.yaml")).sorted().forEach(worlds::add);
    }
    try (Stream<Path> s = Files.walk(Path.of("..", "..", "examples"))) {
      s.filter(p -> p.getFileName().toString().equals("world.yaml")).sorted().forEach(worlds::add);
    }
    assertThat(worlds).hasSizeGreaterThan(20);
    for (Path p : worlds) {
      WorldLoadResult r = WorldLoader.create().load(p, "world.yaml");
      if (r.hasErrors()) {
        continue;
      }
      CheckResult first = Checker.create().check(r.world());
      assertThat(Checker.create().check(r.world())).as("%s", p).isEqualTo(first);
      assertThat(first.findings()).as("%s", p).isSortedAccordingTo(Finding.ORDER);
    }
  }

  @Test
  void check_unknownAnalysis_isAProgrammingError() {
    World empty = new World("w", List.of(), List.of(), List.of(), List.of(), dev.keyward.model.SourceRef.none());
    assertThatThrownBy(() -> Checker.create().check(empty, List.of("rotations")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Checker.create().check(empty).findings()).isEmpty();
  }

  @Test
  void check_replicationRoleOrLauncherNotInTheWorld_isAWarningNotAGuess() throws IOException {
    World w = world(String.join("\n",
        "keys:",
        "  - arn: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "    rotation: { enabled: true }",
        "buckets:",
        "  - name: src-bucket",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    replication: { role: \"arn:aws:iam::111111111111:role/ghost\", rules: [{ id: r, destination: { bucket: dst-bucket } }] }",
        "  - name: dst-bucket",
        "    account: \"111111111111\"",
        "    region: us-west-2",
        "images:",
        "  - id: ami-0123456789abcdef0",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    snapshots: [{ id: snap-0123456789abcdef0, key: \"arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\" }]",
        "    launchPermissions: { accounts: [\"222222222222\"] }",
        "    launches: [{ principal: \"arn:aws:iam::222222222222:role/ghost\" }]",
        ""));

    List<Finding> findings = Checker.create().check(w, List.of("s3-replication", "ami-sharing")).findings();

    assertThat(findings).extracting(Finding::severity, Finding::message).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "launch of `ami-0123456789abcdef0` by"
            + " `arn:aws:iam::222222222222:role/ghost`: the launching principal is not in the world, so its"
            + " permissions cannot be checked; declare it under `principals`"),
        org.assertj.core.groups.Tuple.tuple(Severity.WARNING, "rule `r`: replication role"
            + " `arn:aws:iam::111111111111:role/ghost` is not in the world, so its permissions cannot be checked;"
            + " declare it under `principals`"));
  }
}
