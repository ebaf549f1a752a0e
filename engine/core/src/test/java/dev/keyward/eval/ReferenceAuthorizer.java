package dev.keyward.eval;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.Statement;
import dev.keyward.request.Request;
import dev.keyward.world.Account;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.OrganizationalUnit;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small, deliberately naive authorizer: the executable specification that {@link Authorizer} is tested
 * against. No index, no precompilation, no caching: every request walks the world's lists and re-reads every
 * statement. It covers KMS keys only (the part the properties generate) and evaluates String, Bool and Null
 * conditions itself (regex-based wildcards, its own variable substitution); other operator families are
 * delegated to {@link ConditionMatcher}, which has its own unit tests.
 */
final class ReferenceAuthorizer {

  private static final Set<String> CROSS_ACCOUNT = Set.of("encrypt", "decrypt", "reencryptfrom", "reencryptto",
      "generatedatakey", "generatedatakeywithoutplaintext", "generatedatakeypair",
      "generatedatakeypairwithoutplaintext", "generatemac", "verifymac", "sign", "verify", "derivesharedsecret",
      "creategrant", "describekey", "getkeyrotationstatus", "getpublickey", "listgrants", "retiregrant",
      "revokegrant");
  private static final Set<String> GRANT_OPS = Set.of("decrypt", "derivesharedsecret", "encrypt",
      "generatedatakey", "generatedatakeypair", "generatedatakeypairwithoutplaintext",
      "generatedatakeywithoutplaintext", "generatemac", "reencryptfrom", "reencryptto", "sign", "verify",
      "verifymac", "creategrant", "describekey", "getpublickey", "retiregrant");

  private final World world;

  ReferenceAuthorizer(World world) {
    this.world = world;
  }

  /** The caller: kind, account, and its role / session / user ARNs. */
  private record Who(String kind, String account, String role, String session, String user, IamPrincipal p,
      String by) {
    String root() {
      return "arn:aws:iam::" + account + ":root";
    }
  }

  /** The caller of a request: a federated user with the IAM user its session names (its "by"). */
  private Who who(Request r) {
    Who w = who(r.principal());
    if (w == null || !w.kind.equals("federated") || r.session().federatedBy() == null) {
      return w;
    }
    String by = r.session().federatedBy();
    return new Who("federated", w.account, null, w.session, null, find(by), by);
  }

  private Who who(String arn) {
    Arn a = Arn.parse(arn).orElse(null);
    if (a == null) {
      return null;
    }
    String res = a.resource();
    if (a.service().equals("iam") && res.equals("root")) {
      return new Who("root", a.account(), null, null, null, null, null);
    }
    if (a.service().equals("iam") && res.startsWith("role/")) {
      return new Who("role", a.account(), arn, null, null, find(arn), null);
    }
    if (a.service().equals("iam") && res.startsWith("user/")) {
      return new Who("user", a.account(), null, null, arn, find(arn), null);
    }
    if (a.service().equals("sts") && res.startsWith("assumed-role/")) {
      String name = res.split("/")[1];
      for (IamPrincipal p : world.principals()) {
        if (p.isRole() && p.account().equals(a.account()) && p.arn().endsWith("/" + name)) {
          return new Who("session", a.account(), p.arn(), arn, null, p, null);
        }
      }
      return new Who("session", a.account(), "arn:aws:iam::" + a.account() + ":role/" + name, arn, null, null, null);
    }
    if (a.service().equals("sts") && res.startsWith("federated-user/") && res.length() > 15) {
      return new Who("federated", a.account(), null, arn, null, null, null);
    }
    return null;
  }

  private IamPrincipal find(String arn) {
    for (IamPrincipal p : world.principals()) {
      if (p.arn().equals(arn)) {
        return p;
      }
    }
    return null;
  }

  /** The endpoint the request names in aws:SourceVpce, when the world declares it. */
  private dev.keyward.world.VpcEndpoint endpoint(Request r) {
    List<String> v = null;
    for (Map.Entry<String, List<String>> e : r.context().entrySet()) {
      if (e.getKey().equalsIgnoreCase("aws:SourceVpce")) {
        v = e.getValue();
      }
    }
    if (v == null || v.size() != 1) {
      return null;
    }
    for (dev.keyward.world.VpcEndpoint ep : world.vpcEndpoints()) {
      if (ep.id().equals(v.get(0))) {
        return ep;
      }
    }
    return null;
  }

