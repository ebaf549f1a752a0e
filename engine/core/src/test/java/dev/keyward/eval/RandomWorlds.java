package dev.keyward.eval;

import dev.keyward.model.ActionElement;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import dev.keyward.model.ValueKind;
import dev.keyward.request.Request;
import dev.keyward.world.Account;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KeyMetadata;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.OrganizationalUnit;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random worlds, policies and requests over a small vocabulary, for property tests. */
final class RandomWorlds {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String C = "333333333333";
  static final String KEY_A = "arn:aws:kms:us-east-1:111111111111:key/aaaa";
  static final String KEY_B = "arn:aws:kms:us-east-1:222222222222:key/bbbb";

  static final List<String> ROLES = List.of("arn:aws:iam::111111111111:role/App",
      "arn:aws:iam::111111111111:role/Admin", "arn:aws:iam::222222222222:role/Analyst",
      "arn:aws:iam::333333333333:role/Ext");
  static final List<String> USERS = List.of("arn:aws:iam::111111111111:user/alice",
      "arn:aws:iam::222222222222:user/bob");
  static final List<String> CALLERS = List.of(
      "arn:aws:iam::111111111111:role/App", "arn:aws:sts::111111111111:assumed-role/App/s1",
      "arn:aws:sts::111111111111:assumed-role/Admin/s2", "arn:aws:sts::222222222222:assumed-role/Analyst/s",
      "arn:aws:sts::333333333333:assumed-role/Ext/x", "arn:aws:iam::111111111111:user/alice",
      "arn:aws:iam::222222222222:user/bob", "arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root",
      "arn:aws:sts::111111111111:federated-user/fa", "arn:aws:sts::222222222222:federated-user/fb");
  static final List<String> ACTIONS = List.of("kms:Decrypt", "kms:Encrypt", "kms:ScheduleKeyDeletion",
      "kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant", "kms:ReEncryptFrom", "kms:GenerateDataKey");
  static final List<String> ACTION_PATTERNS = List.of("kms:*", "kms:Decrypt", "kms:Re*", "kms:*crypt", "*",
      "kms:Describe*", "kms:ScheduleKeyDeletion", "KMS:decrypt", "kms:GenerateDataKey*", "kms:RetireGrant",
      "kms:?ncrypt", "kms:Create*", "kms:List*");
  static final List<String> PRINCIPALS = List.of("*", "arn:aws:iam::111111111111:root",
      "arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root", "arn:aws:iam::111111111111:role/App",
      "arn:aws:iam::222222222222:role/Analyst", "arn:aws:sts::111111111111:assumed-role/App/s1",
      "arn:aws:iam::111111111111:user/alice", "arn:aws:iam::222222222222:user/bob",
      "arn:aws:sts::111111111111:federated-user/fa");
  static final List<String> RESOURCES = List.of("*", KEY_A, KEY_B, "arn:aws:kms:*:111111111111:key/*",
      "arn:aws:kms:us-east-1:*:key/????", "arn:aws:kms:us-east-1:111111111111:key/other");

  private final Random r;
  private int policyCounter;

  RandomWorlds(long seed) {
    this.r = new Random(seed);
  }

  <T> T pick(List<T> l) {
    return l.get(r.nextInt(l.size()));
  }

  boolean chance(int percent) {
    return r.nextInt(100) < percent;
  }

  private static ConditionValue v(String s) {
    return new ConditionValue(s, ValueKind.STRING, SourceRef.none());
  }

