package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
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
}