  /** A request through a VPC endpoint also needs the endpoint policy: its Deny denies, and it must allow. */
  Verdict authorize(Request r) {
    Verdict v = authorizeWithoutEndpoint(r);
    dev.keyward.world.VpcEndpoint ep = endpoint(r);
    Who w = who(r);
    KmsKey key = null;
    for (KmsKey k : world.keys()) {
      if (k.arn().toString().equals(r.resource())) {
        key = k;
      }
    }
    if (ep == null || ep.policy() == null || w == null || (key == null && !r.resource().equals("*"))) {
      return v;
    }
    String action = r.action().toLowerCase(Locale.ROOT);
    String resource = key == null ? "*" : key.arn().toString();
    // the same context as without the endpoint: a caller that is no session cannot give aws:PrincipalTag/*
    Map<String, List<String>> ctx = context(w, key, r);
    boolean allows = false;
    for (Statement s : ep.policy().statements()) {
      if (principalLevel(ep.policy(), s, w) == 0 || !actionOk(s, action) || !resourceOk(ep.policy(), s, resource, ctx)) {
        continue;
      }
      int c = conditions(ep.policy(), s, ctx);
      if (s.effect() == Effect.DENY && c != 0) {
        return Verdict.EXPLICIT_DENY;
      }
      if (s.effect() == Effect.ALLOW && s.action() != null && s.resource() != null && c == 1) {
        allows = true;
      }
    }
    return v == Verdict.ALLOW && !allows ? Verdict.IMPLICIT_DENY : v;
  }

  private Verdict authorizeWithoutEndpoint(Request r) {
    Who w = who(r);
    KmsKey key = null;
    for (KmsKey k : world.keys()) {
      if (k.arn().toString().equals(r.resource())) {
        key = k;
      }
    }
    if (w != null && r.resource().equals("*")) {
      return identityOnly(w, r);
    }
    if (w == null || key == null) {
      return Verdict.IMPLICIT_DENY;
    }
    String action = r.action().toLowerCase(Locale.ROOT);
    String op = action.startsWith("kms:") ? action.substring(4) : "";
    Map<String, List<String>> ctx = context(w, key, r);
    List<PolicyDocument> identity = w.p == null ? List.of() : w.p.policies();
    PolicyDocument boundary = w.p == null ? null : w.p.boundary();
    List<List<PolicyDocument>> scps = scps(w);

    // 1. any applicable Deny
    List<PolicyDocument> all = new ArrayList<>();
    all.add(key.policy());
    all.addAll(identity);
    if (boundary != null) {
      all.add(boundary);
    }
    for (List<PolicyDocument> level : scps) {
      all.addAll(level);
    }
    all.addAll(rcps(w, key, op));
    List<PolicyDocument> sessionPolicies = w.kind.equals("session") || w.kind.equals("federated")
        ? r.session().policies() : List.of();
    all.addAll(sessionPolicies);
    for (PolicyDocument p : all) {
      for (Statement s : p.statements()) {
        if (s.effect() == Effect.DENY && principalLevel(p, s, w) > 0 && actionOk(s, action)
            && resourceOk(p, s, key.arn().toString(), ctx) && conditions(p, s, ctx) != 0) {
          return Verdict.EXPLICIT_DENY;
        }
      }
    }
    boolean cross = !w.account.equals(key.account());
    if (cross && !CROSS_ACCOUNT.contains(op)) {
      return Verdict.IMPLICIT_DENY;
    }
    // 2. every SCP level must allow
    for (List<PolicyDocument> level : scps) {
      if (!anyAllow(level, w, action, key, ctx)) {
        return Verdict.IMPLICIT_DENY;
      }
    }
    boolean identityOk = w.kind.equals("root") || anyAllow(identity, w, action, key, ctx);
    // session policies limit like a boundary: the role (or "*") in a key policy, identity policies, grants to the role
    boolean boundaryOk = (boundary == null || anyAllow(List.of(boundary), w, action, key, ctx))
        && (sessionPolicies.isEmpty() ? !w.kind.equals("federated") : anyAllow(sessionPolicies, w, action, key, ctx));
    if (op.equals("retiregrant")) {
      for (Grant g : key.grants()) {
        List<String> wanted = ctx.get("kms:grantid");
        if (wanted != null && !wanted.contains(g.id())) {
          continue;
        }
        int rl = granteeLevel(g.retiringPrincipal(), w);
        if (rl >= 2 || (rl == 1 && identityOk && boundaryOk)) {
          return Verdict.ALLOW;
        }
        if (g.operations().stream().anyMatch(o -> o.equalsIgnoreCase("RetireGrant"))) {
          int gl = granteeLevel(g.grantee(), w);
          if (gl >= 2 || (gl == 1 && identityOk && boundaryOk)) {
            return Verdict.ALLOW;
          }
        }
        String issuing = g.issuingAccount() == null ? key.account() : g.issuingAccount();
        if (w.account.equals(issuing) && (w.kind.equals("root") || (identityOk && boundaryOk))) {
          return Verdict.ALLOW;
        }
      }
      return Verdict.IMPLICIT_DENY;
    }
    // 3. key policy, identity, boundary
    int best = 0;
    boolean account = false;
    for (Statement s : key.policy().statements()) {
      if (s.effect() == Effect.ALLOW && s.action() != null && s.resource() != null && s.principal() != null
          && actionOk(s, action) && resourceOk(key.policy(), s, key.arn().toString(), ctx)
          && conditions(key.policy(), s, ctx) == 1) {
        int l = principalLevel(key.policy(), s, w);
        if (l == 1) {
          account = true;
        } else {
          best = Math.max(best, l);
        }
      }
    }
    if (!cross) {
      if (best == 3 || (best == 2 && boundaryOk) || (account && identityOk && boundaryOk)) {
        return Verdict.ALLOW;
      }
    } else if ((best > 0 || account) && identityOk && boundaryOk) {
      return Verdict.ALLOW;
    }
    // 4. grants
    for (Grant g : key.grants()) {
      boolean hasOp = false;
      for (String o : g.operations()) {
        String l = o.toLowerCase(Locale.ROOT);
        if (GRANT_OPS.contains(l) && l.equals(op)) {
          hasOp = true;
        }
      }
      if (!hasOp) {
        continue;
      }
      if (!op.equals("describekey") && !constraintsOk(g, r)) {
        continue;
      }
      int l = granteeLevel(g.grantee(), w);
      if (l == 3 || (l == 2 && boundaryOk) || (l == 1 && identityOk && boundaryOk)) {
        return Verdict.ALLOW;
      }
    }
    return Verdict.IMPLICIT_DENY;
  }

