package dev.keyward.access;

import dev.keyward.condition.ContextValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks every cell of a {@link Space}: each representative caller, organization and action class, and
 * every combination of representative values of the context keys that the applicable rules read (keys no
 * applicable rule reads cannot change the outcome, so they stay absent).
 */
final class Explorer {

  /** Combinations of context values above this are not enumerated; the cell is then approximated. */
  static final int PRODUCT_CAP = 20_000;

  /** Receives each cell with the outcome of every target; returns false to stop the walk. */
  interface Sink {
    boolean cell(Who who, String org, List<String> actions, Map<String, String[]> context,
        Space.Outcome[] outcomes);
  }

  /** Which callers and organizations to visit. */
  interface Filter {
    boolean include(Who who, String org);
  }

  private final Space space;
  /** Per target: read approximations so as to give more access (true) or less (the old side of a diff). */
  private final boolean[] optimistic;

  Explorer(Space space) {
    this(space, null);
  }

  Explorer(Space space, boolean[] optimistic) {
    this.space = space;
    this.optimistic = new boolean[space.targets.size()];
    for (int t = 0; t < this.optimistic.length; t++) {
      this.optimistic[t] = optimistic == null || optimistic[t];
    }
  }

  /** Walks the cells; returns false when the sink stopped it. */
  boolean walk(Filter filter, List<List<String>> actionClasses, Sink sink) {
    List<KeyTarget> targets = space.targets;
    for (Who who : space.principals) {
      for (String org : space.organizations) {
        if (who.kind() == Who.Kind.SERVICE && org != null) {
          continue;
        }
        if (!filter.include(who, org)) {
          continue;
        }
        for (List<String> actions : actionClasses) {
          String action = actions.get(0);
          @SuppressWarnings("unchecked")
          List<Rule>[] applicable = new List[targets.size()];
          List<Rule> all = new ArrayList<>();
          boolean anyAllow = false;
          for (int t = 0; t < targets.size(); t++) {
            applicable[t] = new ArrayList<>();
            for (Rule r : targets.get(t).rules()) {
              if (Space.applies(r, who, action, optimistic[t])) {
                applicable[t].add(r);
                anyAllow |= r.effect() == dev.keyward.model.Effect.ALLOW;
              }
            }
            all.addAll(applicable[t]);
          }
          if (!anyAllow) {
            continue;
          }
          if (!walkContexts(who, org, actions, applicable, all, sink)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private boolean walkContexts(Who who, String org, List<String> actions, List<Rule>[] applicable,
      List<Rule> all, Sink sink) {
    List<KeyTarget> targets = space.targets;
    List<String> keys = space.relevantKeys(all);
    List<List<String[]>> vals = new ArrayList<>();
    long product = 1;
    for (String k : keys) {
      List<String[]> v = space.valuesFor(k, who);
      vals.add(v);
      product *= v.size();
    }
    Map<String, String[]>[] derived = derivedPerTarget(who, org);
    String action = actions.get(0);
    if (product > PRODUCT_CAP) {
      return approximate(who, org, actions, applicable, derived, sink);
    }
    int[] idx = new int[keys.size()];
    boolean ecKeys = keys.contains(Space.EC_KEYS);
    Map<String, String[]> ctx = new HashMap<>();
    while (true) {
      ctx.clear();
      for (int i = 0; i < idx.length; i++) {
        String[] v = vals.get(i).get(idx[i]);
        if (v != null) {
          ctx.put(keys.get(i), v);
        }
      }
      Map<String, String[]> request = ctx;
      Map<String, String[]> decided = ctx;
      boolean skip = false;
      if (ecKeys) {
        request = new HashMap<>(ctx);
        decided = new HashMap<>(ctx);
        skip = encryptionContextKeys(request, decided);
      }
      if (!skip) {
        Space.Outcome[] outcomes = new Space.Outcome[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
          outcomes[t] = space.decide(targets.get(t), applicable[t], who, action, view(derived[t], decided),
              optimistic[t]);
        }
        if (!sink.cell(who, org, actions, Map.copyOf(request), outcomes)) {
          return false;
        }
      }
      int i = 0;
      while (i < idx.length) {
        idx[i]++;
        if (idx[i] < vals.get(i).size()) {
          break;
        }
        idx[i] = 0;
        i++;
      }
      if (i == idx.length) {
        return true;
      }
    }
  }

  /**
   * Too many combinations: each Allow rule is tried alone over its own keys, and Deny rules are ignored.
   * Every outcome that says allowed is marked approximate.
   */
  private boolean approximate(Who who, String org, List<String> actions, List<Rule>[] applicable,
      Map<String, String[]>[] derived, Sink sink) {
    List<KeyTarget> targets = space.targets;
    String action = actions.get(0);
    for (int t = 0; t < targets.size(); t++) {
      for (Rule r : applicable[t]) {
        if (r.effect() != dev.keyward.model.Effect.ALLOW) {
          continue;
        }
        List<Rule> one = List.of(r);
        List<String> keys = space.relevantKeys(one);
        Map<String, String[]> hit = search(who, keys, 0, new HashMap<>(), targets.get(t), one, action,
            derived[t]);
        Space.Outcome[] outcomes = new Space.Outcome[targets.size()];
        for (int u = 0; u < targets.size(); u++) {
          outcomes[u] = new Space.Outcome(false, List.of(), List.of(), false);
        }
        if (hit != null) {
          outcomes[t] = new Space.Outcome(true, one, List.of(), true);
          if (!sink.cell(who, org, actions, Map.copyOf(hit), outcomes)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private Map<String, String[]> search(Who who, List<String> keys, int i, Map<String, String[]> ctx,
      KeyTarget t, List<Rule> rules, String action, Map<String, String[]> derived) {
    if (i == keys.size()) {
      return space.decide(t, rules, who, action, view(derived, ctx), true).allowed() ? new HashMap<>(ctx) : null;
    }
    for (String[] v : space.valuesFor(keys.get(i), who)) {
      if (v == null) {
        ctx.remove(keys.get(i));
      } else {
        ctx.put(keys.get(i), v);
      }
      Map<String, String[]> hit = search(who, keys, i + 1, ctx, t, rules, action, derived);
      if (hit != null) {
        return hit;
      }
    }
    ctx.remove(keys.get(i));
    return null;
  }

  /**
   * Turns the cell's kms:EncryptionContextKeys variable (the names of further encryption-context pairs)
   * into what AWS derives: {@code decided} gets the names of every pair the request has, {@code request}
   * gets the further pairs (value {@code x}: no rule reads them) and no kms:EncryptionContextKeys entry.
   * Returns true when the cell is to be skipped: a further name is one of the pairs a rule reads (the
   * cells where that pair is present cover it).
   */
  private boolean encryptionContextKeys(Map<String, String[]> request, Map<String, String[]> decided) {
    String[] extra = request.remove(Space.EC_KEYS);
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> e : space.ecNames.entrySet()) {
      if (request.containsKey(e.getKey())) {
        names.add(e.getValue());
      }
    }
    if (extra != null) {
      for (String n : extra) {
        if (space.ecNames.containsKey(Space.EC_PREFIX + Space.lower(n))) {
          return true;
        }
        names.add(n);
        request.put("kms:EncryptionContext:" + n, new String[] {"x"});
      }
    }
    if (names.isEmpty()) {
      decided.remove(Space.EC_KEYS);
    } else {
      decided.put(Space.EC_KEYS, names.toArray(new String[0]));
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private Map<String, String[]>[] derivedPerTarget(Who who, String org) {
    List<KeyTarget> targets = space.targets;
    Map<String, String[]>[] out = new Map[targets.size()];
    for (int t = 0; t < targets.size(); t++) {
      out[t] = space.derived(who, org, targets.get(t));
    }
    return out;
  }

  private static ContextValues view(Map<String, String[]> derived, Map<String, String[]> ctx) {
    return key -> {
      String[] d = derived.get(key);
      return d != null ? d : ctx.get(key);
    };
  }
}
