package dev.keyward.visual;

import dev.keyward.analysis.KeyReach;
import dev.keyward.analysis.SameAnswers;
import dev.keyward.eval.Authorizer;
import dev.keyward.eval.ConditionalDecision;
import dev.keyward.eval.Reason;
import dev.keyward.request.Request;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who of a world can do what with which key: for every principal and key, the representative actions of
 * each {@link Access kind of access} that the authorizer allows, always or only under conditions, with the
 * statements that decide. The answers are the authorizer's own ({@link Authorizer#authorizeSymbolic}, as
 * {@code who-can} asks them, with every request-context key left open); this class only chooses which
 * pairs to ask about and groups the answers.
 *
 * @param accounts every account of the world's principals and keys, sorted by id
 * @param principals the world's principals in world order
 * @param keys the world's keys in world order
 * @param edges one per (principal, key) pair with some access, sorted by principal then key index
 * @param actions the actions asked about each pair: every action of every kind, or for a large world the
 *     first of each kind ({@code kms:Decrypt}, {@code kms:CreateGrant}, {@code kms:PutKeyPolicy})
 */
public record AccessGraph(List<AccountInfo> accounts, List<IamPrincipal> principals, List<KmsKey> keys,
    List<Edge> edges, List<String> actions) {

  /** The kinds of access an edge can show, from the least to the most powerful. */
  public enum Access {
    /** Cryptographic use: encrypt, decrypt, generate data keys. */
    USE("use", List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")),
    /** Giving others access: creating grants. */
    GRANT("grant", List.of("kms:CreateGrant")),
    /** Administration: changing the key policy, disabling or deleting the key. */
    ADMINISTER("administer", List.of("kms:PutKeyPolicy", "kms:DisableKey", "kms:ScheduleKeyDeletion"));

    private final String label;
    private final List<String> actions;

    Access(String label, List<String> actions) {
      this.label = label;
      this.actions = actions;
    }

    /** {@code use}, {@code grant} or {@code administer}. */
    public String label() {
      return label;
    }

    /** The actions asked about for this kind. */
    public List<String> actions() {
      return actions;
    }
  }

  /** An account of the world, with its organization (null when it is in none the world lists). */
  public record AccountInfo(String id, String organization) {}

  /**
   * One action's answer for a pair.
   *
   * @param action the action asked about
   * @param conditional true when allowed only under conditions
   * @param deciding the reasons that allowed it (statements and grants), for people
   * @param conditions for a conditional answer, the alternatives (each a conjunction) that allow it
   */
  public record ActionAnswer(String action, boolean conditional, List<String> deciding, List<String> conditions) {
    public ActionAnswer {
      Objects.requireNonNull(action, "action");
      deciding = List.copyOf(deciding);
      conditions = List.copyOf(conditions);
    }
  }

  /**
   * What one principal can do with one key.
   *
   * @param principal index into {@link #principals()}
   * @param key index into {@link #keys()}
   * @param answers the allowed actions, in the order of {@link Access} and its actions
   * @param crossAccount the principal's account is not the key's
   * @param outsideOrganization the key's account is in an organization and the principal's is not in it
   */
  public record Edge(int principal, int key, List<ActionAnswer> answers, boolean crossAccount,
      boolean outsideOrganization) {
    public Edge {
      answers = List.copyOf(answers);
    }

    /** The kinds of access with at least one allowed action. */
    public Set<Access> kinds() {
      EnumSet<Access> s = EnumSet.noneOf(Access.class);
      for (ActionAnswer a : answers) {
        s.add(kindOf(a.action()));
      }
      return s;
    }

    /** The most powerful kind of access of this edge: administer, then grant, then use. */
    public Access strongest() {
      Access best = null;
      for (Access a : kinds()) {
        best = a;
      }
      return best;
    }

    /** True when every action of the strongest kind is allowed only under conditions. */
    public boolean conditional() {
      Access s = strongest();
      for (ActionAnswer a : answers) {
        if (kindOf(a.action()) == s && !a.conditional()) {
          return false;
        }
      }
      return true;
    }
  }

  public AccessGraph {
    accounts = List.copyOf(accounts);
    principals = List.copyOf(principals);
    keys = List.copyOf(keys);
    edges = List.copyOf(edges);
    actions = List.copyOf(actions);
  }

  /** Above this many principals or keys, {@link #of(World, Authorizer)} asks one action per kind. */
  public static final int LARGE_PRINCIPALS = 200;
  /** See {@link #LARGE_PRINCIPALS}. */
  public static final int LARGE_KEYS = 100;

  static Access kindOf(String action) {
    for (Access a : Access.values()) {
      if (a.actions().contains(action)) {
        return a;
      }
    }
    throw new IllegalArgumentException("not an action of the graph: " + action);
  }

  /** The organization of an account, or null. */
  public String organizationOf(String account) {
    for (AccountInfo a : accounts) {
      if (a.id().equals(account)) {
        return a.organization();
      }
    }
    return null;
  }

  /**
   * Asks the authorizer about every pair that can have access (see {@link KeyReach}): every action of every
   * kind, or in a world of more than {@link #LARGE_PRINCIPALS} principals or {@link #LARGE_KEYS} keys the
   * first action of each kind, so that large worlds stay quick.
   */
  public static AccessGraph of(World world, Authorizer authorizer) {
    boolean large = world.principals().size() > LARGE_PRINCIPALS || world.keys().size() > LARGE_KEYS;
    return of(world, authorizer, true, large, true);
  }

  static AccessGraph of(World world, Authorizer authorizer, boolean prune) {
    return of(world, authorizer, prune, false, prune);
  }

  /**
   * As {@link #of(World, Authorizer)}; with {@code prune} false every principal is asked about every key,
   * with {@code share} false every principal is asked about alone (for tests that check that neither the
   * pruning nor the sharing of answers between principals the authorizer cannot tell apart changes a thing).
   */
  static AccessGraph of(World world, Authorizer authorizer, boolean prune, boolean representativeOnly,
      boolean share) {
    SameAnswers same = share ? SameAnswers.of(world) : SameAnswers.none(world);
    List<String> actions = new ArrayList<>();
    for (Access a : Access.values()) {
      if (representativeOnly) {
        actions.add(a.actions().get(0));
      } else {
        actions.addAll(a.actions());
      }
    }
    Map<String, String> orgOf = new HashMap<>();
    for (Organization o : world.organizations()) {
      for (String a : o.accounts()) {
        orgOf.putIfAbsent(a, o.id());
      }
      if (o.managementAccount() != null) {
        orgOf.putIfAbsent(o.managementAccount(), o.id());
      }
    }
    TreeSet<String> accountIds = new TreeSet<>();
    for (int i = 0; i < world.principals().size(); i++) {
      String a = world.principals().get(i).account();
      accountIds.add(a);
    }
    for (KmsKey k : world.keys()) {
      accountIds.add(k.account());
    }
    List<AccountInfo> accounts = new ArrayList<>();
    for (String a : accountIds) {
      accounts.add(new AccountInfo(a, orgOf.get(a)));
    }
    // the indexes of the principals of each account, in world order
    Map<String, int[]> byAccount = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (IamPrincipal p : world.principals()) {
      counts.merge(p.account(), 1, Integer::sum);
    }
    counts.forEach((a, n) -> byAccount.put(a, new int[n]));
    Map<String, Integer> filled = new HashMap<>();
    for (int i = 0; i < world.principals().size(); i++) {
      String a = world.principals().get(i).account();
      byAccount.get(a)[filled.merge(a, 1, Integer::sum) - 1] = i;
    }
    // what KeyReach reads of each principal, read once for every key
    KeyReach.Profile[] profiles = new KeyReach.Profile[world.principals().size()];
    for (int i = 0; i < profiles.length; i++) {
      profiles[i] = KeyReach.Profile.of(world.principals().get(i));
    }
    // keys are independent and the authorizer is thread-safe: the keys are shared out over the cores
    List<List<Edge>> byKey = java.util.stream.IntStream.range(0, world.keys().size()).parallel()
        .mapToObj(k -> edgesOf(world, authorizer, orgOf, k, prune, actions, byAccount, same, profiles)).toList();
    Map<Long, Edge> edges = new TreeMap<>();
    for (List<Edge> es : byKey) {
      for (Edge e : es) {
        edges.put(((long) e.principal() << 32) | e.key(), e);
      }
    }
    return new AccessGraph(accounts, world.principals(), world.keys(), new ArrayList<>(edges.values()), actions);
  }

  private static List<Edge> edgesOf(World world, Authorizer authorizer, Map<String, String> orgOf, int k,
      boolean prune, List<String> actions, Map<String, int[]> byAccount, SameAnswers same,
      KeyReach.Profile[] profiles) {
    List<Edge> out = new ArrayList<>();
    KmsKey key = world.keys().get(k);
    String keyArn = key.arn().toString();
    KeyReach reach = KeyReach.of(key);
    // NOTE: an account KeyReach does not admit has no principal that may reach the key
    List<int[]> admitted = new ArrayList<>();
    int count = 0;
    for (Map.Entry<String, int[]> e : byAccount.entrySet()) {
      if (!prune || reach.admitsAccount(e.getKey())) {
        admitted.add(e.getValue());
        count += e.getValue().length;
      }
    }
    int[] candidates = new int[count];
    int at = 0;
    for (int[] a : admitted) {
      System.arraycopy(a, 0, candidates, at, a.length);
      at += a.length;
    }
    java.util.Arrays.sort(candidates);
    int kept = 0;
    for (int p : candidates) {
      // NOTE: KeyReach rules out only principals that every action would refuse (see its comment);
      // without pruning (tests) every pair is asked, and AccessGraphTest checks both give the same graph
      if (!prune || reach.mayReach(profiles[p])) {
        candidates[kept++] = p;
      }
    }
    String keyOrg = orgOf.get(key.account());
    // NOTE: principals the authorizer cannot tell apart on this key (SameAnswers) are asked about once; the
    // others of the group get the same answers under the names of their own policies
    for (int[] group : same.groups(key, java.util.Arrays.copyOf(candidates, kept))) {
      IamPrincipal principal = world.principals().get(group[0]);
      List<ConditionalDecision> decisions = new ArrayList<>();
      List<String> allowed = new ArrayList<>();
      for (String action : actions) {
        if (prune && !reach.mayCall(profiles[group[0]], action)) {
          continue;
        }
        ConditionalDecision d = authorizer.authorizeSymbolic(new Request(principal.arn(), principal.arn(), action,
            keyArn, Map.of()), Set.of("*"));
        if (d.outcome() != ConditionalDecision.Outcome.DENY) {
          decisions.add(d);
          allowed.add(action);
        }
      }
      if (decisions.isEmpty()) {
        continue;
      }
      for (int p : group) {
        java.util.function.UnaryOperator<String> names = same.renaming(group[0], p);
        List<ActionAnswer> answers = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
          answers.add(answer(allowed.get(i), decisions.get(i), names));
        }
        IamPrincipal member = world.principals().get(p);
        boolean cross = !member.account().equals(key.account());
        boolean outside = cross && keyOrg != null && !keyOrg.equals(orgOf.get(member.account()));
        out.add(new Edge(p, k, answers, cross, outside));
      }
    }
    return out;
  }

  /** The answer of an allowing decision, naming policies through {@code names}. */
  private static ActionAnswer answer(String action, ConditionalDecision d,
      java.util.function.UnaryOperator<String> names) {
    List<String> deciding = new ArrayList<>();
    for (Reason r : d.reasons()) {
      if (r.effect().equals("allow") || r.effect().equals("grant") || r.effect().equals("delegate")) {
        deciding.add(names.apply(r.policy()) + (r.statement().isEmpty() ? "" : " " + r.statement()) + ": "
            + r.message());
      }
    }
    List<String> conditions = new ArrayList<>();
    for (List<ResidualCondition> alt : d.alternatives()) {
      List<String> parts = new ArrayList<>();
      for (ResidualCondition c0 : alt) {
        ResidualCondition c = new ResidualCondition(names.apply(c0.policy()), c0.statement(), c0.effect(),
            c0.operator(), c0.key(), c0.values(), c0.mustHold(), c0.source());
        parts.add(c.display());
        String where = c.policy() + (c.statement().isEmpty() ? "" : " " + c.statement());
        if (c.mustHold() && !deciding.contains(where)) {
          deciding.add(where);
        }
      }
      conditions.add(String.join(" and ", parts));
    }
    return new ActionAnswer(action, d.outcome() == ConditionalDecision.Outcome.CONDITIONAL, deciding, conditions);
  }

  /** Edges grouped by their key. */
  public Map<Integer, List<Edge>> edgesByKey() {
    Map<Integer, List<Edge>> m = new LinkedHashMap<>();
    for (Edge e : edges) {
      m.computeIfAbsent(e.key(), x -> new ArrayList<>()).add(e);
    }
    return m;
  }
}