  /** Constraint keys ignore case, values do not (API_GrantConstraints); clashing keys satisfy nothing. */
  /** Actions on {@code *} (CreateKey, ListKeys): identity policies, boundary and SCPs only. */
  private Verdict identityOnly(Who w, Request r) {
    String action = r.action().toLowerCase(Locale.ROOT);
    // the same context as for requests on a key: a caller that is no session cannot give aws:PrincipalTag/*
    Map<String, List<String>> ctx = context(w, null, r);
    List<PolicyDocument> all = new ArrayList<>();
    List<PolicyDocument> identity = w.p == null ? List.of() : w.p.policies();
    all.addAll(identity);
    if (w.p != null && w.p.boundary() != null) {
      all.add(w.p.boundary());
    }
    List<List<PolicyDocument>> scps = scps(w);
    for (List<PolicyDocument> level : scps) {
      all.addAll(level);
    }
    List<PolicyDocument> sessionPolicies = w.kind.equals("session") || w.kind.equals("federated")
        ? r.session().policies() : List.of();
    all.addAll(sessionPolicies);
    for (PolicyDocument p : all) {
      for (Statement s : p.statements()) {
        if (s.effect() == Effect.DENY && actionOk(s, action) && resourceOk(p, s, "*", ctx)
            && conditions(p, s, ctx) != 0) {
          return Verdict.EXPLICIT_DENY;
        }
      }
    }
    for (List<PolicyDocument> level : scps) {
      if (!anyAllow(level, action, "*", ctx)) {
        return Verdict.IMPLICIT_DENY;
      }
    }
    boolean identityOk = w.kind.equals("root") || anyAllow(identity, action, "*", ctx);
    boolean boundaryOk = (w.p == null || w.p.boundary() == null || anyAllow(List.of(w.p.boundary()), action, "*", ctx))
        && (sessionPolicies.isEmpty() ? !w.kind.equals("federated") : anyAllow(sessionPolicies, action, "*", ctx));
    return identityOk && boundaryOk ? Verdict.ALLOW : Verdict.IMPLICIT_DENY;
  }

