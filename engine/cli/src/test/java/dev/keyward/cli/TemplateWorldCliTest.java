package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** `can` and `who-can` over a CloudFormation template answer as over the equivalent world file. */
class TemplateWorldCliTest {

  static final String DIR = "../core/src/test/resources/templates/";

  @Test
  void can_batchOverTemplatePlusWorld_sameDecisionsAsHandWrittenWorld() {
    CliRun overTemplate = CliRun.of("can", "--world", DIR + "analytics-world.yaml", "--template",
        DIR + "finance-key.yaml", "--account", "111111111111", "--region", "us-east-1",
        "--requests", DIR + "finance-requests.jsonl", "--format", "jsonl");
    CliRun overWorld = CliRun.of("can", "--world", DIR + "finance-key-world.yaml",
        "--requests", DIR + "finance-requests.jsonl", "--format", "jsonl");
    assertThat(overTemplate.exitCode()).as(overTemplate.err()).isZero();
    assertThat(overWorld.exitCode()).as(overWorld.err()).isZero();
    assertThat(verdicts(overTemplate.out())).isEqualTo(verdicts(overWorld.out()));
    assertThat(verdicts(overTemplate.out())).contains(
        "reporting-decrypt ALLOW", "reporting-delete EXPLICIT_DENY", "admin-delete ALLOW", "analyst-via-s3 ALLOW",
        "analyst-direct IMPLICIT_DENY", "auditor-decrypt IMPLICIT_DENY");
    assertThat(overTemplate.err()).contains("finance-key.yaml:62:20: warning: allow statement "
        + "`AllowAuditorFromOtherStack` holds `!ImportValue audit-stack-AuditorRoleArn`");
  }

  @Test
  void can_batchOverPlanPlusWorld_sameDecisionsAsHandWrittenWorld() {
    CliRun overPlan = CliRun.of("can", "--world", DIR + "analytics-world.yaml", "--world", DIR + "finance-plan.json",
        "--requests", DIR + "finance-plan-requests.jsonl", "--format", "jsonl");
    CliRun overWorld = CliRun.of("can", "--world", DIR + "finance-plan-world.yaml",
        "--requests", DIR + "finance-plan-requests.jsonl", "--format", "jsonl");
    assertThat(overPlan.exitCode()).as(overPlan.err()).isZero();
    assertThat(overWorld.exitCode()).as(overWorld.err()).isZero();
    assertThat(verdicts(overPlan.out())).isEqualTo(verdicts(overWorld.out()));
    assertThat(verdicts(overPlan.out())).contains("reporting-decrypt EXPLICIT_DENY", "root-decrypt ALLOW",
        "analyst-via-s3 ALLOW", "batch-decrypt-finance ALLOW", "batch-decrypt-sales IMPLICIT_DENY",
        "batch-encrypt IMPLICIT_DENY");
  }

  @Test
  void can_templateGivenAsWorld_detectedByContent() {
    CliRun r = CliRun.of("can", "--world", DIR + "finance-key.yaml", "--account", "111111111111", "--region",
        "us-east-1", "--principal", "KeyAdmin", "--action", "kms:ScheduleKeyDeletion", "--resource", "alias/finance");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("AllowKeyAdministration");
  }

  @Test
  void can_templateWithoutAccount_isBadInputNamingTheFlag() {
    CliRun r = CliRun.of("can", "--world", DIR + "finance-key.yaml", "--principal",
        "arn:aws:iam::111111111111:role/KeyAdmin", "--action", "kms:Decrypt", "--resource", "alias/finance");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("give --account and --region [template.needs-account]");
  }

  @Test
  void whoCan_overTerraformPlan_grantConditionalAndUnknownPolicyDenied() {
    CliRun r = CliRun.of("who-can", "--world", DIR + "finance-plan.json", "--action", "kms:Decrypt", "--resource",
        "arn:aws:kms:us-east-1:111111111111:key/aws_kms_key.finance");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("allowed (0):", "allowed under conditions (1):\n  arn:aws:iam::111111111111:role/BatchJob",
        "(grant aws_kms_grant.batch)", "role/Reporting  EXPLICIT_DENY");
  }

  @Test
  void check_overCloudFormationTemplate_analysesTheReplicatedBucket() {
    CliRun r = CliRun.of("check", "--world", DIR + "backup-world.yaml", "--template", DIR + "replicated-buckets.json",
        "--account", "111111111111", "--region", "us-east-1", "--format", "json", "--only", "s3-replication");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    // the template's role is complete; the backup account's key policy forgot it
    assertThat(r.out().split("\"analysis\"", -1)).hasSize(3);
    assertThat(r.out()).contains("cannot call `kms:Decrypt` on the replica key (S3 verifies the Bucket Key)",
        "cannot call `kms:Encrypt` on the replica key", "\"policy\":\"backup-world.yaml#/keys/0/policy\"",
        "\"principal\":\"arn:aws:iam::111111111111:role/ReplicationRole\"");
  }

