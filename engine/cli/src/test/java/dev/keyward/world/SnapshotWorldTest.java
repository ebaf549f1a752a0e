package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot folders (and the JSON of get-account-authorization-details alone) as worlds: what they answer,
 * where reasons point, gaps in reasons, and bad input of every kind as a located error with exit 2.
 */
public class SnapshotWorldTest {

  public static final String ACCOUNT = "111122223333";
  public static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
  public static final String KEY = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + KEY_ID;
  public static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/service-role/etl";

  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** A small snapshot as the AWS CLI would print it: one role with a path, one key whose policy names it. */
  public static Path snapshot(Path dir, Map<String, String> replace) throws Exception {
    Map<String, String> files = new java.util.TreeMap<>();
    files.put("sts/get-caller-identity.json", "{\n  \"UserId\": \"AIDAEXAMPLE\",\n  \"Account\": \"" + ACCOUNT
        + "\",\n  \"Arn\": \"arn:aws:iam::" + ACCOUNT + ":user/auditor\"\n}\n");
    files.put("iam/get-account-authorization-details.json", "{\n  \"UserDetailList\": [],\n"
        + "  \"GroupDetailList\": [],\n  \"RoleDetailList\": [\n    {\n      \"Path\": \"/service-role/\",\n"
        + "      \"RoleName\": \"etl\",\n      \"Arn\": \"" + ROLE + "\",\n      \"RolePolicyList\": [\n"
        + "        {\n          \"PolicyName\": \"use-key\",\n          \"PolicyDocument\": {\n"
        + "            \"Version\": \"2012-10-17\",\n            \"Statement\": [{\"Sid\": \"UseKey\","
        + " \"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]\n          }\n        }\n"
        + "      ],\n      \"AttachedManagedPolicies\": [],\n      \"Tags\": [{\"Key\": \"Team\", \"Value\": \"data\"}]\n"
        + "    }\n  ],\n  \"Policies\": []\n}\n");
    files.put("regions/us-east-1/kms/list-keys.json", "{\"Keys\": [{\"KeyId\": \"" + KEY_ID + "\", \"KeyArn\": \""
        + KEY + "\"}]}\n");
    files.put("regions/us-east-1/kms/describe-key.json", "{\n  \"" + KEY_ID + "\": {\n    \"KeyMetadata\": {\n"
        + "      \"KeyId\": \"" + KEY_ID + "\",\n      \"Arn\": \"" + KEY + "\",\n      \"KeyManager\": \"CUSTOMER\",\n"
        + "      \"KeySpec\": \"SYMMETRIC_DEFAULT\",\n      \"KeyUsage\": \"ENCRYPT_DECRYPT\",\n"
        + "      \"KeyState\": \"Enabled\",\n      \"Origin\": \"AWS_KMS\"\n    }\n  }\n}\n");
    files.put("regions/us-east-1/kms/get-key-policy.json", "{\n  \"" + KEY_ID + "\": {\n    \"PolicyName\": \"default\",\n"
        + "    \"Policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"Etl\\\","
        + "\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"" + ROLE + "\\\"},\\\"Action\\\":"
        + "\\\"kms:Decrypt\\\",\\\"Resource\\\":\\\"*\\\"}]}\"\n  }\n}\n");
    files.put("regions/us-east-1/kms/list-grants.json", "{\"" + KEY_ID + "\": {\"Grants\": []}}\n");
    files.put("regions/us-east-1/kms/list-aliases.json", "{\"Aliases\": [{\"AliasName\": \"alias/etl\","
        + " \"TargetKeyId\": \"" + KEY_ID + "\"}]}\n");
    files.put("keyward-gaps.json", "{\"Gaps\": []}\n");
    files.putAll(replace);
    for (Map.Entry<String, String> e : files.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
    return dir;
  }

  static String[] can(Path world, String principal, String resource) {
    return new String[] {"can", "--world", world.toString(), "--principal", principal, "--action", "kms:Decrypt",
        "--resource", resource};
  }

  @Test
  void folder_roleWithPathNamedByKeyPolicy_isAllowedWithReasonsInTheSnapshotFiles() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    Result r = run(can(snap, ROLE, KEY));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).startsWith("ALLOW").contains("statement Etl")
        .contains("snap/regions/us-east-1/kms/get-key-policy.json:4:")
        .doesNotContain("gap:");
    Result alias = run(can(snap, ROLE, "alias/etl"));
    assertThat(alias.code()).as(alias.out() + alias.err()).isZero();
  }

  @Test
  void awsCliDocumentationSample_loadsAlone_andItsTruncationIsAGap() {
    // The output of `aws iam get-account-authorization-details` published in the AWS CLI's documentation
    // (awscli/examples/iam/get-account-authorization-details.rst): one page (IsTruncated), and groups whose
    // AttachedManagedPolicies are printed as a single object.
    String sample = "src/test/resources/snapshot/aws-cli-get-account-authorization-details.json";
    String[] base = {"can", "--world", sample, "--action", "iam:CreateUser", "--resource",
        "arn:aws:iam::123456789012:user/new", "--principal"};
    Result alice = run(append(base, "arn:aws:iam::123456789012:user/Alice"));
    Result bob = run(append(base, "arn:aws:iam::123456789012:user/Bob"));
    Result charlie = run(append(base, "arn:aws:iam::123456789012:user/Charlie"));
    assertThat(alice.code()).as(alice.err()).isZero();
    assertThat(alice.out()).contains("arn:aws:iam::aws:policy/AdministratorAccess");
    assertThat(bob.code()).isEqualTo(1);
    assertThat(bob.out()).startsWith("EXPLICIT_DENY")
        .contains("get-account-authorization-details.json#/UserDetailList/1/UserPolicyList/0")
        .contains("aws-cli-get-account-authorization-details.json:139:");
    assertThat(charlie.out()).startsWith("IMPLICIT_DENY");
    for (Result r : new Result[] {alice, bob, charlie}) {
      assertThat(r.out()).contains("gap:").contains("`IsTruncated` is true");
    }
    assertThat(alice.err()).contains("warning: `AttachedManagedPolicies` should be an array");
  }

  static String[] append(String[] a, String last) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = last;
    return out;
  }

  @Test
  void refusedKeyPolicy_leavesTheKeyOut_andDecisionsSaySo() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of(
        "regions/us-east-1/kms/get-key-policy.json", "{}\n",
        "keyward-gaps.json", "{\"Gaps\": [{\"Call\": \"kms:GetKeyPolicy\", \"Subject\": \"" + KEY + "\","
            + " \"Missing\": \"the key policy of `" + KEY + "`\", \"Permission\": \"kms:GetKeyPolicy\","
            + " \"Error\": \"AccessDeniedException: not authorized\"}]}\n"));
    Result r = run(can(snap, ROLE, KEY));
    // Not a guess with the default policy: the question cannot be answered, and the message says why.
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("key `" + KEY + "` is not in the world: a snapshot could not read it")
        .contains("`kms:GetKeyPolicy` failed (AccessDeniedException")
        .contains("the key policy of `" + KEY + "` is not in the snapshot");
  }

  @Test
  void principalOfAnAccountNotCollected_isAGap() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    Result r = run(can(snap, "arn:aws:iam::444455556666:role/other", KEY));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("gap:").contains("account 444455556666 was not collected");
  }

  @Test
  void truncatedFile_isALocatedError_andNothingIsDecided() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    Path iam = snap.resolve("iam/get-account-authorization-details.json");
    String text = Files.readString(iam);
    Files.writeString(iam, text.substring(0, text.length() / 2));
    Result r = run(can(snap, ROLE, KEY));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("snap/iam/get-account-authorization-details.json:").contains("error:")
        .contains("nothing was decided");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void handEditedValue_isALocatedError() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    Path describe = snap.resolve("regions/us-east-1/kms/describe-key.json");
    Files.writeString(describe, Files.readString(describe).replace("\"Arn\": \"" + KEY,
        "\"Arn\": \"arn:aws:kms:us-east-1:1111:key/" + KEY_ID));
    Result r = run(can(snap, ROLE, KEY));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("snap/regions/us-east-1/kms/describe-key.json:5:").contains("nothing was decided");
  }

  @Test
  void unknownShapes_areLocatedErrors() throws Exception {
    Path wrongType = snapshot(tmp.resolve("a"), Map.of("regions/us-east-1/kms/describe-key.json", "[1, 2]\n"));
    Result r1 = run(can(wrongType, ROLE, KEY));
    assertThat(r1.code()).isEqualTo(2);
    assertThat(r1.err()).contains("a/regions/us-east-1/kms/describe-key.json:1:1").contains("must hold a JSON object");

    Path unknownFile = snapshot(tmp.resolve("b"), Map.of("iam/list-users.json", "{\"Users\": []}\n"));
    Result r2 = run(can(unknownFile, ROLE, KEY));
    assertThat(r2.code()).isEqualTo(2);
    assertThat(r2.err()).contains("`" + tmp.resolve("b") + "/iam/list-users.json` is not a file of a snapshot");

    Path notSnapshot = tmp.resolve("c");
    Files.createDirectories(notSnapshot.resolve("iam"));
    Result r3 = run(can(notSnapshot, ROLE, KEY));
    assertThat(r3.code()).isEqualTo(2);
    assertThat(r3.err()).contains("is a folder but not a snapshot");

    Path badCaller = snapshot(tmp.resolve("d"), Map.of("sts/get-caller-identity.json", "{\"Account\": \"12\"}\n"));
    Result r4 = run(can(badCaller, ROLE, KEY));
    assertThat(r4.code()).isEqualTo(2);
    assertThat(r4.err()).contains("d/sts/get-caller-identity.json:1:13").contains("12-digit account id");
  }

  @Test
  void twoSnapshotsOfOneAccount_thatDisagree_areALocatedError_identicalOnesAreUsedOnce() throws Exception {
    Path a = snapshot(tmp.resolve("a"), Map.of());
    Path same = snapshot(tmp.resolve("same"), Map.of());
    Path other = snapshot(tmp.resolve("other"), Map.of("regions/us-east-1/kms/list-grants.json",
        "{\"" + KEY_ID + "\": {\"Grants\": [{\"GrantId\": \"g1\", \"GranteePrincipal\": \"arn:aws:iam::" + ACCOUNT
            + ":role/x\", \"Operations\": [\"Decrypt\"]}]}}\n"));
    Result ok = run("can", "--world", a.toString(), "--world", same.toString(), "--principal", ROLE,
        "--action", "kms:Decrypt", "--resource", KEY);
    assertThat(ok.code()).as(ok.err()).isZero();
    Result bad = run("can", "--world", a.toString(), "--world", other.toString(), "--principal", ROLE,
        "--action", "kms:Decrypt", "--resource", KEY);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("other/regions/us-east-1/kms/list-grants.json:1:1")
        .contains("are both snapshots of account " + ACCOUNT + " and disagree").contains("nothing was decided");
  }

  @Test
  void loader_snapshotWorld_carriesCoverageAndKeyMetadata() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    WorldLoadResult r = WorldLoader.create().load(snap, "snap");
    assertThat(r.hasErrors()).as(r.problems().toString()).isFalse();
    World w = r.world();
    assertThat(w.coverage().accounts()).containsExactly(ACCOUNT);
    assertThat(w.principals()).singleElement().satisfies(p -> {
      assertThat(p.arn()).isEqualTo(ROLE);
      assertThat(p.tags()).containsEntry("Team", "data");
    });
    assertThat(w.keys()).singleElement().satisfies(k -> {
      assertThat(k.defaultPolicy()).isFalse();
      assertThat(k.policy().name()).isEqualTo("snap/regions/us-east-1/kms/get-key-policy.json#/" + KEY_ID);
    });
  }

  @Test
  void encryptedAmiSharedWithAnotherAccount_isCheckedFromTheSnapshot() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of(
        "regions/us-east-1/ec2/describe-images.json", "{\"Images\": [{\"ImageId\": \"ami-0123456789abcdef0\","
            + " \"OwnerId\": \"" + ACCOUNT + "\", \"BlockDeviceMappings\": [{\"DeviceName\": \"/dev/xvda\","
            + " \"Ebs\": {\"SnapshotId\": \"snap-0123456789abcdef0\", \"Encrypted\": true}}]}]}\n",
        "regions/us-east-1/ec2/describe-snapshots.json", "{\"Snapshots\": [{\"SnapshotId\": \"snap-0123456789abcdef0\","
            + " \"Encrypted\": true, \"KmsKeyId\": \"" + KEY + "\"}]}\n",
        "regions/us-east-1/ec2/describe-image-attribute.json", "{\"ami-0123456789abcdef0\": {\"ImageId\":"
            + " \"ami-0123456789abcdef0\", \"LaunchPermissions\": [{\"UserId\": \"444455556666\"}]}}\n"));
    Result r = run("check", "--world", snap.toString(), "--only", "ami-sharing", "--format", "json");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("\"analysis\":\"ami-sharing\"").contains("ami-0123456789abcdef0")
        .contains("444455556666");
  }

  @Test
  void lint_snapshotFolder_lintsEachPolicyAsItsType_inItsFile() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of("regions/us-east-1/kms/get-key-policy.json", "{\n  \""
        + KEY_ID + "\": {\n    \"Policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":"
        + "\\\"Open\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":"
        + "\\\"kms:Decrypt\\\",\\\"Resource\\\":\\\"*\\\"}]}\"\n  }\n}\n"));
    Result r = run("lint", "--format", "json", snap.toString());
    // a key policy that lets anyone decrypt is an error of the key-policy rules, located in its snapshot file
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("regions/us-east-1/kms/get-key-policy.json").contains("\"rule\" : \"KW200\"")
        .contains("iam/get-account-authorization-details.json").contains("\"rule\" : \"KW300\"");
  }

  @Test
  void serve_snapshotWithAWorldFileOnTop_seedsTheKeysWithTheirPolicies_andEnforcesThem() throws Exception {
    String policy = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"Etl\\\","
        + "\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"" + ROLE + "\\\"},"
        + "\\\"Action\\\":[\\\"kms:Encrypt\\\",\\\"kms:Decrypt\\\"],\\\"Resource\\\":\\\"*\\\"}]}";
    Path snap = snapshot(tmp.resolve("snap"), Map.of("regions/us-east-1/kms/get-key-policy.json",
        "{\"" + KEY_ID + "\": {\"PolicyName\": \"default\", \"Policy\": \"" + policy + "\"}}\n"));
    Path ids = tmp.resolve("identities.yaml");
    Files.writeString(ids, "identities:\n"
        + "  - {accessKeyId: AKIAETL000000000001, secretAccessKey: etl-secret, principal: \"arn:aws:sts::" + ACCOUNT
        + ":assumed-role/etl/job\"}\n"
        + "  - {accessKeyId: AKIAAUDITOR00000001, secretAccessKey: auditor-secret, principal: \"arn:aws:iam::"
        + ACCOUNT + ":user/auditor\"}\n");
    java.util.List<World> loaded = new java.util.ArrayList<>();
    for (Path w : java.util.List.of(snap, ids)) {
      WorldLoadResult r = WorldLoader.create().load(w, w.toString());
      assertThat(r.hasErrors()).as(r.problems().toString()).isFalse();
      loaded.add(r.world());
    }
    World world = dev.keyward.template.TemplateWorld.merge(loaded).world();
    dev.keyward.server.KmsServer server = dev.keyward.server.ServerLauncher.launch(
        new dev.keyward.server.ServerLauncher.Options(world, tmp.resolve("store").toString(), null, null, null,
            dev.keyward.server.KmsServer.Config.of(0, world.identities())), new PrintWriter(new StringWriter()));
    try (var etl = kms(server, "AKIAETL000000000001", "etl-secret");
         var auditor = kms(server, "AKIAAUDITOR00000001", "auditor-secret")) {
      var blob = etl.encrypt(r -> r.keyId(KEY).plaintext(software.amazon.awssdk.core.SdkBytes.fromUtf8String("hi")))
          .ciphertextBlob();
      assertThat(etl.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("hi");
      // the seeded policy is the snapshot's: it allows the role Encrypt and Decrypt, nothing else
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> etl.getKeyPolicy(r -> r.keyId(KEY).policyName("default")))
          .hasMessageContaining("kms:GetKeyPolicy").hasMessageContaining("regions/us-east-1/kms/get-key-policy.json");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> auditor.decrypt(r -> r.ciphertextBlob(blob)))
          .isInstanceOf(software.amazon.awssdk.services.kms.model.KmsException.class)
          .hasMessageContaining("not authorized");
    } finally {
      server.stop(1);
    }
  }

  static software.amazon.awssdk.services.kms.KmsClient kms(dev.keyward.server.KmsServer server, String id,
      String secret) {
    return software.amazon.awssdk.services.kms.KmsClient.builder()
        .endpointOverride(java.net.URI.create(server.endpoint()))
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(id, secret)))
        .build();
  }

  @Test
  void checkAndWhoCan_nameTheGapsTheirAnswersDependOn() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of("keyward-gaps.json", "{\"Gaps\": [{\"Call\":"
        + " \"kms:ListGrants\", \"Subject\": \"" + KEY + "\", \"Missing\": \"the grants of `" + KEY + "`\","
        + " \"Permission\": \"kms:ListGrants\", \"Error\": \"AccessDeniedException: no\"}]}\n"));
    Result check = run("check", "--world", snap.toString(), "--format", "json");
    assertThat(check.out()).startsWith("{\"findings\"");
    assertThat(check.err()).contains("note: the snapshots could not read 1 thing")
        .contains("`kms:ListGrants` failed");
    Result who = run("who-can", "--world", snap.toString(), "--action", "kms:Decrypt", "--resource", KEY);
    assertThat(who.code()).isZero();
    assertThat(who.out()).contains(ROLE);
    assertThat(who.err()).contains("the lists may be incomplete").contains("`kms:ListGrants` failed");
  }
}
