package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.Verdict;
import dev.keyward.iam.IamReference;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code access} and {@code diff} on worlds of real accounts: the RCPs of the key's account, the SCPs of the
 * callers' units, VPC endpoint policies, service-linked roles and service principals decide what the analysis
 * reports, as they decide what the authorizer allows (docs/access-analysis.md, section 1; docs/evaluation.md,
 * sections 4, 4b, 4c and 4d).
 */
class AccessRealAccountsTest {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String ORG = "o-a1b2c3d4e5";

  /** Open to every AWS principal and to CloudWatch Logs: what the world around it takes away is the test. */
  static final String OPEN_KEY = String.join("\n",
      "keys:",
      "  - arn: " + KEY,
      "    policy: {document: {Version: '2012-10-17', Statement: [",
      "      {Sid: Everyone, Effect: Allow, Principal: {AWS: '*'}, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*'},",
      "      {Sid: Logs, Effect: Allow, Principal: {Service: logs.us-east-1.amazonaws.com}, Action: ['kms:Encrypt*', 'kms:Decrypt*',"
          + " 'kms:GenerateDataKey*'], Resource: '*',",
      "       Condition: {ArnLike: {'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:*'}}}]}}");

  static final String RCP_PERIMETER = "{Version: '2012-10-17', Statement: [{Sid: perimeter, Effect: Deny, Principal: '*',"
      + " Action: 'kms:*', Resource: '*', Condition: {StringNotEqualsIfExists: {'aws:PrincipalOrgID': " + ORG + "},"
      + " BoolIfExists: {'aws:PrincipalIsAWSService': 'false'}}}]}";

  /** Management 999999999999; the key's account 111111111111 under Prod; 222222222222 under Prod > Data. */
  static String tree(String dataScp, String rootRcps) {
    return String.join("\n",
        "organizations:",
        "  - id: " + ORG,
        "    rootId: r-ab12",
        "    managementAccount: '999999999999'",
        "    scps: [{name: FullAWSAccess, document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}}]",
        "    rcps: " + rootRcps,
        "    units:",
        "      - id: ou-ab12-11111111",
        "        name: Prod",
        "        accounts: ['111111111111']",
        "        units:",
        "          - {id: ou-ab12-22222222, name: Data, scps: [{name: data-scp, document: " + dataScp + "}],"
            + " accounts: ['222222222222']}");
  }

