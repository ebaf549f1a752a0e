package dev.keyward.eval;

import static dev.keyward.model.KmsOperationFacts.CONSTRAINTS_IGNORED_ACTIONS;
import static dev.keyward.model.KmsOperationFacts.GRANT_ACTIONS;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.model.Arn;
import dev.keyward.model.Effect;
import dev.keyward.model.SourceRef;
import dev.keyward.request.Request;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KeyMetadata;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides requests against one {@link World} the way AWS and KMS do. All policies of the world are
 * compiled once by {@link #create}; {@link #authorize} is then cheap and thread-safe (the only shared
 * mutable state is the policies' action index, a concurrent map that only grows).
 *
 * <p>The flow for a request on a KMS key (every rule and its source is in {@code docs/evaluation.md}):
 * <ol>
 *   <li>deny sweep: a matching Deny in the key policy, the caller's identity policies, its permissions
 *       boundary or an SCP on its account gives EXPLICIT_DENY;
 *   <li>an operation that does not work across accounts, on a key of another account: IMPLICIT_DENY;
 *   <li>SCPs (not for the management account or service-linked roles): every level must allow;
 *   <li>one of: the key policy allows the caller directly (same account; a role ARN or {@code "*"} match is
 *       still limited by the boundary); the key policy allows the caller's account and an identity policy
 *       (within the boundary) allows; cross-account, the key policy allows the caller or its account and
 *       an identity policy of the caller's account (within the boundary) allows; or a grant allows.
 * </ol>
 * For resources other than KMS keys only identity policies, boundary and SCPs of the caller's own account
 * are evaluated; other resources are refused with a reason.
 */
public final class Authorizer {

  private final WorldIndex index;
  private final Map<String, CompiledKey> keys;
  private final Map<String, CompiledPrincipal> principals;
  /** The organization-level policies: SCPs, RCPs and the aws:ResourceOrg* keys. */
  private final OrgPolicies org;
  /** VPC endpoints by id. */
  private final Map<String, CompiledEndpoint> endpoints;

  /** A VPC endpoint: its compiled policy (null: the default, full access) and the aws:SourceVpc it implies. */
  static final class CompiledEndpoint {
    final dev.keyward.world.VpcEndpoint endpoint;
    final CompiledPolicy policy;
    final Map<String, String[]> values;

    CompiledEndpoint(dev.keyward.world.VpcEndpoint v, int[] nextId) {
      this.endpoint = v;
      this.policy = v.policy() == null ? null : new CompiledPolicy(v.policy(), nextId);
      this.values = v.vpc() == null ? null : Map.of("aws:sourcevpc", new String[] {v.vpc()});
    }
  }

  // NOTE: bounded cache of resolved callers; a Caller depends only on the principal text and the world
  private final ConcurrentHashMap<String, Caller> callers = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_CALLERS = 65_536;
  private final int atomCount;
  /** The actions asked about, with the ids that index every compiled policy's candidates. */
  private final ActionTable actions;
  /** Compiled session data by session (identity): a batch or a server reuses the same session object. */
  private final ConcurrentHashMap<dev.keyward.request.Session, CompiledSession> sessions = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_SESSIONS = 65_536;

  /** A session's compiled policies and the context values it sets (aws:PrincipalTag/*, aws:SourceIdentity). */
  static final class CompiledSession {
    final CompiledPolicy[] policies;
    final Map<String, String[]> values;

    CompiledSession(dev.keyward.request.Session s) {
      // ids past every world atom: symbolic mode never forces a session policy's conditions
      int[] ids = {Integer.MAX_VALUE / 2};
      this.policies = new CompiledPolicy[s.policies().size()];
      for (int i = 0; i < policies.length; i++) {
        policies[i] = new CompiledPolicy(s.policies().get(i), ids);
      }
      Map<String, String[]> v = new HashMap<>();
      s.tags().forEach((k, val) -> v.put("aws:principaltag/" + k.toLowerCase(Locale.ROOT), new String[] {val}));
      if (s.sourceIdentity() != null) {
        v.put("aws:sourceidentity", new String[] {s.sourceIdentity()});
      }
      this.values = v.isEmpty() ? null : Map.copyOf(v);
    }
  }

  private CompiledSession session(dev.keyward.request.Session s) {
    CompiledSession c = sessions.get(s);
    if (c == null) {
      c = new CompiledSession(s);
      if (sessions.size() < MAX_CACHED_SESSIONS) {
        sessions.putIfAbsent(s, c);
      }
    }
    return c;
  }

  private Authorizer(World world, Authorizer previous) {
    this.index = WorldIndex.create(world);
    // kept keys' compiled policies index their candidates by the previous authorizer's action ids
    this.actions = previous == null ? new ActionTable() : previous.actions;
    // atom ids stay unique across the two: kept keys keep theirs, everything compiled now gets new ones
    int[] nextId = {previous == null ? 0 : previous.atomCount};
    Map<String, CompiledKey> ks = new HashMap<>();
    for (KmsKey k : world.keys()) {
      String arn = k.arn().toString();
      CompiledKey old = previous == null ? null : previous.keys.get(arn);
      // a compiled key depends on its KmsKey alone (policy, grants, metadata), so the same object compiles alike
      ks.putIfAbsent(arn, old != null && old.key == k ? old : new CompiledKey(k, nextId));
    }
    Map<String, CompiledPrincipal> ps = new HashMap<>();
    for (IamPrincipal p : world.principals()) {
      ps.putIfAbsent(p.arn(), new CompiledPrincipal(p, index, nextId));
    }
    this.org = new OrgPolicies(world, index, nextId);
    Map<String, CompiledEndpoint> eps = new HashMap<>();
    for (dev.keyward.world.VpcEndpoint v : world.vpcEndpoints()) {
      eps.putIfAbsent(v.id(), new CompiledEndpoint(v, nextId));
    }
    this.endpoints = Map.copyOf(eps);
    this.keys = Map.copyOf(ks);
    this.principals = Map.copyOf(ps);
    this.atomCount = nextId[0];
  }

  /** Compiles every policy of the world once. */
  public static Authorizer create(World world) {
    return new Authorizer(world, null);
  }

  /** Past this many atom ids an update compiles everything again, so that ids stay dense. */
  private static final int MAX_ATOMS_BEFORE_RECOMPILE = 1 << 20;

  /**
   * An authorizer for {@code world}, a changed version of the world {@code previous} decides against: the
   * compiled form of every key whose {@link KmsKey} is the very object {@code previous} compiled is kept, the
   * rest is compiled (principals and SCPs always). Decides exactly as {@link #create} would; the local KMS
   * calls it after each change, so that a change costs the changed keys rather than every key.
   */
  public static Authorizer update(Authorizer previous, World world) {
    return previous.atomCount > MAX_ATOMS_BEFORE_RECOMPILE ? create(world) : new Authorizer(world, previous);
  }

  /** Whether some VPC endpoint of the world has a policy (then aws:SourceVpce can change a decision). */
  boolean hasEndpointPolicies() {
    for (CompiledEndpoint ce : endpoints.values()) {
      if (ce.policy != null) {
        return true;
      }
    }
    return false;
  }

  /** The index of the world this authorizer decides against. */
  public WorldIndex index() {
    return index;
  }

  /** Decides one request; never throws for bad input (an unknown principal or key is a deny with a reason). */
  public Decision authorize(Request request) {
    Decision d = decide(request, null, request.context());
    return index.world().coverage().fromSnapshots() ? withGaps(d, request) : d;
  }

  /**
   * The decision with a {@code gap} reason for everything the world's snapshots could not read that it
   * depends on: the verdict stays what the known policies give, and the reasons say what could change it.
   */
  private Decision withGaps(Decision d, Request request) {
    List<dev.keyward.world.WorldGap> gaps = index.gaps(request.principal(), request.resource());
    if (gaps.isEmpty()) {
      return d;
    }
    List<Reason> reasons = new ArrayList<>(d.reasons());
    for (dev.keyward.world.WorldGap g : gaps) {
      reasons.add(new Reason(g.source().file(), "", "gap", "the snapshot could not read this, and the answer may"
          + " depend on it: " + g.message(), g.source()));
    }
    return new Decision(d.requestId(), d.verdict(), reasons);
  }

  /**
   * Decides a request in which the request-context keys named in {@code unknownKeys} are left open
   * (for {@code who-can}). Key names are case-insensitive; an entry ending in {@code *} is a prefix
   * (e.g. {@code kms:EncryptionContext:*}); the entry {@code *} alone leaves open every key that the engine
   * does not derive itself and the request does not give. See {@link ConditionalDecision} for what the
   * answer guarantees.
   */
  public ConditionalDecision authorizeSymbolic(Request request, Set<String> unknownKeys) {
    return Symbolic.run(this, request, unknownKeys);
  }

  // ---------------------------------------------------------------------------------------------------
  // compiled world

  /** A key, its compiled policy and grants. */
  static final class CompiledKey {
    final KmsKey key;
    final String arn;
    final CompiledPolicy policy;
    final CompiledGrant[] grants;

    /**
     * Keys the key itself gives every request on it: its KeySpec, KeyUsage, Origin and multi-Region role
     * ({@code kms:KeySpec}, ...), {@code kms:ResourceAliases} (its aliases) and {@code aws:ResourceTag/<k>} (its
     * tags, by lower-case tag key, when the world states them).
     */
    final Map<String, String[]> derived;
    /** Whether the world states the key's tags: then a request cannot give {@code aws:ResourceTag/*}. */
    final boolean tagsStated;

    CompiledKey(KmsKey key, int[] nextId) {
      this.key = key;
      this.arn = key.arn().toString();
      Map<String, String[]> d = new HashMap<>();
      // properties of the key that KMS puts in the context of every operation on it ("Conditions for KMS keys
      // used in API operations", https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html)
      KeyMetadata m = key.metadata();
      putIfSet(d, "kms:keyspec", m.spec());
      putIfSet(d, "kms:keyusage", m.usage());
      putIfSet(d, "kms:keyorigin", m.origin());
      d.put("kms:multiregion", new String[] {Boolean.toString(m.multiRegionRole() != null)});
      putIfSet(d, "kms:multiregionkeytype", m.multiRegionRole());
      if (!m.aliases().isEmpty()) {
        d.put("kms:resourcealiases", m.aliases().toArray(new String[0]));
      }
      Map<String, String> tags = m.tags();
      this.tagsStated = tags != null;
      if (tags != null) {
        tags.forEach((k, v) -> d.put(RequestContext.RESOURCE_TAG + k.toLowerCase(Locale.ROOT), new String[] {v}));
      }
      this.derived = Map.copyOf(d);
      this.policy = new CompiledPolicy(key.policy(), nextId);
      this.grants = new CompiledGrant[key.grants().size()];
      for (int i = 0; i < grants.length; i++) {
        grants[i] = new CompiledGrant(key.grants().get(i), key, nextId[0]++);
      }
    }

    private static void putIfSet(Map<String, String[]> d, String name, String value) {
      if (value != null) {
        d.put(name, new String[] {value});
      }
    }
  }

  /** A grant with lower-case operations and its atom id (its constraint, in symbolic mode). */
  static final class CompiledGrant {
    final Grant grant;
    final Set<String> operations;
    final List<String> invalidOperations;
    final int atomId;
    final String name;
    final String issuingAccount;
    private final Map<String, String> equalsLower;
    private final Map<String, String> subsetLower;

    CompiledGrant(Grant g, KmsKey key, int atomId) {
      this.grant = g;
      this.equalsLower = lowerKeys(g.encryptionContextEquals());
      this.subsetLower = lowerKeys(g.encryptionContextSubset());
      Set<String> ops = new HashSet<>();
      List<String> bad = new ArrayList<>();
      for (String op : g.operations()) {
        String l = "kms:" + op.toLowerCase(Locale.ROOT);
        if (GRANT_ACTIONS.contains(l)) {
          ops.add(l);
        } else {
          bad.add(op);
        }
      }
      this.operations = Set.copyOf(ops);
      this.invalidOperations = List.copyOf(bad);
      this.atomId = atomId;
      this.name = "grant " + g.id();
      String ia = g.issuingAccount();
      if (ia != null && ia.startsWith("arn:")) {
        ia = Arn.parse(ia).map(Arn::account).orElse(ia);
      }
      this.issuingAccount = ia == null || ia.isEmpty() ? key.account() : ia;
    }

    /** Whether the request's encryption context satisfies the grant's constraints. */
    boolean constraintsHold(RequestContext ctx, String lowerAction) {
      if (CONSTRAINTS_IGNORED_ACTIONS.contains(lowerAction)) {
        return true;
      }
      if (ctx.forced != null && ctx.forced[atomId] != 0) {
        return ctx.forced[atomId] == 2;
      }
      return constraintsHoldFor(ctx.encryptionContext());
    }

    /**
     * Grant constraints compare context keys ignoring case and values exactly ("in a grant constraint,
     * the key in each key-value pair is not case sensitive, but the value is case sensitive",
     * https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html). A request whose
     * context has two keys differing only by case satisfies no constraint (AWS leaves it undefined).
     */
    boolean constraintsHoldFor(Map<String, String> ec) {
      Map<String, String> eq = equalsLower;
      Map<String, String> sub = subsetLower;
      if (eq == null && sub == null) {
        return true;
      }
      Map<String, String> lower = new HashMap<>(ec.size() * 2);
      for (Map.Entry<String, String> e : ec.entrySet()) {
        if (lower.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()) != null) {
          return false;
        }
      }
      if (eq != null && !eq.equals(lower)) {
        return false;
      }
      if (sub != null) {
        for (Map.Entry<String, String> e : sub.entrySet()) {
          if (!e.getValue().equals(lower.get(e.getKey()))) {
            return false;
          }
        }
      }
      return true;
    }

    private static Map<String, String> lowerKeys(Map<String, String> m) {
      if (m == null) {
        return null;
      }
      Map<String, String> out = new HashMap<>();
      m.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
      return Map.copyOf(out);
    }

    boolean hasConstraints() {
      return grant.encryptionContextEquals() != null || grant.encryptionContextSubset() != null;
    }
  }

  /** A world principal: compiled identity policies, boundary, and its derived context keys. */
  static final class CompiledPrincipal {
    final IamPrincipal principal;
    final CompiledPolicy[] policies;
    final CompiledPolicy boundary;
    final Map<String, String[]> derived;

    CompiledPrincipal(IamPrincipal p, WorldIndex index, int[] nextId) {
      this.principal = p;
      this.policies = new CompiledPolicy[p.policies().size()];
      for (int i = 0; i < policies.length; i++) {
        policies[i] = new CompiledPolicy(p.policies().get(i), nextId);
      }
      this.boundary = p.boundary() == null ? null : new CompiledPolicy(p.boundary(), nextId);
      Caller c = Caller.resolve(p.arn(), index);
      this.derived = c == null ? Map.of() : deriveKeys(c, index);
    }
  }

  /**
   * The context keys the engine derives from the caller (IAM User Guide, "AWS global condition context
   * keys"; KMS Developer Guide, kms:CallerAccount). Tag keys are lower-cased for case-insensitive lookup.
   */
  static Map<String, String[]> deriveKeys(Caller c, WorldIndex index) {
    Map<String, String[]> d = new HashMap<>();
    if (c.kind == Caller.Kind.SERVICE) {
      d.put("aws:principalisawsservice", new String[] {"true"});
      d.put("aws:principalservicename", new String[] {c.service});
      return Map.copyOf(d);
    }
    d.put("aws:principalarn", new String[] {c.principalArn});
    d.put("aws:principalaccount", new String[] {c.account});
    d.put("kms:calleraccount", new String[] {c.account});
    d.put("aws:principalisawsservice", new String[] {"false"});
    d.put("aws:principaltype", new String[] {
        c.kind == Caller.Kind.ROOT ? "Account" : c.kind == Caller.Kind.USER ? "User" : "AssumedRole"});
    index.organizationOf(c.account).ifPresent(o -> d.put("aws:principalorgid", new String[] {o.id()}));
    String orgPath = index.orgPath(c.account);
    if (orgPath != null) {
      d.put("aws:principalorgpaths", new String[] {orgPath});
    }
    if (c.kind == Caller.Kind.USER) {
      d.put("aws:username", new String[] {c.userArn.substring(c.userArn.lastIndexOf('/') + 1)});
    }
    if (c.principal != null) {
      for (Map.Entry<String, String> t : c.principal.tags().entrySet()) {
        d.put("aws:principaltag/" + t.getKey().toLowerCase(Locale.ROOT), new String[] {t.getValue()});
      }
    }
    return Map.copyOf(d);
  }

  int atomCount() {
    return atomCount;
  }

  // ---------------------------------------------------------------------------------------------------
  // deciding

  /** Everything one decision needs; built per request. */
  final class Eval {
    final Request request;
    final Caller caller;
    /** The action, lower-case. */
    final String action;
    final ActionTable.Action act;
    final String resource;
    final CompiledKey key;
    final RequestContext ctx;
    final CompiledPrincipal compiled;
    /** The VPC endpoint the request comes through (aws:SourceVpce names one of the world), or null. */
    CompiledEndpoint endpoint;
    /** The role session's session policies, or null when it has none (then nothing limits it here). */
    CompiledPolicy[] sessionPolicies;
    // both stay empty in most decisions: no backing array until the first reason
    final List<Reason> denies = new ArrayList<>();
    final List<Reason> errors = new ArrayList<>(0);

    Eval(Request request, Caller caller, ActionTable.Action act, String resource, CompiledKey key,
        RequestContext ctx, CompiledPrincipal compiled) {
      this.request = request;
      this.caller = caller;
      this.act = act;
      this.action = act.lower;
      this.resource = resource;
      this.key = key;
      this.ctx = ctx;
      this.compiled = compiled;
    }

    CompiledPolicy[] identityPolicies() {
      return compiled == null ? new CompiledPolicy[0] : compiled.policies;
    }

    CompiledPolicy boundary() {
      return compiled == null ? null : compiled.boundary;
    }

    void sweep(CompiledPolicy p) {
      if (p == null) {
        return;
      }
      for (CompiledStatement s : p.candidates(act)) {
        if (s.effect != Effect.DENY || !s.matchesResource(resource, ctx)
            || s.matchPrincipal(caller) == CompiledStatement.NO_MATCH) {
          continue;
        }
        int v = s.evaluateConditions(ctx);
        if (v == ConditionMatcher.FALSE) {
          continue;
        }
        if (v == ConditionMatcher.ERROR || s.problem != null) {
          errors.add(error(s, "deny statement applies because it cannot be evaluated: "
              + (s.problem != null ? s.problem : undecidable(s))));
        }
        denies.add(new Reason(p.name(), s.label, "deny", "denies `" + request.action() + "`",
            s.statement.source()));
      }
    }

    /**
     * The best principal match among the policy's Allow statements that apply, adding each applying
     * statement to {@code out} (null to skip collecting). For identity-type policies the level is DIRECT
     * when any applies. Statements that cannot be evaluated do not apply and are reported as errors.
     */
    int allows(CompiledPolicy p, List<CompiledStatement> out) {
      int best = CompiledStatement.NO_MATCH;
      if (p == null) {
        return best;
      }
      for (CompiledStatement s : p.candidates(act)) {
        if (s.effect != Effect.ALLOW || !s.matchesResource(resource, ctx)) {
          continue;
        }
        int m = s.matchPrincipal(caller);
        if (m == CompiledStatement.NO_MATCH) {
          continue;
        }
        if (s.problem != null) {
          errors.add(error(s, "allow statement ignored: " + s.problem));
          continue;
        }
        int v = s.evaluateConditions(ctx);
        if (v == ConditionMatcher.FALSE) {
          continue;
        }
        if (v == ConditionMatcher.ERROR) {
          errors.add(error(s, "allow statement ignored because it cannot be evaluated: "
              + undecidable(s)));
          continue;
        }
        if (out != null) {
          out.add(s);
        }
        best = Math.max(best, m);
      }
      return best;
    }

    private String undecidable(CompiledStatement s) {
      String p = s.conditionProblem();
      return p != null ? p : "a request value does not parse for its condition, or a key with several"
          + " values is used without ForAnyValue or ForAllValues";
    }

    Reason error(CompiledStatement s, String message) {
      return new Reason(s.policy.name(), s.label, "error", message, s.statement.source());
    }
  }

  private Caller caller(String principal) {
    Caller c = callers.get(principal);
    if (c == null) {
      c = Caller.resolve(principal, index);
      if (c != null && callers.size() < MAX_CACHED_CALLERS) {
        callers.putIfAbsent(principal, c);
      }
    }
    return c;
  }

  private Decision decide(Request request, byte[] forced, Map<String, List<String>> context) {
    String id = request.id();
    Caller caller = caller(request.principal());
    if (caller == null) {
      return deny(id, Verdict.IMPLICIT_DENY, List.of(new Reason("", "", "error",
          "principal `" + request.principal() + "` is not an account, user, role, role-session or service"
              + " principal", SourceRef.none())));
    }
    ActionTable.Action act = actions.of(request.action());
    String action = act.lower;
    String resource = request.resource();
    CompiledKey key = null;
    String requestAlias = null;
    boolean kmsResource = false;
    CompiledKey exact = keys.get(resource);
    if (exact != null) {
      // fast path: a key ARN of the world
      key = exact;
      kmsResource = true;
    } else if (resource.startsWith("arn:")) {
      Arn arn = Arn.parse(resource).orElse(null);
      if (arn != null && arn.service().equals("kms")
          && (arn.resource().startsWith("key/") || arn.resource().startsWith("alias/"))) {
        kmsResource = true;
        if (arn.resource().startsWith("alias/")) {
          requestAlias = arn.resource();
          KmsKey k = index.keyByAliasArn(resource).orElse(null);
          key = k == null ? null : keys.get(k.arn().toString());
        } else {
          key = keys.get(resource);
        }
      }
    } else if (action.startsWith("kms:") && !resource.equals("*") && !resource.isEmpty()) {
      // a bare key id or alias name (KMS resolves it in the caller's account)
      kmsResource = true;
      KmsKey k = index.resolveKey(resource, caller.account).orElse(null);
      key = k == null ? null : keys.get(k.arn().toString());
      if (resource.startsWith("alias/")) {
        requestAlias = resource;
      }
    }
    if (kmsResource && key == null) {
      return deny(id, Verdict.IMPLICIT_DENY, List.of(new Reason("", "", "error",
          "key `" + resource + "` is not in the world"
              + (resource.startsWith("arn:") ? "" : " (a key id or alias name resolves in the caller's account)"),
          SourceRef.none())));
    }
    CompiledPrincipal cp = caller.principal == null ? null : principals.get(caller.principal.arn());
    Map<String, String[]> derived = cp != null ? cp.derived : caller.derived(index);
    String resourceAccount = key != null ? key.key.account() : accountOf(resource);
    RequestContext ctx = new RequestContext(derived, resourceAccount, requestAlias, context);
    if (key != null) {
      ctx.keyFacts(key.derived, key.tagsStated);
    }
    if (resourceAccount != null) {
      ctx.resourceOrg(org.resourceOrgKeys(resourceAccount));
    }
    ctx.forced = forced;
    ctx.sessionTags = caller.kind == Caller.Kind.SESSION;
    Eval e = new Eval(request, caller, act, key != null ? key.arn : resource, key, ctx, cp);
    attachSession(e, request);
    attachEndpoint(e);
    return key != null ? KeyDecision.decideKey(this, e) : decideIdentityOnly(e);
  }

  /**
   * A role session's session data: its tags and source identity go into the context, its policies limit what
   * the role's identity policies allow. Only role sessions have sessions; for other callers it is ignored.
   */
  private void attachSession(Eval e, Request request) {
    if (e.caller.kind != Caller.Kind.SESSION || request.session().isEmpty()) {
      return;
    }
    CompiledSession cs = session(request.session());
    e.ctx.sessionValues = cs.values;
    e.sessionPolicies = cs.policies.length == 0 ? null : cs.policies;
  }

  /**
   * The VPC endpoint a request comes through: the one its {@code aws:SourceVpce} names, when the world declares
   * it. Its VPC becomes {@code aws:SourceVpc} (the world knows it; a request cannot claim another).
   */
  private void attachEndpoint(Eval e) {
    if (endpoints.isEmpty()) {
      return;
    }
    String[] vpce = e.ctx.get("aws:sourcevpce");
    if (vpce == null || vpce.length != 1) {
      return;
    }
    CompiledEndpoint ce = endpoints.get(vpce[0]);
    if (ce != null) {
      e.endpoint = ce;
      e.ctx.endpointValues = ce.values;
    }
  }

  /**
   * Null when the request comes through no declared endpoint or its policy allows; else the reason. "An
   * endpoint policy does not override or replace IAM policies or key policies": the request needs both
   * (https://docs.aws.amazon.com/kms/latest/developerguide/vpce-policy.html).
   */
  Reason endpointBlock(Eval e, List<Reason> allow) {
    CompiledEndpoint ce = e.endpoint;
    if (ce == null || ce.policy == null) {
      return null;
    }
    List<CompiledStatement> out = new ArrayList<>(1);
    e.allows(ce.policy, out);
    if (out.isEmpty()) {
      return new Reason(ce.policy.name(), "", "blocked", "the policy of VPC endpoint " + ce.endpoint.id()
          + " does not allow `" + e.request.action() + "` for `" + e.caller.display() + "`", SourceRef.none());
    }
    for (CompiledStatement s : out) {
      allow.add(s.reason(CompiledStatement.MSG_BOUNDARY, "allow", "vpce",
          a -> "the VPC endpoint policy permits the request"));
    }
    return null;
  }

  private static String accountOf(String resource) {
    Arn a = Arn.parse(resource).orElse(null);
    return a == null || a.account().isEmpty() ? null : a.account();
  }

  private static Decision deny(String id, Verdict v, List<Reason> reasons) {
    return new Decision(id, v, reasons);
  }

  /** The SCP levels that restrict this caller: empty for the management account and service-linked roles. */
  CompiledPolicy[][] scpLevelsFor(Caller c) {
    return org.scpLevelsFor(c);
  }

  /** The RCPs that restrict a request on a key (see {@link OrgPolicies#rcpsFor}). */
  CompiledPolicy[] rcpsFor(Eval e) {
    return org.rcpsFor(e);
  }

  /** Deny sweep over identity policies, boundary and SCPs (the key policy is swept by the caller). */
  void sweepCallerSide(Eval e, CompiledPolicy[][] levels) {
    for (CompiledPolicy p : e.identityPolicies()) {
      e.sweep(p);
    }
    e.sweep(e.boundary());
    if (e.sessionPolicies != null) {
      for (CompiledPolicy p : e.sessionPolicies) {
        e.sweep(p);
      }
    }
    for (CompiledPolicy[] level : levels) {
      for (CompiledPolicy p : level) {
        e.sweep(p);
      }
    }
  }

  /** Null when every SCP level allows, else the reason naming the level that does not. */
  Reason scpBlock(Eval e, CompiledPolicy[][] levels, List<Reason> allowReasons) {
    return org.scpBlock(e, levels, allowReasons);
  }

  /** Identity policies (within the boundary) allow the action: the caller side of delegation. */
  boolean identityAllows(Eval e, List<Reason> allowReasons, List<Reason> missing) {
    if (e.caller.kind == Caller.Kind.ROOT) {
      allowReasons.add(new Reason("", "", "allow", "the account's root user has every permission its "
          + "account's policies can give", SourceRef.none()));
      return true;
    }
    List<CompiledStatement> ids = new ArrayList<>(2);
    for (CompiledPolicy p : e.identityPolicies()) {
      e.allows(p, ids);
    }
    if (ids.isEmpty()) {
      missing.add(new Reason("", "", "missing", "no identity policy of `" + e.caller.display()
          + "` allows `" + e.request.action() + "` on `" + e.resource + "`"
          + (e.caller.principal == null ? " (the principal is not in the world, so it has no identity policies)"
          : ""), SourceRef.none()));
      return false;
    }
    if (!boundaryAllows(e, allowReasons, missing)) {
      return false;
    }
    for (CompiledStatement s : ids) {
      allowReasons.add(s.reason(CompiledStatement.MSG_IDENTITY, "allow", "",
          a -> "identity policy allows the action"));
    }
    return true;
  }

  /**
   * True when the caller's permissions boundary (if any) and its session policies (if any) allow: both limit
   * an identity-policy Allow and a resource-policy Allow that names the role rather than the session
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html;
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session). The session policies
   * count together: an Allow in any of them.
   */
  boolean boundaryAllows(Eval e, List<Reason> allowReasons, List<Reason> missing) {
    if (!boundaryOnlyAllows(e, allowReasons, missing)) {
      return false;
    }
    CompiledPolicy[] sp = e.sessionPolicies;
    if (sp == null) {
      return true;
    }
    List<CompiledStatement> out = new ArrayList<>(1);
    for (CompiledPolicy p : sp) {
      e.allows(p, out);
    }
    if (out.isEmpty()) {
      StringBuilder names = new StringBuilder();
      for (CompiledPolicy p : sp) {
        names.append(names.length() == 0 ? "" : ", ").append('`').append(p.name()).append('`');
      }
      missing.add(new Reason(sp.length == 1 ? sp[0].name() : "", "", "blocked", "the session policies of `"
          + e.caller.display() + "` (" + names + ") do not allow `" + e.request.action() + "`", SourceRef.none()));
      return false;
    }
    for (CompiledStatement s : out) {
      allowReasons.add(s.reason(CompiledStatement.MSG_BOUNDARY, "allow", "session",
          a -> a.equals("session") ? "session policy permits the action" : "permissions boundary permits the action"));
    }
    return true;
  }

  /** True when the caller has no boundary or its boundary allows. */
  private boolean boundaryOnlyAllows(Eval e, List<Reason> allowReasons, List<Reason> missing) {
    CompiledPolicy b = e.boundary();
    if (b == null) {
      return true;
    }
    List<CompiledStatement> out = new ArrayList<>(1);
    e.allows(b, out);
    if (out.isEmpty()) {
      missing.add(new Reason(b.name(), "", "blocked", "the permissions boundary of `" + e.caller.display()
          + "` does not allow `" + e.request.action() + "`", SourceRef.none()));
      return false;
    }
    for (CompiledStatement s : out) {
      allowReasons.add(s.reason(CompiledStatement.MSG_BOUNDARY, "allow", "",
          a -> "permissions boundary permits the action"));
    }
    return true;
  }

  Decision finish(Eval e, Verdict v, List<Reason> reasons) {
    if (!e.errors.isEmpty()) {
      reasons.addAll(e.errors);
    }
    if (reasons.size() > 1 && v != Verdict.ALLOW) {
      // a policy consulted on several paths (boundary, identity policies) may report the same thing twice
      reasons = new ArrayList<>(new LinkedHashSet<>(reasons));
    } else if (!e.errors.isEmpty()) {
      reasons = new ArrayList<>(new LinkedHashSet<>(reasons));
    }
    return new Decision(e.request.id(), v, reasons);
  }

  static void addStatements(List<Reason> out, List<CompiledStatement> ss, String effect, String msg) {
    for (CompiledStatement s : ss) {
      out.add(new Reason(s.policy.name(), s.label, effect, msg, s.statement.source()));
    }
  }

  /** Like {@link #addStatements} with a cached message template (hot ALLOW paths). */
  static void addCached(List<Reason> out, List<CompiledStatement> ss, int template, String effect,
      String arg, Function<String, String> message) {
    for (CompiledStatement s : ss) {
      out.add(s.reason(template, effect, arg, message));
    }
  }

  /** How a grantee or retiring principal ARN matches the caller (CompiledStatement levels). */
  static int granteeMatch(String grantee, Caller c) {
    if (grantee == null || c.kind == Caller.Kind.SERVICE) {
      return CompiledStatement.NO_MATCH;
    }
    if (grantee.equals(c.accountRoot) || grantee.equals(c.account)) {
      return c.kind == Caller.Kind.ROOT ? CompiledStatement.DIRECT : CompiledStatement.ACCOUNT;
    }
    if (c.roleArn != null && grantee.equals(c.roleArn)) {
      return CompiledStatement.DIRECT_LIMITED;
    }
    if ((c.sessionArn != null && grantee.equals(c.sessionArn)) || (c.userArn != null && grantee.equals(c.userArn))) {
      return CompiledStatement.DIRECT;
    }
    return CompiledStatement.NO_MATCH;
  }

  /**
   * Resources other than KMS keys: only the caller's identity policies, boundary and SCPs, for resources
   * of the caller's own account (or {@code *}); resource policies of other services are not modelled.
   */
  private Decision decideIdentityOnly(Eval e) {
    Caller c = e.caller;
    String owner = accountOf(e.resource);
    if (c.kind == Caller.Kind.SERVICE || (!e.resource.equals("*") && (owner == null || !owner.equals(c.account)))) {
      return finish(e, Verdict.IMPLICIT_DENY, new ArrayList<>(List.of(new Reason("", "", "error",
          "cannot decide `" + e.request.action() + "` on `" + e.resource + "`: only KMS keys of the world and"
              + " resources of the caller's own account are evaluated (resource policies of other services are"
              + " not modelled)", SourceRef.none()))));
    }
    CompiledPolicy[][] levels = scpLevelsFor(c);
    sweepCallerSide(e, levels);
    if (e.endpoint != null) {
      e.sweep(e.endpoint.policy);
    }
    if (!e.denies.isEmpty()) {
      return finish(e, Verdict.EXPLICIT_DENY, new ArrayList<>(e.denies));
    }
    List<Reason> allow = new ArrayList<>(2);
    List<Reason> missing = new ArrayList<>(1);
    Reason scp = scpBlock(e, levels, allow);
    if (scp != null) {
      missing.add(scp);
      return finish(e, Verdict.IMPLICIT_DENY, missing);
    }
    List<Reason> ids = new ArrayList<>(2);
    if (identityAllows(e, ids, missing)) {
      Reason vpce = endpointBlock(e, ids);
      if (vpce != null) {
        return finish(e, Verdict.IMPLICIT_DENY, new ArrayList<>(List.of(vpce)));
      }
      ids.addAll(allow);
      return finish(e, Verdict.ALLOW, ids);
    }
    return finish(e, Verdict.IMPLICIT_DENY, missing);
  }

  /** Decides with forced atom values (symbolic mode) and a context without the open keys. */
  Decision decideForced(Request request, byte[] forced, Map<String, List<String>> context) {
    return decide(request, forced, context);
  }

  /** The statements and grants whose open conditions a symbolic run must enumerate. */
  Eval prepare(Request request, Map<String, List<String>> context) {
    Caller caller = caller(request.principal());
    if (caller == null) {
      return null;
    }
    ActionTable.Action act = actions.of(request.action());
    String resource = request.resource();
    CompiledKey key = null;
    if (resource.startsWith("arn:")) {
      KmsKey k = index.resolveKey(resource, caller.account).orElse(null);
      key = k == null ? null : keys.get(k.arn().toString());
    } else if (!resource.equals("*")) {
      KmsKey k = index.resolveKey(resource, caller.account).orElse(null);
      key = k == null ? null : keys.get(k.arn().toString());
    }
    CompiledPrincipal cp = caller.principal == null ? null : principals.get(caller.principal.arn());
    Map<String, String[]> derived = cp != null ? cp.derived : caller.derived(index);
    String resourceAccount = key != null ? key.key.account() : accountOf(resource);
    RequestContext ctx = new RequestContext(derived, resourceAccount, null, context);
    if (key != null) {
      ctx.keyFacts(key.derived, key.tagsStated);
    }
    if (resourceAccount != null) {
      ctx.resourceOrg(org.resourceOrgKeys(resourceAccount));
    }
    ctx.sessionTags = caller.kind == Caller.Kind.SESSION;
    Eval e = new Eval(request, caller, act, key != null ? key.arn : resource, key, ctx, cp);
    attachSession(e, request);
    attachEndpoint(e);
    return e;
  }

  /** Every compiled policy that can take part in a decision for this caller and key. */
  List<CompiledPolicy> policiesFor(Eval e) {
    List<CompiledPolicy> out = new ArrayList<>();
    if (e.key != null) {
      out.add(e.key.policy);
    }
    for (CompiledPolicy p : e.identityPolicies()) {
      out.add(p);
    }
    if (e.boundary() != null) {
      out.add(e.boundary());
    }
    if (e.sessionPolicies != null) {
      out.addAll(List.of(e.sessionPolicies));
    }
    if (e.endpoint != null && e.endpoint.policy != null) {
      out.add(e.endpoint.policy);
    }
    for (CompiledPolicy[] level : scpLevelsFor(e.caller)) {
      for (CompiledPolicy p : level) {
        out.add(p);
      }
    }
    for (CompiledPolicy p : rcpsFor(e)) {
      out.add(p);
    }
    return out;
  }
}
