package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

  private static final Path CHECKS = Path.of("..", "core", "src", "test", "resources", "checks").toAbsolutePath().normalize();

  @TempDir Path dir;

  private static String world(String analysis, String variant) {
    return CHECKS.resolve(analysis).resolve(variant).resolve("world.yaml").toString();
  }

  @Test
  void check_brokenWorld_exitsOneAndPrintsEveryFindingWithItsFix() {
    CliRun run = CliRun.of("check", "--world", world("s3-replication", "broken"), "--only", "s3-replication");

    assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
    assertThat(run.out()).contains("error [s3-replication] arn:aws:s3:::src-bucket",
        "  request: arn:aws:iam::111111111111:role/replication s3:ReplicateDelete"
            + " arn:aws:s3:::dst-bucket/replication-check/object",
        "  change:  world.yaml#/principals/0/policies/0",
        "  fix:     {\"Sid\":\"AllowReplicateDelete\"");
    assertThat(run.out()).endsWith("6 errors, 0 warnings, 0 notes\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void check_repairedWorld_exitsZero() {
    CliRun run = CliRun.of("check", "--world", world("s3-replication", "repaired"), "--only", "s3-replication");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).isEqualTo("no findings\n");
  }

  @Test
  void check_json_hasTheDocumentedShapeAndOrder() throws IOException {
    CliRun run = CliRun.of("check", "--world", world("ami-sharing", "broken"), "--format", "json", "--only",
        "ami-sharing");

    JsonNode root = new ObjectMapper().readTree(run.out());
    assertThat(root.fieldNames()).toIterable().containsExactly("findings");
    JsonNode first = root.get("findings").get(0);
    assertThat(first.fieldNames()).toIterable().containsExactly("analysis", "severity", "subject", "message",
        "missing", "policy", "fix");
    JsonNode withRequest = root.get("findings").get(1);
    assertThat(withRequest.get("missing").get(0).fieldNames()).toIterable()
        .containsExactly("principal", "action", "resource", "context");
    assertThat(run.out()).doesNotContain("\n  ").endsWith("]}\n");
    // deterministic: the same run prints the same bytes
    assertThat(CliRun.of("check", "--world", world("ami-sharing", "broken"), "--format", "json", "--only",
        "ami-sharing").out()).isEqualTo(run.out());
  }

  @Test
  void check_failOn_decidesTheExitCode() {
    String rotation = world("rotation", "broken");
    String warningsOnly = world("multi-region", "broken");

    assertThat(CliRun.of("check", "--world", rotation, "--fail-on", "none").exitCode()).isEqualTo(ExitCode.OK);
    assertThat(CliRun.of("check", "--world", warningsOnly, "--only", "multi-region").exitCode())
        .isEqualTo(ExitCode.FINDINGS);
    assertThat(CliRun.of("check", "--world", world("cross-account", "repaired")).exitCode())
        .isEqualTo(ExitCode.OK);
  }

  @Test
  void check_failOnWarning_countsWarnings() throws IOException {
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, "keys:\n  - arn: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\n");

    assertThat(CliRun.of("check", "--world", w.toString()).exitCode()).isEqualTo(ExitCode.OK);
    CliRun strict = CliRun.of("check", "--world", w.toString(), "--fail-on", "warning");
    assertThat(strict.exitCode()).isEqualTo(ExitCode.FINDINGS);
    assertThat(strict.out()).contains("warning [rotation]");
  }

  @Test
  void check_unknownAnalysis_exitsTwoWithTheList() {
    CliRun run = CliRun.of("check", "--world", world("rotation", "broken"), "--only", "rotations");

    assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err()).isEqualTo("keyward: unknown analysis `rotations`; expected one of cross-account,"
        + " s3-replication, ami-sharing, multi-region, rotation\n");
  }

  @Test
  void check_badWorld_exitsTwoWithLocatedProblemsAndNoStackTrace() throws IOException {
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, "buckets:\n  - name: b1\n    acount: \"111111111111\"\n");

    CliRun run = CliRun.of("check", "--world", w.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(":3:5: error: unknown field `acount` in a bucket; did you mean `account`?")
        .doesNotContain("Exception");
  }

  @Test
  void check_help_listsTheAnalysesAndExamples() {
    CliRun run = CliRun.of("check", "--help");

    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("--only", "--fail-on", "cross-account", "s3-replication", "ami-sharing",
        "multi-region", "rotation", "Examples:", "keyward check --world");
  }

  @Test
  void check_onlyRepeated_runsOnlyTheNamedAnalyses() {
    CliRun run = CliRun.of("check", "--world", world("rotation", "broken"), "--only", "rotation", "--only",
        "multi-region", "--format", "json");
    List<String> analyses = new ArrayList<>();
    for (String part : run.out().split("\"analysis\":\"")) {
      if (!part.startsWith("{")) {
        analyses.add(part.substring(0, part.indexOf('"')));
      }
    }
    assertThat(analyses).containsOnly("rotation").hasSize(4);
  }
}