  Condition condition() {
    switch (r.nextInt(14)) {
      case 11:
        return cond("ForAnyValue:StringLike", ConditionOperator.STRING_LIKE, SetQualifier.FOR_ANY_VALUE, false,
            "aws:PrincipalOrgPaths", pick(List.of("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*",
                "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/", "o-a1b2c3d4e5/*")));
      case 12:
        return cond("StringNotEqualsIfExists", ConditionOperator.STRING_NOT_EQUALS, SetQualifier.NONE, true,
            "aws:PrincipalOrgID", pick(List.of("o-1", "o-a1b2c3d4e5")));
      case 13:
        return cond("StringLike", ConditionOperator.STRING_LIKE, SetQualifier.NONE, false,
            "aws:ResourceOrgPaths", pick(List.of("o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", "o-a1b2c3d4e5/*")));
      case 0:
        return cond("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false,
            "kms:EncryptionContext:Dept", pick(List.of("Finance", "HR")));
      case 1:
        return cond("StringNotEquals", ConditionOperator.STRING_NOT_EQUALS, SetQualifier.NONE, false,
            "kms:EncryptionContext:dept", "Finance", "Legal");
      case 2:
        return cond("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false, "kms:ViaService",
            pick(List.of("s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com")));
      case 3:
        return cond("StringLikeIfExists", ConditionOperator.STRING_LIKE, SetQualifier.NONE, true, "kms:ViaService",
            "s3.*");
      case 4:
        return cond("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false,
            "aws:PrincipalTag/team", pick(List.of("fin", "ops")));
      case 5:
        return cond("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false, "kms:CallerAccount",
            pick(List.of(A, B)));
      case 6:
        return cond("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false, "aws:PrincipalOrgID",
            pick(List.of("o-1", "o-a1b2c3d4e5")));
      case 7:
        return cond("ForAnyValue:StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.FOR_ANY_VALUE, false,
            "kms:EncryptionContextKeys", "Dept");
      case 8:
        return cond("ForAllValues:StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.FOR_ALL_VALUES, false,
            "kms:EncryptionContextKeys", "Dept", "Project");
      case 9:
        return cond("Null", ConditionOperator.NULL, SetQualifier.NONE, false, "kms:EncryptionContext:Dept",
            pick(List.of("true", "false")));
      default:
        return cond("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false,
            "kms:EncryptionContext:Dept", "${aws:PrincipalTag/team}");
    }
  }

  private static Condition cond(String text, ConditionOperator op, SetQualifier q, boolean ifExists, String key,
      String... values) {
    List<ConditionValue> vs = new ArrayList<>();
    for (String s : values) {
      vs.add(v(s));
    }
    return new Condition(text, op, q, ifExists, key, vs, SourceRef.none());
  }

