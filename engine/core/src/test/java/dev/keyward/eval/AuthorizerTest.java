package dev.keyward.eval;

import static dev.keyward.eval.TestWorld.A;
import static dev.keyward.eval.TestWorld.B;
import static dev.keyward.eval.TestWorld.KEY;
import static dev.keyward.eval.TestWorld.allowAll;
import static dev.keyward.eval.TestWorld.doc;
import static dev.keyward.eval.TestWorld.grant;
import static dev.keyward.eval.TestWorld.req;
import static dev.keyward.eval.TestWorld.rootOnly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.request.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizerTest {

  static final String ROLE_A = "arn:aws:iam::111111111111:role/App";
  static final String SESSION_A = "arn:aws:sts::111111111111:assumed-role/App/s1";
  static final String USER_A = "arn:aws:iam::111111111111:user/alice";
  static final String ROLE_B = "arn:aws:iam::222222222222:role/Analyst";
  static final String SESSION_B = "arn:aws:sts::222222222222:assumed-role/Analyst/s";

  static String allowKms(String action, String resource) {
    return doc("{\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}");
  }

  static String keyPolicy(String... statements) {
    return doc(String.join(",", statements));
  }

  static String allowPrincipal(String principal, String action) {
    return "{\"Sid\":\"Use\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principal + "\"},\"Action\":\""
        + action + "\",\"Resource\":\"*\"}";
  }

  static String root(String account) {
    return allowPrincipal("arn:aws:iam::" + account + ":root", "kms:*").replace("\"Use\"", "\"Root" + account + "\"");
  }

  private static Verdict verdict(Authorizer a, Request r) {
    return a.authorize(r).verdict();
  }

  @Test
  void authorize_rootDelegationWithIdentityAllow_allows() {
    Authorizer a = TestWorld.create().principal(ROLE_A, allowKms("kms:Decrypt", KEY))
        .key(KEY, rootOnly(A)).authorizer();
    Decision d = a.authorize(req(SESSION_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.reasons()).extracting(Reason::effect).contains("delegate", "allow");
    assertThat(d.reasons()).extracting(Reason::statement).contains("Enable IAM policies");
  }

  @Test
  void authorize_rootDelegationWithoutIdentityAllow_implicitDenyNamesDelegation() {
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, rootOnly(A)).authorizer();
    Decision d = a.authorize(req(ROLE_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("delegates to account 111111111111"));
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("no identity policy"));
  }

  @Test
  void authorize_identityAllowWithoutKeyPolicyDelegation_implicitDeny() {
    Authorizer a = TestWorld.create().principal(ROLE_A, allowAll())
        .key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:*"))).authorizer();
    Decision d = a.authorize(req(ROLE_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("no statement of the key policy"));
  }

  @Test
  void authorize_keyPolicyNamesUserDirectly_allowsWithoutIamPolicy() {
    Authorizer a = TestWorld.create().principal(USER_A).key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:Decrypt")))
        .authorizer();
    assertThat(verdict(a, req(USER_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(USER_A, "kms:Encrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_keyPolicyNamesRole_sessionOfRoleAllowed() {
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:Decrypt")))
        .authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_keyPolicyNamesOtherSession_denied() {
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, keyPolicy(allowPrincipal("arn:aws:sts::111111111111:assumed-role/App/other", "kms:Decrypt")))
        .authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req("arn:aws:sts::111111111111:assumed-role/App/other", "kms:Decrypt", KEY)))
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_keyPolicyNamesRoleButBoundaryDoesNotAllow_implicitDeny() {
    Authorizer a = TestWorld.create()
        .principal(ROLE_A, Map.of(), allowKms("s3:*", "*"))
        .key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:Decrypt"))).authorizer();
    Decision d = a.authorize(req(SESSION_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.effect()).isEqualTo("blocked"));
  }

  @Test
  void authorize_keyPolicyNamesSessionWithBoundary_notLimitedByBoundary() {
    Authorizer a = TestWorld.create()
        .principal(ROLE_A, Map.of(), allowKms("s3:*", "*"))
        .key(KEY, keyPolicy(allowPrincipal(SESSION_A, "kms:Decrypt"))).authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_keyPolicyNamesUserWithBoundary_notLimitedByBoundary() {
    Authorizer a = TestWorld.create()
        .principal(USER_A, Map.of(), allowKms("s3:*", "*"))
        .key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:Decrypt"))).authorizer();
    assertThat(verdict(a, req(USER_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_delegationWithBoundaryNotAllowing_implicitDeny() {
    Authorizer a = TestWorld.create()
        .principal(ROLE_A, Map.of(), allowKms("s3:*", "*"), allowAll())
        .key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_explicitDenyInIdentityPolicy_winsOverDirectKeyPolicyAllow() {
    Authorizer a = TestWorld.create()
        .principal(ROLE_A, doc("{\"Sid\":\"NoDecrypt\",\"Effect\":\"Deny\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"))
        .key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:*"))).authorizer();
    Decision d = a.authorize(req(ROLE_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.reasons()).extracting(Reason::statement).containsExactly("NoDecrypt");
  }

  @Test
  void authorize_denyInKeyPolicyNamingAccount_deniesEveryPrincipalOfAccount() {
    String deny = "{\"Sid\":\"D\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"111111111111\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    Authorizer a = TestWorld.create().principal(USER_A)
        .key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:*"), deny)).authorizer();
    assertThat(verdict(a, req(USER_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void authorize_crossAccountKeyPolicyAllowsAccountAndIamAllows_allows() {
    Authorizer a = TestWorld.create().principal(ROLE_B, allowKms("kms:Decrypt", KEY))
        .key(KEY, keyPolicy(root(A), root(B))).authorizer();
    assertThat(verdict(a, req(SESSION_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_crossAccountKeyPolicyNamesRoleButNoIamAllow_implicitDeny() {
    Authorizer a = TestWorld.create().principal(ROLE_B)
        .key(KEY, keyPolicy(root(A), allowPrincipal(ROLE_B, "kms:Decrypt"))).authorizer();
    Decision d = a.authorize(req(SESSION_B, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("cross-account"));
  }

  @Test
  void authorize_crossAccountIamAllowsButKeyPolicySilent_implicitDenyNamesAccount() {
    Authorizer a = TestWorld.create().principal(ROLE_B, allowAll()).key(KEY, rootOnly(A)).authorizer();
    Decision d = a.authorize(req(ROLE_B, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("allows account 222222222222"));
  }

  @Test
  void authorize_crossAccountNonCrossAccountOperation_deniedWhateverPolicies() {
    Authorizer a = TestWorld.create().principal(ROLE_B, allowAll())
        .key(KEY, keyPolicy(root(A), allowPrincipal("*", "kms:*"))).authorizer();
    Decision d = a.authorize(req(ROLE_B, "kms:ScheduleKeyDeletion", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("cannot be used across accounts"));
    assertThat(verdict(a, req(ROLE_B, "kms:PutKeyPolicy", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(ROLE_B, "kms:DescribeKey", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_principalStarSameAccountWithoutIam_allows() {
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(allowPrincipal("*", "kms:Decrypt")))
        .authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_principalStarCrossAccountNeedsIam() {
    Authorizer a = TestWorld.create().principal(ROLE_B).principal("arn:aws:iam::222222222222:role/Other",
            allowKms("kms:Decrypt", "*"))
        .key(KEY, keyPolicy(allowPrincipal("*", "kms:Decrypt"))).authorizer();
    assertThat(verdict(a, req(ROLE_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req("arn:aws:iam::222222222222:role/Other", "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_callerAccountCondition_limitsPrincipalStar() {
    String st = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"111111111111\"}}}";
    Authorizer a = TestWorld.create().principal(ROLE_A).principal(ROLE_B, allowAll())
        .key(KEY, keyPolicy(st)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_principalOrgIdCondition_derivedFromWorld() {
    String st = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}}";
    Authorizer a = TestWorld.create().org("o-abc", "999999999999", List.of(A, B))
        .principal(ROLE_B, allowAll()).principal("arn:aws:iam::333333333333:role/X", allowAll())
        .key(KEY, keyPolicy(st)).authorizer();
    assertThat(verdict(a, req(ROLE_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req("arn:aws:iam::333333333333:role/X", "kms:Decrypt", KEY)))
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_scpWithoutAllow_blocksAndNamesScp() {
    String scp = doc("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().org("o-abc", "999999999999", List.of(A), scp)
        .principal(ROLE_A, allowAll()).key(KEY, rootOnly(A)).authorizer();
    Decision d = a.authorize(req(ROLE_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.effect()).isEqualTo("blocked"));
  }

  @Test
  void authorize_scpDeny_explicitDenyEvenForDirectKeyPolicyAllow() {
    String scp = doc("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
        + "{\"Sid\":\"NoDecrypt\",\"Effect\":\"Deny\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().org("o-abc", "999999999999", List.of(A), scp)
        .principal(USER_A).key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:*"))).authorizer();
    assertThat(verdict(a, req(USER_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void authorize_scpOnManagementAccount_doesNotApply() {
    String scp = doc("{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().org("o-abc", A, List.of(A, B), scp)
        .principal(USER_A).key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:*"))).authorizer();
    assertThat(verdict(a, req(USER_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_scpOnServiceLinkedRole_doesNotApply() {
    String slr = "arn:aws:iam::222222222222:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    String scp = doc("{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().org("o-abc", A, List.of(A, B), scp)
        .principal(slr).key(KEY, rootOnly(A), grant("g1", slr, List.of("Decrypt"), null, null, null)).authorizer();
    assertThat(verdict(a, req(slr, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_accountLevelScp_everyLevelMustAllow() {
    String full = doc("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    String onlyS3 = doc("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().org("o-abc", "999999999999", List.of(A), full).accountScps(A, onlyS3)
        .principal(USER_A).key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:*"))).authorizer();
    Decision d = a.authorize(req(USER_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("attached to account 111111111111"));
  }

  @Test
  void authorize_grantSameAccount_allowsListedOperationOnly() {
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, rootOnly(A), grant("g1", ROLE_A, List.of("Decrypt"), null, null, null)).authorizer();
    Decision d = a.authorize(req(SESSION_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.effect()).isEqualTo("grant"));
    assertThat(verdict(a, req(SESSION_A, "kms:Encrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_grantCrossAccount_allowsWithoutIamPolicy() {
    Authorizer a = TestWorld.create().principal(ROLE_B)
        .key(KEY, rootOnly(A), grant("g1", ROLE_B, List.of("Decrypt"), null, null, null)).authorizer();
    assertThat(verdict(a, req(SESSION_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_grantSubsetConstraint_keysIgnoreCaseValuesDoNot() {
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, rootOnly(A), grant("g1", ROLE_A, List.of("Decrypt", "DescribeKey"), null,
            Map.of("Dept", "Finance"), null)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "Finance",
        "kms:EncryptionContext:Other", "x"))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:dept", "Finance")))
        .isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "finance")))
        .isEqualTo(Verdict.IMPLICIT_DENY);
    // two keys that differ only by case: undefined in AWS, so the constraint is not satisfied
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "Finance",
        "kms:EncryptionContext:DEPT", "Finance"))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(ROLE_A, "kms:DescribeKey", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_grantEqualsConstraint_needsExactContext() {
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, rootOnly(A), grant("g1", ROLE_A, List.of("Decrypt"), Map.of("Dept", "Finance"), null, null))
        .authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "Finance")))
        .isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "Finance",
        "kms:EncryptionContext:X", "y"))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_grantIsOverriddenByExplicitDeny() {
    String kp = keyPolicy(root(A), "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().principal(ROLE_B)
        .key(KEY, kp, grant("g1", ROLE_B, List.of("Decrypt"), null, null, null)).authorizer();
    assertThat(verdict(a, req(ROLE_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void authorize_grantWithInvalidOperation_doesNotAllowIt() {
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, rootOnly(A), grant("g1", ROLE_A, List.of("ScheduleKeyDeletion"), null, null, null)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:ScheduleKeyDeletion", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_retireGrantInKeyPolicy_hasNoEffect() {
    Authorizer a = TestWorld.create().principal(ROLE_B)
        .key(KEY, keyPolicy(root(A), allowPrincipal(ROLE_B, "kms:RetireGrant"))).authorizer();
    assertThat(verdict(a, req(ROLE_B, "kms:RetireGrant", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_retireGrantByRetiringPrincipalOrGranteeWithRetire_allows() {
    Authorizer a = TestWorld.create().principal(ROLE_B).principal(ROLE_A)
        .key(KEY, rootOnly(A),
            grant("g1", ROLE_A, List.of("Decrypt"), null, null, ROLE_B),
            grant("g2", "arn:aws:iam::333333333333:role/C", List.of("Decrypt", "RetireGrant"), null, null, null))
        .authorizer();
    assertThat(verdict(a, req(SESSION_B, "kms:RetireGrant", KEY, "kms:GrantId", "g1"))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(SESSION_B, "kms:RetireGrant", KEY, "kms:GrantId", "g2"))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req("arn:aws:iam::333333333333:role/C", "kms:RetireGrant", KEY))).isEqualTo(Verdict.ALLOW);
    // grantee without RetireGrant in its grant: only through the issuing account's IAM delegation
    assertThat(verdict(a, req(ROLE_A, "kms:RetireGrant", KEY, "kms:GrantId", "g1"))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req("arn:aws:iam::111111111111:root", "kms:RetireGrant", KEY, "kms:GrantId", "g1")))
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_notPrincipalDenyWithBoundary_alwaysDenies() {
    String deny = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::111111111111:root\",\""
        + ROLE_A + "\",\"" + SESSION_A + "\"]},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    Authorizer plain = TestWorld.create().principal(ROLE_A)
        .key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:*"), deny)).authorizer();
    assertThat(verdict(plain, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
    Authorizer bounded = TestWorld.create().principal(ROLE_A, Map.of(), allowAll())
        .key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:*"), deny)).authorizer();
    assertThat(verdict(bounded, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void authorize_notPrincipalDenyListingOnlyRole_deniesItsSession() {
    String deny = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"" + ROLE_A + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:*"), deny)).authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void authorize_allowNotPrincipal_excludesListedAccount() {
    String st = "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
    Authorizer a = TestWorld.create().principal(ROLE_A).principal(ROLE_B, allowAll())
        .key(KEY, keyPolicy(st)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_actionMatchingIsCaseInsensitiveWithWildcards() {
    Authorizer a = TestWorld.create().principal(ROLE_A, allowKms("KMS:reencrypt*", KEY))
        .key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:ReEncryptFrom", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_notActionAllow_coversOtherActions() {
    String p = doc("{\"Effect\":\"Allow\",\"NotAction\":\"kms:Decrypt\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().principal(ROLE_A, p).key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Encrypt", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_resourceArnIsCaseSensitive() {
    Authorizer a = TestWorld.create().principal(ROLE_A, allowKms("kms:Decrypt", KEY.toUpperCase()))
        .key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_notResourceList_isConjunction() {
    String p = doc("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"NotResource\":[\"arn:aws:kms:*:*:key/other\",\""
        + KEY + "\"]}");
    Authorizer a = TestWorld.create().principal(ROLE_A, p).key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_resourcePolicyVariable_substitutesUserName() {
    String p = doc("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:us-east-1:111111111111:home/${aws:username}/*\"}");
    Authorizer a = TestWorld.create().principal(USER_A, p).authorizer();
    assertThat(verdict(a, req(USER_A, "s3:GetObject", "arn:aws:s3:us-east-1:111111111111:home/alice/x")))
        .isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(USER_A, "s3:GetObject", "arn:aws:s3:us-east-1:111111111111:home/bob/x")))
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_principalTagVariableInCondition_caseInsensitiveTagKey() {
    String kp = keyPolicy(root(A), "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},"
        + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
        + "{\"kms:EncryptionContext:Dept\":\"${aws:PrincipalTag/team}\"}}}");
    Authorizer a = TestWorld.create().principal(ROLE_A, Map.of("Team", "finance"), null)
        .key(KEY, kp).authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY, "kms:EncryptionContext:dept", "finance")))
        .isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "hr")))
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_viaServiceCondition() {
    String kp = keyPolicy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},"
        + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
        + "{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}");
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, kp).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:viaservice", "s3.us-east-1.amazonaws.com")))
        .isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_invalidConditionOperator_allowNeverAppliesDenyAlwaysApplies() {
    String badAllow = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"kms:ViaService\":\"x\"}}}";
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(badAllow)).authorizer();
    Decision d = a.authorize(req(ROLE_A, "kms:Decrypt", KEY, "kms:ViaService", "x"));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.effect()).isEqualTo("error"));
    String badDeny = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\",\"Condition\":{\"StringEqualz\":{\"kms:ViaService\":\"x\"}}}";
    Authorizer b = TestWorld.create().principal(ROLE_A)
        .key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:*"), badDeny)).authorizer();
    Decision e = b.authorize(req(ROLE_A, "kms:Decrypt", KEY));
    assertThat(e.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(e.reasons()).anySatisfy(r -> assertThat(r.effect()).isEqualTo("error"));
  }

  @Test
  void authorize_aliasArnResolvesToKey_andSetsRequestAlias() {
    String kp = keyPolicy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},"
        + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
        + "{\"kms:RequestAlias\":\"alias/finance\"}}}");
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, kp, List.of("alias/finance")).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:alias/finance")))
        .isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_unknownKey_implicitDenyWithError() {
    Authorizer a = TestWorld.create().principal(ROLE_A, allowAll()).authorizer();
    Decision d = a.authorize(req(ROLE_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons().get(0).message()).contains("not in the world");
  }

  @Test
  void authorize_badPrincipal_implicitDenyWithError() {
    Authorizer a = TestWorld.create().key(KEY, rootOnly(A)).authorizer();
    assertThat(a.authorize(req("bob", "kms:Decrypt", KEY)).reasons().get(0).effect()).isEqualTo("error");
  }

  @Test
  void authorize_rootUserWithRootDelegation_allows() {
    Authorizer a = TestWorld.create().key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(a, req("arn:aws:iam::111111111111:root", "kms:ScheduleKeyDeletion", KEY)))
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_rootUserWithoutKeyPolicyStatement_denied() {
    Authorizer a = TestWorld.create().key(KEY, keyPolicy(allowPrincipal(USER_A, "kms:*"))).authorizer();
    assertThat(verdict(a, req("arn:aws:iam::111111111111:root", "kms:Decrypt", KEY)))
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_nonKmsResourceSameAccount_identityOnly() {
    Authorizer a = TestWorld.create().principal(ROLE_A, allowKms("kms:CreateKey", "*")).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:CreateKey", "*"))).isEqualTo(Verdict.ALLOW);
    Decision d = a.authorize(req(ROLE_A, "s3:GetObject", "arn:aws:s3:::bucket/x"));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons().get(0).message()).contains("not modelled");
  }

  @Test
  void authorize_derivedKeysOverrideGivenOnes() {
    String kp = keyPolicy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalArn\":\"" + ROLE_A + "\"}}}");
    Authorizer a = TestWorld.create().principal(ROLE_A).principal(USER_A).key(KEY, kp).authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(USER_A, "kms:Decrypt", KEY, "aws:PrincipalArn", ROLE_A)))
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_encryptionContextKeysDerived_forAllValuesRestrictsKeys() {
    String kp = keyPolicy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\",\"Condition\":{\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[\"Dept\"]},"
        + "\"Null\":{\"kms:EncryptionContext:Dept\":\"false\"}}}");
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, kp).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "x"))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "x",
        "kms:EncryptionContext:Other", "y"))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:dept", "x")))
        .isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_iamPolicyNamingAliasArn_doesNotCoverKey() {
    String alias = "arn:aws:kms:us-east-1:111111111111:alias/finance";
    Authorizer a = TestWorld.create().principal(ROLE_A, allowKms("kms:Decrypt", alias))
        .key(KEY, rootOnly(A), List.of("alias/finance")).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", alias))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_bareAliasNameResolvesInCallerAccountOnly() {
    Authorizer a = TestWorld.create().principal(ROLE_A, allowKms("kms:Decrypt", KEY))
        .principal(ROLE_B, allowKms("kms:Decrypt", KEY))
        .key(KEY, keyPolicy(root(A), root(B)), List.of("alias/finance")).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", "alias/finance"))).isEqualTo(Verdict.ALLOW);
    Decision d = a.authorize(req(ROLE_B, "kms:Decrypt", "alias/finance"));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons().get(0).message()).contains("resolves in the caller's account");
    assertThat(verdict(a, req(ROLE_B, "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:alias/finance")))
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_sessionOfRoleWithPath_matchesRoleArnWithPath() {
    String roleWithPath = "arn:aws:iam::111111111111:role/team/App";
    Authorizer a = TestWorld.create().principal(roleWithPath)
        .key(KEY, keyPolicy(allowPrincipal(roleWithPath, "kms:Decrypt"))).authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_multiValuedKeyWithoutSetOperator_allowDoesNotApply() {
    String kp = keyPolicy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:EncryptionContextKeys\":\"Dept\"}}}");
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, kp).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "x"))).isEqualTo(Verdict.ALLOW);
    Decision d = a.authorize(req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:Dept", "x",
        "kms:EncryptionContext:Other", "y"));
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.message()).contains("several values"));
  }

  @Test
  void authorize_crossAccountGrantStillSubjectToScpOfGrantee() {
    String scp = doc("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().org("o-abc", "999999999999", List.of(A, B), scp).principal(ROLE_B)
        .key(KEY, rootOnly(A), grant("g1", ROLE_B, List.of("Decrypt"), null, null, null)).authorizer();
    assertThat(verdict(a, req(SESSION_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_grantToAccountRoot_delegatesToThatAccountsIamPolicies() {
    Authorizer a = TestWorld.create().principal(ROLE_B, allowKms("kms:Decrypt", KEY))
        .principal("arn:aws:iam::222222222222:role/NoPolicy")
        .key(KEY, rootOnly(A), grant("g1", "arn:aws:iam::222222222222:root", List.of("Decrypt"), null, null, null))
        .authorizer();
    assertThat(verdict(a, req(SESSION_B, "kms:Decrypt", KEY))).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req("arn:aws:iam::222222222222:role/NoPolicy", "kms:Decrypt", KEY)))
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_grantToRoleLimitedByBoundary_grantToSessionIsNot() {
    Authorizer a = TestWorld.create().principal(ROLE_A, Map.of(), allowKms("s3:*", "*"))
        .key(KEY, rootOnly(A), grant("g1", ROLE_A, List.of("Decrypt"), null, null, null),
            grant("g2", SESSION_A, List.of("Encrypt"), null, null, null)).authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(SESSION_A, "kms:Encrypt", KEY))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_allowReasonsNamePolicyAndStatementPerType() {
    String scp = doc("{\"Sid\":\"Full\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    Authorizer a = TestWorld.create().org("o-abc", "999999999999", List.of(A), scp)
        .principal(ROLE_A, Map.of(), doc("{\"Sid\":\"B\",\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}"),
            doc("{\"Sid\":\"Id\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"))
        .key(KEY, rootOnly(A)).authorizer();
    Decision d = a.authorize(req(SESSION_A, "kms:Decrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.reasons()).extracting(Reason::statement).contains("Enable IAM policies", "Id", "B", "Full");
    assertThat(d.reasons()).allSatisfy(r -> assertThat(r.policy()).isNotEmpty());
  }

  @Test
  void authorize_resourceServiceSegmentCase_allowStrictDenyLenient() {
    String upper = "arn:aws:KMS:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    Authorizer allow = TestWorld.create().principal(ROLE_A, allowKms("kms:Decrypt", upper))
        .key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(allow, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    String deny = doc("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" + upper + "\"}");
    Authorizer denied = TestWorld.create().principal(ROLE_A, deny).key(KEY, rootOnly(A)).authorizer();
    assertThat(verdict(denied, req(ROLE_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void authorize_grantEqualsConstraint_keysIgnoreCase() {
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, rootOnly(A), grant("g1", ROLE_A, List.of("Decrypt"),
            Map.of("Dept", "Finance", "Project", "alpha"), null, null)).authorizer();
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "kms:EncryptionContext:dept", "Finance",
        "kms:EncryptionContext:PROJECT", "alpha"))).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void authorize_servicePrincipalCaller_onlyKeyPolicyCounts() {
    String st = "{\"Sid\":\"Logs\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logs.us-east-1.amazonaws.com\"},"
        + "\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}";
    Authorizer a = TestWorld.create().key(KEY, keyPolicy(root(A), st)).authorizer();
    Decision d = a.authorize(req("logs.us-east-1.amazonaws.com", "kms:Encrypt", KEY));
    assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.reasons()).extracting(Reason::statement).containsExactly("Logs");
    assertThat(verdict(a, req("logs.us-east-1.amazonaws.com", "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req("s3.amazonaws.com", "kms:Encrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorize_sessionTagsOverrideRoleTags_otherCallersCannotClaimTags() {
    String kp = keyPolicy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"finance\"}}}");
    Authorizer a = TestWorld.create().principal(ROLE_A, Map.of("team", "ops"), null).principal(USER_A)
        .key(KEY, kp).authorizer();
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY))).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(SESSION_A, "kms:Decrypt", KEY, "aws:PrincipalTag/Team", "finance")))
        .isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, req(USER_A, "kms:Decrypt", KEY, "aws:PrincipalTag/team", "finance")))
        .isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, req(ROLE_A, "kms:Decrypt", KEY, "aws:PrincipalTag/team", "finance")))
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }
}
