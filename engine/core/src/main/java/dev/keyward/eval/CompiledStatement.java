package dev.keyward.eval;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.condition.ContextValues;
import dev.keyward.model.Glob;
import dev.keyward.condition.Template;
import dev.keyward.model.Condition;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * One statement, compiled: lower-cased action globs, resource matchers (ARN segment-wise, with policy
 * variables), principal values and condition matchers. Immutable and thread-safe.
 */
final class CompiledStatement {

  /** How a statement's Principal matches the caller. */
  static final int NO_MATCH = 0;
  /** The account principal of the caller's account: delegation to the account's IAM policies. */
  static final int ACCOUNT = 1;
  /**
   * The caller directly, by a role ARN, {@code "*"} or NotPrincipal: within one account such an Allow is
   * still limited by an implicit deny of the caller's permissions boundary.
   */
  static final int DIRECT_LIMITED = 2;
  /** The caller directly by its user or role-session ARN (or a service principal): not limited. */
  static final int DIRECT = 3;

  final PolicyDocument policy;
  final Statement statement;
  final Effect effect;
  final boolean resourceBased;
  /** Lower-case action globs; null when the statement has no Action/NotAction. */
  private final Glob[] actions;
  private final boolean notAction;
  /** Resource matchers; null when the statement has no Resource/NotResource. */
  private final ResourcePattern[] resources;
  private final boolean notResource;
  final ConditionMatcher[] conditions;
  /** Atom ids of the conditions, for symbolic evaluation. */
  final int[] conditionIds;
  /** Structural problems that make the statement undecidable (sound treatment applies). */
  final String problem;
  final String label;

