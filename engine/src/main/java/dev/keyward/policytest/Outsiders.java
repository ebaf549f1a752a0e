package dev.keyward.policytest;

import dev.keyward.eval.Authorizer;
import dev.keyward.model.Arn;
import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.Account;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The callers that {@code expect nobody outside account|organization ID can A KEY} asks about: every
 * principal that is outside the scope and that the world or the key names, and stand-ins for the principals
 * that other accounts could create. This is a bounded search over representatives, not a proof over all
 * principals; a stronger analysis will replace it (see {@code docs/policy-tests.md}).
 *
 * <ul>
 *   <li>every role and user of the world outside the scope, with its real policies;
 *   <li>for every account outside the scope that the world knows (accounts, organization members,
 *       principals' and keys' accounts) or that the key policy or a grant names, and for a stranger account
 *       in no organization of the world when the key policy has a wildcard principal: the account's root
 *       user (which has every permission of its account), and a session of a role that the account could
 *       create with an identity policy that allows everything; a session may carry any session tags, so
 *       conditions on {@code aws:PrincipalTag/...} stay open for it;
 *   <li>every role or user ARN outside the scope that the key policy (Allow statements) or a grant of the
 *       key names and the world does not declare, added with an identity policy that allows everything
 *       (its account, not the key owner, decides its identity policies), and asked as a session for roles.
 * </ul>
 * Service principals are not outsiders here: they act for some account's resources, which
 * {@code keyward check}'s analyses follow.
 */
final class Outsiders {

  /**
   * One caller to ask about. {@code why} says why it is a candidate ("" for the world's principals);
   * {@code orgless} is true when its account is in no organization of the world.
   */
  record Candidate(String arn, String why, boolean orgless) {}

  /**
   * The organization id an account outside every organization of the world is given: it may belong to
   * some other organization, whose id is not one of the world's. The evaluator derives
   * aws:PrincipalOrgID only for accounts of the world's organizations and would otherwise leave it open,
   * as if the outsider could claim any organization.
   */
  static final String OTHER_ORG_ID = "o-outsider000";
  static final String OTHER_ORG_PATH = "o-outsider000/r-outs/";

  private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
  private static final String ASSUMED = "<assumed identity policy of a principal outside the world>";
  /** The role every outside account is given as a stand-in for the principals it could create. */
  static final String STAND_IN_ROLE = "keyward-outsider";
  private static final String SESSION = "keyward-outsider-session";

  private final World world;
  private final List<Candidate> candidates;
  private final List<IamPrincipal> synthetic;

  private Outsiders(World world, List<Candidate> candidates, List<IamPrincipal> synthetic) {
    this.world = world;
    this.candidates = List.copyOf(candidates);
    this.synthetic = List.copyOf(synthetic);
  }