  @Test
  void test_policyTestsOverPlanAndTemplate_pass() {
    CliRun plan = CliRun.of("test", DIR + "finance-plan.kwtest");
    assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
    CliRun template = CliRun.of("test", "--account", "111111111111", "--region", "us-east-1",
        DIR + "finance-key.kwtest");
    assertThat(template.exitCode()).as(template.out() + template.err()).isZero();
    CliRun noAccount = CliRun.of("test", DIR + "finance-key.kwtest");
    assertThat(noAccount.exitCode()).isEqualTo(2);
    assertThat(noAccount.out() + noAccount.err()).contains("template.needs-account");
  }

  static final String[] ORG_IDS = {"--account", "111111111111", "--region", "us-east-1",
      "--parameter", "DataAccount=222222222222", "--parameter", "KeyAccount=111111111111",
      "--parameter", "SandboxAccount=333333333333"};

  private static String[] with(String[] base, String... more) {
    String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }

  @Test
  void can_overTemplateWithOrganizationTree_unitScpDenies() {
    CliRun deny = CliRun.of(with(new String[] {"can", "--world", DIR + "organization.yaml"}, with(ORG_IDS,
        "--principal", "arn:aws:iam::222222222222:root", "--action", "kms:Decrypt",
        "--resource", "arn:aws:kms:us-east-1:111111111111:key/FinanceKey")));
    assertThat(deny.exitCode()).as(deny.err()).isEqualTo(1);
    assertThat(deny.out()).startsWith("EXPLICIT_DENY").contains("organization.yaml#DataNoDecrypt.Content, statement NoDecrypt",
        "organization.yaml:73:13");
    // the unit above it allows too little
    CliRun blocked = CliRun.of(with(new String[] {"can", "--world", DIR + "organization.yaml"}, with(ORG_IDS,
        "--principal", "arn:aws:iam::222222222222:root", "--action", "kms:GenerateDataKey",
        "--resource", "arn:aws:kms:us-east-1:111111111111:key/FinanceKey")));
    assertThat(blocked.out()).startsWith("IMPLICIT_DENY")
        .contains("no statement of the SCPs attached to organizational unit Prod");
    // what cannot be resolved is said, located
    assertThat(deny.err()).contains("organization.yaml:68:30: warning: SCP `DataNoDecrypt` is attached to"
        + " `ou-zzzz-99999999`, an organizational unit that is not in the template: it is not applied");
    // without the accounts' ids, nothing places them: the same request is allowed, and the warning says why
    CliRun unplaced = CliRun.of("can", "--world", DIR + "organization.yaml", "--account", "111111111111", "--region",
        "us-east-1", "--principal", "arn:aws:iam::222222222222:root", "--action", "kms:Decrypt",
        "--resource", "arn:aws:kms:us-east-1:111111111111:key/FinanceKey");
    assertThat(unplaced.out()).startsWith("ALLOW");
    assertThat(unplaced.err()).contains("give the id with --parameter DataAccount=ACCOUNT_ID");
  }

  @Test
  void check_overTemplateWithOrganizationTree_crossAccountUseIsWhatTheUnitsScpsLeave() {
    CliRun r = CliRun.of(with(new String[] {"check", "--world", DIR + "organization.yaml", "--only", "cross-account"},
        ORG_IDS));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("account 222222222222 (those of its principals that its IAM policies allow, same"
        + " organization) can call kms:Encrypt, kms:DescribeKey without conditions");
  }

  @Test
  void can_overPlanWithOrganizationTree_unitScpDenies() {
    CliRun r = CliRun.of("can", "--world", DIR + "organization-plan.json", "--account", "111111111111",
        "--principal", "arn:aws:iam::222222222222:root", "--action", "kms:Decrypt",
        "--resource", "arn:aws:kms:us-east-1:111111111111:key/aws_kms_key.finance");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).startsWith("EXPLICIT_DENY")
        .contains("organization-plan.json#aws_organizations_policy.data_no_decrypt.content");
  }

  private static java.util.List<String> verdicts(String jsonl) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String line : jsonl.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String id = line.replaceAll(".*\"id\":\"([^\"]*)\".*", "$1");
      String d = line.replaceAll(".*\"decision\":\"([^\"]*)\".*", "$1");
      out.add(id + " " + d);
    }
    return out;
  }
}
