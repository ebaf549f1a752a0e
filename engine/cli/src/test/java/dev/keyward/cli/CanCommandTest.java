package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanCommandTest {

  private static final String WORLD = Path.of("..", "..", "examples", "cross-account-decrypt", "world.yaml").toString();
  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path dir;

  private static void assertNoStackTrace(CliRun r) {
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("internal error");
  }

  @Test
  void can_allowedRequest_exits0AndExplains() {
    CliRun r = CliRun.of("can", "--world", WORLD, "--principal", "Analyst", "--action", "kms:Decrypt",
        "--resource", "alias/finance", "--context", "kms:EncryptionContext:Dept=Finance");

    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("ALLOW: the request is allowed\n")
        .contains("  principal  arn:aws:iam::222222222222:role/Analyst\n")
        .contains("  resource   " + KEY + " (alias/finance)\n")
        .contains("  context    kms:EncryptionContext:Dept = Finance\n")
        .contains("key-policies/finance.json, statement AllowAnalystDecryptFinanceData")
        .contains("at ../../examples/cross-account-decrypt/key-policies/finance.json:12:5");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void can_deniedRequest_exits1AndSaysWhatIsMissing() {
    CliRun r = CliRun.of("can", "--world", WORLD, "--principal", "Intern", "--action", "kms:Decrypt",
        "--resource", KEY, "--context", "kms:EncryptionContext:Dept=Finance");

    assertThat(r.exitCode()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.out()).startsWith("IMPLICIT_DENY: nothing allows the request\n").contains("missing: ");
  }

  @Test
  void can_explicitDeny_exits1() {
    CliRun r = CliRun.of("can", "--world", WORLD, "--principal", "FinanceApp", "--action",
        "kms:ScheduleKeyDeletion", "--resource", KEY);

    assertThat(r.exitCode()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.out()).startsWith("EXPLICIT_DENY: a statement denies the request\n")
        .contains("statement OnlyKeyAdminDeletes");
  }

  @Test
  void can_jsonFormat_printsOneObjectWithRequestAndLocations() {
    CliRun r = CliRun.of("can", "--world", WORLD, "--principal", "arn:aws:sts::222222222222:assumed-role/Analyst/alice",
        "--action", "kms:Decrypt", "--resource", "arn:aws:kms:us-east-1:111111111111:alias/finance",
        "--context", "kms:EncryptionContext:Dept=Finance", "--context", "aws:CalledVia=a",
        "--context", "aws:CalledVia=b", "--format", "json");

    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("{\"id\":\"\",\"principal\":\"arn:aws:sts::222222222222:assumed-role/Analyst/alice\","
        + "\"action\":\"kms:Decrypt\",\"resource\":\"" + KEY + "\",\"resourceAsGiven\":"
        + "\"arn:aws:kms:us-east-1:111111111111:alias/finance\",\"context\":{\"aws:CalledVia\":[\"a\",\"b\"],"
        + "\"kms:EncryptionContext:Dept\":\"Finance\"},\"decision\":\"ALLOW\",\"reasons\":[{")
        .contains("\"location\":\"../../examples/cross-account-decrypt/key-policies/finance.json:12:5\"")
        .endsWith("]}\n");
  }

  @Test
  void can_batchFromStdin_answersEveryLineLikeTheFile() throws IOException {
    String requests = Files.readString(Path.of("..", "..", "examples", "cross-account-decrypt", "requests.jsonl"));

    CliRun fromFile = CliRun.of("can", "--world", WORLD, "--requests",
        Path.of("..", "..", "examples", "cross-account-decrypt", "requests.jsonl").toString(), "--format", "jsonl");
    CliRun fromStdin = CliRun.withInput(requests, "can", "--world", WORLD, "--requests", "-");

    assertThat(fromFile.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(fromStdin.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(fromStdin.out()).isEqualTo(fromFile.out());
    assertThat(fromFile.out().lines()).hasSize((int) requests.lines().count());
    assertThat(fromFile.err()).isEmpty();
  }

  @Test
  void can_batchWithBadLines_reportsEachWithLineAndColumn_answersTheRest_exits2() {
    String good = "{\"id\":\"ok\",\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\","
        + "\"context\":{\"kms:EncryptionContext:Dept\":\"Finance\"}}";
    String input = good + "\n{\"id\":\"x\",\"principal\":\"Nobody\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\"}\n"
        + "not json\n" + good.replace("\"ok\"", "\"ok2\"") + "\n";

    CliRun r = CliRun.withInput(input, "can", "--world", WORLD, "--requests", "-", "--format", "jsonl");

    assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"decision\":\"ALLOW\""));
    assertThat(r.out().lines()).satisfiesExactly(l -> assertThat(l).startsWith("{\"id\":\"ok\","),
        l -> assertThat(l).startsWith("{\"id\":\"ok2\","));
    assertThat(r.err()).contains("<stdin>:2:23: error: no principal of the world is named `Nobody`")
        .contains("<stdin>:3:1: error: invalid JSON")
        .contains("keyward: 2 lines were bad input and got no answer; the other 2 were answered");
    assertNoStackTrace(r);
  }

  /** Federated user lines: answered with their user and session policy; one without its user is bad input. */
  @Test
  void can_federatedUserLines_answeredOrLocatedErrors_exits2() {
    String world = Path.of("..", "core", "src", "test", "resources", "scenarios", "37-federated-users", "world.yaml")
        .toString();
    String fed = "{\"id\":\"fed\",\"principal\":\"arn:aws:sts::111111111111:federated-user/carol\","
        + "\"action\":\"kms:Decrypt\",\"resource\":\"" + KEY + "\",\"session\":{\"federatedBy\":"
        + "\"arn:aws:iam::111111111111:user/brokers/broker\",\"policies\":[{\"document\":{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}}]}}";
    String noUser = "{\"id\":\"bad\",\"principal\":\"arn:aws:sts::111111111111:federated-user/carol\","
        + "\"action\":\"kms:Decrypt\",\"resource\":\"" + KEY + "\",\"session\":{}}";

    CliRun r = CliRun.withInput(fed + "\n" + noUser + "\n", "can", "--world", world, "--requests", "-", "--format",
        "jsonl");

    assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.out().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("{\"id\":\"fed\",")
        .contains("\"decision\":\"ALLOW\""));
    assertThat(r.err()).contains("<stdin>:2:").contains("needs `federatedBy`")
        .contains("[request.federated-user-without-user]");
    assertNoStackTrace(r);
  }

  @Test
  void can_batchTextFormat_printsOneLinePerRequest() {
    CliRun r = CliRun.withInput("{\"id\":\"a\",\"principal\":\"Intern\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\"}\n",
        "can", "--world", WORLD, "--requests", "-", "--format", "text");

    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo("a  IMPLICIT_DENY  arn:aws:iam::222222222222:role/Intern  kms:Decrypt  " + KEY + "\n");
  }

  @Test
  void can_missingWorldFile_exits2WithOneMessage() {
    CliRun r = CliRun.of("can", "--world", "nope/world.yaml", "--principal", "A", "--action", "kms:Decrypt",
        "--resource", "alias/x");

    assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo("nope/world.yaml: error: file `nope/world.yaml` does not exist [io.not-found]\n"
        + "keyward: the world `nope/world.yaml` has 1 error; nothing was decided\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void can_worldWithErrors_exits2WithFileLineColumn() throws IOException {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, "principals:\n  - arn: arn:aws:iam::222222222222:role/A\n    polices: []\n");

    CliRun r = CliRun.of("can", "--world", world.toString(), "--principal", "A", "--action", "kms:Decrypt",
        "--resource", "arn:aws:s3:::b");

    assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).contains(world + ":3:5: error: unknown field `polices` in a principal; did you mean"
        + " `policies`? [world.unknown-field]");
    assertNoStackTrace(r);
  }

  @Test
  void can_brokenPolicyFile_exits2WithThePolicyFilesLocation() throws IOException {
    Files.writeString(dir.resolve("p.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [}");
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, "principals:\n  - arn: arn:aws:iam::222222222222:role/A\n    policies: [{file: p.json}]\n");

    CliRun r = CliRun.of("can", "--world", world.toString(), "--principal", "A", "--action", "kms:Decrypt",
        "--resource", "arn:aws:s3:::b");

    assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).contains(dir.resolve("p.json") + ":1:41: error:");
    assertNoStackTrace(r);
  }

  @Test
  void can_missingRequestsFile_exits2() {
    CliRun r = CliRun.of("can", "--world", WORLD, "--requests", "nope.jsonl");

    assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo("nope.jsonl: error: file `nope.jsonl` does not exist [io.not-found]\n");
  }

  @Test
  void can_unknownPrincipalOrKey_exits2WithOneLine() {
    CliRun p = CliRun.of("can", "--world", WORLD, "--principal", "Analist", "--action", "kms:Decrypt",
        "--resource", "alias/finance");
    CliRun k = CliRun.of("can", "--world", WORLD, "--principal", "Analyst", "--action", "kms:Decrypt",
        "--resource", "alias/finanse");

    assertThat(p.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(p.err()).isEqualTo("keyward: error: no principal of the world is named `Analist`; did you mean"
        + " `Analyst`?; give a principal ARN\n");
    assertThat(k.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(k.err()).isEqualTo("keyward: error: no key of the world has alias `alias/finanse`\n");
  }

  @Test
  void can_badOptions_exit2WithErrorAndUsage() {
    CliRun unknown = CliRun.of("can", "--world", WORLD, "--princpal", "A");
    CliRun missing = CliRun.of("can", "--world", WORLD, "--principal", "Analyst");
    CliRun mixed = CliRun.of("can", "--world", WORLD, "--requests", "-", "--principal", "Analyst");
    CliRun badContext = CliRun.of("can", "--world", WORLD, "--principal", "Analyst", "--action", "kms:Decrypt",
        "--resource", "alias/finance", "--context", "novalue");
    CliRun noWorld = CliRun.of("can", "--principal", "Analyst");
    CliRun batchJson = CliRun.of("can", "--world", WORLD, "--requests", "-", "--format", "json");

    for (CliRun r : new CliRun[] {unknown, missing, mixed, badContext, noWorld, batchJson}) {
      assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(r.err()).startsWith("keyward: ").contains("Usage: keyward can");
      assertNoStackTrace(r);
    }
    assertThat(unknown.err()).contains("--princpal");
    assertThat(missing.err()).startsWith("keyward: missing --action, --resource (or give --requests FILE)\n");
    assertThat(badContext.err()).startsWith("keyward: --context `novalue` must be KEY=VALUE");
    assertThat(noWorld.err()).startsWith("keyward: Missing required option: '--world=FILE'");
    assertThat(batchJson.err()).startsWith("keyward: --requests answers with --format jsonl or text, not json\n");
  }

  @Test
  void can_help_describesOptionsAndShowsExamples() {
    CliRun r = CliRun.of("can", "--help");

    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("Usage: keyward can").contains("--world=FILE").contains("--principal=PRINCIPAL")
        .contains("--context=KEY=VALUE").contains("--requests=FILE").contains("--format=FORMAT")
        .contains("Examples:").contains("keyward can --world world.yaml --requests requests.jsonl");
  }

  @Test
  void can_principalNotInTheWorld_isDecidedWithAWarning() {
    CliRun r = CliRun.of("can", "--world", WORLD, "--principal", "arn:aws:iam::333333333333:role/X", "--action",
        "kms:Decrypt", "--resource", KEY);

    assertThat(r.exitCode()).isEqualTo(ExitCode.FINDINGS);
    assertThat(r.out()).startsWith("IMPLICIT_DENY");
    assertThat(r.err()).isEqualTo("keyward: warning: principal `arn:aws:iam::333333333333:role/X` is not in the"
        + " world, so it has no identity policies\n");
  }

  @Test
  void keyward_help_listsCanAndWhoCanWithOneLineEach() {
    CliRun r = CliRun.of("--help");

    assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("  can                  Decides whether a principal may call an action on a key,")
        .contains("  who-can              Lists who may call an action on a key, and under which");
  }

  @Test
  void can_worldWithRealAccountMistakes_exits2WithEveryLocatedError() throws IOException {
    Path world = dir.resolve("real.yaml");
    Files.writeString(world, String.join("\n",
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    managementAccount: '111111111111'",
        "    accounts: ['222222222222']",
        "    rcps: [{document: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'kms:Decrypt', Resource: '*'}]}}]",
        "    units:",
        "      - {id: ou-ab12-11111111, accounts: ['222222222222'], units: [{id: ou-ab12-11111111}]}",
        "principals:",
        "  - arn: 'arn:aws:iam::222222222222:role/bad path/App'",
        ""));
    Path requests = dir.resolve("r.jsonl");
    Files.writeString(requests, "{\"principal\": \"arn:aws:sts::222222222222:assumed-role/App/s\", \"action\":"
        + " \"kms:Decrypt\", \"resource\": \"arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab\", \"session\": {\"policies\": [{\"document\": {\"Version\":"
        + " \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\","
        + " \"Resource\": \"*\"}]}}]}}\n");

    CliRun r = CliRun.of("can", "--world", world.toString(), "--principal", "222222222222", "--action",
        "kms:Decrypt", "--resource", "*");

    assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).contains("[policy.rcp-allow]").contains("[world.account-in-two-units]")
        .contains("[world.ou-cycle]").contains(":9:10: error: ").contains("[world.invalid-iam-path]")
        .doesNotContain("Exception");

    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "principals:\n  - arn: arn:aws:iam::222222222222:role/teams/App\nkeys:\n"
        + "  - arn: arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab\n");
    CliRun batch = CliRun.of("can", "--world", good.toString(), "--requests", requests.toString(), "--format", "jsonl");
    assertThat(batch.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(batch.err()).contains("r.jsonl:1:").contains("in session policy 0:").doesNotContain("Exception");
    assertThat(batch.out()).isEmpty();
  }
}