  CompiledStatement(PolicyDocument policy, Statement s, int[] nextId) {
    this.policy = policy;
    this.statement = s;
    this.effect = s.effect();
    this.label = s.label();
    this.resourceBased = policy.type() == PolicyType.KEY_POLICY || policy.type() == PolicyType.RESOURCE;
    boolean vars = policy.supportsPolicyVariables();
    List<String> problems = new ArrayList<>();
    if (s.action() == null) {
      actions = null;
      notAction = false;
      problems.add("statement has no Action or NotAction");
    } else {
      notAction = s.action().negated();
      actions = new Glob[s.action().patterns().size()];
      for (int i = 0; i < actions.length; i++) {
        actions[i] = Glob.of(s.action().patterns().get(i).value().toLowerCase(Locale.ROOT), false);
      }
    }
    if (s.resource() == null) {
      resources = null;
      notResource = false;
      problems.add("statement has no Resource or NotResource");
    } else {
      notResource = s.resource().negated();
      resources = new ResourcePattern[s.resource().patterns().size()];
      for (int i = 0; i < resources.length; i++) {
        resources[i] = new ResourcePattern(s.resource().patterns().get(i), vars);
      }
    }
    if (resourceBased && s.principal() == null) {
      problems.add("statement of a resource policy has no Principal or NotPrincipal");
    }
    if (effect == null) {
      problems.add("statement has no valid Effect");
    }
    conditions = new ConditionMatcher[s.conditions().size()];
    conditionIds = new int[conditions.length];
    for (int i = 0; i < conditions.length; i++) {
      Condition c = s.conditions().get(i);
      conditions[i] = ConditionMatcher.compile(c, vars);
      conditionIds[i] = nextId[0]++;
    }
    this.problem = problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** Message templates of reasons that ALLOW decisions cite; each is cached per argument. */
  static final int MSG_SCP = 0;
  static final int MSG_IDENTITY = 1;
  static final int MSG_BOUNDARY = 2;
  static final int MSG_KEY_BY_NAME = 3;
  static final int MSG_KEY_CALLER = 4;
  static final int MSG_KEY_DELEGATE = 5;
  static final int MSG_KEY_CROSS = 6;
  static final int MSG_KEY_CROSS_DELEGATE = 7;
  static final int MSG_KEY_SERVICE = 8;
  private static final int MSG_COUNT = 9;
  private static final int MAX_CACHED_PER_TEMPLATE = 256;

  private final AtomicReferenceArray<ConcurrentHashMap<String, Reason>>
      reasonCache = new AtomicReferenceArray<>(MSG_COUNT);

  /**
   * A reason naming this statement, with the message {@code message.apply(arg)}; cached per template and
   * argument (the action as written, or an account), so ALLOW decisions build no strings on the hot path.
   * {@code message} must be a pure function of its argument.
   */
  Reason reason(int template, String effectWord, String arg, Function<String, String> message) {
    ConcurrentHashMap<String, Reason> m = reasonCache.get(template);
    if (m == null) {
      reasonCache.compareAndSet(template, null, new ConcurrentHashMap<>(4));
      m = reasonCache.get(template);
    }
    Reason r = m.get(arg);
    if (r == null) {
      r = new Reason(policy.name(), label, effectWord, message.apply(arg), statement.source());
      if (m.size() < MAX_CACHED_PER_TEMPLATE) {
        m.putIfAbsent(arg, r);
      }
    }
    return r;
  }

  /** Whether the Action element covers this lower-case action; a missing element covers it (sound use). */
  boolean matchesAction(String lowerAction) {
    if (actions == null) {
      return true;
    }
    boolean any = false;
    for (Glob g : actions) {
      if (g.matches(lowerAction)) {
        any = true;
        break;
      }
    }
    return any != notAction;
  }

  /**
   * Whether the Resource element covers the resource. For a key policy {@code "*"} means this key (every
   * key policy's statements only ever apply to their own key). A missing element covers it (sound use).
   */
  boolean matchesResource(String resource, ContextValues ctx) {
    if (resources == null) {
      return true;
    }
    // Whether AWS compares the partition, service and Region parts of a Resource ARN with regard to case
    // is not documented: take the reading that makes a Deny apply and an Allow not apply.
    boolean lenient = (effect == Effect.DENY) != notResource;
    boolean any = false;
    for (ResourcePattern p : resources) {
      if (p.matches(resource, ctx, lenient)) {
        any = true;
        break;
      }
    }
    return any != notResource;
  }

  /** How the Principal / NotPrincipal element matches the caller (identity policies: always DIRECT). */
  int matchPrincipal(Caller c) {
    return resourceBased ? matchPrincipalElement(c) : DIRECT;
  }

  /** How the Principal / NotPrincipal element matches the caller, read as a resource policy's. */
  int matchPrincipalElement(Caller c) {
    PrincipalElement pe = statement.principal();
    if (pe == null) {
      // malformed: a Deny applies to everyone, an Allow to no one (the caller checks the effect)
      return effect == Effect.DENY ? DIRECT : NO_MATCH;
    }
    if (!pe.negated()) {
      if (pe.anyone()) {
        return c.kind == Caller.Kind.SERVICE ? DIRECT : DIRECT_LIMITED;
      }
      int best = NO_MATCH;
      for (PrincipalValue v : pe.values()) {
        best = Math.max(best, matchValue(v, c));
      }
      return best;
    }
    // NotPrincipal (IAM User Guide, reference_policies_elements_notprincipal)
    if (effect == Effect.DENY) {
      if (c.principal != null && c.principal.boundary() != null) {
        // quirk: Deny + NotPrincipal always denies principals with a permissions boundary
        return DIRECT;
      }
      return allIdentitiesListed(pe, c) ? NO_MATCH : DIRECT;
    }
    return anyIdentityListed(pe, c) ? NO_MATCH : DIRECT_LIMITED;
  }

  private static int matchValue(PrincipalValue v, Caller c) {
    if (v.type() == PrincipalType.SERVICE) {
      return c.kind == Caller.Kind.SERVICE && v.value().equals(c.service) ? DIRECT : NO_MATCH;
    }
    if (v.type() != PrincipalType.AWS || c.kind == Caller.Kind.SERVICE) {
      return NO_MATCH;
    }
    String val = v.value();
    if (val.equals("*")) {
      return DIRECT_LIMITED;
    }
    if (val.equals(c.accountRoot)) {
      return c.kind == Caller.Kind.ROOT ? DIRECT : ACCOUNT;
    }
    if (c.roleArn != null && val.equals(c.roleArn)) {
      return DIRECT_LIMITED;
    }
    if (c.sessionArn != null && val.equals(c.sessionArn)) {
      return DIRECT;
    }
    if (c.userArn != null && val.equals(c.userArn)) {
      return DIRECT;
    }
    if (c.federatedBy != null && val.equals(c.federatedBy)) {
      // the federating user named: its permissions reach the session through the session policy
      return DIRECT_LIMITED;
    }
    if (c.kind == Caller.Kind.OTHER && val.equals(c.written)) {
      return DIRECT;
    }
    return NO_MATCH;
  }

  private static boolean listed(PrincipalElement pe, String arn) {
    for (PrincipalValue v : pe.values()) {
      if (v.type() == PrincipalType.AWS && (v.isWildcard() || v.value().equals(arn))) {
        return true;
      }
    }
    return pe.anyone();
  }

  /** Deny + NotPrincipal spares the caller only when its account, role and session are all listed. */
  private static boolean allIdentitiesListed(PrincipalElement pe, Caller c) {
    if (c.kind == Caller.Kind.SERVICE) {
      for (PrincipalValue v : pe.values()) {
        if (v.type() == PrincipalType.SERVICE && v.value().equals(c.service)) {
          return true;
        }
      }
      return pe.anyone();
    }
    if (!listed(pe, c.accountRoot)) {
      return false;
    }
    if (c.roleArn != null && !listed(pe, c.roleArn)) {
      return false;
    }
    if (c.sessionArn != null && !listed(pe, c.sessionArn)) {
      return false;
    }
    if (c.kind == Caller.Kind.OTHER && !listed(pe, c.written)) {
      return false;
    }
    return c.userArn == null || listed(pe, c.userArn);
  }

  /** Allow + NotPrincipal excludes the caller when any of its identities is listed (the safe reading). */
  private static boolean anyIdentityListed(PrincipalElement pe, Caller c) {
    if (pe.anyone()) {
      return true;
    }
    for (PrincipalValue v : pe.values()) {
      if (v.isWildcard() && v.type() == PrincipalType.AWS) {
        return true;
      }
      if (v.type() == PrincipalType.SERVICE && c.kind == Caller.Kind.SERVICE && v.value().equals(c.service)) {
        return true;
      }
    }
    if (c.kind == Caller.Kind.SERVICE) {
      return false;
    }
    return listed(pe, c.accountRoot)
        || (c.roleArn != null && listed(pe, c.roleArn))
        || (c.sessionArn != null && listed(pe, c.sessionArn))
        || (c.userArn != null && listed(pe, c.userArn))
        || (c.kind == Caller.Kind.OTHER && listed(pe, c.written));
  }

  /**
   * The conditions' combined value: FALSE if any is false, else ERROR if any cannot be decided, else TRUE
   * (three-valued AND). In symbolic mode a forced atom takes its forced value.
   */
  int evaluateConditions(RequestContext ctx) {
    return evaluateConditions(ctx, ctx.forced);
  }

  /** The conditions' combined value over {@code ctx}; {@code forced} (or null) as in symbolic mode. */
  int evaluateConditions(ContextValues ctx, byte[] forced) {
    int result = ConditionMatcher.TRUE;
    for (int i = 0; i < conditions.length; i++) {
      int v;
      // session policies are compiled per session with ids past the world's atoms: never forced
      if (forced != null && conditionIds[i] < forced.length && forced[conditionIds[i]] != 0) {
        v = forced[conditionIds[i]] == 2 ? ConditionMatcher.TRUE : ConditionMatcher.FALSE;
      } else {
        v = conditions[i].evaluate(ctx);
      }
      if (v == ConditionMatcher.FALSE) {
        return ConditionMatcher.FALSE;
      }
      if (v == ConditionMatcher.ERROR) {
        result = ConditionMatcher.ERROR;
      }
    }
    return result;
  }

  /** The first condition problem (invalid operator or value), or null. */
  String conditionProblem() {
    for (ConditionMatcher m : conditions) {
      if (m.problem() != null) {
        return m.problem();
      }
    }
    return null;
  }

  /** The lower-case context keys that policy variables in the Resource / NotResource element read. */
  Set<String> resourceVariableKeys() {
    Set<String> out = new HashSet<>();
    if (resources != null) {
      for (ResourcePattern p : resources) {
        p.addVariableKeys(out);
      }
    }
    return out;
  }

  /** A Resource / NotResource entry: {@code *}, a six-part ARN matched segment by segment, or a glob. */
  static final class ResourcePattern {
    private final boolean any;
    private final Template[] segments;
    /** Partition, service and Region parts compared ignoring case (see {@link #matchesResource}). */
    private final Template[] lenientSegments;
    private final Template whole;

    ResourcePattern(Located pattern, boolean variables) {
      String p = pattern.value();
      any = p.equals("*");
      String[] segs = any ? null : ConditionMatcher.splitArn(p);
      if (segs != null) {
        segments = new Template[6];
        lenientSegments = new Template[3];
        for (int i = 0; i < 6; i++) {
          // policy variables are allowed only in the resource part (after the fifth colon)
          // the first five parts (partition, service, Region, account) repeat across a world's statements
          segments[i] = i < 5 ? Template.shared(segs[i], false) : Template.compile(segs[i], variables, true, false);
          if (i < 3) {
            lenientSegments[i] = Template.shared(segs[i], true);
          }
        }
        whole = null;
      } else {
        segments = null;
        lenientSegments = null;
        whole = any ? null : Template.compile(p, variables, true, false);
      }
    }

    void addVariableKeys(Set<String> out) {
      if (segments != null) {
        out.addAll(segments[5].variableKeys());
      } else if (whole != null) {
        out.addAll(whole.variableKeys());
      }
    }

    boolean matches(String resource, ContextValues ctx, boolean lenient) {
      if (any) {
        return true;
      }
      if (segments == null) {
        Glob g = whole.glob(ctx);
        return g != null && g.matches(resource);
      }
      // segment-wise: a wildcard in the first five parts never crosses a colon; in the resource part it may
      int start = 0;
      for (int i = 0; i < 5; i++) {
        int colon = resource.indexOf(':', start);
        if (colon < 0) {
          return false;
        }
        if (lenient && i < 3) {
          if (!lenientSegments[i].glob(ctx).matches(resource.substring(start, colon))) {
            return false;
          }
        } else {
          Glob g = segments[i].glob(ctx);
          if (g == null || !g.matchRange(resource, start, colon)) {
            return false;
          }
        }
        start = colon + 1;
      }
      Glob g = segments[5].glob(ctx);
      return g != null && g.matchRange(resource, start, resource.length());
    }
  }
}
