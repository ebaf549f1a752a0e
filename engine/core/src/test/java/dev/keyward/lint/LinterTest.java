package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import dev.keyward.model.Severity;
import dev.keyward.parse.PolicyParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinterTest {

  private static final Linter LINTER = Linter.create(RuleLoader.create().builtIn().rules());

  private static Linter.FileResult lint(String json, PolicyType type) {
    return LINTER.lint(json.getBytes(StandardCharsets.UTF_8), "p.json", type);
  }

  private static PolicyType inferred(String json) {
    return Linter.inferType(PolicyParser.create().parseString(json, "p.json", PolicyType.UNKNOWN).policy());
  }

  @Test
  void inferType_principalKmsAndStarResource_isKeyPolicy() {
    assertThat(inferred("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}")).isEqualTo(PolicyType.KEY_POLICY);
  }

  @Test
  void inferType_kmsVpcEndpointPolicy_isResourcePolicy() {
    // every statement names every principal and none may manage a key: a VPC endpoint policy for KMS
    assertThat(inferred("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"kms:Decrypt\","
        + "\"kms:GenerateDataKey\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":"
        + "\"111122223333\"}}}]}")).isEqualTo(PolicyType.RESOURCE);
  }

  @Test
  void inferType_keyOpenToEveryoneForManagement_staysKeyPolicy() {
    assertThat(inferred("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"*\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}")).isEqualTo(PolicyType.KEY_POLICY);
  }

  @Test
  void inferType_onlyStsWithoutResource_isTrustPolicy() {
    assertThat(inferred("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
        + "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}")).isEqualTo(PolicyType.TRUST);
  }

  @Test
  void inferType_principalWithS3_isResourcePolicy() {
    assertThat(inferred("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"111122223333\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}")).isEqualTo(PolicyType.RESOURCE);
  }

  @Test
  void inferType_noPrincipal_isIdentityPolicy() {
    assertThat(inferred("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\"}]}")).isEqualTo(PolicyType.IDENTITY);
  }

  @Test
  void lint_keyPolicyWithStarResource_noIdentityRuleFires() {
    Linter.FileResult r = lint("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}", PolicyType.UNKNOWN);
    assertThat(r.type()).isEqualTo(PolicyType.KEY_POLICY);
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void lint_unparseableFile_isAFindingWithPosition() {
    Linter.FileResult r = lint("{\"Version\": \"2012-10-17\",\n \"Statement\": [}", PolicyType.UNKNOWN);
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo("KW001");
      assertThat(f.line()).isEqualTo(2);
      assertThat(f.column()).isPositive();
    });
  }

  @Test
  void lint_parserWarning_keepsItsLowerSeverity() {
    // (a policy variable: without one, a missing Version changes nothing and is not reported)
    Linter.FileResult r = lint("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
        + "\"Resource\":\"arn:aws:s3:::b/${aws:username}/*\"}]}", PolicyType.IDENTITY);
    assertThat(r.findings()).filteredOn(f -> f.ruleId().equals("KW003"))
        .singleElement().extracting(Finding::severity).isEqualTo(Severity.WARNING);
  }

  @Test
  void lint_findingsCarryStatementAndStableFingerprint() {
    String json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Wide\",\"Effect\":\"Allow\","
        + "\"NotAction\":\"iam:*\",\"Resource\":\"*\"}]}";
    List<Finding> a = lint(json, PolicyType.IDENTITY).findings();
    List<Finding> b = lint(" " + json, PolicyType.IDENTITY).findings();
    assertThat(a).extracting(Finding::ruleId).contains("KW302");
    assertThat(a).extracting(Finding::statement).containsOnly("Wide");
    assertThat(a).extracting(Finding::fingerprint).isEqualTo(b.stream().map(Finding::fingerprint).toList());
  }

  @Test
  void lint_brokenUserCheck_isReportedAsRuleFailureNotThrown() {
    String text = String.join("\n", "id: XX200", "name: broken", "summary: s", "severity: note",
        "appliesTo: [identity-policy]", "since: 0.1.0", "docs: d", "check: |",
        "  where statements < 3", "  report policy \"never\"",
        "cases: {flagged: [], clean: []}", "");
    java.util.List<dev.keyward.model.Problem> problems = new java.util.ArrayList<>();
    Rule rule = RuleLoader.create().loadFile(text.getBytes(StandardCharsets.UTF_8), "XX200-broken.yaml",
        "XX200-broken.yaml", "custom", problems);
    assertThat(problems).isEmpty();
    Linter.FileResult r = Linter.create(List.of(rule)).lint(
        "{\"Version\":\"2012-10-17\",\"Statement\":[]}".getBytes(StandardCharsets.UTF_8), "p.json", PolicyType.IDENTITY);
    assertThat(r.ruleFailures()).singleElement().asString().contains("XX200").contains("cannot order a list");
  }
}