  Statement statement(int index, PolicyType type, Effect forced) {
    Effect effect = forced != null ? forced : chance(75) ? Effect.ALLOW : Effect.DENY;
    PrincipalElement pe = null;
    if (type == PolicyType.KEY_POLICY) {
      boolean neg = chance(8);
      if (!neg && chance(15)) {
        pe = new PrincipalElement(false, true, List.of(), SourceRef.none());
      } else {
        List<PrincipalValue> pvs = new ArrayList<>();
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
          String p = pick(PRINCIPALS);
          pvs.add(new PrincipalValue(PrincipalType.AWS, p, p, SourceRef.none()));
        }
        pe = new PrincipalElement(neg, false, pvs, SourceRef.none());
      }
    }
    List<Located> acts = new ArrayList<>();
    int na = 1 + r.nextInt(2);
    for (int i = 0; i < na; i++) {
      acts.add(Located.of(pick(ACTION_PATTERNS)));
    }
    ActionElement ae = new ActionElement(chance(8), acts, SourceRef.none());
    List<Located> res = new ArrayList<>();
    if (type == PolicyType.KEY_POLICY) {
      res.add(Located.of("*"));
    } else {
      res.add(Located.of(pick(RESOURCES)));
    }
    ResourceElement re = new ResourceElement(type != PolicyType.KEY_POLICY && chance(5), res, SourceRef.none());
    List<Condition> conds = new ArrayList<>();
    int nc = chance(55) ? 0 : 1 + r.nextInt(2);
    for (int i = 0; i < nc; i++) {
      conds.add(condition());
    }
    String sid = chance(50) ? "S" + index : null;
    return new Statement(index, sid, effect, pe, ae, re, conds, SourceRef.none());
  }

  PolicyDocument policy(PolicyType type, int minStatements, int maxStatements) {
    int n = minStatements + r.nextInt(maxStatements - minStatements + 1);
    List<Statement> ss = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ss.add(statement(i, type, null));
    }
    return new PolicyDocument(type.label() + "-" + (++policyCounter), type, PolicyDocument.VERSION_2012, null, ss,
        SourceRef.none());
  }

  Grant grant(int i) {
    List<String> ops = new ArrayList<>();
    for (String op : List.of("Decrypt", "Encrypt", "DescribeKey", "RetireGrant", "CreateGrant", "ScheduleKeyDeletion")) {
      if (chance(35)) {
        ops.add(op);
      }
    }
    Map<String, String> eq = null;
    Map<String, String> sub = null;
    if (chance(30)) {
      sub = Map.of("Dept", pick(List.of("Finance", "HR")));
    } else if (chance(20)) {
      eq = Map.of("Dept", "Finance");
    }
    String grantee = pick(List.of(pick(ROLES), pick(USERS), pick(CALLERS)));
    String retiring = chance(30) ? pick(CALLERS) : null;
    return new Grant("g" + i, grantee, ops, eq, sub, retiring, null, SourceRef.none());
  }

  /** SCPs of a unit: none (no level), FullAWSAccess, or FullAWSAccess and a random one, or a random one alone. */
  private List<PolicyDocument> unitScps() {
    int c = r.nextInt(4);
    List<PolicyDocument> out = new ArrayList<>();
    if (c == 1 || c == 2) {
      out.add(fullAccess(PolicyType.SCP, "FullAWSAccess"));
    }
    if (c >= 2) {
      out.add(policy(PolicyType.SCP, 1, 2));
    }
    return out;
  }

  /** RCPs: nothing, or a random policy whose statements are all Denies (what an RCP may hold besides full access). */
  private List<PolicyDocument> rcps() {
    if (!chance(35)) {
      return List.of();
    }
    PolicyDocument p = policy(PolicyType.RCP, 1, 2);
    List<Statement> denies = new ArrayList<>();
    for (Statement s : p.statements()) {
      denies.add(new Statement(s.index(), s.sid(), Effect.DENY, new dev.keyward.model.PrincipalElement(false, true,
          List.of(), SourceRef.none()), s.action(), s.resource(), s.conditions(), s.source()));
    }
    return List.of(new PolicyDocument(p.name(), PolicyType.RCP, p.version(), p.id(), denies, p.source()));
  }

  private static PolicyDocument fullAccess(PolicyType type, String name) {
    return new PolicyDocument(name, type, PolicyDocument.VERSION_2012, null,
        List.of(new Statement(0, "Full", Effect.ALLOW, null,
            new ActionElement(false, List.of(Located.of("*")), SourceRef.none()),
            new ResourceElement(false, List.of(Located.of("*")), SourceRef.none()), List.of(), SourceRef.none())),
        SourceRef.none());
  }

  World world() {
    List<Organization> orgs = new ArrayList<>();
    if (chance(70)) {
      List<PolicyDocument> scps = new ArrayList<>();
      scps.add(new PolicyDocument("FullAWSAccess", PolicyType.SCP, PolicyDocument.VERSION_2012, null,
          List.of(new Statement(0, "Full", Effect.ALLOW, null,
              new ActionElement(false, List.of(Located.of("*")), SourceRef.none()),
              new ResourceElement(false, List.of(Located.of("*")), SourceRef.none()), List.of(), SourceRef.none())),
          SourceRef.none()));
      if (chance(50)) {
        scps.add(policy(PolicyType.SCP, 1, 2));
      }
      if (chance(50)) {
        // a tree of up to three levels: the root, a unit, a nested unit holding one account, each with
        // SCPs and RCPs at random
        String inUnit = pick(List.of(A, B));
        OrganizationalUnit inner = new OrganizationalUnit("ou-ab12-22222222", "Inner", unitScps(),
            rcps(), List.of(inUnit), List.of(), SourceRef.none());
        OrganizationalUnit outer = new OrganizationalUnit("ou-ab12-11111111", "Outer", unitScps(),
            rcps(), List.of(), List.of(inner), SourceRef.none());
        orgs.add(new Organization("o-a1b2c3d4e5", chance(70) ? "r-ab12" : null, chance(30) ? A : "999999999999",
            List.of(A, B), scps, rcps(), List.of(outer), SourceRef.none()));
      } else {
        orgs.add(new Organization("o-1", chance(30) ? A : "999999999999", List.of(A, B), scps, SourceRef.none()));
      }
    }
    List<Account> accounts = new ArrayList<>();
    if (chance(25)) {
      accounts.add(new Account(pick(List.of(A, B)), List.of(policy(PolicyType.SCP, 1, 2)), rcps(), SourceRef.none()));
    }
    List<IamPrincipal> ps = new ArrayList<>();
    List<String> all = new ArrayList<>(ROLES);
    all.addAll(USERS);
    for (String arn : all) {
      Map<String, String> tags = new LinkedHashMap<>();
      if (chance(50)) {
        tags.put(pick(List.of("team", "Team")), pick(List.of("fin", "ops", "Finance")));
      }
      List<PolicyDocument> pols = new ArrayList<>();
      int n = r.nextInt(3);
      for (int i = 0; i < n; i++) {
        pols.add(policy(PolicyType.IDENTITY, 1, 3));
      }
      PolicyDocument boundary = chance(20) ? policy(PolicyType.IDENTITY, 1, 2) : null;
      ps.add(new IamPrincipal(arn, Arn.parse(arn).orElseThrow().account(), tags, pols, boundary, SourceRef.none()));
    }
    List<KmsKey> keys = new ArrayList<>();
    for (String k : List.of(KEY_A, KEY_B)) {
      List<Grant> grants = new ArrayList<>();
      int ng = chance(50) ? r.nextInt(3) : 0;
      for (int i = 0; i < ng; i++) {
        grants.add(grant(i));
      }
      keys.add(new KmsKey(Arn.parse(k).orElseThrow(), policy(PolicyType.KEY_POLICY, 1, 5), false, grants,
          KeyMetadata.defaults(), SourceRef.none()));
    }
    List<dev.keyward.world.VpcEndpoint> endpoints = new ArrayList<>();
    if (chance(40)) {
      PolicyDocument p = policy(PolicyType.KEY_POLICY, 1, 3);
      PolicyDocument asEndpoint = chance(20) ? null
          : new PolicyDocument(p.name(), PolicyType.RESOURCE, p.version(), p.id(), p.statements(), p.source());
      endpoints.add(new dev.keyward.world.VpcEndpoint("vpce-0123456789abcdef0", "vpc-0123abcd", A, asEndpoint,
          SourceRef.none()));
    }
    return new World("random", orgs, accounts, ps, keys, List.of(), List.of(), List.of(), endpoints, SourceRef.none());
  }

  Request request() {
    Map<String, List<String>> ctx = new HashMap<>();
    if (chance(60)) {
      ctx.put(pick(List.of("kms:EncryptionContext:Dept", "kms:encryptioncontext:dept")),
          List.of(pick(List.of("Finance", "HR", "fin", ""))));
    }
    if (chance(25)) {
      ctx.put("kms:EncryptionContext:Project", List.of("x"));
    }
    if (chance(40)) {
      ctx.put("kms:ViaService", List.of(pick(List.of("s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"))));
    }
    if (chance(10)) {
      ctx.put("kms:GrantId", List.of(pick(List.of("g0", "g1"))));
    }
    if (chance(30)) {
      ctx.put(pick(List.of("aws:SourceVpce", "aws:sourcevpce")), List.of(pick(List.of("vpce-0123456789abcdef0",
          "vpce-0123456789abcdef9"))));
    }
    if (chance(10)) {
      ctx.put(pick(List.of("aws:PrincipalTag/team", "aws:principaltag/Team")), List.of(pick(List.of("fin", "ops"))));
    }
    String caller = pick(CALLERS);
    if (chance(8)) {
      return new Request("r", caller, pick(List.of("kms:CreateKey", "kms:ListKeys")), "*", ctx, session(caller));
    }
    return new Request("r", caller, pick(ACTIONS), pick(List.of(KEY_A, KEY_A, KEY_B)), ctx, session(caller));
  }

  /**
   * Session data for a request by {@code caller}: a federated user is mostly federated by its account's user
   * (sometimes by none), and sessions sometimes come through a chain whose transitive tags they inherit.
   */
  dev.keyward.request.Session session(String caller) {
    dev.keyward.request.Session s = session();
    String by = null;
    if (caller.contains(":federated-user/") && !chance(15)) {
      String account = caller.split(":")[4];
      by = USERS.stream().filter(u -> u.contains("::" + account + ":")).findFirst().orElse(null);
    }
    List<dev.keyward.request.Session.Link> chain = new ArrayList<>();
    if (caller.contains(":assumed-role/") && chance(25)) {
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put(pick(List.of("team", "Team")), pick(List.of("fin", "ops")));
      if (chance(50)) {
        tags.put("project", "x");
      }
      chain.add(new dev.keyward.request.Session.Link(null, tags, chance(70) ? java.util.Set.of(tags.keySet()
          .iterator().next()) : java.util.Set.of()));
    }
    if (by == null && chain.isEmpty()) {
      return s;
    }
    // a session never sets a tag its chain passed as transitive (AssumeRole refuses it)
    Map<String, String> own = new LinkedHashMap<>(s.tags());
    for (dev.keyward.request.Session.Link l : chain) {
      l.transitiveTagKeys().forEach(k -> own.keySet().removeIf(t -> t.equalsIgnoreCase(k)));
    }
    return new dev.keyward.request.Session(own, s.policies(), by == null ? s.sourceIdentity() : null,
        java.util.Set.of(), chain, by);
  }

  /** Session data for a request (used only when the caller is a role session): tags, policies, source identity. */
  dev.keyward.request.Session session() {
    if (!chance(35)) {
      return dev.keyward.request.Session.NONE;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    if (chance(50)) {
      tags.put(pick(List.of("team", "TEAM")), pick(List.of("fin", "ops")));
    }
    List<PolicyDocument> policies = new ArrayList<>();
    int n = r.nextInt(3);
    for (int i = 0; i < n; i++) {
      policies.add(policy(PolicyType.IDENTITY, 1, 2));
    }
    return new dev.keyward.request.Session(tags, policies, chance(30) ? "alice" : null);
  }
}
