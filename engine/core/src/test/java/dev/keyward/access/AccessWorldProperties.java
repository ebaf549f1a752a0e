package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.Verdict;
import dev.keyward.iam.IamReference;
import dev.keyward.model.Arn;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The access analysis against the authorizer on worlds of real accounts: random key policies
 * ({@link RandomKeyPolicies}) in a random organization tree with SCPs on the root, on nested units and on
 * accounts, RCPs, a management account, VPC endpoints with and without policies, service-linked roles and
 * service principals. Every request the authorizer allows to a principal outside the zone is covered by a
 * finding (so access is never missed), every exact finding's example is allowed by the authorizer (so no
 * access that an SCP, RCP or endpoint policy blocks is reported as exact), and a diff between two worlds
 * reports every newly allowed request with confirmed examples.
 */
class AccessWorldProperties {

  private static final int REQUESTS = 60;
  private static final IamReference IAM = IamReference.bundled();
  static final String ORG = "o-aaaaaaaaaa";
  static final String VPCE = "vpce-0123456789abcdef0";
  static final String VPCE_OPEN = "vpce-0123456789abcdef1";

  private static final String FULL = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}";
  private static final String[] SCPS = {
      FULL, FULL,
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],"
          + " Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'},"
          + " {Effect: Deny, Action: 'kms:CreateGrant', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'},"
          + " {Effect: Deny, Action: 'kms:*', Resource: '*', Condition: {StringNotEquals: {'aws:PrincipalOrgPaths':"
          + " 'o-aaaaaaaaaa/r-ab12/ou-ab12-11111111/'}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*',"
          + " Condition: {StringEquals: {'aws:PrincipalTag/team': finance}}}]}"};
  private static final String[] RCPS = {
      "{Version: '2012-10-17', Statement: [{Effect: Deny, Principal: '*', Action: 'kms:*', Resource: '*',"
          + " Condition: {StringNotEqualsIfExists: {'aws:PrincipalOrgID': o-aaaaaaaaaa},"
          + " Bool: {'aws:PrincipalIsAWSService': 'false'}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Deny, Principal: '*', Action: 'kms:*', Resource: '*',"
          + " Condition: {StringNotEqualsIfExists: {'aws:PrincipalOrgID': o-aaaaaaaaaa}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Deny, Principal: '*', Action: ['kms:Decrypt', 'kms:RetireGrant'],"
          + " Resource: '*', Condition: {StringNotEquals: {'aws:SourceVpce': vpce-0123456789abcdef0}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Deny, Principal: '*', Action: 'kms:CreateGrant', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: '*', Resource: '*'}]}"};
  private static final String[] ENDPOINT_POLICIES = {
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 'kms:*', Resource: '*'}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: ['kms:Decrypt', 'kms:DescribeKey'],"
          + " Resource: '*', Condition: {StringEquals: {'aws:PrincipalAccount': ['111111111111', '222222222222']}}}]}",
      "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS: 'arn:aws:iam::222222222222:role/App'},"
          + " Action: 'kms:*', Resource: '*'}, {Effect: Deny, Principal: '*', Action: 'kms:Encrypt', Resource: '*'}]}"};

  /** Extra callers the tree makes interesting: service-linked roles, a management account's role. */
  private static final String[] MORE_PRINCIPALS = {
      "arn:aws:iam::222222222222:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps",
      "arn:aws:iam::555555555555:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps",
      "arn:aws:iam::999999999999:role/Admin", "arn:aws:iam::333333333333:role/service-role/etl",
      "logs.us-east-1.amazonaws.com"};

  /** A random organization tree around the key's account, as a world file's text. */
  static String worldText(Random r) {
    StringBuilder b = new StringBuilder();
    b.append("organizations:\n  - id: ").append(ORG).append("\n    rootId: r-ab12\n");
    b.append("    managementAccount: '").append(r.nextInt(4) == 0 ? "111111111111" : "999999999999").append("'\n");
    b.append("    scps: [{name: root-scp, document: ").append(SCPS[r.nextInt(3) == 0 ? r.nextInt(SCPS.length) : 0])
        .append("}]\n");
    b.append("    rcps: [").append(r.nextBoolean() ? "{name: root-rcp, document: " + RCPS[r.nextInt(RCPS.length)] + "}" : "")
        .append("]\n");
    // 333 under the root, 111 in Prod, 222 in Prod > Data (or under the root)
    boolean nested = r.nextBoolean();
    b.append("    accounts: ['333333333333'").append(nested ? "" : ", '222222222222'").append("]\n");
    b.append("    units:\n      - id: ou-ab12-11111111\n        name: Prod\n");
    b.append("        scps: [{name: prod-scp, document: ").append(SCPS[r.nextInt(SCPS.length)]).append("}]\n");
    b.append("        rcps: [").append(r.nextInt(3) == 0 ? "{name: prod-rcp, document: " + RCPS[r.nextInt(RCPS.length)] + "}" : "")
        .append("]\n");
    b.append("        accounts: ['111111111111']\n");
    if (nested) {
      b.append("        units:\n          - {id: ou-ab12-22222222, name: Data, scps: [{name: data-scp, document: ")
          .append(SCPS[r.nextInt(SCPS.length)]).append("}], accounts: ['222222222222']}\n");
    }
    b.append("accounts:\n  - {id: '444444444444', scps: [{name: acct-scp, document: ")
        .append(SCPS[r.nextInt(SCPS.length)]).append("}]}\n");
    b.append("vpcEndpoints:\n  - {id: ").append(VPCE).append(", vpc: vpc-0123abcd, account: '111111111111'")
        .append(r.nextInt(4) == 0 ? "" : ", policy: {document: " + ENDPOINT_POLICIES[r.nextInt(ENDPOINT_POLICIES.length)] + "}")
        .append("}\n");
    b.append("  - {id: ").append(VPCE_OPEN).append(", vpc: vpc-0123abce, account: '111111111111'}\n");
    return b.toString();
  }

  static World load(String text) {
    try {
      Path f = Files.createTempFile("keyward-access-world", ".yaml");
      try {
        Files.writeString(f, text);
        WorldLoadResult r = WorldLoader.create().load(f, "world.yaml");
        assertThat(r.hasErrors()).as("%s%n%s", text, r.problems()).isFalse();
        return r.world();
      } finally {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The world with {@code key} as its only key. */
  static World withKey(World w, KmsKey key) {
    return new World(w.name(), w.organizations(), w.accounts(), w.principals(), List.of(key), w.buckets(),
        w.images(), w.identities(), w.vpcEndpoints(), w.source());
  }

  /** A random request, sometimes through an endpoint, with the caller's organization as the world places it. */
  static ExampleRequest request(RandomKeyPolicies g, Random r, World w) {
    ExampleRequest q = g.request();
    String principal = r.nextInt(5) == 0 ? MORE_PRINCIPALS[r.nextInt(MORE_PRINCIPALS.length)] : q.principal();
    Map<String, List<String>> ctx = new HashMap<>(q.context());
    int v = r.nextInt(4);
    if (v == 1) {
      ctx.put("aws:SourceVpce", List.of(VPCE));
    } else if (v == 2) {
      ctx.put("aws:SourceVpce", List.of(VPCE_OPEN));
    } else if (v == 3) {
      ctx.put("aws:SourceVpce", List.of("vpce-0000000000000000f"));
    }
    String account = Arn.parse(principal).map(Arn::account).orElse(null);
    String org = principal.endsWith(".amazonaws.com") ? null : q.organization();
    for (var o : w.organizations()) {
      if (account != null && (o.accounts().contains(account) || account.equals(o.managementAccount()))) {
        org = o.id();
      }
    }
    Map<String, String> tags = principal.equals(q.principal()) ? q.principalTags() : Map.of();
    return new ExampleRequest(principal, q.action(), q.resource(), ctx, org, tags,
        principal.equals(q.principal()) ? q.sessionRole() : null);
  }

  /** One random key policy in one random world, from one seed. */
  private record Case(Random r, RandomKeyPolicies g, String policy, String worldText, KmsKey key, World world,
      KeyTarget target) {

    static Case of(long seed) {
      Random r = new Random(seed);
      RandomKeyPolicies g = new RandomKeyPolicies(seed);
      String policy = g.policyText();
      String worldText = AccessWorldProperties.worldText(r);
      KmsKey key = g.key(policy);
      World world = withKey(load(worldText), key);
      return new Case(r, g, policy, worldText, key, world, KeyTarget.of(key, world, IAM));
    }

    String describe() {
      return "policy " + policy + " grants " + key.grants() + "\nworld\n" + worldText;
    }
  }

  @Property(tries = 100)
  void everyAllowedOutsideRequest_isCoveredByAFinding(@ForAll long seed) {
    Case c = Case.of(seed);
    Zone zone = seed % 2 == 0 ? Zone.ofAccount(RandomKeyPolicies.KEY_ACCOUNT)
        : new Zone(Set.of(RandomKeyPolicies.KEY_ACCOUNT), Set.of(ORG));
    AccessReport report = ExternalAccess.analyze(c.target(), zone);
    for (int i = 0; i < REQUESTS; i++) {
      ExampleRequest q = request(c.g(), c.r(), c.world());
      String account = Arn.parse(q.principal()).map(Arn::account).orElse(null);
      if (zone.contains(account, q.organization())) {
        continue;
      }
      if (Witness.decide(c.target(), q).verdict() == Verdict.ALLOW) {
        assertThat(report.covers(q.principal(), q.sessionRole(), q.organization(), q.action()))
            .as("%s%nallowed request %s%nfindings%n%s", c.describe(), q, report.text()).isTrue();
      }
    }
  }

  @Property(tries = 100)
  void everyExactFindingExample_isAllowedByTheAuthorizer(@ForAll long seed) {
    Case c = Case.of(seed);
    AccessReport report = ExternalAccess.analyze(c.target(), Zone.ofAccount(RandomKeyPolicies.KEY_ACCOUNT));
    for (Finding f : report.findings()) {
      if (f.exact()) {
        assertThat(Witness.decide(c.target(), f.example()).verdict())
            .as("%s%nfinding %s", c.describe(), f)
            .isEqualTo(Verdict.ALLOW);
      }
    }
  }

  /**
   * No finding lists more than its principals get: for every action of an exact finding about an account
   * (not one of service-linked roles only, which SCPs and RCPs do not restrict), some caller of that account
   * other than a service-linked role is allowed it in the model, and the authorizer allows that caller's
   * request. An account two units deep whose outer unit's SCP allows only some actions is one shape this
   * catches: every SCP level must allow.
   */
  @Property(tries = 100)
  void everyActionOfAnAccountFinding_isAllowedToAnOrdinaryCallerOfThatAccount(@ForAll long seed) {
    Case c = Case.of(seed);
    Zone zone = Zone.ofAccount(RandomKeyPolicies.KEY_ACCOUNT);
    AccessReport report = ExternalAccess.analyze(c.target(), zone);
    Space space = Space.build(List.of(c.target()), zone);
    Cells cells = new Cells(space);
    for (Finding f : report.findings()) {
      if (f.kind() != Finding.Kind.ACCOUNT || !f.exact() || f.notes().contains(ExternalAccess.SERVICE_LINKED_NOTE)) {
        continue;
      }
      for (String action : f.actions()) {
        String a = action.toLowerCase(java.util.Locale.ROOT);
        ExampleRequest[] found = new ExampleRequest[1];
        new Explorer(space).walk((who, org) -> who.kind() != Who.Kind.SERVICE && !who.serviceLinked()
            && who.account().equals(f.principal()), List.of(List.of(a)), (who, org, acts, ctx, outcomes) -> {
              if (!outcomes[0].allowed() || outcomes[0].approximate()) {
                return true;
              }
              ExampleRequest ex = cells.example(c.target(), who, org, a, ctx);
              if (Witness.decide(c.target(), ex).verdict() == Verdict.ALLOW) {
                found[0] = ex;
                return false;
              }
              return true;
            });
        assertThat(found[0]).as("%s%n%s listed for %s, but no caller of the account but a service-linked role"
            + " gets it%nfindings%n%s", c.describe(), action, f.who(), report.text()).isNotNull();
      }
    }
  }

  /** Session policies a random session may carry: allow-all, narrower, with a Deny, conditional. */
  private static final String ALL_JSON = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
      + " \"Action\": \"*\", \"Resource\": \"*\"}]}";
  private static final String[] SESSION_POLICIES = {
      ALL_JSON,
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"kms:Decrypt\","
          + " \"kms:DescribeKey\"], \"Resource\": \"*\"}]}",
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"},"
          + " {\"Effect\": \"Deny\", \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}]}",
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\","
          + " \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"finance\"}}}]}",
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \""
          + RandomKeyPolicies.KEY + "\", \"Condition\": {\"StringEquals\": {\"aws:SourceVpce\": \"" + VPCE + "\"}}}]}"};

  private static dev.keyward.model.PolicyDocument sessionPolicy(String json) {
    dev.keyward.parse.ParseResult r = dev.keyward.parse.PolicyParser.create().parseString(json, "<session policy>",
        dev.keyward.model.PolicyType.IDENTITY);
    assertThat(r.policy()).as("%s%n%s", json, r.problems()).isNotNull();
    return r.policy();
  }

  /**
   * Session policies in {@code access}: the world declares no sessions, and whoever creates a session chooses
   * its session policies (none for AssumeRole; for GetFederationToken any policy, an allow-all one included),
   * so the analysis reasons about the session that has the most access. Pinned here: a random session request
   * (session policies, session tags, a chain with transitive tags) that the authorizer allows is also allowed
   * with only an allow-all session policy (session policies never add access), and a finding covers it.
   */
  @Property(tries = 80)
  void sessionPolicies_onlyTakeAccessAway_andEveryAllowedSessionRequestIsCovered(@ForAll long seed) {
    Case c = Case.of(seed);
    Zone zone = Zone.ofAccount(RandomKeyPolicies.KEY_ACCOUNT);
    AccessReport report = ExternalAccess.analyze(c.target(), zone);
    for (int i = 0; i < REQUESTS; i++) {
      ExampleRequest q = request(c.g(), c.r(), c.world());
      boolean federated = q.principal().contains(":federated-user/");
      if (!federated && !q.principal().contains(":assumed-role/")) {
        continue;
      }
      List<dev.keyward.model.PolicyDocument> policies = new ArrayList<>();
      int n = c.r().nextInt(3);
      for (int k = 0; k < n; k++) {
        policies.add(sessionPolicy(SESSION_POLICIES[c.r().nextInt(SESSION_POLICIES.length)]));
      }
      Map<String, String> tags = c.r().nextBoolean() ? Map.of("team", c.r().nextBoolean() ? "finance" : "ops")
          : Map.of();
      List<dev.keyward.request.Session.Link> chain = federated || c.r().nextBoolean() ? List.of()
          : List.of(new dev.keyward.request.Session.Link(null, Map.of("project", "x"), Set.of("project")));
      String by = federated ? q.sessionRole() : null;
      dev.keyward.request.Session limited = new dev.keyward.request.Session(tags, policies, null, Set.of(), chain, by);
      dev.keyward.request.Session widest = new dev.keyward.request.Session(tags,
          federated ? List.of(sessionPolicy(ALL_JSON)) : List.of(), null, Set.of(), chain, by);
      var authorizer = dev.keyward.eval.Authorizer.create(Witness.world(c.target(), q));
      var base = q.request();
      var withLimits = new dev.keyward.request.Request("", base.principal(), base.action(), base.resource(),
          base.context(), limited);
      if (authorizer.authorize(withLimits).verdict() != Verdict.ALLOW) {
        continue;
      }
      assertThat(authorizer.authorize(new dev.keyward.request.Request("", base.principal(), base.action(),
          base.resource(), base.context(), widest)).verdict())
          .as("%s%nsession policies gave access: %s with %s", c.describe(), q, limited).isEqualTo(Verdict.ALLOW);
      String account = Arn.parse(q.principal()).map(Arn::account).orElse(null);
      if (!zone.contains(account, q.organization())) {
        assertThat(report.covers(q.principal(), by, q.organization(), q.action()))
            .as("%s%nallowed session request %s with %s%nfindings%n%s", c.describe(), q, limited, report.text())
            .isTrue();
      }
    }
  }

  @Property(tries = 60)
  void diffOfTwoWorlds_reportsEveryNewlyAllowedRequest(@ForAll long seed) {
    Random r = new Random(seed);
    RandomKeyPolicies g = new RandomKeyPolicies(seed);
    String oldPolicy = g.policyText();
    String newPolicy = r.nextBoolean() ? oldPolicy : g.policyText();
    String oldText = worldText(r);
    String newText = worldText(r);
    KmsKey oldKey = g.key(oldPolicy);
    KmsKey newKey = g.key(newPolicy);
    World oldWorld = withKey(load(oldText), oldKey);
    World newWorld = withKey(load(newText), newKey);
    KeyTarget older = KeyTarget.of(oldKey, oldWorld, IAM);
    KeyTarget newer = KeyTarget.of(newKey, newWorld, IAM);
    PolicyDiff.Result diff = PolicyDiff.diff(older, newer);
    for (PolicyDiff.NewAccess n : diff.newAccess()) {
      if (n.confirmed()) {
        assertThat(Witness.decide(newer, n.example()).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(Witness.decide(older, n.example()).verdict()).isNotEqualTo(Verdict.ALLOW);
      }
    }
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      ExampleRequest q = request(g, r, newWorld);
      if (Witness.decide(newer, q).verdict() == Verdict.ALLOW && Witness.decide(older, q).verdict() != Verdict.ALLOW
          && !diff.covers(q.principal(), q.sessionRole(), q.organization(), q.action())) {
        failures.add(q.toString());
      }
    }
    assertThat(failures).as("old %s%n%s%nnew %s%n%s%n%s", oldPolicy, oldText, newPolicy, newText, diff.text()).isEmpty();
  }
}
