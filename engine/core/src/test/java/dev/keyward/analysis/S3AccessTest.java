package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.world.Bucket;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IAM's evaluation logic for S3 requests, same account and across accounts. */
class S3AccessTest {

  private static final String ROLE = "arn:aws:iam::111111111111:role/replication";
  private static final String OBJECT = "arn:aws:s3:::dst-bucket/a/b";

  @TempDir Path dir;

  private World world(String identityStatements, String bucketAccount, String bucketStatements, String extra)
      throws IOException {
    String yaml = String.join("\n",
        "principals:",
        "  - arn: " + ROLE,
        identityStatements == null ? "" : "    policies: [{ document: { Version: \"2012-10-17\", Statement: ["
            + identityStatements + "] } }]",
        extra,
        "buckets:",
        "  - name: dst-bucket",
        "    account: \"" + bucketAccount + "\"",
        "    region: us-west-2",
        bucketStatements == null ? "" : "    policy: { document: { Version: \"2012-10-17\", Statement: ["
            + bucketStatements + "] } }",
        "");
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, yaml);
    WorldLoadResult r = WorldLoader.create().load(w, "world.yaml");
    assertThat(r.problems()).isEmpty();
    return r.world();
  }

  private static boolean allowed(World w, String action) {
    Bucket b = w.buckets().get(0);
    return S3Access.create(w).decide(ROLE, action, OBJECT, b, Map.of()).allowed();
  }

  private static final String ID_ALLOW = "{ Effect: Allow, Action: \"s3:Replicate*\", Resource: \"arn:aws:s3:::dst-bucket/*\" }";
  private static final String BUCKET_ALLOW = "{ Effect: Allow, Principal: { AWS: \"" + ROLE + "\" },"
      + " Action: s3:ReplicateObject, Resource: \"arn:aws:s3:::dst-bucket/*\" }";

  @Test
  void decide_sameAccount_identityPolicyAloneAllows() throws IOException {
    assertThat(allowed(world(ID_ALLOW, "111111111111", null, ""), "s3:ReplicateObject")).isTrue();
    assertThat(allowed(world(ID_ALLOW, "111111111111", null, ""), "s3:PutObject")).isFalse();
  }

  @Test
  void decide_sameAccount_bucketPolicyNamingTheRoleAloneAllows() throws IOException {
    assertThat(allowed(world(null, "111111111111", BUCKET_ALLOW, ""), "s3:ReplicateObject")).isTrue();
  }

  @Test
  void decide_crossAccount_needsBothIdentityAndBucketPolicy() throws IOException {
    assertThat(allowed(world(ID_ALLOW, "222222222222", null, ""), "s3:ReplicateObject")).isFalse();
    assertThat(allowed(world(null, "222222222222", BUCKET_ALLOW, ""), "s3:ReplicateObject")).isFalse();
    assertThat(allowed(world(ID_ALLOW, "222222222222", BUCKET_ALLOW, ""), "s3:ReplicateObject")).isTrue();
  }

  @Test
  void decide_crossAccount_bucketPolicyNamingTheAccountAllowsWithIdentity() throws IOException {
    String account = "{ Effect: Allow, Principal: { AWS: \"111111111111\" }, Action: \"s3:*\","
        + " Resource: \"arn:aws:s3:::dst-bucket/*\" }";
    assertThat(allowed(world(ID_ALLOW, "222222222222", account, ""), "s3:ReplicateDelete")).isTrue();
  }

  @Test
  void decide_bucketPolicyDeny_winsOverAllows() throws IOException {
    String deny = BUCKET_ALLOW + ", { Effect: Deny, Principal: \"*\", Action: \"s3:*\","
        + " Resource: \"arn:aws:s3:::dst-bucket/*\", Condition: { StringNotEquals: { aws:PrincipalAccount:"
        + " \"222222222222\" } } }";
    S3Access.Answer a = S3Access.create(world(ID_ALLOW, "222222222222", deny, ""))
        .decide(ROLE, "s3:ReplicateObject", OBJECT, world(ID_ALLOW, "222222222222", deny, "").buckets().get(0),
            Map.of());
    assertThat(a.allowed()).isFalse();
    assertThat(a.explicitDeny()).isTrue();
  }

  @Test
  void decide_scpWithoutAllow_refuses() throws IOException {
    String scp = String.join("\n",
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    managementAccount: \"999999999999\"",
        "    accounts: [\"111111111111\", \"999999999999\"]",
        "    scps: [{ document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action: \"kms:*\","
            + " Resource: \"*\" }] } }]");
    World w = world(ID_ALLOW, "111111111111", null, scp);
    S3Access.Answer a = S3Access.create(w).decide(ROLE, "s3:ReplicateObject", OBJECT, w.buckets().get(0), Map.of());
    assertThat(a.allowed()).isFalse();
    assertThat(a.why()).isEqualTo("no SCP of account 111111111111 allows it");
  }

  @Test
  void decide_conditionsReadTheRequestAndDerivedKeys() throws IOException {
    String conditioned = "{ Effect: Allow, Action: s3:ReplicateObject, Resource: \"arn:aws:s3:::dst-bucket/*\","
        + " Condition: { StringEquals: { aws:ResourceAccount: \"111111111111\", s3:x-amz-server-side-encryption:"
        + " \"aws:kms\" } } }";
    World w = world(conditioned, "111111111111", null, "");
    Bucket b = w.buckets().get(0);
    assertThat(S3Access.create(w).decide(ROLE, "s3:ReplicateObject", OBJECT, b, Map.of()).allowed()).isFalse();
    assertThat(S3Access.create(w).decide(ROLE, "s3:ReplicateObject", OBJECT, b,
        Map.of("s3:x-amz-server-side-encryption", List.of("aws:kms"))).allowed()).isTrue();
  }
}