  /** The candidates for {@code key}, outside the accounts in {@code inside}. */
  static Outsiders create(World world, KmsKey key, Set<String> inside) {
    Map<String, Candidate> out = new LinkedHashMap<>();
    Set<String> declared = new TreeSet<>();
    Set<String> inOrgs = new TreeSet<>();
    for (Organization o : world.organizations()) {
      inOrgs.addAll(o.accounts());
      inOrgs.add(o.managementAccount());
    }
    for (IamPrincipal p : world.principals()) {
      declared.add(p.arn());
      if (!inside.contains(p.account())) {
        out.put(p.arn(), new Candidate(p.arn(), "", !inOrgs.contains(p.account())));
      }
    }
    Set<String> known = new TreeSet<>();
    for (Account a : world.accounts()) {
      known.add(a.id());
    }
    for (Organization o : world.organizations()) {
      known.addAll(o.accounts());
      known.add(o.managementAccount());
    }
    for (IamPrincipal p : world.principals()) {
      known.add(p.account());
    }
    for (KmsKey k : world.keys()) {
      known.add(k.account());
    }
    Set<String> named = new TreeSet<>();
    boolean wildcard = false;
    for (Statement s : key.policy().statements()) {
      if (s.effect() != Effect.ALLOW || s.principal() == null || s.principal().negated()) {
        continue;
      }
      if (s.principal().matchesEveryAwsPrincipal()) {
        wildcard = true;
      }
      for (PrincipalValue v : s.principal().values()) {
        if (v.type() == PrincipalType.AWS && !v.isWildcard()) {
          named.add(v.value());
        }
      }
    }
    for (Grant g : key.grants()) {
      named.add(g.grantee());
    }
    List<IamPrincipal> synthetic = new ArrayList<>();
    PolicyDocument allowAll = PolicyParser.create().parse(ALLOW_ALL.getBytes(StandardCharsets.UTF_8), ASSUMED,
        PolicyType.IDENTITY).policy();
    for (String n : named) {
      Arn arn = Arn.parse(n).orElse(null);
      if (arn == null || !Arn.isAccountId(arn.account()) || inside.contains(arn.account())) {
        continue;
      }
      known.add(arn.account());
      String type = arn.resourceType();
      String iamArn = null;
      String roleName = null;
      if (arn.service().equals("iam") && (type.equals("role") || type.equals("user"))) {
        iamArn = n;
        roleName = type.equals("role") ? arn.resourceId().substring(arn.resourceId().lastIndexOf('/') + 1) : null;
      } else if (arn.service().equals("sts") && type.equals("assumed-role") && arn.resourceId().indexOf('/') > 0) {
        roleName = arn.resourceId().substring(0, arn.resourceId().indexOf('/'));
        iamArn = "arn:" + arn.partition() + ":iam::" + arn.account() + ":role/" + roleName;
      }
      if (iamArn != null && !declared.contains(iamArn)) {
        declared.add(iamArn);
        synthetic.add(new IamPrincipal(iamArn, arn.account(), Map.of(), List.of(allowAll), null,
            SourceRef.synthetic(ASSUMED, "")));
        String ask = roleName == null ? iamArn : session(arn.partition(), arn.account(), roleName);
        out.put(ask, new Candidate(ask, "named by the key policy or a grant; not in the world, so assumed"
            + " to have an identity policy that allows everything", !inOrgs.contains(arn.account())));
      }
    }
    if (wildcard) {
      String stranger = stranger(known);
      known.add(stranger);
    }
    for (String account : known) {
      if (inside.contains(account) || !Arn.isAccountId(account)) {
        continue;
      }
      String where = "account " + account + (inOrgs.contains(account) ? "" : " (in no organization of the world)");
      String root = Arn.accountRoot(account);
      out.putIfAbsent(root, new Candidate(root, "the root user of " + where, !inOrgs.contains(account)));
      String role = "arn:aws:iam::" + account + ":role/" + STAND_IN_ROLE;
      if (!declared.contains(role)) {
        synthetic.add(new IamPrincipal(role, account, Map.of(), List.of(allowAll), null,
            SourceRef.synthetic(ASSUMED, "")));
        String ask = session("aws", account, STAND_IN_ROLE);
        out.putIfAbsent(ask, new Candidate(ask, "a role session that " + where + " could create, with an identity"
            + " policy that allows everything and any session tags", !inOrgs.contains(account)));
      }
    }
    return new Outsiders(world, new ArrayList<>(out.values()), synthetic);
  }

  private static String session(String partition, String account, String role) {
    return "arn:" + partition + ":sts::" + account + ":assumed-role/" + role + "/" + SESSION;
  }

  /** An account id that the world does not use. */
  private static String stranger(Set<String> known) {
    long id = 123_456_789_012L;
    while (known.contains(String.format("%012d", id))) {
      id++;
    }
    return String.format("%012d", id);
  }

  List<Candidate> candidates() {
    return candidates;
  }

  /** The authorizer to ask: {@code base} when no principal was added, else one over the larger world. */
  Authorizer authorizer(Authorizer base) {
    if (synthetic.isEmpty()) {
      return base;
    }
    List<IamPrincipal> all = new ArrayList<>(world.principals());
    all.addAll(synthetic);
    return Authorizer.create(new World(world.name(), world.organizations(), world.accounts(), all, world.keys(),
        world.buckets(), world.images(), world.identities(), world.source()));
  }
}
