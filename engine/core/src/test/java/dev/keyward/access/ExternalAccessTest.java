package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.Verdict;
import dev.keyward.iam.IamReference;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.JsonOut;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.DefaultKeyPolicy;
import dev.keyward.world.Grant;
import dev.keyward.world.KeyMetadata;
import dev.keyward.world.KmsKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Typical key policies analysed with exact expected findings (zone: the key's account unless said). */
class ExternalAccessTest {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final Zone OWN = Zone.ofAccount("111111111111");
  static final List<String> KEY_USER_ACTIONS = List.of("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt",
      "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
      "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo");

  static PolicyDocument policy(String resource) {
    try (InputStream in = ExternalAccessTest.class.getResourceAsStream("/access/" + resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return PolicyParser.create().parseString(text, resource, PolicyType.KEY_POLICY).policy();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyTarget target(String resource) {
    return KeyTarget.of(KEY, policy(resource), IamReference.bundled());
  }

  static AccessReport analyze(String resource, Zone zone) {
    return ExternalAccess.analyze(target(resource), zone);
  }

  /** Every exact finding's example is allowed by the authorizer. */
  static void assertExamplesAllowed(KeyTarget t, AccessReport r) {
    for (Finding f : r.findings()) {
      if (f.exact()) {
        assertThat(Witness.decide(t, f.example()).verdict()).as(f.toString()).isEqualTo(Verdict.ALLOW);
      }
    }
  }

  @Test
  void analyze_defaultKeyPolicy_noExternalAccess() {
    assertThat(analyze("default.json", OWN).findings()).isEmpty();
    KeyTarget t = KeyTarget.of(KEY, DefaultKeyPolicy.forAccount("111111111111", "default"), IamReference.bundled());
    assertThat(ExternalAccess.analyze(t, OWN).findings()).isEmpty();
  }

  @Test
  void analyze_consolePolicyWithinAccount_noExternalAccess() {
    assertThat(analyze("console.json", OWN).findings()).isEmpty();
  }

  @Test
  void analyze_awsManagedKeyPolicy_noExternalAccess() {
    assertThat(analyze("aws-managed-ebs.json", OWN).findings()).isEmpty();
  }

  @Test
  void analyze_consolePolicyWithExternalAccount_keyUseAndGrantsForAwsResources() {
    KeyTarget t = target("console-cross-account.json");
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).hasSize(2);
    Finding grants = r.findings().get(0);
    Finding use = r.findings().get(1);
    assertThat(grants.kind()).isEqualTo(Finding.Kind.ACCOUNT);
    assertThat(grants.principal()).isEqualTo("222222222222");
    assertThat(grants.actions()).containsExactly("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant");
    assertThat(grants.conditions()).containsExactly("Bool kms:GrantIsForAWSResource [true]");
    assertThat(grants.statements()).containsExactly("console-cross-account.json Allow attachment of persistent resources");
    assertThat(use.kind()).isEqualTo(Finding.Kind.ACCOUNT);
    assertThat(use.principal()).isEqualTo("222222222222");
    assertThat(use.actions()).containsExactlyElementsOf(KEY_USER_ACTIONS);
    assertThat(use.conditions()).isEmpty();
    assertThat(use.exact()).isTrue();
    assertThat(use.notes()).contains(ExternalAccess.IAM_NOTE);
    assertExamplesAllowed(t, r);
  }

  @Test
  void analyze_crossAccountRole_namesTheRole() {
    KeyTarget t = target("cross-account-role.json");
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.PRINCIPAL);
      assertThat(f.principal()).isEqualTo("arn:aws:iam::222222222222:role/Reader");
      assertThat(f.actions()).containsExactly("kms:Decrypt", "kms:DescribeKey");
      assertThat(f.statements()).containsExactly("cross-account-role.json PartnerReader");
    });
    assertExamplesAllowed(t, r);
    assertThat(r.covers("arn:aws:sts::222222222222:assumed-role/Reader/job", null, "kms:Decrypt")).isTrue();
    assertThat(r.covers("arn:aws:iam::222222222222:role/Writer", null, "kms:Decrypt")).isFalse();
  }

  /**
   * A key policy naming a federated user session of another account, and one that lets federated users of
   * any account in by aws:PrincipalType: both are external access, with examples the authorizer allows
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html).
   */
  @Test
  void analyze_federatedUsers_areCallers() {
    String text = "{\"Version\": \"2012-10-17\", \"Statement\": ["
        + "{\"Sid\": \"Own\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"},"
        + " \"Action\": \"kms:*\", \"Resource\": \"*\"},"
        + "{\"Sid\": \"Broker\", \"Effect\": \"Allow\","
        + " \"Principal\": {\"AWS\": \"arn:aws:sts::222222222222:federated-user/broker\"},"
        + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"},"
        + "{\"Sid\": \"AnyFederated\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Encrypt\","
        + " \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalType\": \"FederatedUser\"}}}]}";
    PolicyDocument p = PolicyParser.create().parseString(text, "federated.json", PolicyType.KEY_POLICY).policy();
    KeyTarget t = KeyTarget.of(KEY, p, IamReference.bundled());
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).anySatisfy(f -> {
      assertThat(f.principal()).isEqualTo("arn:aws:sts::222222222222:federated-user/broker");
      assertThat(f.actions()).contains("kms:Decrypt");
      assertThat(f.exact()).isTrue();
    });
    assertThat(r.findings()).anySatisfy(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.ANY_PRINCIPAL);
      assertThat(f.actions()).containsExactly("kms:Encrypt");
      assertThat(f.example().principal()).contains(":federated-user/");
    });
    assertExamplesAllowed(t, r);
    assertThat(r.covers("arn:aws:sts::333333333333:federated-user/x", "arn:aws:iam::333333333333:user/u", null,
        "kms:Encrypt")).isTrue();
  }

  @Test
  void analyze_orgWidePolicy_organizationOutsideAccountZone_nothingOutsideOrgZone() {
    KeyTarget t = target("org-wide.json");
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.ORGANIZATION);
      assertThat(f.principal()).isEqualTo("o-a1b2c3d4e5");
      assertThat(f.actions()).containsExactly("kms:Decrypt", "kms:GenerateDataKey");
      assertThat(f.conditions()).containsExactly("StringEquals aws:PrincipalOrgID [o-a1b2c3d4e5]");
      assertThat(f.example().organization()).isEqualTo("o-a1b2c3d4e5");
    });
    assertExamplesAllowed(t, r);
    Zone org = new Zone(Set.of("111111111111"), Set.of("o-a1b2c3d4e5"));
    assertThat(ExternalAccess.analyze(t, org).findings()).isEmpty();
  }

  @Test
  void analyze_principalStarWithCallerAccount_onlyTheOtherAccount() {
    KeyTarget t = target("caller-account.json");
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.ACCOUNT);
      assertThat(f.principal()).isEqualTo("333333333333");
      assertThat(f.actions()).containsExactly("kms:Decrypt");
    });
    assertExamplesAllowed(t, r);
  }

  @Test
  void analyze_principalStarWithViaService_anyPrincipalUnderTheCondition() {
    KeyTarget t = target("via-service.json");
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.ANY_PRINCIPAL);
      assertThat(f.actions()).containsExactly("kms:Decrypt", "kms:Encrypt");
      assertThat(f.conditions()).containsExactly("StringEquals kms:ViaService [s3.us-east-1.amazonaws.com]");
      assertThat(f.exact()).isTrue();
      assertThat(f.example().context()).containsEntry("kms:ViaService", List.of("s3.us-east-1.amazonaws.com"));
    });
    assertExamplesAllowed(t, r);
  }

  @Test
  void analyze_bareStarPrincipal_anyPrincipalAndAnyService() {
    KeyTarget t = target("public.json");
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).extracting(Finding::kind)
        .containsExactly(Finding.Kind.ANY_PRINCIPAL, Finding.Kind.SERVICE);
    assertThat(r.findings()).allSatisfy(f -> assertThat(f.actions()).containsExactly("kms:Decrypt"));
    assertThat(r.findings().get(1).principal()).isEqualTo("*");
    assertExamplesAllowed(t, r);
    assertThat(r.covers("arn:aws:iam::999999999999:user/anyone", "o-zzzzzzzzzz", "kms:Decrypt")).isTrue();
    assertThat(r.covers("arn:aws:iam::999999999999:user/anyone", null, "kms:Encrypt")).isFalse();
  }

  @Test
  void analyze_denyOutsideOrganization_onlyTheOrganizationRemains() {
    KeyTarget t = target("deny-outside-org.json");
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.ORGANIZATION);
      assertThat(f.principal()).isEqualTo("o-a1b2c3d4e5");
      assertThat(f.actions()).containsExactly("kms:Decrypt");
    });
    assertThat(r.covers("arn:aws:iam::999999999999:role/x", null, "kms:Decrypt")).isFalse();
    assertExamplesAllowed(t, r);
  }

  @Test
  void analyze_policyVariableInCondition_overApproximationSaysSo() {
    AccessReport r = analyze("variable.json", OWN);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.ANY_PRINCIPAL);
      assertThat(f.exact()).isFalse();
      assertThat(f.notes()).anyMatch(n -> n.startsWith("over-approximation"));
    });
  }

  @Test
  void analyze_worldKeyWithCrossAccountGrant_grantFindingsWithConstraint() {
    SourceRef src = SourceRef.synthetic("world.yaml", "/keys/0/grants/0");
    Grant g = new Grant("g1", "arn:aws:iam::222222222222:role/App", List.of("Decrypt", "DescribeKey"), null,
        Map.of("Dept", "Finance"), null, null, src);
    KmsKey key = new KmsKey(dev.keyward.model.Arn.parse(KEY).orElseThrow(), policy("default.json"), false,
        List.of(g), KeyMetadata.defaults(), src);
    KeyTarget t = KeyTarget.of(key, IamReference.bundled());
    AccessReport r = ExternalAccess.analyze(t, OWN);
    assertThat(r.findings()).hasSize(2);
    assertThat(r.findings()).allSatisfy(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.PRINCIPAL);
      assertThat(f.principal()).isEqualTo("arn:aws:iam::222222222222:role/App");
    });
    assertThat(r.findings()).anySatisfy(f -> {
      assertThat(f.actions()).containsExactly("kms:Decrypt");
      assertThat(f.conditions()).containsExactly("StringEquals kms:EncryptionContext:Dept [Finance]");
      assertThat(f.example().context()).containsEntry("kms:EncryptionContext:Dept", List.of("Finance"));
    });
    assertThat(r.findings()).anySatisfy(f -> {
      assertThat(f.actions()).containsExactly("kms:DescribeKey");
      assertThat(f.conditions()).isEmpty();
    });
    assertExamplesAllowed(t, r);
  }

  @Test
  void canAnyoneOutside_answersPerActionWithAnAllowedExample() {
    KeyTarget t = target("console-cross-account.json");
    ExternalAccess a = ExternalAccess.of(t);
    assertThat(a.canAnyoneOutside(OWN, "kms:PutKeyPolicy", KEY)).isEmpty();
    assertThat(a.canAnyoneOutside(OWN, "kms:ScheduleKeyDeletion", "*")).isEmpty();
    var ex = a.canAnyoneOutside(OWN, "kms:Decrypt", KEY);
    assertThat(ex).isPresent();
    assertThat(ex.get().principal()).contains(":222222222222:");
    assertThat(Witness.decide(t, ex.get()).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(a.canAnyoneOutside(OWN, "kms:ReEncrypt*", KEY)).isPresent();
    assertThat(a.canAnyoneOutside(new Zone(Set.of("111111111111", "222222222222"), Set.of()), "kms:*", KEY))
        .isEmpty();
    assertThat(a.canAnyoneOutside(OWN, "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/other")).isEmpty();
  }

  @Test
  void report_jsonAndText_nameClassActionsAndExample() {
    AccessReport r = analyze("cross-account-role.json", OWN);
    String json = JsonOut.indented(r.toMap());
    assertThat(json).contains("\"kind\": \"principal\"", "\"principal\": \"arn:aws:iam::222222222222:role/Reader\"",
        "\"exact\": true", "\"example\": {");
    assertThat(r.text()).contains("principal arn:aws:iam::222222222222:role/Reader",
        "actions: kms:Decrypt, kms:DescribeKey", "1 finding");
  }

  static KeyTarget inline(String condition) {
    String text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{"
        + condition + "}}]}";
    return KeyTarget.of(KEY, PolicyParser.create().parseString(text, "k.json", PolicyType.KEY_POLICY).policy(),
        IamReference.bundled());
  }

  @Test
  void analyze_intervalConditions_examplesInsideTheIntervals() {
    String[][] cases = {
        {"\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}", "aws:SourceIp"},
        {"\"NotIpAddress\":{\"aws:SourceIp\":[\"0.0.0.0/1\",\"128.0.0.0/2\",\"192.0.0.0/3\",\"::/0\"]}",
            null}, // a missing key satisfies a negated operator
        {"\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"},"
            + "\"NumericGreaterThan\":{\"aws:MultiFactorAuthAge\":\"3599\"}", "aws:MultiFactorAuthAge"},
        {"\"DateGreaterThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"},"
            + "\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00.002Z\"}", "aws:CurrentTime"},
        {"\"Bool\":{\"aws:SecureTransport\":\"true\"}", "aws:SecureTransport"},
        {"\"ForAnyValue:StringLike\":{\"kms:EncryptionContextKeys\":\"dept*\"},"
            + "\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[\"dept1\",\"env\"]}", null}};
    for (String[] c : cases) {
      KeyTarget t = inline(c[0]);
      AccessReport r = ExternalAccess.analyze(t, OWN);
      assertThat(r.findings()).as(c[0]).singleElement().satisfies(f -> {
        assertThat(f.exact()).isTrue();
        if (c[1] != null) {
          assertThat(f.example().context()).containsKey(c[1]);
        }
      });
      assertExamplesAllowed(t, r);
    }
  }

  @Test
  void analyze_unsatisfiableConditions_noFinding() {
    String[] cases = {
        "\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"},"
            + "\"NumericGreaterThanEquals\":{\"aws:MultiFactorAuthAge\":\"3600\"}",
        "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"},\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/7\"}",
        "\"StringLike\":{\"kms:ViaService\":\"s3.*\"},\"StringNotLike\":{\"kms:ViaService\":\"*.amazonaws.com\"},"
            + "\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}",
        "\"StringEquals\":{\"kms:CallerAccount\":\"111111111111\"}",
        "\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111111111111:*\"}"};
    for (String c : cases) {
      assertThat(ExternalAccess.analyze(inline(c), OWN).findings()).as(c).isEmpty();
    }
  }
}