  private boolean constraintsOk(Grant g, Request r) {
    Map<String, String> ec = new HashMap<>();
    for (Map.Entry<String, List<String>> e : r.context().entrySet()) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      if (k.startsWith("kms:encryptioncontext:")) {
        if (ec.containsKey(k.substring(22))) {
          return false;
        }
        ec.put(k.substring(22), e.getValue().get(0));
      }
    }
    if (g.encryptionContextEquals() != null) {
      if (g.encryptionContextEquals().size() != ec.size()) {
        return false;
      }
      for (Map.Entry<String, String> e : g.encryptionContextEquals().entrySet()) {
        if (!e.getValue().equals(ec.get(e.getKey().toLowerCase(Locale.ROOT)))) {
          return false;
        }
      }
    }
    if (g.encryptionContextSubset() != null) {
      for (Map.Entry<String, String> e : g.encryptionContextSubset().entrySet()) {
        if (!e.getValue().equals(ec.get(e.getKey().toLowerCase(Locale.ROOT)))) {
          return false;
        }
      }
    }
    return true;
  }

  /** 0 no, 1 via the account (delegation), 2 the role (boundary-limited), 3 exactly. */
  private static int granteeLevel(String g, Who w) {
    if (g == null) {
      return 0;
    }
    if (g.equals(w.root())) {
      return w.kind.equals("root") ? 3 : 1;
    }
    if (g.equals(w.role) || g.equals(w.by)) {
      return 2;
    }
    return g.equals(w.session) || g.equals(w.user) ? 3 : 0;
  }

  private boolean anyAllow(List<PolicyDocument> ps, Who w, String action, KmsKey key, Map<String, List<String>> ctx) {
    return anyAllow(ps, action, key.arn().toString(), ctx);
  }

  private boolean anyAllow(List<PolicyDocument> ps, String action, String resource, Map<String, List<String>> ctx) {
    for (PolicyDocument p : ps) {
      for (Statement s : p.statements()) {
        if (s.effect() == Effect.ALLOW && s.action() != null && s.resource() != null && actionOk(s, action)
            && resourceOk(p, s, resource, ctx) && conditions(p, s, ctx) == 1) {
          return true;
        }
      }
    }
    return false;
  }

  private List<List<PolicyDocument>> scps(Who w) {
    List<List<PolicyDocument>> out = new ArrayList<>();
    if (w.role != null && (w.role.contains("/aws-service-role/")
        || w.role.substring(w.role.lastIndexOf('/') + 1).startsWith("AWSServiceRoleFor"))) {
      return out;
    }
    for (Organization o : world.organizations()) {
      if (o.accounts().contains(w.account) || w.account.equals(o.managementAccount())) {
        if (w.account.equals(o.managementAccount())) {
          return out;
        }
        if (!o.scps().isEmpty()) {
          out.add(o.scps());
        }
        for (OrganizationalUnit u : unitsAbove(o.units(), w.account)) {
          if (!u.scps().isEmpty()) {
            out.add(u.scps());
          }
        }
        break;
      }
    }
    for (Account a : world.accounts()) {
      if (a.id().equals(w.account) && !a.scps().isEmpty()) {
        out.add(a.scps());
      }
    }
    return out;
  }

  /** The units from the root down to the one listing {@code account}; empty when none lists it. */
  private static List<OrganizationalUnit> unitsAbove(List<OrganizationalUnit> units, String account) {
    for (OrganizationalUnit u : units) {
      if (u.accounts().contains(account)) {
        return List.of(u);
      }
      List<OrganizationalUnit> below = unitsAbove(u.units(), account);
      if (!below.isEmpty()) {
        List<OrganizationalUnit> out = new ArrayList<>();
        out.add(u);
        out.addAll(below);
        return out;
      }
    }
    return List.of();
  }

  private Organization orgOf(String account) {
    for (Organization o : world.organizations()) {
      if (o.accounts().contains(account) || account.equals(o.managementAccount())) {
        return o;
      }
    }
    return null;
  }

  private String orgPath(String account) {
    Organization o = orgOf(account);
    if (o == null || o.rootId() == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(o.id() + "/" + o.rootId() + "/");
    for (OrganizationalUnit u : unitsAbove(o.units(), account)) {
      b.append(u.id()).append('/');
    }
    return b.toString();
  }

  /**
   * RCPs on a request for a key: root, units and account of the key's account; none for the management
   * account's keys, AWS managed keys, service-linked roles and kms:RetireGrant.
   */
  private List<PolicyDocument> rcps(Who w, KmsKey key, String op) {
    List<PolicyDocument> out = new ArrayList<>();
    if (op.equals("retiregrant") || "AWS".equals(key.metadata().manager()) || (w.role != null
        && (w.role.contains("/aws-service-role/") || w.role.substring(w.role.lastIndexOf('/') + 1).startsWith("AWSServiceRoleFor")))) {
      return out;
    }
    Organization o = orgOf(key.account());
    if (o != null && key.account().equals(o.managementAccount())) {
      return out;
    }
    if (o != null) {
      out.addAll(o.rcps());
      for (OrganizationalUnit u : unitsAbove(o.units(), key.account())) {
        out.addAll(u.rcps());
      }
    }
    for (Account a : world.accounts()) {
      if (a.id().equals(key.account())) {
        out.addAll(a.rcps());
      }
    }
    return out;
  }

  private Map<String, List<String>> context(Who w, KmsKey key, Request r) {
    Map<String, List<String>> ctx = new HashMap<>();
    List<String> ecKeys = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : r.context().entrySet()) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      ctx.put(k, e.getValue());
      if (k.startsWith("kms:encryptioncontext:")) {
        ecKeys.add(e.getKey().substring("kms:encryptioncontext:".length()));
      }
    }
    if (!ecKeys.isEmpty() && !ctx.containsKey("kms:encryptioncontextkeys")) {
      ctx.put("kms:encryptioncontextkeys", ecKeys);
    }
    ctx.put("aws:principalarn", List.of(w.kind.equals("root") ? w.root() : w.user != null ? w.user
        : w.kind.equals("federated") ? w.session : w.role));
    ctx.put("aws:principalaccount", List.of(w.account));
    ctx.put("kms:calleraccount", List.of(w.account));
    if (key != null) {
      ctx.put("aws:resourceaccount", List.of(key.account()));
      Organization ko = orgOf(key.account());
      if (ko != null) {
        ctx.put("aws:resourceorgid", List.of(ko.id()));
        String kp = orgPath(key.account());
        if (kp != null) {
          ctx.put("aws:resourceorgpaths", List.of(kp));
        }
      }
    }
    dev.keyward.world.VpcEndpoint ep = endpoint(r);
    if (ep != null && ep.vpc() != null) {
      ctx.put("aws:sourcevpc", List.of(ep.vpc()));
    }
    String pp = orgPath(w.account);
    if (pp != null) {
      ctx.put("aws:principalorgpaths", List.of(pp));
    }
    ctx.put("aws:principalisawsservice", List.of("false"));
    ctx.put("aws:principaltype", List.of(w.kind.equals("root") ? "Account" : w.kind.equals("user") ? "User"
        : w.kind.equals("federated") ? "FederatedUser" : "AssumedRole"));
    for (Organization o : world.organizations()) {
      if (o.accounts().contains(w.account) || w.account.equals(o.managementAccount())) {
        ctx.put("aws:principalorgid", List.of(o.id()));
        break;
      }
    }
    if (w.user != null) {
      ctx.put("aws:username", List.of(w.user.substring(w.user.lastIndexOf('/') + 1)));
    }
    boolean hasSession = w.kind.equals("session") || w.kind.equals("federated");
    if (!hasSession) {
      ctx.keySet().removeIf(k -> k.startsWith("aws:principaltag/"));
    }
    if (hasSession) {
      // the session's own tags and the transitive tags of its chain win over everything; then tags the request
      // gives; then the role's (or the federating user's)
      for (dev.keyward.request.Session.Link l : r.session().chain()) {
        l.tags().forEach((k, v) -> {
          if (l.transitiveTagKeys().stream().anyMatch(t -> t.equalsIgnoreCase(k))) {
            ctx.put("aws:principaltag/" + k.toLowerCase(Locale.ROOT), List.of(v));
          }
        });
      }
      r.session().tags().forEach((k, v) -> ctx.put("aws:principaltag/" + k.toLowerCase(Locale.ROOT), List.of(v)));
      if (r.session().sourceIdentity() != null) {
        ctx.put("aws:sourceidentity", List.of(r.session().sourceIdentity()));
      }
    }
    if (w.p != null) {
      // session tags (given by a session's request) override the role's tags with the same key
      w.p.tags().forEach((k, v) -> ctx.putIfAbsent("aws:principaltag/" + k.toLowerCase(Locale.ROOT), List.of(v)));
    }
    return ctx;
  }

  /** 0 no, 1 account (delegation), 2 role or "*" (boundary-limited), 3 exactly. Identity policies: 3. */
  private static int principalLevel(PolicyDocument p, Statement s, Who w) {
    if (!p.type().isResourceBased()) {
      return 3;
    }
    if (s.principal() == null) {
      return s.effect() == Effect.DENY ? 3 : 0;
    }
    List<String> mine = new ArrayList<>();
    mine.add(w.root());
    if (w.role != null) {
      mine.add(w.role);
    }
    if (w.session != null) {
      mine.add(w.session);
    }
    if (w.user != null) {
      mine.add(w.user);
    }
    List<String> named = new ArrayList<>();
    boolean star = s.principal().anyone();
    for (PrincipalValue v : s.principal().values()) {
      if (v.type() == PrincipalType.AWS) {
        if (v.isWildcard()) {
          star = true;
        }
        named.add(v.value());
      }
    }
    if (s.principal().negated()) {
      if (s.effect() == Effect.DENY) {
        if (w.p != null && w.p.boundary() != null) {
          return 3;
        }
        return star || named.containsAll(mine) ? 0 : 3;
      }
      for (String m : mine) {
        if (named.contains(m)) {
          return 0;
        }
      }
      return star ? 0 : 2;
    }
    int best = 0;
    if (star) {
      best = 2;
    }
    if (named.contains(w.root())) {
      best = Math.max(best, w.kind.equals("root") ? 3 : 1);
    }
    if (w.role != null && named.contains(w.role)) {
      best = Math.max(best, 2);
    }
    if (w.by != null && named.contains(w.by)) {
      best = Math.max(best, 2);
    }
    if ((w.session != null && named.contains(w.session)) || (w.user != null && named.contains(w.user))) {
      best = 3;
    }
    return best;
  }

  private static boolean actionOk(Statement s, String action) {
    if (s.action() == null) {
      return true;
    }
    boolean any = false;
    for (Located l : s.action().patterns()) {
      if (regex(l.value().toLowerCase(Locale.ROOT)).matcher(action).matches()) {
        any = true;
      }
    }
    return any != s.action().negated();
  }

  private static boolean resourceOk(PolicyDocument p, Statement s, String arn, Map<String, List<String>> ctx) {
    if (s.resource() == null) {
      return true;
    }
    boolean any = false;
    for (Located l : s.resource().patterns()) {
      String pat = l.value();
      if (pat.equals("*")) {
        any = true;
        continue;
      }
      String[] ps = ConditionMatcher.splitArn(pat);
      String[] rs = ConditionMatcher.splitArn(arn);
      if (ps == null || rs == null) {
        any |= regex(pat).matcher(arn).matches();
        continue;
      }
      boolean all = true;
      boolean lenient = (s.effect() == Effect.DENY) != s.resource().negated();
      for (int i = 0; i < 6; i++) {
        String seg = i == 5 && p.supportsPolicyVariables() ? substitute(ps[i], ctx, true) : Pattern.quote("") + toRegex(ps[i]);
        int flags = Pattern.DOTALL | (lenient && i < 3 ? Pattern.CASE_INSENSITIVE : 0);
        if (seg == null || !Pattern.compile(seg, flags).matcher(rs[i]).matches()) {
          all = false;
        }
      }
      any |= all;
    }
    return any != s.resource().negated();
  }

  /** 1 true, 0 false, 2 cannot be decided. */
  private static int conditions(PolicyDocument p, Statement s, Map<String, List<String>> ctx) {
    int result = 1;
    for (Condition c : s.conditions()) {
      int v = condition(p, c, ctx);
      if (v == 0) {
        return 0;
      }
      if (v == 2) {
        result = 2;
      }
    }
    return result;
  }

  private static int condition(PolicyDocument p, Condition c, Map<String, List<String>> ctx) {
    ConditionOperator op = c.operator();
    if (op == null) {
      return 2;
    }
    boolean string = op.family() == dev.keyward.model.OperatorFamily.STRING;
    if (!string && op != ConditionOperator.BOOL && op != ConditionOperator.NULL) {
      int v = ConditionMatcher.compile(c, p.supportsPolicyVariables()).evaluate(k -> {
        List<String> l = ctx.get(k);
        return l == null ? null : l.toArray(new String[0]);
      });
      return v == ConditionMatcher.TRUE ? 1 : v == ConditionMatcher.FALSE ? 0 : 2;
    }
    List<String> vals = ctx.get(c.keyLowerCase());
    boolean present = vals != null && !vals.isEmpty();
    if (present && (op == ConditionOperator.NULL || c.qualifier() != SetQualifier.NONE)
        && vals.stream().allMatch(String::isEmpty)) {
      present = false; // a null dataset, such as an empty string
    }
    if (op == ConditionOperator.NULL) {
      for (ConditionValue v : c.values()) {
        if (v.text().equalsIgnoreCase("true") != present) {
          return 1;
        }
      }
      return 0;
    }
    if (!present) {
      if (c.ifExists() || c.qualifier() == SetQualifier.FOR_ALL_VALUES) {
        return 1;
      }
      if (c.qualifier() == SetQualifier.FOR_ANY_VALUE) {
        return 0;
      }
      return op.negated() ? 1 : 0;
    }
    List<Boolean> perValue = new ArrayList<>();
    for (String r : vals) {
      boolean m = false;
      for (ConditionValue v : c.values()) {
        m |= valueMatches(p, op, v.text(), r, ctx);
      }
      perValue.add(m);
    }
    switch (c.qualifier()) {
      case FOR_ALL_VALUES:
        return perValue.stream().allMatch(m -> m != op.negated()) ? 1 : 0;
      case FOR_ANY_VALUE:
        return perValue.stream().anyMatch(m -> m != op.negated()) ? 1 : 0;
      default:
        if (perValue.size() > 1) {
          return 2;
        }
        return perValue.get(0) != op.negated() ? 1 : 0;
    }
  }

  private static boolean valueMatches(PolicyDocument p, ConditionOperator op, String pv, String r,
      Map<String, List<String>> ctx) {
    if (op == ConditionOperator.BOOL) {
      return r.equalsIgnoreCase(pv);
    }
    boolean like = op == ConditionOperator.STRING_LIKE || op == ConditionOperator.STRING_NOT_LIKE;
    boolean ic = op == ConditionOperator.STRING_EQUALS_IGNORE_CASE || op == ConditionOperator.STRING_NOT_EQUALS_IGNORE_CASE;
    String regex = p.supportsPolicyVariables() ? substitute(pv, ctx, like) : like ? toRegex(pv) : Pattern.quote(pv);
    if (regex == null) {
      return false;
    }
    return Pattern.compile(regex, Pattern.DOTALL | (ic ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0))
        .matcher(r).matches();
  }

  /** The value as a regex with variables substituted (quoted), or null when a variable is missing. */
  private static String substitute(String v, Map<String, List<String>> ctx, boolean wildcards) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < v.length()) {
      int s = v.indexOf("${", i);
      int e = s < 0 ? -1 : v.indexOf('}', s);
      if (s < 0 || e < 0) {
        String rest = v.substring(i);
        out.append(wildcards ? toRegex(rest) : Pattern.quote(rest));
        break;
      }
      String before = v.substring(i, s);
      out.append(wildcards ? toRegex(before) : Pattern.quote(before));
      String inner = v.substring(s + 2, e);
      String value;
      if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
        value = inner;
      } else {
        String[] parts = inner.split(",", 2);
        List<String> l = ctx.get(parts[0].trim().toLowerCase(Locale.ROOT));
        if (l != null && l.size() == 1) {
          value = l.get(0);
        } else if (parts.length == 2 && (l == null || l.isEmpty())) {
          value = parts[1].trim().replaceAll("^'(.*)'$", "$1");
        } else {
          return null;
        }
      }
      out.append(Pattern.quote(value));
      i = e + 1;
    }
    return out.toString();
  }

  private static Pattern regex(String glob) {
    return Pattern.compile(toRegex(glob), Pattern.DOTALL);
  }

  private static String toRegex(String glob) {
    StringBuilder b = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') {
        b.append(".*");
      } else if (c == '?') {
        b.append('.');
      } else {
        b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return b.toString();
  }
}
