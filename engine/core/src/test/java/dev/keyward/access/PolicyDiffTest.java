package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.Verdict;
import org.junit.jupiter.api.Test;

/** No-new-access diffs of typical key policies; every example is confirmed by the authorizer. */
class PolicyDiffTest {

  @Test
  void diff_samePolicy_noNewAccess() {
    PolicyDiff.Result r = PolicyDiff.diff(ExternalAccessTest.target("console.json"),
        ExternalAccessTest.target("console.json"));
    assertThat(r.hasNewAccess()).isFalse();
  }

  @Test
  void diff_addingExternalAccountToKeyUsers_reportsTheAccountWithConfirmedExamples() {
    KeyTarget older = ExternalAccessTest.target("console.json");
    KeyTarget newer = ExternalAccessTest.target("console-cross-account.json");
    PolicyDiff.Result r = PolicyDiff.diff(older, newer);
    assertThat(r.newAccess()).hasSize(2).allSatisfy(n -> {
      assertThat(n.kind()).isEqualTo(Finding.Kind.ACCOUNT);
      assertThat(n.principal()).isEqualTo("222222222222");
      assertThat(n.confirmed()).isTrue();
      assertThat(Witness.decide(newer, n.example()).verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(Witness.decide(older, n.example()).verdict()).isNotEqualTo(Verdict.ALLOW);
    });
    assertThat(r.newAccess().get(1).actions()).containsExactlyElementsOf(ExternalAccessTest.KEY_USER_ACTIONS);
  }

  @Test
  void diff_removingAccess_isNotNewAccess() {
    PolicyDiff.Result r = PolicyDiff.diff(ExternalAccessTest.target("console-cross-account.json"),
        ExternalAccessTest.target("console.json"));
    assertThat(r.hasNewAccess()).isFalse();
  }

  @Test
  void diff_denyOutsideOrgToPublic_reportsEveryoneOutsideTheOrganization() {
    KeyTarget older = ExternalAccessTest.target("deny-outside-org.json");
    KeyTarget newer = ExternalAccessTest.target("public.json");
    PolicyDiff.Result r = PolicyDiff.diff(older, newer);
    assertThat(r.newAccess()).extracting(PolicyDiff.NewAccess::kind)
        .contains(Finding.Kind.ANY_PRINCIPAL, Finding.Kind.SERVICE);
    assertThat(r.newAccess()).allSatisfy(n -> assertThat(n.confirmed()).isTrue());
    PolicyDiff.NewAccess any = r.newAccess().stream()
        .filter(n -> n.kind() == Finding.Kind.ANY_PRINCIPAL).findFirst().orElseThrow();
    assertThat(any.example().organization()).isNotEqualTo("o-a1b2c3d4e5");
    assertThat(any.oldVerdict()).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void diff_narrowingViaServiceToCallerAccount_internalPrincipalsCount() {
    // the AWS managed key policy allows only the owner account through EBS; dropping the ViaService
    // condition gives the account's principals direct use: new access inside the account
    KeyTarget older = ExternalAccessTest.target("aws-managed-ebs.json");
    KeyTarget newer = ExternalAccessTest.target("caller-account.json");
    PolicyDiff.Result r = PolicyDiff.diff(older, newer);
    assertThat(r.newAccess()).anySatisfy(n -> {
      assertThat(n.principal()).isEqualTo("333333333333");
      assertThat(n.actions()).containsExactly("kms:Decrypt");
    });
    assertThat(r.newAccess()).allSatisfy(n -> assertThat(n.confirmed()).isTrue());
  }
}
