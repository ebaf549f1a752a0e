package dev.keyward.eval;

import static dev.keyward.model.KmsOperationFacts.CONSTRAINTS_IGNORED_ACTIONS;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.condition.Template;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.OperatorFamily;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.SourceRef;
import dev.keyward.request.Request;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Partial evaluation for {@link Authorizer#authorizeSymbolic}.
 *
 * <p>Method: every condition (and grant constraint) of a statement that could apply to the request and
 * that reads an open key becomes an <em>atom</em>, a boolean variable. The fast authorizer itself decides
 * the request once for every assignment of truth values to the atoms (atoms are forced; everything else is
 * evaluated normally with the open keys absent). Hence:
 * <ul>
 *   <li>every assignment denies: no context can allow (each context induces one assignment) — DENY;
 *   <li>every assignment allows: every context allows — ALLOW;
 *   <li>otherwise CONDITIONAL: the allowing assignments are summarised as prime-ish implicants (a literal
 *       is dropped while every assignment the shorter term covers still allows). For each implicant a
 *       concrete context is searched among values taken from the policies and confirmed by the concrete
 *       authorizer; {@code witnessed} says whether this succeeded for all of them.
 * </ul>
 * At most {@link #MAX_ATOMS} atoms are enumerated; beyond that the answer is CONDITIONAL, unwitnessed,
 * with no alternatives (never a DENY that might be wrong).
 */
final class Symbolic {

  static final int MAX_ATOMS = 12;
  private static final int MAX_WITNESS_TRIES = 4096;

  private Symbolic() {}

  /** One atom: a condition of a statement, or a grant's encryption-context constraint. */
  private record Atom(int id, CompiledStatement statement, ConditionMatcher condition,
      Authorizer.CompiledGrant grant) {

    ResidualCondition residual(boolean mustHold) {
      if (grant != null) {
        Map<String, String> pairs = grant.grant.encryptionContextEquals() != null
            ? grant.grant.encryptionContextEquals() : grant.grant.encryptionContextSubset();
        List<String> values = new ArrayList<>();
        new TreeMap<>(pairs).forEach((k, v) -> values.add(k + "=" + v));
        return new ResidualCondition(grant.name, "", "grant",
            grant.grant.encryptionContextEquals() != null ? "EncryptionContextEquals" : "EncryptionContextSubset",
            "kms:EncryptionContext", values, mustHold, grant.grant.source());
      }
      Condition c = condition.condition();
      return new ResidualCondition(statement.policy.name(), statement.label,
          statement.effect.awsName().toLowerCase(Locale.ROOT), c.operatorText(), c.key(),
          condition.writtenValues(), mustHold, c.source());
    }
  }

  /** The open keys as a caller names them, lower-cased and sorted into exact names and prefixes. */
  private record OpenNames(boolean star, Set<String> exact, List<String> prefixes) {

    /** Analyses ask many requests with the same few sets of open keys: each is read once. */
    private static final java.util.concurrent.ConcurrentHashMap<Set<String>, OpenNames> SEEN =
        new java.util.concurrent.ConcurrentHashMap<>();

    static OpenNames of(Set<String> unknownKeys) {
      OpenNames n = SEEN.get(unknownKeys);
      if (n == null) {
        n = read(unknownKeys);
        if (SEEN.size() < 256) {
          SEEN.put(Set.copyOf(unknownKeys), n);
        }
      }
      return n;
    }

    private static OpenNames read(Set<String> unknownKeys) {
      boolean s = false;
      Set<String> exact = new LinkedHashSet<>();
      List<String> prefixes = new ArrayList<>();
      for (String k : unknownKeys) {
        String l = k.toLowerCase(Locale.ROOT);
        if (l.equals("*")) {
          s = true;
        } else if (l.endsWith("*")) {
          prefixes.add(l.substring(0, l.length() - 1));
        } else {
          exact.add(l);
        }
      }
      return new OpenNames(s, Set.copyOf(exact), List.copyOf(prefixes));
    }
  }

  /** Which keys are open. */
  private static final class Open {
    final boolean star;
    final Set<String> exact;
    final List<String> prefixes;
    final Set<String> givenLower;
    final Map<String, String[]> derived;
    boolean sessionCaller;
    boolean resourceTagsStated;

    Open(Set<String> unknownKeys, Set<String> givenLower, Map<String, String[]> derived) {
      OpenNames names = OpenNames.of(unknownKeys);
      this.star = names.star();
      this.exact = names.exact();
      this.prefixes = names.prefixes();
      this.givenLower = givenLower;
      this.derived = derived;
    }

    /** Whether the caller named this key open (given values for it are then dropped). */
    boolean named(String k) {
      if (exact.contains(k)) {
        return true;
      }
      for (String p : prefixes) {
        if (k.startsWith(p)) {
          return true;
        }
      }
      return false;
    }

    boolean isOpen(String k) {
      // kms:GrantId is a request parameter (which grant RetireGrant names), not a condition key
      if (k.startsWith("aws:principaltag/")) {
        // a session may carry session tags, which override the role's; other callers have only the world's
        if (!sessionCaller) {
          return false;
        }
        return named(k) || (star && !givenLower.contains(k));
      }
      if (derived.containsKey(k) || k.equals("aws:resourceaccount") || k.equals("kms:grantid")
          || (resourceTagsStated && k.startsWith(RequestContext.RESOURCE_TAG))) {
        return false;
      }
      if (k.equals(RequestContext.EC_KEYS)) {
        return ecOpen() && !(givenLower.contains(k) && !named(k));
      }
      if (named(k)) {
        return true;
      }
      return star && !givenLower.contains(k);
    }

    boolean ecOpen() {
      if (star) {
        return true;
      }
      String probe = RequestContext.EC_PREFIX + "\u0000";
      if (named(probe)) {
        return true;
      }
      for (String p : prefixes) {
        if (p.startsWith(RequestContext.EC_PREFIX)) {
          return true;
        }
      }
      for (String e : exact) {
        if (e.startsWith(RequestContext.EC_PREFIX)) {
          return true;
        }
      }
      return false;
    }
  }

  static ConditionalDecision run(Authorizer a, Request request, Set<String> unknownKeys) {
    ConditionalDecision d = runInner(a, request, unknownKeys);
    if (d.outcome() == ConditionalDecision.Outcome.ALLOW && a.hasEndpointPolicies()) {
      Map<String, String> givenCase = new HashMap<>();
      for (String k : request.context().keySet()) {
        givenCase.put(k.toLowerCase(Locale.ROOT), k);
      }
      Open open = new Open(unknownKeys, givenCase.keySet(), Map.of());
      if (open.isOpen("aws:sourcevpce")) {
        // NOTE: which VPC endpoint a request comes through is an open key; an endpoint policy can only deny
        // more, so ALLOW becomes CONDITIONAL and every DENY stays sound
        List<Reason> rs = new ArrayList<>(d.reasons());
        rs.add(new Reason("", "", "error", "through a VPC endpoint of the world (aws:SourceVpce), its endpoint"
            + " policy must allow too", SourceRef.none()));
        return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.CONDITIONAL, d.verdict(),
            List.of(), false, rs);
      }
    }
    return d;
  }

  private static ConditionalDecision runInner(Authorizer a, Request request, Set<String> unknownKeys) {
    Map<String, String> givenCase = new HashMap<>();
    for (String k : request.context().keySet()) {
      givenCase.put(k.toLowerCase(Locale.ROOT), k);
    }
    Authorizer.Eval probe = a.prepare(request, request.context());
    if (probe == null) {
      Decision d = a.authorize(request);
      return fixed(request, d);
    }
    Map<String, String[]> derived = new HashMap<>(Authorizer.deriveKeys(probe.caller, a.index()));
    String res = request.resource();
    if (res.startsWith("alias/") || (res.startsWith("arn:") && res.contains(":alias/"))) {
      // the engine derives kms:RequestAlias from an alias in the request: not open
      derived.put("kms:requestalias", new String[] {res.substring(res.indexOf("alias/"))});
    }
    boolean tagsStated = false;
    if (probe.key != null) {
      // the key's aliases and stated tags are facts of the world, not open request values
      derived.putAll(probe.key.derived);
      tagsStated = probe.key.tagsStated;
    }
    Open open = new Open(unknownKeys, givenCase.keySet(), derived);
    open.resourceTagsStated = tagsStated;
    open.sessionCaller = probe.caller.kind == Caller.Kind.SESSION;
    Map<String, List<String>> filtered = new HashMap<>();
    for (Map.Entry<String, List<String>> e : request.context().entrySet()) {
      String l = e.getKey().toLowerCase(Locale.ROOT);
      if (!open.named(l)) {
        filtered.put(e.getKey(), e.getValue());
      }
    }
    Request base = new Request(request.id(), request.principal(), request.action(), request.resource(), filtered,
        request.session());
    Authorizer.Eval e = a.prepare(base, filtered);
    List<Atom> atoms = collectAtoms(a, e, open);
    Decision absent = a.authorize(base);
    for (Atom atom : atoms) {
      if (atom.id >= a.atomCount()) {
        // a session policy's condition reads an open key: session policies are not enumerated
        List<Reason> rs = new ArrayList<>(absent.reasons());
        rs.add(new Reason("", "", "error", "a session policy's condition reads an open context key; the answer"
            + " depends on it", SourceRef.none()));
        return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.CONDITIONAL, absent.verdict(),
            List.of(), false, rs);
      }
    }
    boolean resourceOpen = resourceReadsOpenKey(a, e, open, Effect.ALLOW);
    boolean denyResourceOpen = resourceReadsOpenKey(a, e, open, Effect.DENY);
    if (atoms.isEmpty()) {
      if (resourceOpen && absent.verdict() != Verdict.ALLOW) {
        return unsureInsteadOfDeny(request, absent);
      }
      if (denyResourceOpen && absent.verdict() == Verdict.ALLOW) {
        return unsure(request, absent);
      }
      return fixed(request, absent);
    }
    if (atoms.size() > MAX_ATOMS) {
      List<Reason> rs = new ArrayList<>(absent.reasons());
      rs.add(new Reason("", "", "error", "too many open conditions (" + atoms.size() + ") to enumerate; the"
          + " answer may depend on the open keys", SourceRef.none()));
      return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.CONDITIONAL, absent.verdict(),
          List.of(), false, rs);
    }
    int n = atoms.size();
    int total = 1 << n;
    boolean[] allows = new boolean[total];
    int allowCount = 0;
    boolean allExplicit = true;
    byte[] forced = new byte[a.atomCount()];
    for (int mask = 0; mask < total; mask++) {
      for (int i = 0; i < n; i++) {
        forced[atoms.get(i).id] = (byte) (((mask >> i) & 1) == 1 ? 2 : 1);
      }
      Verdict v = a.decideForced(base, forced, filtered).verdict();
      allows[mask] = v == Verdict.ALLOW;
      if (allows[mask]) {
        allowCount++;
      }
      if (v != Verdict.EXPLICIT_DENY) {
        allExplicit = false;
      }
    }
    if (allowCount == total && denyResourceOpen) {
      return unsure(request, absent);
    }
    if (allowCount == total) {
      return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.ALLOW, Verdict.ALLOW, List.of(),
          true, absent.reasons());
    }
    if (allowCount == 0 && resourceOpen) {
      return unsureInsteadOfDeny(request, absent);
    }
    if (allowCount == 0) {
      return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.DENY,
          allExplicit ? Verdict.EXPLICIT_DENY : Verdict.IMPLICIT_DENY, List.of(), true, absent.reasons());
    }
    List<int[]> terms = implicants(allows, n);
    List<List<ResidualCondition>> alternatives = new ArrayList<>();
    boolean witnessed = true;
    Map<String, List<List<String>>> candidates = candidates(atoms, derived);
    for (int[] term : terms) {
      List<ResidualCondition> conj = new ArrayList<>();
      Set<String> keys = new LinkedHashSet<>();
      boolean simple = true;
      for (int i = 0; i < n; i++) {
        if (term[i] != 0) {
          conj.add(atoms.get(i).residual(term[i] == 2));
          keys.addAll(keysOf(atoms.get(i)));
          simple &= isSimple(atoms.get(i), open);
        }
      }
      int w = witness(a, base, filtered, keys, candidates);
      if (w == NO_WITNESS && simple) {
        // the candidates cover every case of these conditions and none satisfies the alternative: no
        // context can, so it is dropped (it only held combinations of atoms that cannot occur together)
        continue;
      }
      alternatives.add(conj);
      if (w != WITNESS) {
        witnessed = false;
      }
    }
    if (alternatives.isEmpty()) {
      return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.DENY,
          absent.verdict() == Verdict.ALLOW ? Verdict.IMPLICIT_DENY : absent.verdict(), List.of(), true,
          absent.reasons());
    }
    return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.CONDITIONAL, absent.verdict(),
        alternatives, witnessed, absent.reasons());
  }

  /**
   * A Resource element whose policy variable reads an open key is evaluated with the key absent, which
   * can only make an Allow match less: a DENY would not be sound, so the answer is CONDITIONAL, unwitnessed.
   */
  private static ConditionalDecision unsureInsteadOfDeny(Request request, Decision absent) {
    return unsure(request, absent);
  }

  /** CONDITIONAL without alternatives: a Resource variable of an open key decides, which is not enumerated. */
  private static ConditionalDecision unsure(Request request, Decision absent) {
    List<Reason> rs = new ArrayList<>(absent.reasons());
    rs.add(new Reason("", "", "error", "a Resource element uses a policy variable of an open context key;"
        + " the answer depends on it", SourceRef.none()));
    return new ConditionalDecision(request.id(), ConditionalDecision.Outcome.CONDITIONAL, absent.verdict(),
        List.of(), false, rs);
  }

  private static boolean resourceReadsOpenKey(Authorizer a, Authorizer.Eval e, Open open,
      Effect effect) {
    if (e == null) {
      return false;
    }
    for (CompiledPolicy p : a.policiesFor(e)) {
      for (CompiledStatement s : p.candidates(e.act)) {
        if (s.effect == effect) {
          for (String k : s.resourceVariableKeys()) {
            if (open.isOpen(k)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static ConditionalDecision fixed(Request request, Decision d) {
    return new ConditionalDecision(request.id(),
        d.verdict() == Verdict.ALLOW ? ConditionalDecision.Outcome.ALLOW : ConditionalDecision.Outcome.DENY,
        d.verdict(), List.of(), true, d.reasons());
  }

  private static List<Atom> collectAtoms(Authorizer a, Authorizer.Eval e, Open open) {
    List<Atom> atoms = new ArrayList<>();
    if (e == null) {
      return atoms;
    }
    for (CompiledPolicy p : a.policiesFor(e)) {
      for (CompiledStatement s : p.candidates(e.act)) {
        if (!s.matchesResource(e.resource, e.ctx) || s.matchPrincipal(e.caller) == CompiledStatement.NO_MATCH) {
          continue;
        }
        for (int i = 0; i < s.conditions.length; i++) {
          ConditionMatcher m = s.conditions[i];
          if (m.problem() != null) {
            continue;
          }
          for (String k : m.readKeys()) {
            if (open.isOpen(k)) {
              atoms.add(new Atom(s.conditionIds[i], s, m, null));
              break;
            }
          }
        }
      }
    }
    if (e.key != null && open.ecOpen()) {
      for (Authorizer.CompiledGrant g : e.key.grants) {
        if (g.hasConstraints() && g.operations.contains(e.action)
            && !CONSTRAINTS_IGNORED_ACTIONS.contains(e.action)
            && Authorizer.granteeMatch(g.grant.grantee(), e.caller) != CompiledStatement.NO_MATCH) {
          atoms.add(new Atom(g.atomId, null, null, g));
        }
      }
    }
    return atoms;
  }

  /** Terms over n atoms (0 = free, 1 = must be false, 2 = must be true) covering every allowing mask. */
  private static List<int[]> implicants(boolean[] allows, int n) {
    boolean[] covered = new boolean[allows.length];
    List<int[]> terms = new ArrayList<>();
    for (int m = 0; m < allows.length; m++) {
      if (!allows[m] || covered[m]) {
        continue;
      }
      int[] term = new int[n];
      for (int i = 0; i < n; i++) {
        term[i] = ((m >> i) & 1) == 1 ? 2 : 1;
      }
      for (int i = 0; i < n; i++) {
        int saved = term[i];
        term[i] = 0;
        if (!allCovered(term, allows, n)) {
          term[i] = saved;
        }
      }
      markCovered(term, covered, n);
      terms.add(term);
    }
    return terms;
  }

  private static boolean allCovered(int[] term, boolean[] allows, int n) {
    for (int m = 0; m < allows.length; m++) {
      if (inTerm(term, m, n) && !allows[m]) {
        return false;
      }
    }
    return true;
  }

  private static void markCovered(int[] term, boolean[] covered, int n) {
    for (int m = 0; m < covered.length; m++) {
      if (inTerm(term, m, n)) {
        covered[m] = true;
      }
    }
  }

  private static boolean inTerm(int[] term, int m, int n) {
    for (int i = 0; i < n; i++) {
      if (term[i] != 0 && (((m >> i) & 1) == 1) != (term[i] == 2)) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> keysOf(Atom atom) {
    Set<String> out = new LinkedHashSet<>();
    if (atom.grant != null) {
      Map<String, String> pairs = atom.grant.grant.encryptionContextEquals() != null
          ? atom.grant.grant.encryptionContextEquals() : atom.grant.grant.encryptionContextSubset();
      for (String k : pairs.keySet()) {
        out.add("kms:EncryptionContext:" + k);
      }
      return out;
    }
    String k = atom.condition.condition().key();
    if (k.toLowerCase(Locale.ROOT).equals(RequestContext.EC_KEYS)) {
      // kms:EncryptionContextKeys is derived from the pairs: a witness sets pairs named by the values
      for (ConditionValue v : atom.condition.condition().values()) {
        out.add("kms:EncryptionContext:" + v.text());
      }
      return out;
    }
    out.add(k);
    return out;
  }

  /**
   * Candidate values per context key (written case), from the atoms' policy values: each literal with
   * wildcards filled, neighbours of numbers and dates, both booleans, and a value no policy names.
   */
  private static Map<String, List<List<String>>> candidates(List<Atom> atoms, Map<String, String[]> derived) {
    Map<String, Set<String>> lits = new LinkedHashMap<>();
    Map<String, String> caseOf = new HashMap<>();
    for (Atom atom : atoms) {
      if (atom.grant != null) {
        Map<String, String> pairs = atom.grant.grant.encryptionContextEquals() != null
            ? atom.grant.grant.encryptionContextEquals() : atom.grant.grant.encryptionContextSubset();
        for (Map.Entry<String, String> p : pairs.entrySet()) {
          String key = "kms:EncryptionContext:" + p.getKey();
          caseOf.putIfAbsent(key, key);
          lits.computeIfAbsent(key, x -> new LinkedHashSet<>()).add(p.getValue());
        }
        continue;
      }
      Condition c = atom.condition.condition();
      String key = c.key();
      if (key.toLowerCase(Locale.ROOT).equals(RequestContext.EC_KEYS)) {
        for (ConditionValue v : c.values()) {
          String pairKey = "kms:EncryptionContext:" + v.text();
          caseOf.putIfAbsent(pairKey.toLowerCase(Locale.ROOT), pairKey);
          lits.computeIfAbsent(caseOf.get(pairKey.toLowerCase(Locale.ROOT)), x -> new LinkedHashSet<>())
              .add("keyward-other");
        }
        continue;
      }
      caseOf.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
      Set<String> set = lits.computeIfAbsent(caseOf.get(key.toLowerCase(Locale.ROOT)), x -> new LinkedHashSet<>());
      OperatorFamily f = c.operator() == null ? OperatorFamily.STRING : c.operator().family();
      for (ConditionValue v : c.values()) {
        String t = v.text();
        switch (f) {
          case NUMERIC -> {
            try {
              BigDecimal d = new BigDecimal(t.trim());
              set.add(d.subtract(BigDecimal.ONE).toPlainString());
              set.add(d.toPlainString());
              set.add(d.add(BigDecimal.ONE).toPlainString());
            } catch (NumberFormatException ex) {
              set.add(t);
            }
          }
          case DATE -> {
            Long ms = ConditionMatcher.parseDate(t);
            if (ms != null) {
              set.add(Long.toString(ms / 1000 - 1));
              set.add(Long.toString(ms / 1000));
              set.add(Long.toString(ms / 1000 + 1));
            }
          }
          case BOOL, NULL -> {
            set.add("true");
            set.add("false");
          }
          case IP_ADDRESS -> {
            int slash = t.indexOf('/');
            set.add(slash < 0 ? t : t.substring(0, slash));
            set.add("192.0.2.254");
          }
          default -> {
            if (t.contains("${")) {
              // a variable of a derived key (aws:PrincipalTag/..., aws:username) resolves to one value
              String resolved = Template.compile(t, true, false, false).text(derived::get);
              if (resolved != null) {
                t = resolved;
              }
            }
            set.add(t.replace("*", "").replace("?", "x"));
            set.add(t);
          }
        }
      }
      set.add("keyward-other");
    }
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    lits.forEach((k, vs) -> {
      List<List<String>> opts = new ArrayList<>();
      opts.add(null);
      for (String v : vs) {
        opts.add(List.of(v));
      }
      // several values: without a set operator the condition is undecidable, a case of its own
      List<String> many = new ArrayList<>(vs);
      if (many.size() < 2) {
        many.add("keyward-other-2");
      }
      opts.add(List.copyOf(many));
      out.put(k, opts);
    });
    return out;
  }

  /** Searches a context for the keys of one implicant that the concrete authorizer allows. */
  private static final int WITNESS = 1;
  private static final int NO_WITNESS = 0;
  private static final int UNKNOWN = -1;

  /**
   * True for a condition whose truth depends only on which of these classes its one open key's value
   * falls in: absent, several values, equal to one of the policy values, or any other value. Then the
   * witness candidates (absent, each policy value, a fresh value, a two-value list) are exhaustive.
   */
  private static boolean isSimple(Atom atom, Open open) {
    if (atom.grant != null) {
      return false;
    }
    Condition c = atom.condition.condition();
    if (c.qualifier() != SetQualifier.NONE || c.operator() == null
        || atom.condition.key().equals(RequestContext.EC_KEYS)) {
      return false;
    }
    switch (c.operator()) {
      case STRING_EQUALS:
      case STRING_NOT_EQUALS:
      case BOOL:
      case NULL:
        break;
      default:
        return false;
    }
    for (String k : atom.condition.readKeys()) {
      if (!k.equals(atom.condition.key()) && open.isOpen(k)) {
        return false;
      }
    }
    return true;
  }

  /** WITNESS when a candidate context is allowed, NO_WITNESS when all were tried, else UNKNOWN. */
  private static int witness(Authorizer a, Request base, Map<String, List<String>> filtered, Set<String> keys,
      Map<String, List<List<String>>> candidates) {
    List<String> ks = new ArrayList<>();
    List<List<List<String>>> opts = new ArrayList<>();
    boolean complete = true;
    for (String k : keys) {
      List<List<String>> o = null;
      for (Map.Entry<String, List<List<String>>> c : candidates.entrySet()) {
        if (c.getKey().equalsIgnoreCase(k)) {
          o = c.getValue();
          k = c.getKey();
          break;
        }
      }
      if (o == null) {
        complete = false;
        continue;
      }
      ks.add(k);
      opts.add(o);
    }
    int[] idx = new int[ks.size()];
    for (int tries = 0; tries < MAX_WITNESS_TRIES; tries++) {
      Map<String, List<String>> ctx = new HashMap<>(filtered);
      for (int i = 0; i < ks.size(); i++) {
        List<String> v = opts.get(i).get(idx[i]);
        if (v != null) {
          ctx.put(ks.get(i), v);
        }
      }
      Request r = new Request(base.id(), base.principal(), base.action(), base.resource(), ctx);
      if (a.authorize(r).verdict() == Verdict.ALLOW) {
        return WITNESS;
      }
      int i = 0;
      while (i < idx.length) {
        idx[i]++;
        if (idx[i] < opts.get(i).size()) {
          break;
        }
        idx[i] = 0;
        i++;
      }
      if (i == idx.length) {
        return complete ? NO_WITNESS : UNKNOWN;
      }
    }
    return UNKNOWN;
  }
}
