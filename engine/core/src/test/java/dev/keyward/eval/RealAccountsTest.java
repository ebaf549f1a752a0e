package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import dev.keyward.request.Request;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worlds written the way real accounts are: roles and users with IAM paths, service-linked roles, nested
 * organizational units with SCPs and RCPs, service principals as callers. Each test names the AWS page
 * that decides it (docs/evaluation.md has the rules).
 */
class RealAccountsTest {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String KEY_B = "arn:aws:kms:us-east-1:222222222222:key/2234abcd-12ab-34cd-56ef-1234567890ab";
  static final String ALLOW_KMS = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*'}]}";
  static final String FULL_ACCESS = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}";

  @TempDir Path dir;

  WorldLoadResult load(String... lines) throws IOException {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, String.join("\n", lines) + "\n");
    return WorldLoader.create().load(world, "world.yaml");
  }

  static List<String> errors(WorldLoadResult r) {
    return r.problems().stream().filter(Problem::isError).map(Problem::display).toList();
  }

  Authorizer authorizer(String... lines) throws IOException {
    WorldLoadResult r = load(lines);
    assertThat(errors(r)).isEmpty();
    return Authorizer.create(r.world());
  }

  static Verdict decide(Authorizer a, String principal, String action, String resource, Map<String, List<String>> ctx) {
    return a.authorize(new Request("", principal, action, resource, ctx)).verdict();
  }

  static Verdict decide(Authorizer a, String principal, String action, String resource) {
    return decide(a, principal, action, resource, Map.of());
  }

  // ---- IAM paths (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html) ----

  @Test
  void load_rolesAndUsersWithPaths_areAccepted() throws IOException {
    WorldLoadResult r = load(
        "principals:",
        "  - arn: arn:aws:iam::111111111111:role/service-role/etl-runner",
        "  - arn: arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        "  - arn: arn:aws:iam::111111111111:role/teams/data/Analyst",
        "  - arn: arn:aws:iam::111111111111:user/division_abc/subdivision_xyz/Bob",
        "keys:",
        "  - arn: " + KEY,
        "    grants: [{grantee: arn:aws:iam::111111111111:role/teams/data/Analyst, operations: [Decrypt]}]");

    assertThat(errors(r)).isEmpty();
    assertThat(r.world().principals()).hasSize(4);
  }

  @Test
  void load_malformedPaths_areLocatedErrors() throws IOException {
    WorldLoadResult r = load(
        "principals:",
        "  - arn: 'arn:aws:iam::111111111111:role/teams data/Analyst'",
        "  - arn: arn:aws:iam::111111111111:role//Analyst2",
        "  - arn: arn:aws:iam::111111111111:role/teams/",
        "  - arn: arn:aws:iam::111111111111:user/a/" + "n".repeat(65),
        "keys:",
        "  - arn: " + KEY,
        "    grants: [{grantee: 'arn:aws:iam::111111111111:role/bad path/R', operations: [Decrypt]}]");

    assertThat(errors(r)).containsExactly(
        "world.yaml:2:10: error: `arn:aws:iam::111111111111:role/teams data/Analyst` is not a valid role ARN:"
            + " path `/teams data/` has a space; a path holds ASCII characters `!` through `~`"
            + " [world.invalid-iam-path]",
        "world.yaml:3:10: error: `arn:aws:iam::111111111111:role//Analyst2` is not a valid role ARN: the path is"
            + " empty between two slashes; a path is `/` or `/NAME/.../` [world.invalid-iam-path]",
        "world.yaml:4:10: error: `arn:aws:iam::111111111111:role/teams/` is not a valid role ARN: the name after"
            + " the last `/` is missing (a path ends with `/`, and the name follows it) [world.invalid-iam-path]",
        "world.yaml:5:10: error: `arn:aws:iam::111111111111:user/a/" + "n".repeat(65) + "` is not a valid user"
            + " ARN: name `" + "n".repeat(65) + "` is longer than 64 characters [world.invalid-iam-path]",
        "world.yaml:8:24: error: `arn:aws:iam::111111111111:role/bad path/R` is not a valid role ARN: path"
            + " `/bad path/` has a space; a path holds ASCII characters `!` through `~` [world.invalid-iam-path]");
  }

  @Test
  void load_sameRoleNameUnderTwoPaths_isAnError() throws IOException {
    WorldLoadResult r = load(
        "principals:",
        "  - arn: arn:aws:iam::111111111111:role/teams/Analyst",
        "  - arn: arn:aws:iam::111111111111:role/other/analyst");

    assertThat(errors(r)).singleElement().asString()
        .startsWith("world.yaml:3:5: error: role name `analyst` is used by `arn:aws:iam::111111111111:role/teams/Analyst`")
        .endsWith("[world.duplicate-role-name]");
  }

  @Test
  void authorize_sessionOfARoleWithAPath_actsAsTheRoleAndItsPrincipalArnHasThePath() throws IOException {
    Authorizer a = authorizer(
        "principals:",
        "  - arn: arn:aws:iam::111111111111:role/service-role/etl-runner",
        "    policies: [{document: " + ALLOW_KMS + "}]",
        "keys:",
        "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [",
        "      {Sid: root, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:root'}, Action: 'kms:*', Resource: '*'},",
        "      {Sid: onlyPathed, Effect: Deny, Principal: '*', Action: 'kms:Encrypt', Resource: '*',",
        "       Condition: {ArnNotEquals: {'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/service-role/etl-runner'}}},",
        "      {Sid: noPathNoMatch, Effect: Deny, Principal: '*', Action: 'kms:Sign', Resource: '*',",
        "       Condition: {ArnNotEquals: {'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/etl-runner'}}}]}}");
    String session = "arn:aws:sts::111111111111:assumed-role/etl-runner/s1";

    assertThat(decide(a, session, "kms:Decrypt", KEY)).isEqualTo(Verdict.ALLOW);
    // aws:PrincipalArn is the role ARN with its path, so the first Deny does not apply ...
    assertThat(decide(a, session, "kms:Encrypt", KEY)).isEqualTo(Verdict.ALLOW);
    // ... and the ARN without the path is another ARN: the second one does
    assertThat(decide(a, session, "kms:Sign", KEY)).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void authorize_keyPolicyNamingTheRoleWithoutItsPath_doesNotMatchIt() throws IOException {
    Authorizer a = authorizer(
        "principals:",
        "  - arn: arn:aws:iam::111111111111:role/teams/data/Analyst",
        "keys:",
        "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [",
        "      {Sid: byName, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:role/Analyst'}, Action: 'kms:Decrypt', Resource: '*'},",
        "      {Sid: byPath, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:role/teams/data/Analyst'}, Action: 'kms:Encrypt', Resource: '*'}]}}");

    assertThat(decide(a, "arn:aws:iam::111111111111:role/teams/data/Analyst", "kms:Decrypt", KEY))
        .isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(decide(a, "arn:aws:sts::111111111111:assumed-role/Analyst/s", "kms:Encrypt", KEY))
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_serviceLinkedRole_isNotRestrictedBySCPs() throws IOException {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
    // ("SCPs don't affect service-linked roles")
    Authorizer a = authorizer(
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    managementAccount: '999999999999'",
        "    accounts: ['111111111111']",
        "    scps: [{document: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: '*', Resource: '*'}]}}]",
        "principals:",
        "  - arn: arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        "  - arn: arn:aws:iam::111111111111:role/service-role/etl-runner",
        "keys:",
        "  - arn: " + KEY,
        "    grants:",
        "      - {grantee: arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling, operations: [Decrypt]}",
        "      - {grantee: arn:aws:iam::111111111111:role/service-role/etl-runner, operations: [Decrypt]}");

    assertThat(decide(a, "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling",
        "kms:Decrypt", KEY)).isEqualTo(Verdict.ALLOW);
    // a service role (path service-role/) is an ordinary role: the SCP applies
    assertThat(decide(a, "arn:aws:iam::111111111111:role/service-role/etl-runner", "kms:Decrypt", KEY))
        .isEqualTo(Verdict.EXPLICIT_DENY);
  }

  // ---- the organization tree (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html) ----

  static final String DENY_ALL = "{Version: '2012-10-17', Statement: [{Effect: Deny, Action: '*', Resource: '*'}]}";
  static final String ALLOW_S3_ONLY = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}";
  static final String RCP_PERIMETER = "{Version: '2012-10-17', Statement: [{Sid: perimeter, Effect: Deny, Principal: '*',"
      + " Action: 'kms:*', Resource: '*', Condition: {StringNotEqualsIfExists: {'aws:PrincipalOrgID': o-a1b2c3d4e5},"
      + " Bool: {'aws:PrincipalIsAWSService': 'false'}}}]}";

  /** Management 111111111111; Prod (ou-ab12-11111111) > Data (ou-ab12-22222222) holds 222222222222; 333333333333 under the root. */
  static String[] tree(String prodScps, String dataScps, String dataRcps) {
    return new String[] {
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    rootId: r-ab12",
        "    managementAccount: '111111111111'",
        "    scps: [{name: FullAWSAccess, document: " + FULL_ACCESS + "}]",
        "    accounts: ['333333333333']",
        "    units:",
        "      - id: ou-ab12-11111111",
        "        name: Prod",
        "        scps: " + prodScps,
        "        units:",
        "          - {id: ou-ab12-22222222, name: Data, scps: " + dataScps + ", rcps: " + dataRcps
            + ", accounts: ['222222222222']}",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/teams/data/Analyst",
        "    policies: [{document: " + ALLOW_KMS + "}]",
        "  - arn: arn:aws:iam::333333333333:role/Other",
        "    policies: [{document: " + ALLOW_KMS + "}]",
        "  - arn: arn:aws:iam::444444444444:role/Outsider",
        "    policies: [{document: " + ALLOW_KMS + "}]",
        "  - arn: arn:aws:iam::222222222222:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps",
        "    policies: [{document: " + ALLOW_KMS + "}]",
    };
  }

  static String[] with(String[] head, String... more) {
    String[] out = java.util.Arrays.copyOf(head, head.length + more.length);
    System.arraycopy(more, 0, out, head.length, more.length);
    return out;
  }

  static final String KEY_B_OPEN = String.join("\n",
      "keys:",
      "  - arn: " + KEY_B,
      "    policy: {document: {Version: '2012-10-17', Statement: [",
      "      {Sid: all, Effect: Allow, Principal: {AWS: '*'}, Action: 'kms:*', Resource: '*'},",
      "      {Sid: logs, Effect: Allow, Principal: {Service: logs.us-east-1.amazonaws.com}, Action: 'kms:*', Resource: '*'}]}}",
      "    grants: [{grantee: arn:aws:iam::444444444444:role/Outsider, operations: [Decrypt, RetireGrant]}]");

  @Test
  void authorize_scpOnANestedUnit_mustAllowToo() throws IOException {
    // every SCP from the root down to the account must allow
    Authorizer a = authorizer(with(tree("[{name: FullAWSAccess, document: " + FULL_ACCESS + "}]",
        "[{name: s3-only, document: " + ALLOW_S3_ONLY + "}]", "[]"), KEY_B_OPEN));
    Decision d = a.authorize(new Request("", "arn:aws:iam::222222222222:role/teams/data/Analyst", "kms:Decrypt",
        KEY_B, Map.of()));

    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).isEqualTo("no statement of the SCPs attached to"
        + " organizational unit ou-ab12-22222222 (`world.yaml#/organizations/0/units/0/units/0/scps/0`) allows `kms:Decrypt` for account 222222222222"));
    // the service-linked role of the same account is not restricted
    assertThat(decide(a, "arn:aws:iam::222222222222:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps",
        "kms:Decrypt", KEY_B)).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_denyInAnSCPOfAParentUnit_deniesAccountsBelow() throws IOException {
    Authorizer a = authorizer(with(tree("[{name: FullAWSAccess, document: " + FULL_ACCESS + "}, {name: deny, document: "
        + DENY_ALL + "}]", "[{name: FullAWSAccess, document: " + FULL_ACCESS + "}]", "[]"), KEY_B_OPEN));

    assertThat(decide(a, "arn:aws:iam::222222222222:role/teams/data/Analyst", "kms:Decrypt", KEY_B))
        .isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(decide(a, "arn:aws:iam::333333333333:role/Other", "kms:Decrypt", KEY_B)).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_principalOrgPathsAndResourceOrgKeys_comeFromTheTree() throws IOException {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
    Authorizer a = authorizer(with(tree("[]", "[]", "[]"),
        "keys:",
        "  - arn: " + KEY_B,
        "    policy: {document: {Version: '2012-10-17', Statement: [",
        "      {Sid: prod, Effect: Allow, Principal: '*', Action: 'kms:Decrypt', Resource: '*',",
        "       Condition: {'ForAnyValue:StringLike': {'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'}}},",
        "      {Sid: org, Effect: Allow, Principal: '*', Action: 'kms:Encrypt', Resource: '*',",
        "       Condition: {StringEquals: {'aws:ResourceOrgID': o-a1b2c3d4e5,",
        "         'aws:ResourceOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/'}}}]}}"));

    assertThat(decide(a, "arn:aws:iam::222222222222:role/teams/data/Analyst", "kms:Decrypt", KEY_B))
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(a, "arn:aws:iam::333333333333:role/Other", "kms:Decrypt", KEY_B))
        .isEqualTo(Verdict.IMPLICIT_DENY);
    // a request cannot claim another path: the world's tree wins
    assertThat(decide(a, "arn:aws:iam::333333333333:role/Other", "kms:Decrypt", KEY_B,
        Map.of("aws:PrincipalOrgPaths", List.of("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/")))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(decide(a, "arn:aws:iam::333333333333:role/Other", "kms:Encrypt", KEY_B)).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_rcp_deniesOutsidersButNotItsExemptions() throws IOException {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
    Authorizer a = authorizer(with(tree("[]", "[]", "[{name: perimeter, document: " + RCP_PERIMETER + "}]"),
        KEY_B_OPEN,
        "  - arn: arn:aws:kms:us-east-1:111111111111:key/3234abcd-12ab-34cd-56ef-1234567890ab",
        "    policy: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: 'kms:*', Resource: '*'}]}}",
        "  - arn: arn:aws:kms:us-east-1:222222222222:key/4234abcd-12ab-34cd-56ef-1234567890ab",
        "    manager: AWS",
        "    policy: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS: '*'}, Action: 'kms:*', Resource: '*'}]}}"));
    String outsider = "arn:aws:iam::444444444444:role/Outsider";

    Decision d = a.authorize(new Request("", outsider, "kms:Decrypt", KEY_B, Map.of()));
    assertThat(d.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.reasons()).singleElement().satisfies(r -> {
      assertThat(r.policy()).isEqualTo("world.yaml#/organizations/0/units/0/units/0/rcps/0");
      assertThat(r.statement()).isEqualTo("perimeter");
    });
    assertThat(decide(a, "arn:aws:iam::222222222222:role/teams/data/Analyst", "kms:Decrypt", KEY_B))
        .isEqualTo(Verdict.ALLOW);
    // not for the management account's keys, not for AWS managed keys, not for kms:RetireGrant
    assertThat(decide(a, outsider, "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/3234abcd-12ab-34cd-56ef-1234567890ab"))
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(a, outsider, "kms:Decrypt", "arn:aws:kms:us-east-1:222222222222:key/4234abcd-12ab-34cd-56ef-1234567890ab"))
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(a, outsider, "kms:RetireGrant", KEY_B)).isEqualTo(Verdict.ALLOW);
    // service principals are restricted, here spared by the RCP's own aws:PrincipalIsAWSService condition
    assertThat(decide(a, "logs.us-east-1.amazonaws.com", "kms:Decrypt", KEY_B)).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_rcpWithoutAServiceExemption_deniesAServicePrincipal() throws IOException {
    // the KMS guide's RCP examples exempt service principals explicitly, so an RCP does apply to them
    // https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
    Authorizer a = authorizer(with(tree("[]", "[]", "[{name: no-services, document: {Version: '2012-10-17',"
        + " Statement: [{Effect: Deny, Principal: '*', Action: 'kms:*', Resource: '*', Condition: {Bool:"
        + " {'aws:PrincipalIsAWSService': 'true'}}}]}}]"), KEY_B_OPEN));

    assertThat(decide(a, "logs.us-east-1.amazonaws.com", "kms:Decrypt", KEY_B)).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(decide(a, "arn:aws:iam::222222222222:role/teams/data/Analyst", "kms:Decrypt", KEY_B))
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void load_treeProblems_areLocatedErrors() throws IOException {
    WorldLoadResult r = load(
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    rootId: r-ab12",
        "    managementAccount: '111111111111'",
        "    accounts: ['333333333333']",
        "    units:",
        "      - id: ou-ab12-11111111",
        "        accounts: ['222222222222', '333333333333']",
        "        units:",
        "          - id: ou-ab12-22222222",
        "            accounts: ['222222222222']",
        "            units: [{id: ou-ab12-11111111}]",
        "      - id: ou-bad",
        "        rcps: [{document: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'kms:*', Resource: '*'}]}}]",
        "      - id: ou-ab12-00000001",
        "        units: [{id: ou-ab12-00000002, units: [{id: ou-ab12-00000003, units: [{id: ou-ab12-00000004,"
            + " units: [{id: ou-ab12-00000005, units: [{id: ou-ab12-00000006}]}]}]}]}]",
        "accounts:",
        "  - {id: '222222222222', scps: [], rpcs: []}");

    assertThat(errors(r)).containsExactlyInAnyOrder(
        "world.yaml:8:36: error: account `333333333333` is in the root and in organizational unit `ou-ab12-11111111`;"
            + " an account sits in one place of the organization [world.account-in-two-units]",
        "world.yaml:11:24: error: account `222222222222` is in organizational unit `ou-ab12-11111111` and in"
            + " organizational unit `ou-ab12-22222222`; an account sits in one place of the organization"
            + " [world.account-in-two-units]",
        "world.yaml:12:26: error: organizational unit `ou-ab12-11111111` is nested inside itself (ou-ab12-11111111 >"
            + " ou-ab12-22222222 > ou-ab12-11111111); units form a tree [world.ou-cycle]",
        "world.yaml:13:13: error: organizational unit id `ou-bad` must look like `ou-ab12-11111111` (`ou-`, 4 to 32"
            + " lowercase letters or digits, `-`, 8 to 32 more) [world.invalid-ou-id]",
        r.problems().stream().filter(p -> p.isError() && p.code().equals("policy.rcp-allow")).findFirst()
            .orElseThrow().display(),
        r.problems().stream().filter(p -> p.isError() && p.code().equals("world.ou-too-deep")).findFirst()
            .orElseThrow().display(),
        "world.yaml:18:36: error: unknown field `rpcs` in an account; did you mean `rcps`? [world.unknown-field]");
  }

  // ---- sessions (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session,
  //      https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html) ----

  static String[] sessionWorld() {
    return new String[] {
        "principals:",
        "  - arn: arn:aws:iam::111111111111:role/teams/App",
        "    tags: {Team: ops}",
        "    policies: [{document: " + ALLOW_KMS + "}]",
        "keys:",
        "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [",
        "      {Sid: root, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:root'}, Action: 'kms:*', Resource: '*'},",
        "      {Sid: byRole, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:role/teams/App'}, Action: 'kms:Sign', Resource: '*'},",
        "      {Sid: bySession, Effect: Allow, Principal: {AWS: 'arn:aws:sts::111111111111:assumed-role/App/s1'}, Action: 'kms:Verify', Resource: '*'},",
        "      {Sid: finOnly, Effect: Deny, Principal: '*', Action: 'kms:GenerateMac', Resource: '*',",
        "       Condition: {StringNotEquals: {'aws:PrincipalTag/team': fin}}},",
        "      {Sid: traced, Effect: Deny, Principal: '*', Action: 'kms:VerifyMac', Resource: '*',",
        "       Condition: {Null: {'aws:SourceIdentity': 'true'}}}]}}"};
  }

  List<Decision> batch(Authorizer a, String... lines) {
    dev.keyward.world.RequestReader reader = dev.keyward.world.RequestReader.create(a.index());
    dev.keyward.world.RequestReader.Result r = reader.readAll(String.join("\n", lines), "requests.jsonl");
    assertThat(r.problems()).isEmpty();
    return r.requests().stream().map(a::authorize).toList();
  }

  static String line(String action, String session) {
    return "{\"principal\": \"arn:aws:sts::111111111111:assumed-role/App/s1\", \"action\": \"" + action
        + "\", \"resource\": \"" + KEY + "\"" + (session == null ? "" : ", \"session\": " + session) + "}";
  }

  static final String ONLY_DECRYPT = "{\"policies\": [{\"document\": {\"Version\": \"2012-10-17\", \"Statement\":"
      + " [{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}}]}";

  @Test
  void authorize_sessionPolicy_limitsTheRoleAndNamesItselfInTheReason() throws IOException {
    Authorizer a = authorizer(sessionWorld());
    List<Decision> d = batch(a, line("kms:Decrypt", ONLY_DECRYPT), line("kms:Encrypt", ONLY_DECRYPT),
        line("kms:Encrypt", null));

    assertThat(d.get(0).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.get(1).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.get(1).reasons()).anySatisfy(r -> assertThat(r.message()).isEqualTo("the session policies of"
        + " `arn:aws:sts::111111111111:assumed-role/App/s1` (`requests.jsonl:2#/session/policies/0`) do not allow"
        + " `kms:Encrypt`"));
    assertThat(d.get(2).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_sessionPolicy_limitsAKeyPolicyNamingTheRoleButNotOneNamingTheSession() throws IOException {
    Authorizer a = authorizer(sessionWorld());
    List<Decision> d = batch(a, line("kms:Sign", ONLY_DECRYPT), line("kms:Verify", ONLY_DECRYPT),
        line("kms:Sign", null));

    assertThat(d.get(0).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.get(1).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.get(2).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_denyInASessionPolicy_isAnExplicitDeny() throws IOException {
    Authorizer a = authorizer(sessionWorld());
    List<Decision> d = batch(a, line("kms:Decrypt", "{\"policies\": [{\"document\": {\"Version\": \"2012-10-17\","
        + " \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"},"
        + " {\"Sid\": \"NoDecrypt\", \"Effect\": \"Deny\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}}]}"));

    assertThat(d.get(0).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.get(0).reasons()).singleElement().satisfies(r -> assertThat(r.statement()).isEqualTo("NoDecrypt"));
  }

  @Test
  void authorize_sessionTagsWinOverTheRolesTags_andSourceIdentityIsInTheContext() throws IOException {
    Authorizer a = authorizer(sessionWorld());
    List<Decision> d = batch(a, line("kms:GenerateMac", null),
        line("kms:GenerateMac", "{\"tags\": {\"TEAM\": \"fin\"}}"),
        line("kms:VerifyMac", null),
        line("kms:VerifyMac", "{\"sourceIdentity\": \"alice\"}"));

    assertThat(d.get(0).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.get(1).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.get(2).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.get(3).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void read_badSessions_areLocatedProblems() throws IOException {
    Authorizer a = authorizer(sessionWorld());
    dev.keyward.world.RequestReader reader = dev.keyward.world.RequestReader.create(a.index());
    dev.keyward.world.RequestReader.Result r = reader.readAll(String.join("\n",
        line("kms:Decrypt", "{\"policies\": [{\"document\": {\"Version\": \"2012-10-17\", \"Statement\":"
            + " [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}}]}"),
        line("kms:Decrypt", "{\"tag\": {}}"),
        "{\"principal\": \"arn:aws:iam::111111111111:role/teams/App\", \"action\": \"kms:Decrypt\", \"resource\": \""
            + KEY + "\", \"session\": {}}"), "requests.jsonl");

    assertThat(r.requests()).isEmpty();
    assertThat(r.problems()).extracting(Problem::code).containsExactly("policy.forbidden-element",
        "session.unknown-field", "request.session-without-role-session");
    assertThat(r.problems().get(0).display()).startsWith("requests.jsonl:1:");
    assertThat(r.problems().get(0).message()).contains("in session policy 0:").contains("Principal");
    assertThat(r.problems().get(1).message()).isEqualTo("unknown field `tag` in a session; did you mean `tags`?");
  }

  @Test
  void load_identityWithASession_carriesItToTheServer() throws IOException {
    WorldLoadResult r = load(with(sessionWorld(),
        "identities:",
        "  - accessKeyId: ASIAEXAMPLEAPP00001",
        "    secretAccessKey: secret",
        "    principal: arn:aws:sts::111111111111:assumed-role/App/s1",
        "    session: {tags: {Team: fin}, sourceIdentity: alice, policies: [{arn: arn:aws:iam::aws:policy/AWSDenyAll}]}"));

    assertThat(errors(r)).isEmpty();
    dev.keyward.request.Session session = r.world().identities().get(0).session();
    assertThat(session.tags()).containsEntry("Team", "fin");
    assertThat(session.sourceIdentity()).isEqualTo("alice");
    Authorizer a = Authorizer.create(r.world());
    assertThat(a.authorize(new Request("", "arn:aws:sts::111111111111:assumed-role/App/s1", "kms:Decrypt", KEY,
        Map.of(), session)).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  // ---- VPC endpoints (https://docs.aws.amazon.com/kms/latest/developerguide/vpce-policy.html) ----

  static String[] endpointWorld() {
    return new String[] {
        "principals:",
        "  - arn: arn:aws:iam::111111111111:role/App",
        "    policies: [{document: " + ALLOW_KMS + "}]",
        "keys:",
        "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [",
        "      {Sid: root, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:root'}, Action: 'kms:*', Resource: '*'},",
        "      {Sid: onlyFromVpc, Effect: Deny, Principal: '*', Action: 'kms:Sign', Resource: '*',",
        "       Condition: {StringNotEquals: {'aws:SourceVpc': vpc-0123abcd}}}]}}",
        "vpcEndpoints:",
        "  - id: vpce-0123456789abcdef0",
        "    vpc: vpc-0123abcd",
        "    account: '111111111111'",
        "    policy: {name: endpoint-policy, document: {Version: '2012-10-17', Statement: [",
        "      {Sid: decryptOnly, Effect: Allow, Principal: '*', Action: ['kms:Decrypt', 'kms:Sign'], Resource: '*'},",
        "      {Sid: noSignForOthers, Effect: Deny, Principal: '*', Action: 'kms:Sign', Resource: '*',",
        "       Condition: {ArnNotEquals: {'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/App'}}}]}}",
        "  - {id: vpce-0123456789abcdef1, vpc: vpc-0123abce}"};
  }

  static Map<String, List<String>> via(String vpce) {
    return Map.of("aws:SourceVpce", List.of(vpce));
  }

  @Test
  void authorize_throughAnEndpoint_itsPolicyMustAllowToo() throws IOException {
    Authorizer a = authorizer(endpointWorld());
    String app = "arn:aws:iam::111111111111:role/App";

    assertThat(decide(a, app, "kms:Decrypt", KEY, via("vpce-0123456789abcdef0"))).isEqualTo(Verdict.ALLOW);
    Decision d = a.authorize(new Request("", app, "kms:Encrypt", KEY, via("vpce-0123456789abcdef0")));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).singleElement().satisfies(r -> assertThat(r.message())
        .isEqualTo("the policy of VPC endpoint vpce-0123456789abcdef0 does not allow `kms:Encrypt` for"
            + " `arn:aws:iam::111111111111:role/App`"));
    // not through the endpoint, or through one with the default policy: only the other policies decide
    assertThat(decide(a, app, "kms:Encrypt", KEY)).isEqualTo(Verdict.ALLOW);
    assertThat(decide(a, app, "kms:Encrypt", KEY, via("vpce-0123456789abcdef1"))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_throughAnEndpoint_aws_SourceVpcIsTheEndpointsVpc() throws IOException {
    Authorizer a = authorizer(endpointWorld());
    String app = "arn:aws:iam::111111111111:role/App";

    assertThat(decide(a, app, "kms:Sign", KEY, via("vpce-0123456789abcdef0"))).isEqualTo(Verdict.ALLOW);
    // the other endpoint is in another VPC, whatever the request claims
    assertThat(decide(a, app, "kms:Sign", KEY, Map.of("aws:SourceVpce", List.of("vpce-0123456789abcdef1"),
        "aws:SourceVpc", List.of("vpc-0123abcd")))).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void load_badEndpoints_areLocatedErrors() throws IOException {
    WorldLoadResult r = load(
        "vpcEndpoints:",
        "  - {id: vpce-12, vpc: vpc-0123abcd}",
        "  - {id: vpce-0123456789abcdef0, vpc: vpc-0123abcd, polcy: {}}",
        "  - {id: vpce-0123456789abcdef0, vpc: vpc-0123abcd}");

    assertThat(errors(r)).containsExactly(
        "world.yaml:2:10: error: VPC endpoint id `vpce-12` must look like `vpce-0123456789abcdef0` (`vpce-` and 8"
            + " or 17 hex digits) [world.invalid-vpc-endpoint-id]",
        "world.yaml:3:53: error: unknown field `polcy` in a VPC endpoint; did you mean `policy`? [world.unknown-field]",
        "world.yaml:4:5: error: VPC endpoint `vpce-0123456789abcdef0` is declared twice; first at line 3"
            + " [world.duplicate-vpc-endpoint]");
  }
}
