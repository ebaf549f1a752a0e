package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs {@code keyward check --format json} through {@link Main#run} over every example (every folder of
 * examples/ with a world.yaml) and compares the findings with the example's expected-check.json (kept
 * pretty-printed; compared as JSON, order included). Regenerate after an intended change with
 * {@code mvn -B -q -o test -pl engine/cli -am -Dtest=CheckExamplesTest -Dkeyward.updateGolden=true} and review
 * the diff.
 */
class CheckExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "..", "examples").toAbsolutePath().normalize();
  private static final boolean UPDATE = Boolean.getBoolean("keyward.updateGolden");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static Stream<String> examples() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("world.yaml")))
          .map(d -> d.getFileName().toString()).sorted().toList();
      assertThat(names).contains("cross-account-decrypt", "s3-replication-cross-account", "ami-sharing",
          "multi-region-keys", "messy-account");
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void check_example_printsTheExpectedFindings(String example) throws IOException {
    Path dir = EXAMPLES.resolve(example);
    CliRun run = CliRun.of("check", "--world", dir.resolve("world.yaml").toString(), "--format", "json");

    assertThat(run.err()).isEmpty();
    JsonNode actual = JSON.readTree(run.out());
    Path expected = dir.resolve("expected-check.json");
    if (UPDATE) {
      Files.writeString(expected, JSON.writeValueAsString(actual).replace("\r\n", "\n") + "\n",
          StandardCharsets.UTF_8);
    }
    assertThat(expected).as("expected output (regenerate with -Dkeyward.updateGolden=true)").exists();
    assertThat(actual).isEqualTo(JSON.readTree(Files.readString(expected, StandardCharsets.UTF_8)));
    boolean errors = false;
    for (JsonNode f : actual.get("findings")) {
      errors |= f.get("severity").asText().equals("error");
    }
    assertThat(run.exitCode()).isEqualTo(errors ? ExitCode.FINDINGS : ExitCode.OK);
  }

  @org.junit.jupiter.api.Test
  void check_s3ReplicationExampleAsText_isWhatTheWalkThroughShows() throws IOException {
    Path dir = EXAMPLES.resolve("s3-replication-cross-account");
    CliRun run = CliRun.of("check", "--world", dir.resolve("world.yaml").toString());

    Path expected = dir.resolve("expected-check.txt");
    if (UPDATE) {
      Files.writeString(expected, run.out(), StandardCharsets.UTF_8);
    }
    assertThat(run.out()).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    assertThat(run.exitCode()).isEqualTo(ExitCode.FINDINGS);
  }
}
