package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.model.Statement;
import dev.keyward.world.Bucket;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.Image;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every analysis, a broken world and its repaired twin (src/test/resources/checks/ANALYSIS/): the
 * broken one gives exactly the expected findings, each with its refused request and fix; the repaired one,
 * in which every suggested fix was applied, gives none.
 */
class CheckFixturesTest {

  private static final Path ROOT = Path.of("src", "test", "resources", "checks");
  private static final String SRC_KEY = "arn:aws:kms:us-east-1:111111111111:key/11111111-1111-4111-8111-111111111111";
  private static final String DST_KEY = "arn:aws:kms:us-west-2:222222222222:key/22222222-2222-4222-8222-222222222222";
  private static final String REPLICATION_ROLE = "arn:aws:iam::111111111111:role/replication";

  static World load(String analysis, String variant) {
    WorldLoadResult r = WorldLoader.create().load(ROOT.resolve(analysis).resolve(variant).resolve("world.yaml"),
        "world.yaml");
    assertThat(r.problems()).extracting(Problem::display).isEmpty();
    return r.world();
  }

  static List<Finding> check(String analysis, String variant) {
    return Checker.create().check(load(analysis, variant), List.of(analysis)).findings();
  }

  private static Finding only(List<Finding> findings, String messagePart) {
    List<Finding> matching = findings.stream().filter(f -> f.message().contains(messagePart)).toList();
    assertThat(matching).as("findings containing `%s`", messagePart).hasSize(1);
    return matching.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3-replication", "ami-sharing", "multi-region", "rotation"})
  void repaired_everyAnalysis_hasNoFindings(String analysis) {
    assertThat(check(analysis, "repaired")).isEmpty();
    assertThat(check(analysis, "broken")).isNotEmpty();
  }

  @Test
  void repaired_crossAccount_keepsOnlyTheNoteThatListsTheIntendedSharing() {
    // the repair keeps what the partner account is meant to do; cross-account lists it as a note
    assertThat(check("cross-account", "repaired")).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.NOTE);
      assertThat(f.message()).isEqualTo("account 222222222222 (those of its principals that its IAM policies"
          + " allow, same organization) can call kms:Decrypt, kms:DescribeKey without conditions");
      assertThat(f.missing()).isEmpty();
      assertThat(f.fix()).isNull();
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"cross-account", "s3-replication", "ami-sharing", "multi-region"})
  void repaired_holdsEveryStatementTheBrokenFindingsSuggested(String analysis) {
    World repaired = load(analysis, "repaired");
    int statements = 0;
    for (Finding f : check(analysis, "broken")) {
      if (f.fix() == null || !f.fix().startsWith("{\"Sid\"")) {
        continue;
      }
      statements++;
      PolicyDocument policy = policyNamed(repaired, f.policy());
      assertThat(policy).as("policy `%s` of finding `%s`", f.policy(), f.message()).isNotNull();
      Statement suggested = WorldPatch.parse(f.fix(), policy.type());
      List<String> present = new ArrayList<>();
      for (Statement s : policy.statements()) {
        present.add(JsonText.of(Statements.toMap(s)));
      }
      assertThat(present).as("statements of `%s`", f.policy()).contains(JsonText.of(Statements.toMap(suggested)));
    }
    assertThat(statements).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cross-account", "s3-replication", "ami-sharing", "multi-region"})
  void broken_withEverySuggestedStatementApplied_hasNoStatementFindingLeft(String analysis) {
    World w = load(analysis, "broken");
    List<Finding> before = Checker.create().check(w, List.of(analysis)).findings();
    for (Finding f : before) {
      if (f.fix() != null && f.fix().startsWith("{\"Sid\"")) {
        w = apply(w, f.policy(), f.fix());
      }
    }
    List<Finding> after = Checker.create().check(w, List.of(analysis)).findings();
    assertThat(after).noneMatch(f -> f.fix() != null && f.fix().startsWith("{\"Sid\""));
    for (Finding f : after) {
      assertThat(before).as("a fix must not create findings").contains(f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cross-account-decrypt", "s3-replication-cross-account", "ami-sharing",
      "multi-region-keys", "messy-account"})
  void example_withEverySuggestedStatementApplied_hasNoStatementFindingLeft(String example) {
    World w = WorldLoader.create().load(Path.of("..", "..", "examples", example, "world.yaml"), "world.yaml").world();
    List<Finding> before = Checker.create().check(w).findings();
    for (Finding f : before) {
      if (f.fix() != null && f.fix().startsWith("{\"Sid\"")) {
        w = apply(w, f.policy(), f.fix());
      }
    }
    List<Finding> after = Checker.create().check(w).findings();
    assertThat(after).noneMatch(f -> f.fix() != null && f.fix().startsWith("{\"Sid\""));
    assertThat(after).noneMatch(f -> !f.missing().isEmpty() && f.severity() == Severity.ERROR
        && !f.analysis().equals("cross-account"));
  }

  /** Applies a statement fix to the policy it names, in place of the statement with the same Sid if any. */
  private static World apply(World w, String policy, String fix) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\{\"Sid\":\"([^\"]*)\"").matcher(fix);
    String sid = m.find() ? m.group(1) : "";
    for (KmsKey k : w.keys()) {
      if (k.policy().name().equals(policy)) {
        boolean replace = k.policy().statements().stream().anyMatch(s -> s.label().equals(sid));
        return WorldPatch.keyStatement(w, k.arn().toString(), fix, replace ? sid : null);
      }
    }
    for (IamPrincipal p : w.principals()) {
      if (WorldPatch.identityPolicyName(p).equals(policy)) {
        return WorldPatch.identityStatement(w, p.arn(), fix);
      }
    }
    for (Bucket b : w.buckets()) {
      String name = b.policy() != null ? b.policy().name() : WorldPatch.newBucketPolicyName(b.name());
      if (name.equals(policy)) {
        return WorldPatch.bucketStatement(w, b.name(), fix);
      }
    }
    throw new AssertionError("no policy named " + policy);
  }

  private static PolicyDocument policyNamed(World w, String name) {
    for (KmsKey k : w.keys()) {
      if (k.policy().name().equals(name)) {
        return k.policy();
      }
    }
    for (IamPrincipal p : w.principals()) {
      for (PolicyDocument d : p.policies()) {
        if (d.name().equals(name)) {
          return d;
        }
      }
    }
    for (Bucket b : w.buckets()) {
      if (b.policy() != null && b.policy().name().equals(name)) {
        return b.policy();
      }
    }
    return null;
  }

  // ---- s3-replication ----

  @Test
  void s3Replication_broken_reportsEveryRefusedRequestWithItsFix() {
    List<Finding> findings = check("s3-replication", "broken");

    assertThat(findings).extracting(Finding::analysis, Finding::severity, Finding::subject).containsOnly(
        tuple("s3-replication", Severity.ERROR, "arn:aws:s3:::src-bucket"));
    assertThat(findings).hasSize(6);

    // the source uses a Bucket Key, so S3 sends the bucket ARN; the role's condition names object ARNs
    Finding decryptSource = only(findings, "`kms:Decrypt` on the source key");
    assertThat(decryptSource.missing()).containsExactly(new MissingRequest(REPLICATION_ROLE, "kms:Decrypt", SRC_KEY,
        Map.of("kms:ViaService", List.of("s3.us-east-1.amazonaws.com"),
            "kms:EncryptionContext:aws:s3:arn", List.of("arn:aws:s3:::src-bucket"))));
    assertThat(decryptSource.policy()).isEqualTo("world.yaml#/principals/0/policies/0");
    assertThat(decryptSource.fix()).isEqualTo("{\"Sid\":\"AllowDecryptOn11111111\",\"Effect\":\"Allow\","
        + "\"Action\":\"kms:Decrypt\",\"Resource\":\"" + SRC_KEY + "\",\"Condition\":{\"StringEquals\":"
        + "{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"},\"StringLike\":"
        + "{\"kms:EncryptionContext:aws:s3:arn\":\"arn:aws:s3:::src-bucket\"}}}");

    // cross-account: the destination key policy must name the role (its IAM policy already allows)
    Finding encrypt = only(findings, "`kms:Encrypt` on the replica key");
    assertThat(encrypt.missing()).extracting(MissingRequest::principal, MissingRequest::action,
        MissingRequest::resource).containsExactly(tuple(REPLICATION_ROLE, "kms:Encrypt", DST_KEY));
    assertThat(encrypt.missing().get(0).context()).containsEntry("kms:EncryptionContext:aws:s3:arn",
        List.of("arn:aws:s3:::dst-bucket"));
    assertThat(encrypt.policy()).isEqualTo("world.yaml#/keys/1/policy");
    assertThat(encrypt.fix()).startsWith("{\"Sid\":\"AllowReplicationEncrypt\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\"" + REPLICATION_ROLE + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"");

    // S3 verifies the destination Bucket Key with kms:Decrypt: neither policy allows it, so both must change
    List<Finding> decryptReplica = findings.stream()
        .filter(f -> f.message().contains("`kms:Decrypt` on the replica key")).toList();
    assertThat(decryptReplica).extracting(Finding::policy).containsExactlyInAnyOrder(
        "world.yaml#/keys/1/policy", "world.yaml#/principals/0/policies/0");
    assertThat(decryptReplica).allSatisfy(f -> assertThat(f.message()).contains("must change too"));

    Finding delete = only(findings, "`s3:ReplicateDelete`");
    assertThat(delete.missing()).containsExactly(new MissingRequest(REPLICATION_ROLE, "s3:ReplicateDelete",
        "arn:aws:s3:::dst-bucket/replication-check/object", Map.of()));
    assertThat(delete.fix()).isEqualTo("{\"Sid\":\"AllowReplicateDelete\",\"Effect\":\"Allow\","
        + "\"Action\":\"s3:ReplicateDelete\",\"Resource\":\"arn:aws:s3:::dst-bucket/*\"}");

    Finding ssec = only(findings, "blocks SSE-C");
    assertThat(ssec.missing()).isEmpty();
    assertThat(ssec.policy()).isEqualTo("default encryption of bucket `dst-bucket`");
    assertThat(ssec.fix()).isEqualTo("{\"BlockedEncryptionTypes\":{\"EncryptionType\":[\"NONE\"]}}");
    assertThat(load("s3-replication", "repaired").buckets().get(1).blockedEncryptionTypes()).containsExactly("NONE");
  }

  // ---- cross-account ----

  @Test
  void crossAccount_broken_reportsTheOpenStatementAndLocalOnlyOperations() {
    List<Finding> findings = check("cross-account", "broken");
    String key = "arn:aws:kms:us-east-1:111111111111:key/33333333-3333-4333-8333-333333333333";

    assertThat(findings).extracting(Finding::severity, Finding::subject).containsExactly(
        tuple(Severity.ERROR, key), tuple(Severity.WARNING, key), tuple(Severity.NOTE, key));
    assertThat(findings.get(2).message()).startsWith("account 222222222222 (those of its principals that its"
        + " IAM policies allow, same organization) can call kms:Decrypt, kms:DescribeKey");
    Finding open = findings.get(0);
    assertThat(open.message()).startsWith("statement `OrganizationDecrypt` of the key policy lets every AWS"
        + " account call kms:Decrypt, kms:DescribeKey");
    assertThat(open.missing()).extracting(MissingRequest::principal, MissingRequest::action).containsExactly(
        tuple("arn:aws:iam::999999999999:root", "kms:Decrypt"),
        tuple("arn:aws:iam::999999999999:root", "kms:DescribeKey"));
    assertThat(open.policy()).isEqualTo("world.yaml#/keys/0/policy");
    assertThat(open.fix()).isEqualTo("{\"Sid\":\"OrganizationDecrypt\",\"Effect\":\"Allow\",\"Principal\":"
        + "{\"AWS\":\"*\"},\"Action\":[\"kms:Decrypt\",\"kms:DescribeKey\"],\"Resource\":\"*\",\"Condition\":"
        + "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}");

    Finding local = findings.get(1);
    assertThat(local.message()).startsWith("statement `PartnerAdministration` of the key policy gives account"
        + " 222222222222 kms:PutKeyPolicy, kms:ScheduleKeyDeletion, which cannot be used across accounts");
    assertThat(local.fix()).isEqualTo("{\"Sid\":\"PartnerAdministration\",\"Effect\":\"Allow\",\"Principal\":"
        + "{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
  }

  // ---- ami-sharing ----

  @Test
  void amiSharing_broken_reportsPermissionsKeysAndEncryptionRules() {
    List<Finding> findings = check("ami-sharing", "broken");
    String launcher = "arn:aws:iam::222222222222:role/Launcher";
    String sourceKey = "arn:aws:kms:us-east-1:111111111111:key/66666666-6666-4666-8666-666666666601";
    String ownKey = "arn:aws:kms:us-east-1:222222222222:key/77777777-7777-4777-8777-777777777701";

    assertThat(findings).extracting(Finding::subject).containsExactly("ami-0aaaaaaaaaaaaaaa1",
        "ami-0aaaaaaaaaaaaaaa1", "ami-0aaaaaaaaaaaaaaa1", "ami-0aaaaaaaaaaaaaaa1", "ami-0bbbbbbbbbbbbbbb2",
        "ami-0bbbbbbbbbbbbbbb2");
    Finding permission = only(findings, "has no launch permission");
    assertThat(permission.fix()).isEqualTo("{\"LaunchPermission\":{\"Add\":[{\"UserId\":\"222222222222\"}]}}");
    assertThat(load("ami-sharing", "repaired").images().get(0).launchPermissions().accounts())
        .containsExactly("222222222222");

    Finding gdk = only(findings, "`kms:GenerateDataKeyWithoutPlaintext` on the source key");
    assertThat(gdk.missing()).containsExactly(new MissingRequest(launcher, "kms:GenerateDataKeyWithoutPlaintext",
        sourceKey, Map.of("kms:ViaService", List.of("ec2.us-east-1.amazonaws.com"))));
    assertThat(gdk.policy()).isEqualTo("world.yaml#/principals/0/policies/0");

    Finding reEncrypt = only(findings, "`kms:ReEncryptTo` on the re-encryption key");
    assertThat(reEncrypt.missing()).extracting(MissingRequest::resource).containsExactly(ownKey);
    assertThat(reEncrypt.policy()).isEqualTo("world.yaml#/keys/2/policy");
    assertThat(reEncrypt.fix()).contains("\"Principal\":{\"AWS\":\"" + launcher + "\"}");

    assertThat(only(findings, "cannot be public").fix())
        .isEqualTo("{\"LaunchPermission\":{\"Remove\":[{\"Group\":\"all\"}]}}");
    Finding awsEbs = only(findings, "(aws/ebs), which cannot be shared");
    assertThat(awsEbs.fix()).isEqualTo("{\"Operation\":\"CopyImage\",\"SourceImageId\":\"ami-0bbbbbbbbbbbbbbb2\","
        + "\"SourceRegion\":\"us-east-1\",\"Encrypted\":true,\"KmsKeyId\":\"" + sourceKey + "\"}");
    Image copy = load("ami-sharing", "repaired").images().get(1);
    assertThat(copy.snapshots().get(0).key()).isEqualTo(sourceKey);
    assertThat(copy.launchPermissions().isPublic()).isFalse();
  }

  @Test
  void amiSharing_createGrantWithoutAwsResourceCondition_isRefusedAndTheFixRecommendsIt() {
    World w = load("ami-sharing", "repaired");
    // the source key lets the target account create grants only for AWS resources
    List<Finding> refused = Repairs.kms(CheckContext.create(w), "ami-sharing", Severity.ERROR, "x", "create grant",
        new dev.keyward.request.Request("", "arn:aws:iam::222222222222:role/Launcher", "kms:CreateGrant",
            "arn:aws:kms:us-east-1:111111111111:key/66666666-6666-4666-8666-666666666601",
            Map.of("kms:ViaService", List.of("ec2.us-east-1.amazonaws.com"))),
        new Statements.Conditions().add("Bool", "kms:GrantIsForAWSResource", "true").build());
    assertThat(refused).isNotEmpty();
    assertThat(check("ami-sharing", "repaired")).isEmpty();
  }

  // ---- multi-region ----

  @Test
  void multiRegion_broken_reportsTheReplicaPolicyAndTheMissingRegion() {
    List<Finding> findings = check("multi-region", "broken");
    String primary = "arn:aws:kms:us-east-1:111111111111:key/mrk-5555aaaa5555bbbb5555cccc5555dddd";
    String replica = "arn:aws:kms:eu-west-1:111111111111:key/mrk-5555aaaa5555bbbb5555cccc5555dddd";

    assertThat(findings).extracting(Finding::severity, Finding::subject).containsExactly(
        tuple(Severity.WARNING, replica), tuple(Severity.WARNING, replica), tuple(Severity.WARNING, replica),
        tuple(Severity.ERROR, primary));
    assertThat(findings.subList(0, 3)).extracting(f -> f.missing().get(0).action())
        .containsExactly("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
    assertThat(findings.get(0).missing()).containsExactly(new MissingRequest("arn:aws:iam::111111111111:role/App",
        "kms:Decrypt", replica, Map.of()));
    assertThat(findings.get(0).fix()).isEqualTo("{\"Sid\":\"AllowAppDecrypt\",\"Effect\":\"Allow\",\"Principal\":"
        + "{\"AWS\":\"arn:aws:iam::111111111111:role/App\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
    Finding region = findings.get(3);
    assertThat(region.message()).contains("no replica in Region `ap-southeast-2`");
    assertThat(region.fix()).isEqualTo("{\"Operation\":\"ReplicateKey\",\"KeyId\":\"" + primary
        + "\",\"ReplicaRegion\":\"ap-southeast-2\"}");
    assertThat(load("multi-region", "repaired").keys()).extracting(KmsKey::region)
        .contains("ap-southeast-2");
  }

  // ---- rotation ----

  @Test
  void rotation_broken_reportsEachKeyWithTheRequestThatFixesIt() {
    List<Finding> findings = check("rotation", "broken");
    String prefix = "arn:aws:kms:us-east-1:111111111111:key/44444444-4444-4444-8444-4444444444";

    assertThat(findings).extracting(Finding::severity, Finding::subject, Finding::fix).containsExactly(
        tuple(Severity.WARNING, prefix + "01", "{\"Operation\":\"EnableKeyRotation\",\"KeyId\":\"" + prefix
            + "01\",\"RotationPeriodInDays\":365}"),
        tuple(Severity.ERROR, prefix + "02", "{\"Operation\":\"EnableKeyRotation\",\"KeyId\":\"" + prefix
            + "02\",\"RotationPeriodInDays\":90}"),
        tuple(Severity.ERROR, prefix + "03", "{\"Operation\":\"DisableKeyRotation\",\"KeyId\":\"" + prefix + "03\"}"),
        tuple(Severity.ERROR, prefix + "04", "{\"Operation\":\"DisableKeyRotation\",\"KeyId\":\"" + prefix + "04\"}"));
    assertThat(findings.get(2).message()).contains("asymmetric keys (`RSA_2048`) cannot rotate automatically");
    assertThat(findings.get(3).message()).contains("imported key material");
    World repaired = load("rotation", "repaired");
    assertThat(repaired.keys()).extracting(k -> k.metadata().rotationEnabled(), k -> k.metadata().rotationPeriodDays())
        .startsWith(tuple(true, 365), tuple(true, 90), tuple(false, null), tuple(false, null));
  }
}