  static final String FULL = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}";
  static final String S3_ONLY = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}";

  private static World world(String... parts) {
    return AccessWorldProperties.load(String.join("\n", parts) + "\n");
  }

  private static KmsKey key(World w) {
    return w.keys().get(0);
  }

  @Test
  void rcpPerimeter_removesEveryPrincipalOutsideTheOrganization_butNotTheServiceItExempts() throws IOException {
    World w = world(tree(FULL, "[{name: perimeter, document: " + RCP_PERIMETER + "}]"), OPEN_KEY);
    AccessReport withWorld = ExternalAccess.of(key(w), w).analyze(Zone.ofAccount("111111111111"));
    AccessReport policyAlone = ExternalAccess.of(key(w)).analyze(Zone.ofAccount("111111111111"));

    // the key policy alone lets every AWS account in
    assertThat(policyAlone.findings()).anySatisfy(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.ANY_PRINCIPAL));
    // the RCP keeps everyone outside the organization out but service-linked roles, which RCPs do not restrict
    KeyTarget t = KeyTarget.of(key(w), w, IamReference.bundled());
    assertThat(withWorld.findings()).filteredOn(f -> f.kind() == Finding.Kind.ANY_PRINCIPAL).singleElement()
        .satisfies(f -> {
          assertThat(f.notes()).contains(ExternalAccess.SERVICE_LINKED_NOTE);
          assertThat(f.restrictedBy()).containsExactly("world.yaml#/organizations/0/rcps/0 perimeter");
          assertThat(f.example().principal()).contains("aws-service-role/");
          assertThat(Witness.decide(t, f.example()).verdict()).isEqualTo(Verdict.ALLOW);
        });
    ExampleRequest outsider = new ExampleRequest("arn:aws:iam::444444444444:role/Outsider", "kms:Decrypt", KEY, Map.of(),
        null, Map.of(), null);
    assertThat(Witness.decide(t, outsider).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(withWorld.covers("arn:aws:iam::222222222222:role/teams/data/Analyst", ORG, "kms:Decrypt")).isTrue();
    // the service principal the key policy names is exempt from the RCP (its BoolIfExists condition)
    assertThat(withWorld.findings()).anySatisfy(f -> {
      assertThat(f.kind()).isEqualTo(Finding.Kind.SERVICE);
      assertThat(f.principal()).isEqualTo("logs.us-east-1.amazonaws.com");
      assertThat(f.exact()).isTrue();
      assertThat(Witness.decide(KeyTarget.of(key(w), w, IamReference.bundled()), f.example()).verdict())
          .isEqualTo(Verdict.ALLOW);
    });
    // a data-perimeter check: whoever outside the organization can decrypt is a service or a service-linked role
    assertThat(ExternalAccess.of(key(w), w).canAnyoneOutside(Zone.ofOrganization(ORG), "kms:Decrypt", KEY))
        .hasValueSatisfying(e -> assertThat(e.principal()).containsAnyOf(".amazonaws.com", "AWSServiceRoleFor"));
  }

  @Test
  void rcpWithoutAServiceExemption_deniesTheServicePrincipalToo() throws IOException {
    String strict = "{Version: '2012-10-17', Statement: [{Effect: Deny, Principal: '*', Action: 'kms:*', Resource: '*',"
        + " Condition: {StringNotEqualsIfExists: {'aws:PrincipalOrgID': " + ORG + "}}}]}";
    World w = world(tree(FULL, "[{name: strict, document: " + strict + "}]"), OPEN_KEY);
    AccessReport r = ExternalAccess.of(key(w), w).analyze(Zone.ofAccount("111111111111"));

    assertThat(r.findings()).noneSatisfy(f -> assertThat(f.kind()).isEqualTo(Finding.Kind.SERVICE));
  }

  @Test
  void scpOnANestedUnit_removesItsAccount_butNotItsServiceLinkedRoles() throws IOException {
    World w = world(tree(S3_ONLY, "[]"), OPEN_KEY);
    KeyTarget t = KeyTarget.of(key(w), w, IamReference.bundled());
    AccessReport r = ExternalAccess.analyze(t, Zone.ofAccount("111111111111"));

    // every finding for account 222222222222 is reached through a service-linked role, which SCPs do not restrict
    String analyst = "arn:aws:iam::222222222222:role/teams/data/Analyst";
    ExampleRequest q = new ExampleRequest(analyst, "kms:Decrypt", KEY, Map.of(), ORG, Map.of(), null);
    assertThat(Witness.decide(t, q).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    for (Finding f : r.findings()) {
      if (f.kind() == Finding.Kind.ACCOUNT && f.principal().equals("222222222222")) {
        assertThat(f.example().principal()).contains("aws-service-role/", "AWSServiceRoleFor");
        assertThat(Witness.decide(t, f.example()).verdict()).isEqualTo(Verdict.ALLOW);
      }
    }
    // the same policy, without the SCP, lets the account's ordinary roles in
    World open = world(tree(FULL, "[]"), OPEN_KEY);
    KeyTarget o = KeyTarget.of(key(open), open, IamReference.bundled());
    assertThat(Witness.decide(o, q).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(ExternalAccess.analyze(o, Zone.ofAccount("111111111111")).findings())
        .anySatisfy(f -> assertThat(f.principal()).isIn("*", "222222222222"));
  }

  @Test
  void endpointPolicy_mustAllowARequestThatComesThroughIt() throws IOException {
    String key = String.join("\n",
        "keys:",
        "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [",
        "      {Sid: ViaEndpoint, Effect: Allow, Principal: {AWS: 'arn:aws:iam::444444444444:root'}, Action: 'kms:Decrypt',"
            + " Resource: '*', Condition: {StringEquals: {'aws:SourceVpce': vpce-0123456789abcdef0}}}]}}");
    String endpointOwnAccountOnly = "vpcEndpoints:\n  - {id: vpce-0123456789abcdef0, vpc: vpc-0123abcd, account: '111111111111',"
        + " policy: {document: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'kms:*',"
        + " Resource: '*', Condition: {StringEquals: {'aws:PrincipalAccount': '111111111111'}}}]}}}";
    String endpointOpen = "vpcEndpoints:\n  - {id: vpce-0123456789abcdef0, vpc: vpc-0123abcd, account: '111111111111'}";
    World closed = world(key, endpointOwnAccountOnly);
    World open = world(key, endpointOpen);

    assertThat(ExternalAccess.of(key(closed), closed).analyze(Zone.ofAccount("111111111111")).findings()).isEmpty();
    AccessReport r = ExternalAccess.of(key(open), open).analyze(Zone.ofAccount("111111111111"));
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.principal()).isEqualTo("444444444444");
      // the example comes through the endpoint, with the endpoint's VPC as aws:SourceVpc
      assertThat(f.example().context()).containsEntry("aws:SourceVpce", List.of("vpce-0123456789abcdef0"))
          .containsEntry("aws:SourceVpc", List.of("vpc-0123abcd"));
    });
    // diff: opening the endpoint policy is new access for account 444444444444, confirmed by the authorizer
    PolicyDiff.Result d = PolicyDiff.diff(KeyTarget.of(key(closed), closed, IamReference.bundled()),
        KeyTarget.of(key(open), open, IamReference.bundled()));
    assertThat(d.newAccess()).singleElement().satisfies(n -> {
      assertThat(n.principal()).isEqualTo("444444444444");
      assertThat(n.confirmed()).isTrue();
      assertThat(n.oldVerdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    });
  }

  @Test
  void diff_removingAnRcp_isNewAccess_andAddingOneIsNot() throws IOException {
    World before = world(tree(FULL, "[{name: perimeter, document: " + RCP_PERIMETER + "}]"), OPEN_KEY);
    World after = world(tree(FULL, "[]"), OPEN_KEY);
    KeyTarget b = KeyTarget.of(key(before), before, IamReference.bundled());
    KeyTarget a = KeyTarget.of(key(after), after, IamReference.bundled());

    PolicyDiff.Result removed = PolicyDiff.diff(b, a);
    assertThat(removed.covers("arn:aws:iam::444444444444:role/Outsider", null, "kms:Decrypt")).isTrue();
    assertThat(removed.newAccess()).allSatisfy(n -> assertThat(n.confirmed()).isTrue());
    assertThat(PolicyDiff.diff(a, b).hasNewAccess()).isFalse();
  }

  @Test
  void diff_listsWhatOnlyServiceLinkedRolesGain_apartFromWhatEveryPrincipalOfTheAccountGains() throws IOException {
    // the Data unit's SCP denies kms:Decrypt; the new key policy lets account 222222222222 encrypt and decrypt
    String noDecrypt = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'},"
        + " {Effect: Deny, Action: 'kms:Decrypt', Resource: '*'}]}";
    String root = "{Sid: Root, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:root'}, Action: 'kms:*',"
        + " Resource: '*'}";
    String partner = "{Sid: Partner, Effect: Allow, Principal: {AWS: 'arn:aws:iam::222222222222:root'},"
        + " Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*'}";
    World before = world(tree(noDecrypt, "[]"), "keys:", "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [" + root + "]}}");
    World after = world(tree(noDecrypt, "[]"), "keys:", "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [" + root + ", " + partner + "]}}");

    PolicyDiff.Result r = PolicyDiff.diff(KeyTarget.of(key(before), before, IamReference.bundled()),
        KeyTarget.of(key(after), after, IamReference.bundled()));

    assertThat(r.newAccess()).hasSize(2).allSatisfy(n -> {
      assertThat(n.who()).isEqualTo("any principal of account 222222222222");
      assertThat(n.confirmed()).isTrue();
    });
    PolicyDiff.NewAccess everyone = r.newAccess().stream().filter(n -> n.note() == null).findFirst().orElseThrow();
    PolicyDiff.NewAccess serviceLinked = r.newAccess().stream().filter(n -> n.note() != null).findFirst()
        .orElseThrow();
    // an ordinary role of the account gains Encrypt only: the SCP denies it Decrypt, as the authorizer says
    assertThat(everyone.actions()).containsExactly("kms:Encrypt");
    assertThat(everyone.example().principal()).doesNotContain("aws-service-role");
    assertThat(serviceLinked.actions()).containsExactly("kms:Decrypt");
    assertThat(serviceLinked.note()).contains("service-linked roles");
    assertThat(serviceLinked.example().principal()).contains("aws-service-role/");
    assertThat(r.text()).contains("  note: only through service-linked roles");
    assertThat(serviceLinked.toMap()).containsKey("note");
    assertThat(everyone.toMap()).doesNotContainKey("note");
  }

  @Test
  void zoneOfTheOrganization_placesTheWorldsAccounts() throws IOException {
    World w = world(tree(FULL, "[]"), OPEN_KEY);
    AccessReport r = ExternalAccess.of(key(w), w).analyze(new Zone(Set.of("111111111111"), Set.of(ORG)));
    // 222222222222 is in the organization: never outside it, whatever organization a request claims
    assertThat(r.findings()).noneSatisfy(f -> assertThat(f.principal()).isEqualTo("222222222222"));
    Optional<ExampleRequest> any = ExternalAccess.of(key(w), w).canAnyoneOutside(Zone.ofOrganization(ORG),
        "kms:Decrypt", KEY);
    assertThat(any).isPresent();
    assertThat(any.get().principal()).doesNotContain("222222222222", "111111111111");
  }
}
