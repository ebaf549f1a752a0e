package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.Verdict;
import dev.keyward.iam.IamReference;
import dev.keyward.model.Arn;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Differential properties of the access analysis against the concrete authorizer, on random key policies
 * ({@link RandomKeyPolicies}): every request the authorizer allows to a principal outside the zone is
 * covered by a finding; every exact finding's example, every {@code canAnyoneOutside} example and every
 * confirmed diff example is what the authorizer says it is.
 */
class AccessProperties {

  private static final int REQUESTS = 60;
  private static final IamReference IAM = IamReference.bundled();

  @Property(tries = 200)
  void everyAllowedOutsideRequest_isCoveredByAFinding(@ForAll long seed) {
    RandomKeyPolicies g = new RandomKeyPolicies(seed);
    String text = g.policyText();
    KeyTarget target = KeyTarget.of(g.key(text), IAM);
    text = text + " grants " + target.grants();
    Zone zone = seed % 2 == 0 ? Zone.ofAccount(RandomKeyPolicies.KEY_ACCOUNT)
        : new Zone(java.util.Set.of(RandomKeyPolicies.KEY_ACCOUNT), java.util.Set.of("o-aaaaaaaaaa"));
    AccessReport report = ExternalAccess.analyze(target, zone);
    for (int i = 0; i < REQUESTS; i++) {
      ExampleRequest r = g.request();
      String account = Arn.parse(r.principal()).map(Arn::account).orElse(null);
      if (zone.contains(account, r.organization())) {
        continue;
      }
      if (Witness.decide(target, r).verdict() == Verdict.ALLOW) {
        assertThat(report.covers(r.principal(), r.sessionRole(), r.organization(), r.action()))
            .as("policy %s%nallowed request %s%nfindings%n%s", text, r, report.text()).isTrue();
      }
    }
  }

  @Property(tries = 200)
  void everyExactFindingExample_isAllowedByTheAuthorizer(@ForAll long seed) {
    RandomKeyPolicies g = new RandomKeyPolicies(seed);
    String text = g.policyText();
    KeyTarget target = KeyTarget.of(g.key(text), IAM);
    text = text + " grants " + target.grants();
    AccessReport report = ExternalAccess.analyze(target, Zone.ofAccount(RandomKeyPolicies.KEY_ACCOUNT));
    for (Finding f : report.findings()) {
      if (f.exact()) {
        assertThat(Witness.decide(target, f.example()).verdict())
            .as("policy %s%nfinding %s", text, f).isEqualTo(Verdict.ALLOW);
      }
    }
  }

  @Property(tries = 100)
  void canAnyoneOutside_agreesWithFindingsAndAuthorizer(@ForAll long seed) {
    RandomKeyPolicies g = new RandomKeyPolicies(seed);
    String text = g.policyText();
    KeyTarget target = KeyTarget.of(RandomKeyPolicies.KEY, g.policy(text), IAM);
    Zone zone = Zone.ofAccount(RandomKeyPolicies.KEY_ACCOUNT);
    AccessReport report = ExternalAccess.analyze(target, zone);
    for (String action : new String[] {"kms:Decrypt", "kms:CreateGrant", "kms:PutKeyPolicy"}) {
      Optional<ExampleRequest> ex = ExternalAccess.of(target).canAnyoneOutside(zone, action, target.keyArn());
      boolean inFindings = report.findings().stream().anyMatch(f -> f.actions().contains(action));
      assertThat(ex.isPresent()).as("policy %s action %s", text, action).isEqualTo(inFindings);
      if (ex.isPresent() && report.findings().stream().allMatch(Finding::exact)) {
        assertThat(Witness.decide(target, ex.get()).verdict()).as("policy %s example %s", text, ex.get())
            .isEqualTo(Verdict.ALLOW);
      }
    }
  }

  @Property(tries = 100)
  void diff_everyNewlyAllowedRequestIsReportedAndExamplesAreConfirmed(@ForAll long seed) {
    RandomKeyPolicies g = new RandomKeyPolicies(seed);
    String oldText = g.policyText();
    String newText = g.policyText();
    KeyTarget older = KeyTarget.of(g.key(oldText), IAM);
    KeyTarget newer = KeyTarget.of(g.key(newText), IAM);
    PolicyDiff.Result diff = PolicyDiff.diff(older, newer);
    for (PolicyDiff.NewAccess n : diff.newAccess()) {
      if (n.confirmed()) {
        assertThat(Witness.decide(newer, n.example()).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(Witness.decide(older, n.example()).verdict()).isNotEqualTo(Verdict.ALLOW);
      }
    }
    for (int i = 0; i < REQUESTS; i++) {
      ExampleRequest r = g.request();
      if (Witness.decide(newer, r).verdict() == Verdict.ALLOW && Witness.decide(older, r).verdict() != Verdict.ALLOW) {
        assertThat(diff.covers(r.principal(), r.sessionRole(), r.organization(), r.action()))
            .as("old %s%nnew %s%nnewly allowed %s%n%s", oldText, newText, r, diff.text()).isTrue();
      }
    }
  }
}
