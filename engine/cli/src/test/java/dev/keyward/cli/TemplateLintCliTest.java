package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** `keyward lint` reads templates and plans beside plain policies, with findings at the template's lines. */
class TemplateLintCliTest {

  static final String DIR = "../core/src/test/resources/templates/";

  @Test
  void lint_cloudFormationKeys_keyRulesAtTheirLines() {
    CliRun r = CliRun.of("lint", DIR + "key-settings.yaml");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains(
        "key-settings.yaml:16:26: warning KW400 customer managed symmetric key `NoRotationKey` does not rotate",
        "key-settings.yaml:17:28: warning KW401 key `NoRotationKey` can be deleted 7 days after",
        "key-settings.yaml:33:3: note KW402 key `DefaultPolicyKey` declares no key policy",
        "key-settings.yaml:41:20: note KW403 multi-Region key `GlobalKey` has no replica key",
        "key-settings.yaml:48:26: error KW404 key `ImportedKey` asks for automatic rotation",
        "key-settings.yaml:31:35: note KW405 1 value is unknown until deployment (`!If IsProd`)");
    // the account root written with an unknown account is still an account root for the rules
    assertThat(r.out()).doesNotContain("KW110");
  }

  @Test
  void lint_templatePolicies_ruleFindingsAtTemplateLines_unknownValuesNotChecked() {
    CliRun r = CliRun.of("lint", DIR + "finance-key.yaml", DIR + "finance-plan.json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains(
        "finance-key.yaml:62:20: note KW405 1 value is unknown until deployment "
            + "(`!ImportValue audit-stack-AuditorRoleArn`)",
        "finance-plan.json:164:40: warning KW401 key `aws_kms_key.finance`",
        "finance-plan.json:78:9: note KW405 1 value is unknown until deployment (`(known after apply)`)");
    // no vocabulary, ARN or resource-type rule fires because of the unknown values
    assertThat(r.out()).doesNotContain("KW0", "KW1 ", "malformed");
  }

  @Test
  void lint_templateKeyPolicy_policyRulesFireAtTemplateLines() {
    CliRun r = CliRun.of("lint", "--format", "sarif", DIR + "open-key.yaml");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("\"ruleId\" : \"KW200\"", "\"startLine\" : 19", "\"startColumn\" : 24",
        "open-key.yaml");
    CliRun text = CliRun.of("lint", DIR + "open-key.yaml");
    assertThat(text.out()).contains("open-key.yaml:19:24: error KW200 statement Everyone lets any AWS principal outside the stack's own account");
    // the root written with an unknown account is an account root: no lockout or delegation finding
    assertThat(text.out()).doesNotContain("KW102", "KW110");
  }

  @Test
  void lint_replicationRoleThatCannotUseTheReplicaKey_reportedAtTheRule() {
    CliRun r = CliRun.of("lint", DIR + "replication-kms.yaml");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("replication-kms.yaml:46:13: error KW406 replication rule `copy-everything` of bucket"
        + " `DataBucket`: replication role `ReplicationRole` cannot call `kms:Encrypt` on the replica key `ReplicaKey`:"
        + " no identity policy of `ReplicationRole` allows it");
    // the source key is allowed through S3 of the stack's own Region
    assertThat(r.out()).doesNotContain("`kms:Decrypt` on the source key");
  }

  @Test
  void lint_folder_picksUpTemplatesThatOnlyDeclareKeys() {
    CliRun r = CliRun.of("lint", "--format", "json", DIR);
    // files outside the working directory are shown by their absolute path
    String shown = java.nio.file.Path.of(DIR).toAbsolutePath().normalize() + "/";
    assertThat(r.out()).contains("\"file\" : \"" + shown + "key-settings.yaml\"",
        "\"file\" : \"" + shown + "finance-plan.json\"");
  }
}
