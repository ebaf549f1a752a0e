package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs {@code keyward can} and {@code keyward who-can} over examples/cross-account-decrypt and compares
 * the output with the golden files in its {@code expected/} folder. Output is shown as a user in the
 * example's folder sees it ({@code --world world.yaml}). Regenerate after an intended change with
 * {@code mvn -B -q -o test -pl engine/cli -am -Dtest=CrossAccountDecryptExampleTest -Dkeyward.updateGolden=true}
 * and review the diff.
 */
class CrossAccountDecryptExampleTest {

  private static final Path EXAMPLE = Path.of("..", "..", "examples", "cross-account-decrypt").toAbsolutePath().normalize();
  private static final String WORLD = EXAMPLE.resolve("world.yaml").toString();
  private static final boolean UPDATE = Boolean.getBoolean("keyward.updateGolden");

  /** Output as a user in the example's folder would see it. */
  private static String relative(String output) {
    return output.replace(EXAMPLE + "/", "");
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path golden = EXAMPLE.resolve("expected").resolve(name);
    if (UPDATE) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file %s (regenerate with -Dkeyward.updateGolden=true)", golden).exists();
    assertThat(actual).as("output against %s", golden).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  static Stream<Arguments> singleRequests() {
    return Stream.of(
        Arguments.of("can-analyst-decrypt.txt", ExitCode.OK, List.of("--principal", "Analyst", "--action",
            "kms:Decrypt", "--resource", "alias/finance", "--context", "kms:EncryptionContext:Dept=Finance")),
        Arguments.of("can-analyst-decrypt-without-context.txt", ExitCode.FINDINGS, List.of("--principal",
            "Analyst", "--action", "kms:Decrypt", "--resource", "alias/finance")),
        Arguments.of("can-intern-decrypt.txt", ExitCode.FINDINGS, List.of("--principal", "Intern", "--action",
            "kms:Decrypt", "--resource", "alias/finance", "--context", "kms:EncryptionContext:Dept=Finance")),
        Arguments.of("can-batch-job-decrypt.txt", ExitCode.OK, List.of("--principal", "BatchJob", "--action",
            "kms:Decrypt", "--resource", "alias/finance", "--context", "kms:EncryptionContext:Dept=Finance")),
        Arguments.of("can-finance-app-schedule-deletion.txt", ExitCode.FINDINGS, List.of("--principal",
            "FinanceApp", "--action", "kms:ScheduleKeyDeletion", "--resource", "alias/finance")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("singleRequests")
  void can_singleRequest_matchesGoldenText(String golden, int exitCode, List<String> options) throws IOException {
    List<String> args = new ArrayList<>(List.of("can", "--world", WORLD));
    args.addAll(options);

    CliRun r = CliRun.of(args.toArray(String[]::new));

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(exitCode);
    assertGolden(golden, relative(r.out()));
  }

  @Test
  void can_requestsFile_matchesGoldenJsonLines() throws IOException {
    CliRun r = CliRun.of("can", "--world", WORLD, "--requests", EXAMPLE.resolve("requests.jsonl").toString(),
        "--format", "jsonl");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertGolden("decisions.jsonl", relative(r.out()));
  }

  @Test
  void whoCan_decrypt_matchesGoldenText() throws IOException {
    CliRun r = CliRun.of("who-can", "--world", WORLD, "--action", "kms:Decrypt", "--resource", "alias/finance");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertGolden("who-can-decrypt.txt", relative(r.out()));
  }

  @Test
  void whoCan_decryptAsJson_matchesGolden() throws IOException {
    CliRun r = CliRun.of("who-can", "--world", WORLD, "--action", "kms:Decrypt", "--resource", "alias/finance",
        "--format", "json");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertGolden("who-can-decrypt.json", relative(r.out()));
  }
}
