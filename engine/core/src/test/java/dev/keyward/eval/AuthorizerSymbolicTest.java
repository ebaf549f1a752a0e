package dev.keyward.eval;

import static dev.keyward.eval.AuthorizerTest.ROLE_A;
import static dev.keyward.eval.AuthorizerTest.ROLE_B;
import static dev.keyward.eval.AuthorizerTest.allowKms;
import static dev.keyward.eval.AuthorizerTest.allowPrincipal;
import static dev.keyward.eval.AuthorizerTest.keyPolicy;
import static dev.keyward.eval.AuthorizerTest.root;
import static dev.keyward.eval.TestWorld.A;
import static dev.keyward.eval.TestWorld.B;
import static dev.keyward.eval.TestWorld.KEY;
import static dev.keyward.eval.TestWorld.grant;
import static dev.keyward.eval.TestWorld.req;
import static dev.keyward.eval.TestWorld.rootOnly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.ConditionalDecision.Outcome;
import dev.keyward.request.Request;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerSymbolicTest {

  private static final Set<String> ALL_OPEN = Set.of("*");

  private static String viaS3(String principal) {
    return "{\"Sid\":\"ViaS3\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principal + "\"},"
        + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
        + "{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}";
  }

  @Test
  void authorizeSymbolic_unconditionalAllow_isAllow() {
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:Decrypt")))
        .authorizer();
    ConditionalDecision d = a.authorizeSymbolic(req(ROLE_A, "kms:Decrypt", KEY), ALL_OPEN);
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void authorizeSymbolic_noStatement_isDeny() {
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, rootOnly(A)).authorizer();
    ConditionalDecision d = a.authorizeSymbolic(req(ROLE_A, "kms:Decrypt", KEY), ALL_OPEN);
    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void authorizeSymbolic_viaServiceCondition_isConditionalWithThatCondition() {
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(viaS3(ROLE_A))).authorizer();
    ConditionalDecision d = a.authorizeSymbolic(req(ROLE_A, "kms:Decrypt", KEY), ALL_OPEN);
    assertThat(d.outcome()).isEqualTo(Outcome.CONDITIONAL);
    assertThat(d.alternatives()).hasSize(1);
    ResidualCondition c = d.alternatives().get(0).get(0);
    assertThat(c.key()).isEqualTo("kms:ViaService");
    assertThat(c.values()).containsExactly("s3.us-east-1.amazonaws.com");
    assertThat(c.mustHold()).isTrue();
    assertThat(c.statement()).isEqualTo("ViaS3");
    assertThat(d.witnessed()).isTrue();
  }

  @Test
  void authorizeSymbolic_keyFixedByCaller_isDecided() {
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(viaS3(ROLE_A))).authorizer();
    ConditionalDecision d = a.authorizeSymbolic(
        req(ROLE_A, "kms:Decrypt", KEY, "kms:ViaService", "ec2.us-east-1.amazonaws.com"), ALL_OPEN);
    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    ConditionalDecision open = a.authorizeSymbolic(
        req(ROLE_A, "kms:Decrypt", KEY, "kms:ViaService", "ec2.us-east-1.amazonaws.com"), Set.of("kms:viaservice"));
    assertThat(open.outcome()).isEqualTo(Outcome.CONDITIONAL);
  }

  @Test
  void authorizeSymbolic_grantWithConstraint_isConditionalOnEncryptionContext() {
    Authorizer a = TestWorld.create().principal(ROLE_B)
        .key(KEY, rootOnly(A), grant("g1", ROLE_B, List.of("Decrypt"), null, Map.of("Dept", "Finance"), null))
        .authorizer();
    ConditionalDecision d = a.authorizeSymbolic(req(ROLE_B, "kms:Decrypt", KEY), Set.of("kms:EncryptionContext:*"));
    assertThat(d.outcome()).isEqualTo(Outcome.CONDITIONAL);
    ResidualCondition c = d.alternatives().get(0).get(0);
    assertThat(c.policy()).isEqualTo("grant g1");
    assertThat(c.values()).containsExactly("Dept=Finance");
    assertThat(d.witnessed()).isTrue();
  }

  @Test
  void authorizeSymbolic_denyOnOpenKey_appearsAsMustNotHold() {
    String deny = "{\"Sid\":\"NoEbs\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"ec2.us-east-1.amazonaws.com\"}}}";
    Authorizer a = TestWorld.create().principal(ROLE_A)
        .key(KEY, keyPolicy(allowPrincipal(ROLE_A, "kms:Decrypt"), deny)).authorizer();
    ConditionalDecision d = a.authorizeSymbolic(req(ROLE_A, "kms:Decrypt", KEY), ALL_OPEN);
    assertThat(d.outcome()).isEqualTo(Outcome.CONDITIONAL);
    assertThat(d.alternatives().get(0)).singleElement().satisfies(c -> {
      assertThat(c.mustHold()).isFalse();
      assertThat(c.statement()).isEqualTo("NoEbs");
    });
  }

  @Test
  void authorizeSymbolic_contradictoryConditionsInOneStatement_isDeny() {
    String st = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"a\"},"
        + "\"StringNotEquals\":{\"kms:ViaService\":\"a\"}}}";
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(st)).authorizer();
    ConditionalDecision d = a.authorizeSymbolic(req(ROLE_A, "kms:Decrypt", KEY), ALL_OPEN);
    // the atoms are enumerated independently; the only allowing combination is dropped because the
    // exhaustive witness search shows no value of kms:ViaService makes both conditions true
    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
  }

  @Test
  void authorizeSymbolic_contradictionWithLikeOperator_staysConditionalUnwitnessed() {
    String st = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_A + "\"},\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"kms:ViaService\":\"a*\"},"
        + "\"StringNotLike\":{\"kms:ViaService\":\"a*\"}}}";
    Authorizer a = TestWorld.create().principal(ROLE_A).key(KEY, keyPolicy(st)).authorizer();
    ConditionalDecision d = a.authorizeSymbolic(req(ROLE_A, "kms:Decrypt", KEY), ALL_OPEN);
    // wildcard operators are not covered exhaustively by the candidates: never a DENY that might be wrong
    assertThat(d.outcome()).isEqualTo(Outcome.CONDITIONAL);
    assertThat(d.witnessed()).isFalse();
  }

  @Test
  void authorizeSymbolic_crossAccountPrincipalStarWithCallerAccountCondition_isDecidedFromDerivedKeys() {
    String st = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"111111111111\"}}}";
    Authorizer a = TestWorld.create().principal(ROLE_A).principal(ROLE_B, allowKms("kms:*", "*"))
        .key(KEY, keyPolicy(root(A), st)).authorizer();
    assertThat(a.authorizeSymbolic(req(ROLE_A, "kms:Decrypt", KEY), ALL_OPEN).outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(a.authorizeSymbolic(req(ROLE_B, "kms:Decrypt", KEY), ALL_OPEN).outcome()).isEqualTo(Outcome.DENY);
    assertThat(B).isNotEmpty();
  }

  @Test
  void authorizeSymbolic_resourceVariableOfOpenKey_neverDeny() {
    String p = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"arn:aws:kms:us-east-1:111111111111:key/${aws:SourceIdentity}\"}]}";
    Authorizer a = TestWorld.create().principal(ROLE_A, p).key(KEY, rootOnly(A)).authorizer();
    Request r = req(ROLE_A, "kms:Decrypt", KEY);
    assertThat(a.authorize(r).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(a.authorize(req(ROLE_A, "kms:Decrypt", KEY, "aws:SourceIdentity", "1234abcd-12ab-34cd-56ef-1234567890ab"))
        .verdict()).isEqualTo(Verdict.ALLOW);
    ConditionalDecision d = a.authorizeSymbolic(r, ALL_OPEN);
    assertThat(d.outcome()).isEqualTo(Outcome.CONDITIONAL);
    assertThat(d.witnessed()).isFalse();
  }

  @Test
  void authorizeSymbolic_denyResourceVariableOfOpenKey_neverAllow() {
    String p = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"kms:Decrypt\","
        + "\"Resource\":\"arn:aws:kms:us-east-1:111111111111:key/${aws:SourceIdentity}\"}]}";
    Authorizer a = TestWorld.create().principal(ROLE_A, p).key(KEY, rootOnly(A)).authorizer();
    Request r = req(ROLE_A, "kms:Decrypt", KEY);
    assertThat(a.authorize(r).verdict()).isEqualTo(Verdict.ALLOW);
    ConditionalDecision d = a.authorizeSymbolic(r, ALL_OPEN);
    assertThat(d.outcome()).isEqualTo(Outcome.CONDITIONAL);
  }
}
