package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldLoaderTest {

  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path dir;

  private WorldLoadResult load(String yaml) throws IOException {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, yaml);
    return WorldLoader.create().load(world, "world.yaml");
  }

  private void file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static List<String> errors(WorldLoadResult r) {
    return r.problems().stream().filter(Problem::isError).map(Problem::display).toList();
  }

  private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

  @Test
  void load_exampleWorld_hasEverythingAndNoErrors() {
    Path world = Path.of("..", "..", "examples", "cross-account-decrypt", "world.yaml");
    WorldLoadResult r = WorldLoader.create().load(world, "world.yaml");

    assertThat(errors(r)).isEmpty();
    World w = r.world();
    assertThat(w.organizations()).singleElement().satisfies(o -> {
      assertThat(o.id()).isEqualTo("o-a1b2c3d4e5");
      assertThat(o.managementAccount()).isEqualTo("999999999999");
      assertThat(o.accounts()).containsExactly("111111111111", "222222222222", "999999999999");
      assertThat(o.scps()).extracting(p -> p.name()).containsExactly("scps/full-aws-access.json");
      assertThat(o.scps().get(0).type()).isEqualTo(PolicyType.SCP);
    });
    assertThat(w.accounts()).singleElement().satisfies(a -> assertThat(a.scps()).extracting(p -> p.name())
        .containsExactly("scps/full-aws-access.json", "scps/protect-keys.json"));
    assertThat(w.principals()).extracting(IamPrincipal::arn).containsExactly(
        "arn:aws:iam::111111111111:role/KeyAdmin", "arn:aws:iam::111111111111:role/FinanceApp",
        "arn:aws:iam::111111111111:role/BatchJob", "arn:aws:iam::222222222222:role/Analyst",
        "arn:aws:iam::222222222222:role/Intern");
    IamPrincipal intern = w.principals().get(4);
    assertThat(intern.account()).isEqualTo("222222222222");
    assertThat(intern.tags()).containsEntry("Team", "analytics");
    assertThat(intern.policies()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("world.yaml#/principals/4/policies/0");
      assertThat(p.type()).isEqualTo(PolicyType.IDENTITY);
    });
    assertThat(w.principals().get(3).policies().get(0).name()).isEqualTo("policies/analyst.json");
    KmsKey key = w.keys().get(0);
    assertThat(key.arn().toString()).isEqualTo(KEY);
    assertThat(key.defaultPolicy()).isFalse();
    assertThat(key.policy().name()).isEqualTo("key-policies/finance.json");
    assertThat(key.policy().type()).isEqualTo(PolicyType.KEY_POLICY);
    assertThat(key.metadata().aliases()).containsExactly("alias/finance");
    assertThat(key.metadata().rotationEnabled()).isTrue();
    assertThat(key.metadata().rotationPeriodDays()).isEqualTo(365);
    assertThat(key.grants()).singleElement().satisfies(g -> {
      assertThat(g.id()).isEqualTo("batch-job-decrypt");
      assertThat(g.name()).isEqualTo("batch-job-decrypt");
      assertThat(g.grantee()).isEqualTo("arn:aws:iam::111111111111:role/BatchJob");
      assertThat(g.operations()).containsExactly("Decrypt", "DescribeKey");
      assertThat(g.encryptionContextSubset()).containsExactly(java.util.Map.entry("Dept", "Finance"));
      assertThat(g.encryptionContextEquals()).isNull();
      assertThat(g.retiringPrincipal()).isEqualTo("arn:aws:iam::111111111111:role/KeyAdmin");
      assertThat(g.issuingAccount()).isEqualTo("111111111111");
    });
  }

  @Test
  void load_keyWithoutPolicy_getsTheApiDefaultKeyPolicyOfItsAccount() throws IOException {
    WorldLoadResult r = load("keys:\n  - arn: " + KEY + "\n");

    assertThat(errors(r)).isEmpty();
    KmsKey key = r.world().keys().get(0);
    assertThat(key.defaultPolicy()).isTrue();
    assertThat(key.policy().statements()).singleElement().satisfies(s -> {
      assertThat(s.sid()).isEqualTo("Enable IAM policies");
      assertThat(s.principal().values()).singleElement()
          .satisfies(v -> assertThat(v.value()).isEqualTo("arn:aws:iam::111111111111:root"));
      assertThat(s.action().patterns()).extracting(p -> p.value()).containsExactly("kms:*");
      assertThat(s.resource().isWildcard()).isTrue();
    });
    assertThat(key.metadata()).isEqualTo(KeyMetadata.defaults());
  }

  @Test
  void load_inlineKeyPolicyAndSubsetOfMetadata_keepsThem() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "keys:",
        "  - arn: arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "    policy: { document: " + ALLOW_ALL.replace("\"Action\"", "\"Principal\":\"*\",\"Action\"") + " }",
        "    manager: AWS",
        "    origin: EXTERNAL",
        "    state: Disabled",
        "    multiRegion: { role: PRIMARY }",
        ""));

    assertThat(errors(r)).isEmpty();
    KmsKey key = r.world().keys().get(0);
    assertThat(key.policy().name()).isEqualTo("world.yaml#/keys/0/policy");
    assertThat(key.metadata().manager()).isEqualTo("AWS");
    assertThat(key.metadata().origin()).isEqualTo("EXTERNAL");
    assertThat(key.metadata().state()).isEqualTo("Disabled");
    assertThat(key.metadata().multiRegionRole()).isEqualTo("PRIMARY");
  }

  @Test
  void load_typoInFieldName_isAnErrorWithSuggestionAtTheKey() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "    polices: []",
        ""));

    assertThat(errors(r)).containsExactly("world.yaml:3:5: error: unknown field `polices` in a principal;"
        + " did you mean `policies`? [world.unknown-field]");
  }

  @Test
  void load_typoInTopLevelSectionAndNestedObjects_eachReported() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "key:",
        "  - arn: x",
        "keys:",
        "  - arn: " + KEY,
        "    rotation: { enabled: true, period: 90 }",
        "    grants:",
        "      - grantee: \"222222222222\"",
        "        operations: [Decrypt]",
        "        constraints: { encryptionContextEqual: { a: b } }",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:1:1: error: unknown field `key` in the world file; did you mean `keys`? [world.unknown-field]",
        "world.yaml:5:32: error: unknown field `period` in `rotation`; did you mean `periodDays`?"
            + " [world.unknown-field]",
        "world.yaml:9:24: error: unknown field `encryptionContextEqual` in `constraints`; did you mean"
            + " `encryptionContextEquals`? [world.unknown-field]");
  }

  @Test
  void load_wrongTypes_reportedAtTheValue() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "    tags: [Team]",
        "    policies: { file: a.json }",
        "keys:",
        "  - arn: " + KEY,
        "    aliases: alias/x",
        "    rotation: { enabled: yes-please, periodDays: ninety }",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:3:11: error: `tags` must be an object, not array [world.wrong-type]",
        "world.yaml:4:15: error: `policies` must be a list, not object [world.wrong-type]",
        "world.yaml:7:14: error: `aliases` must be a list, not string [world.wrong-type]",
        "world.yaml:8:26: error: `enabled` must be true or false, not string [world.wrong-type]",
        "world.yaml:8:50: error: `periodDays` must be a number, not string [world.wrong-type]");
  }

  @Test
  void load_missingRequiredArns_reportedAtTheEntry() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - tags: { a: b }",
        "keys:",
        "  - aliases: [alias/x]",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:2:5: error: a principal needs `arn` [world.missing-field]",
        "world.yaml:4:5: error: a key needs `arn` [world.missing-field]");
    assertThat(r.world().principals()).isEmpty();
    assertThat(r.world().keys()).isEmpty();
  }

  @Test
  void load_invalidArns_reportedAtTheArn() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:group/Analysts",
        "  - arn: arn:aws:sts::222222222222:assumed-role/Analyst/s",
        "  - arn: arn:aws:iam::2222:role/Short",
        "keys:",
        "  - arn: arn:aws:kms:us-east-1:111111111111:alias/finance",
        "  - arn: arn:aws:kms:useast1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:2:10: error: a principal must be an IAM role or user ARN, `arn:aws:iam::ACCOUNT:role/NAME`"
            + " or `arn:aws:iam::ACCOUNT:user/NAME`, not `arn:aws:iam::222222222222:group/Analysts`"
            + " [world.invalid-principal-arn]",
        "world.yaml:3:10: error: a principal must be an IAM role or user ARN, `arn:aws:iam::ACCOUNT:role/NAME`"
            + " or `arn:aws:iam::ACCOUNT:user/NAME`, not `arn:aws:sts::222222222222:assumed-role/Analyst/s`"
            + " [world.invalid-principal-arn]",
        "world.yaml:4:10: error: account id `2222` in `arn:aws:iam::2222:role/Short` must be 12 digits"
            + " [world.invalid-account-id]",
        "world.yaml:6:10: error: a key ARN looks like `arn:aws:kms:REGION:ACCOUNT:key/ID`, not"
            + " `arn:aws:kms:us-east-1:111111111111:alias/finance` [world.invalid-key-arn]",
        "world.yaml:7:10: error: `useast1` in `arn:aws:kms:useast1:111111111111:key/1234abcd-12ab-34cd-56ef-"
            + "1234567890ab` is not a Region name such as `us-east-1` [world.invalid-key-arn]");
  }

  @Test
  void load_unusualKeyId_isOnlyAWarning() throws IOException {
    WorldLoadResult r = load("keys:\n  - arn: arn:aws:kms:us-east-1:111111111111:key/finance\n");

    assertThat(errors(r)).isEmpty();
    assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.code()).isEqualTo("world.unusual-key-id"));
    assertThat(r.world().keys()).hasSize(1);
  }

  @Test
  void load_duplicatePrincipalsAndKeys_reportedAtTheSecondWithTheFirstLine() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "keys:",
        "  - arn: " + KEY,
        "  - arn: " + KEY,
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:3:5: error: principal `arn:aws:iam::222222222222:role/Analyst` is declared twice; first at"
            + " line 2 [world.duplicate-principal]",
        "world.yaml:6:5: error: key `" + KEY + "` is declared twice; first at line 5 [world.duplicate-key]");
  }

  @Test
  void load_missingPolicyFile_pointsAtTheFileValue() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "    policies:",
        "      - { name: analyst, file: policies/nope.json }",
        ""));

    assertThat(errors(r)).containsExactly("world.yaml:4:32: error: policy file `policies/nope.json` does not"
        + " exist (looked for `policies/nope.json`) [world.missing-file]");
  }

  @Test
  void load_awsManagedPolicyByArn_isTheBundledPolicy() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Locked",
        "    policies:",
        "      - { arn: arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser }",
        "      - { arn: arn:aws:iam::aws:policy/AWSDenyAll }",
        ""));
    assertThat(errors(r)).isEmpty();
    dev.keyward.eval.Decision d = dev.keyward.eval.Authorizer.create(r.world()).authorize(
        dev.keyward.request.Request.of("arn:aws:iam::222222222222:role/Locked", "kms:DescribeKey", "*"));
    assertThat(d.verdict()).isEqualTo(dev.keyward.eval.Verdict.EXPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(x -> assertThat(x.policy()).isEqualTo("arn:aws:iam::aws:policy/AWSDenyAll"));
  }

  @Test
  void load_policyArnThatIsNoAwsManagedPolicy_isAnErrorAtTheArn() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    managementAccount: \"999999999999\"",
        "    scps: [{ arn: arn:aws:iam::aws:policy/AWSDenyAll }]",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "    policies:",
        "      - { arn: arn:aws:iam::aws:policy/NoSuchPolicy }",
        "      - { arn: arn:aws:iam::222222222222:policy/mine }",
        "      - { arn: arn:aws:iam::aws:policy/AWSDenyAll, file: x.json }",
        ""));
    assertThat(errors(r)).containsExactly(
        "world.yaml:4:19: error: `arn` names AWS managed identity policies; give this policy as `file` or"
            + " `document` [world.policy-source]",
        "world.yaml:8:16: error: `arn:aws:iam::aws:policy/NoSuchPolicy` is not an AWS managed policy Keyward knows;"
            + " give its text as `file` or `document` [world.unknown-policy]",
        "world.yaml:9:16: error: `arn:aws:iam::222222222222:policy/mine` is not an AWS managed policy ARN"
            + " (`arn:aws:iam::aws:policy/NAME`); a customer managed policy is given as `file` or `document`"
            + " [world.unknown-policy]",
        "world.yaml:10:9: error: a policy takes one of `file`, `document` and `arn` [world.policy-source]");
  }

  @Test
  void load_policyFileWithSyntaxError_isReportedInItsOwnFile() throws IOException {
    file("policies/bad.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}\n");
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "    policies: [{ file: policies/bad.json }]",
        ""));

    assertThat(errors(r)).singleElement().satisfies(e -> assertThat(e).startsWith("policies/bad.json:4:1: error:"));
  }

  @Test
  void load_policyReferenceWithoutSource_orWithBoth_isAnError() throws IOException {
    file("a.json", ALLOW_ALL);
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/Analyst",
        "    policies:",
        "      - { name: nothing }",
        "      - { file: a.json, document: {} }",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:4:9: error: a policy needs `file` (a path relative to the world file), `document` (the"
            + " policy itself) or `arn` (an AWS managed policy) [world.missing-field]",
        "world.yaml:5:9: error: a policy takes one of `file`, `document` and `arn` [world.policy-source]");
  }

  @Test
  void load_grantOperationThatCannotBeGranted_isAnErrorAtTheOperation() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "keys:",
        "  - arn: " + KEY,
        "    grants:",
        "      - grantee: arn:aws:iam::222222222222:role/Analyst",
        "        operations: [Decrypt, ScheduleKeyDeletion, Decryp, kms:Encrypt, Sign]",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:5:31: error: `ScheduleKeyDeletion` is not a grant operation [world.invalid-grant-operation]",
        "world.yaml:5:52: error: `Decryp` is not a grant operation; did you mean `Decrypt`?"
            + " [world.invalid-grant-operation]",
        "world.yaml:5:60: error: `kms:Encrypt` is not a grant operation; write grant operations without `kms:`,"
            + " e.g. `Encrypt` [world.invalid-grant-operation]",
        "world.yaml:5:73: error: a `SYMMETRIC_DEFAULT` key with usage `ENCRYPT_DECRYPT` does not support `Sign`,"
            + " so a grant cannot allow it [world.unsupported-grant-operation]");
  }

  @Test
  void load_grantProblems_missingGranteeBothConstraintsAndAccountId() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "keys:",
        "  - arn: " + KEY,
        "    grants:",
        "      - operations: [Decrypt]",
        "      - grantee: \"12345\"",
        "        operations: [Decrypt]",
        "        constraints:",
        "          encryptionContextEquals: { a: b }",
        "          encryptionContextSubset: { a: b }",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:4:9: error: a grant needs `grantee` [world.missing-field]",
        "world.yaml:5:18: error: `grantee` must be an account id or the ARN of an account, user, role or role"
            + " session, not `12345` [world.invalid-grantee]",
        "world.yaml:8:11: error: a grant takes `encryptionContextEquals` or `encryptionContextSubset`, not both"
            + " [world.grant-constraints]");
  }

  @Test
  void load_grantToAServicePrincipal_isALocatedErrorThatSaysWhy() throws IOException {
    // CreateGrant: "use the Amazon Resource Name (ARN) of an AWS principal. Valid principals include AWS
    // accounts, IAM users, IAM roles, federated users, and assumed role users"
    // (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html)
    WorldLoadResult r = load(String.join("\n",
        "keys:",
        "  - arn: " + KEY,
        "    grants:",
        "      - grantee: logs.us-east-1.amazonaws.com",
        "        operations: [Decrypt]",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:4:18: error: `grantee` must be an account id or the ARN of an account, user, role or role"
            + " session, not `logs.us-east-1.amazonaws.com` (a grant cannot name a service principal: KMS takes the"
            + " ARN of an AWS principal) [world.invalid-grantee]");
  }

  @Test
  void load_accountIdsThatAreNot12Digits_areErrors() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    managementAccount: \"1111\"",
        "    accounts: [\"111111111111\", 22222222222a]",
        "accounts:",
        "  - id: 33333333333",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:3:24: error: account id `1111` must be 12 digits [world.invalid-account-id]",
        "world.yaml:4:32: error: account id `22222222222a` must be 12 digits [world.invalid-account-id]",
        "world.yaml:6:9: error: account id `33333333333` must be 12 digits; quote account ids so that leading"
            + " zeros survive, e.g. `\"011111111111\"` [world.invalid-account-id]");
  }

  @Test
  void load_unquotedTwelveDigitAccountId_isAccepted() throws IOException {
    WorldLoadResult r = load("accounts:\n  - id: 222222222222\n");

    assertThat(errors(r)).isEmpty();
    assertThat(r.world().accounts().get(0).id()).isEqualTo("222222222222");
  }

  @Test
  void load_bucketsImagesAndIdentities_asInTheProductContract() throws IOException {
    file("bucket-policies/src.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
        + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::src-bucket/*\","
        + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}");
    WorldLoadResult r = load(String.join("\n",
        "keys:",
        "  - arn: " + KEY,
        "buckets:",
        "  - name: src-bucket",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    encryption: { type: SSE-KMS, key: " + KEY + ", bucketKey: true }",
        "    blockedEncryptionTypes: [SSE-C]",
        "    objects: [SSE-KMS, SSE-C]",
        "    policy: { file: bucket-policies/src.json }",
        "    replication:",
        "      role: arn:aws:iam::111111111111:role/replication",
        "      rules:",
        "        - id: everything",
        "          sseKmsEncryptedObjects: true",
        "          destination: { bucket: dst-bucket, account: \"222222222222\","
            + " replicaKmsKeyId: arn:aws:kms:us-west-2:222222222222:alias/replica }",
        "  - name: dst-bucket",
        "    account: \"222222222222\"",
        "    region: us-west-2",
        "images:",
        "  - id: ami-0123456789abcdef0",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    snapshots: [{ id: snap-0123456789abcdef0, key: " + KEY + " }]",
        "    launchPermissions: { accounts: [\"222222222222\"], organizations: [], organizationalUnits: [],"
            + " public: false }",
        "    launches:",
        "      - { principal: arn:aws:iam::222222222222:role/Launcher,"
            + " key: arn:aws:kms:us-east-1:222222222222:key/2234abcd-12ab-34cd-56ef-1234567890ab }",
        "identities:",
        "  - { accessKeyId: AKIAEXAMPLEAPP00001, secretAccessKey: s3cr3t,"
            + " principal: arn:aws:sts::111111111111:assumed-role/App/dev }",
        ""));

    assertThat(errors(r)).isEmpty();
    World w = r.world();
    Bucket src = w.buckets().get(0);
    assertThat(src.arn()).isEqualTo("arn:aws:s3:::src-bucket");
    assertThat(src.encryption()).isEqualTo(new Bucket.Encryption("SSE-KMS", KEY, true, src.encryption().source()));
    assertThat(src.blockedEncryptionTypes()).containsExactly("SSE-C");
    assertThat(src.objects()).containsExactly("SSE-KMS", "SSE-C");
    assertThat(src.policy().name()).isEqualTo("bucket-policies/src.json");
    assertThat(src.policy().type()).isEqualTo(PolicyType.RESOURCE);
    assertThat(src.replication().role()).isEqualTo("arn:aws:iam::111111111111:role/replication");
    assertThat(src.replication().rules()).singleElement().satisfies(rule -> {
      assertThat(rule.id()).isEqualTo("everything");
      assertThat(rule.sseKmsEncryptedObjects()).isTrue();
      assertThat(rule.destinationBucket()).isEqualTo("dst-bucket");
      assertThat(rule.destinationAccount()).isEqualTo("222222222222");
      assertThat(rule.replicaKmsKeyId()).isEqualTo("arn:aws:kms:us-west-2:222222222222:alias/replica");
    });
    assertThat(w.buckets().get(1).encryption()).isNull();
    Image image = w.images().get(0);
    assertThat(image.snapshots()).singleElement().satisfies(sn -> assertThat(sn.key()).isEqualTo(KEY));
    assertThat(image.launchPermissions().accounts()).containsExactly("222222222222");
    assertThat(image.launchPermissions().isPublic()).isFalse();
    assertThat(image.launches()).singleElement()
        .satisfies(l -> assertThat(l.principal()).isEqualTo("arn:aws:iam::222222222222:role/Launcher"));
    Identity id = w.identities().get(0);
    assertThat(id.accessKeyId()).isEqualTo("AKIAEXAMPLEAPP00001");
    assertThat(id.secretMatches("s3cr3t")).isTrue();
    assertThat(id.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void load_bucketImageAndIdentityProblems_areLocated() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "buckets:",
        "  - name: Bad_Bucket",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    encryption: { type: SSE-S3, key: alias/x }",
        "    objects: [SSE-KMS, SSEC]",
        "    replication: { role: arn:aws:iam::111111111111:user/u, rules: [{ destination: { bucke: b } }] }",
        "images:",
        "  - id: ami-xyz",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    launchPermissions: { organizations: [o-a1b2c3d4e5], public: maybe }",
        "identities:",
        "  - { accessKeyId: AKIAEXAMPLEAPP00001, secretAccessKey: s, principal: arn:aws:iam::111111111111:role/R }",
        "  - { accessKeyId: nope, secretAccessKey: s, principal: arn:aws:iam::111111111111:user/u }",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:2:11: error: bucket name `Bad_Bucket` must be 3 to 63 lowercase letters, digits, dots or"
            + " hyphens, starting and ending with a letter or digit [world.invalid-bucket-name]",
        "world.yaml:5:38: error: `key` must be a key ARN or an alias ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID` or"
            + " `arn:aws:kms:REGION:ACCOUNT:alias/NAME`), not `alias/x` [world.invalid-key-reference]",
        "world.yaml:5:38: error: only SSE-KMS and DSSE-KMS encryption name a `key` [world.unexpected-field]",
        "world.yaml:6:24: error: `SSEC` is not a valid value of `objects`; did you mean `SSE-C`?; expected one of"
            + " `NONE`, `SSE-S3`, `SSE-KMS`, `DSSE-KMS`, `SSE-C` [world.invalid-value]",
        "world.yaml:7:26: error: the replication `role` must be an IAM role ARN, not"
            + " `arn:aws:iam::111111111111:user/u` [world.invalid-principal-arn]",
        "world.yaml:7:85: error: unknown field `bucke` in `destination`; did you mean `bucket`?"
            + " [world.unknown-field]",
        "world.yaml:7:83: error: `destination` needs `bucket` [world.missing-field]",
        "world.yaml:9:9: error: image id `ami-xyz` must look like `ami-` followed by 8 or 17 lowercase hex digits"
            + " [world.invalid-image-id]",
        "world.yaml:12:42: error: `o-a1b2c3d4e5` in `organizations` must be an organization ARN,"
            + " `arn:aws:organizations::MANAGEMENT_ACCOUNT:organization/o-...` [world.invalid-arn]",
        "world.yaml:12:65: error: `public` must be true or false, not string [world.wrong-type]",
        "world.yaml:14:72: error: credentials belong to a user, a role session"
            + " (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), a federated user"
            + " (`arn:aws:sts::ACCOUNT:federated-user/NAME`) or an account root, not"
            + " `arn:aws:iam::111111111111:role/R` [world.invalid-identity-principal]",
        "world.yaml:15:20: error: access key id `nope` must start with `AKIA` or `ASIA` followed by at least 12"
            + " uppercase letters or digits [world.invalid-access-key-id]");
  }

  @Test
  void load_invalidEnumValues_errorWithSuggestion() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "keys:",
        "  - arn: " + KEY,
        "    manager: CUSTOMERS",
        "    state: enabled",
        "    multiRegion: { role: REPLICA }",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:3:14: error: `CUSTOMERS` is not a valid `manager`; did you mean `CUSTOMER`?"
            + " [world.invalid-value]",
        "world.yaml:4:12: error: `enabled` is not a valid `state`; did you mean `Enabled`? [world.invalid-value]",
        "world.yaml:5:18: error: a `REPLICA` key needs `primary`: the ARN of its primary key"
            + " [world.missing-field]");
  }

  @Test
  void load_missingWorldFile_isOneProblemNotAnException() {
    WorldLoadResult r = WorldLoader.create().load(dir.resolve("nope.yaml"), "nope.yaml");

    assertThat(r.world()).isNull();
    assertThat(errors(r)).containsExactly("nope.yaml: error: file `nope.yaml` does not exist [io.not-found]");
  }

  @Test
  void load_worldThatIsNotAnObject_isAnError() throws IOException {
    WorldLoadResult r = load("- a\n- b\n");

    assertThat(r.world()).isNull();
    assertThat(errors(r)).containsExactly("world.yaml:1:1: error: the world file must be an object, not array"
        + " [world.wrong-type]");
  }

  @Test
  void load_jsonWorld_isReadToo() throws IOException {
    Path world = dir.resolve("world.json");
    Files.writeString(world, "{\"principals\": [{\"arn\": \"arn:aws:iam::222222222222:user/bob\","
        + " \"policies\": [{\"document\": " + ALLOW_ALL + "}]}]}");

    WorldLoadResult r = WorldLoader.create().load(world, "world.json");

    assertThat(errors(r)).isEmpty();
    assertThat(r.world().principals().get(0).policies().get(0).name()).isEqualTo("world.json#/principals/0/policies/0");
  }

  @Test
  void load_samePolicyFileTwice_isParsedOnceAndNamedByItsPath() throws IOException {
    file("p.json", ALLOW_ALL);
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/A",
        "    policies: [{ file: p.json }]",
        "    boundary: { file: ./p.json }",
        ""));

    assertThat(errors(r)).isEmpty();
    IamPrincipal p = r.world().principals().get(0);
    assertThat(p.policies().get(0).name()).isEqualTo("p.json");
    assertThat(p.boundary().name()).isEqualTo("./p.json");
  }

  @Test
  void load_constraintsOnAsymmetricKey_isAnError_andLimitsAreChecked() throws IOException {
    String nine = "{a: '1', b: '2', c: '3', d: '4', e: '5', f: '6', g: '7', h: '8', i: '9'}";
    WorldLoadResult r = load(String.join("\n",
        "keys:",
        "  - arn: " + KEY,
        "    spec: RSA_2048",
        "    usage: SIGN_VERIFY",
        "    grants:",
        "      - grantee: \"222222222222\"",
        "        operations: [Sign]",
        "        constraints: { encryptionContextEquals: { a: b } }",
        "  - arn: " + KEY.replace("1234abcd-", "2234abcd-"),
        "    grants:",
        "      - grantee: \"222222222222\"",
        "        operations: [Decrypt]",
        "        constraints: { encryptionContextSubset: " + nine + " }",
        "      - grantee: \"222222222222\"",
        "        operations: [Decrypt]",
        "        constraints: { encryptionContextSubset: { a: " + "x".repeat(385) + " } }",
        ""));

    assertThat(errors(r)).containsExactly(
        "world.yaml:8:22: error: encryption context constraints work only on symmetric encryption keys, and this"
            + " key is `RSA_2048` [world.grant-constraints]",
        "world.yaml:13:49: error: `encryptionContextSubset` has 9 pairs; KMS allows at most 8"
            + " [world.grant-constraints]",
        "world.yaml:16:54: error: the value of `a` is longer than 384 characters, the most KMS allows"
            + " [world.grant-constraints]");
    assertThat(r.world().keys().get(0).grants().get(0).grantee()).isEqualTo("arn:aws:iam::222222222222:root");
  }

  @Test
  void load_usageThatTheSpecDoesNotAllow_isAnError() throws IOException {
    WorldLoadResult r = load("keys:\n  - arn: " + KEY + "\n    spec: HMAC_256\n    usage: ENCRYPT_DECRYPT\n");

    assertThat(errors(r)).containsExactly("world.yaml:4:12: error: a `HMAC_256` key cannot have usage"
        + " `ENCRYPT_DECRYPT`; it allows `GENERATE_VERIFY_MAC` [world.invalid-usage]");
  }

  @Test
  void load_hmacKeyWithoutUsage_getsMacUsage() throws IOException {
    WorldLoadResult r = load("keys:\n  - arn: " + KEY + "\n    spec: HMAC_256\n");

    assertThat(errors(r)).isEmpty();
    assertThat(r.world().keys().get(0).metadata().usage()).isEqualTo("GENERATE_VERIFY_MAC");
  }

  @Test
  void load_policyProblems_areLocatedInTheirOwnFileOrInTheWorld() throws IOException {
    file("policies/with-principal.json", String.join("\n",
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [{",
        "    \"Effect\": \"Allow\",",
        "    \"Principal\": \"*\",",
        "    \"Action\": \"kms:Decrypt\",",
        "    \"Resource\": \"*\"",
        "  }]",
        "}"));
    WorldLoadResult r = load(String.join("\n",
        "principals:",
        "  - arn: arn:aws:iam::222222222222:role/A",
        "    policies:",
        "      - file: policies/with-principal.json",
        "      - document:",
        "          Version: \"2012-10-17\"",
        "          Statement:",
        "            - Effect: Alow",
        "              Action: kms:Decrypt",
        "              Resource: \"*\"",
        ""));

    assertThat(errors(r)).hasSize(2);
    assertThat(errors(r).get(0)).startsWith("policies/with-principal.json:5:5: error:").contains("Principal");
    assertThat(errors(r).get(1)).startsWith("world.yaml:8:23: error:").contains("Alow");
  }

  @Test
  void load_scpsOnTheManagementAccount_areAWarning() throws IOException {
    WorldLoadResult r = load(String.join("\n",
        "organizations:",
        "  - id: o-a1b2c3d4e5",
        "    managementAccount: \"111111111111\"",
        "accounts:",
        "  - id: \"111111111111\"",
        "    scps: [{ document: " + ALLOW_ALL + " }]",
        ""));

    assertThat(errors(r)).isEmpty();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.display()).isEqualTo("world.yaml:5:5: warning: account `111111111111` is the management"
          + " account of `o-a1b2c3d4e5`; SCPs never restrict it, so these SCPs have no effect"
          + " [world.scp-on-management-account]");
    });
    assertThat(r.world().organizations().get(0).accounts()).containsExactly("111111111111");
  }
}
