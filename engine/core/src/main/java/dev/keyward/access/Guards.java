package dev.keyward.access;

import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Statement;
import dev.keyward.world.Account;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.VpcEndpoint;
import dev.keyward.world.World;
import dev.keyward.world.WorldIndex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a world adds around one of its keys, as rules the analysis applies the way the authorizer does
 * (docs/evaluation.md, sections 4, 4b and 4c):
 * <ul>
 *   <li>the Deny statements of the RCPs of the key's account (root, units, account); none for a key of the
 *       management account or an AWS managed key, none for service-linked roles, never for
 *       {@code kms:RetireGrant}; an RCP's only Allow is the full-access one, so its Denies are all that count;
 *   <li>the SCPs of the caller's account, one level per node from the root down (every level must allow;
 *       any Deny denies); none for the management account, service-linked roles and service principals;
 *   <li>the VPC endpoints: a request whose {@code aws:SourceVpce} names one must also be allowed by its
 *       policy, and its {@code aws:SourceVpc} is the endpoint's VPC;
 *   <li>where each account sits: its organization (then fixed) and organization path
 *       ({@code aws:PrincipalOrgPaths}), and the key's {@code aws:ResourceOrgID} and
 *       {@code aws:ResourceOrgPaths}.
 * </ul>
 * Thread-safe: the only mutable state is a cache that only grows.
 */
final class Guards {

  static final Guards NONE = new Guards();

  /** A VPC endpoint: its VPC (or null) and its policy's rules (null: the default policy, full access). */
  record Endpoint(String id, String vpc, List<Rule> rules) {}

  /** The guard rules that can take part in one caller's request for one action. */
  record Applied(List<Rule> denies, List<List<Rule>> levels, Map<String, List<Rule>> endpointAllows,
      Map<String, List<Rule>> endpointDenies) {

    static final Applied NONE = new Applied(List.of(), List.of(), Map.of(), Map.of());

    boolean isEmpty() {
      return denies.isEmpty() && levels.isEmpty() && endpointAllows.isEmpty() && endpointDenies.isEmpty();
    }

    /** Every rule, for the context keys they read. */
    List<Rule> all() {
      List<Rule> out = new ArrayList<>(denies);
      levels.forEach(out::addAll);
      endpointAllows.values().forEach(out::addAll);
      endpointDenies.values().forEach(out::addAll);
      return out;
    }
  }

  private final World world;
  private final WorldIndex index;
  private final List<Rule> rcpDenies;
  private final Map<String, Endpoint> endpoints;
  private final Map<String, String[]> resourceOrgKeys;
  private final IdentityHashMap<PolicyDocument, List<Rule>> scpRules = new IdentityHashMap<>();
  private final Map<String, Organization> orgsById = new HashMap<>();
  private final Set<String> accounts = new TreeSet<>();
  private final List<Rule> all = new ArrayList<>();
  private final ConcurrentHashMap<String, List<List<Rule>>> levelCache = new ConcurrentHashMap<>();

  private Guards() {
    this.world = null;
    this.index = null;
    this.rcpDenies = List.of();
    this.endpoints = Map.of();
    this.resourceOrgKeys = Map.of();
  }

  private Guards(World world, KmsKey key, Set<String> actionNames) {
    this.world = world;
    this.index = WorldIndex.create(world);
    String keyArn = key.arn().toString();
    List<Rule> rcp = new ArrayList<>();
    if (!"AWS".equals(key.metadata().manager())) {
      for (PolicyDocument d : index.rcps(key.account())) {
        for (Rule r : rules(d, actionNames, keyArn)) {
          if (r.effect() == Effect.DENY) {
            // RCPs never restrict kms:RetireGrant (orgs_manage_policies_rcps.html)
            Set<String> acts = new java.util.HashSet<>(r.actions());
            acts.remove(dev.keyward.model.KmsOperationFacts.RETIRE_GRANT_ACTION);
            rcp.add(new Rule(r.source(), r.label(), r.effect(), r.principal(), acts, r.coversKey(),
                r.conditions(), r.approximate(), r.problem(), r.pessimisticCovers()));
          }
        }
      }
    }
    this.rcpDenies = List.copyOf(rcp);
    all.addAll(rcpDenies);
    for (Organization o : world.organizations()) {
      orgsById.putIfAbsent(o.id(), o);
      accounts.addAll(o.accounts());
      if (o.managementAccount() != null) {
        accounts.add(o.managementAccount());
      }
      compileScps(o.scps(), actionNames, keyArn);
      compileUnits(o.units(), actionNames, keyArn);
    }
    for (Account a : world.accounts()) {
      accounts.add(a.id());
      compileScps(a.scps(), actionNames, keyArn);
    }
    Map<String, Endpoint> eps = new LinkedHashMap<>();
    for (VpcEndpoint v : world.vpcEndpoints()) {
      List<Rule> rs = v.policy() == null ? null : rules(v.policy(), actionNames, keyArn);
      if (rs != null) {
        all.addAll(rs);
      }
      eps.putIfAbsent(v.id(), new Endpoint(v.id(), v.vpc(), rs));
    }
    this.endpoints = Collections.unmodifiableMap(eps);
    Map<String, String[]> rk = new HashMap<>();
    index.organizationOf(key.account()).ifPresent(o -> rk.put("aws:resourceorgid", new String[] {o.id()}));
    String path = index.orgPath(key.account());
    if (path != null) {
      rk.put("aws:resourceorgpaths", new String[] {path});
    }
    this.resourceOrgKeys = Map.copyOf(rk);
  }

  static Guards of(World world, KmsKey key, Set<String> actionNames) {
    return new Guards(world, key, actionNames);
  }

  private void compileUnits(List<dev.keyward.world.OrganizationalUnit> units, Set<String> actionNames,
      String keyArn) {
    for (var u : units) {
      compileScps(u.scps(), actionNames, keyArn);
      compileUnits(u.units(), actionNames, keyArn);
    }
  }

  private void compileScps(List<PolicyDocument> docs, Set<String> actionNames, String keyArn) {
    for (PolicyDocument d : docs) {
      if (!scpRules.containsKey(d)) {
        List<Rule> rs = rules(d, actionNames, keyArn);
        scpRules.put(d, rs);
        all.addAll(rs);
      }
    }
  }

  private static List<Rule> rules(PolicyDocument d, Set<String> actionNames, String keyArn) {
    List<Rule> out = new ArrayList<>();
    for (Statement s : d.statements()) {
      Rule r = KeyTarget.statementRule(d, s, actionNames, keyArn, false);
      if (r != null) {
        out.add(r);
      }
    }
    return List.copyOf(out);
  }

  /** The world, or null for a key policy alone. */
  World world() {
    return world;
  }

  boolean isNone() {
    return world == null;
  }

  /** Every rule (RCPs, SCPs, endpoint policies), for the constants and context keys they name. */
  List<Rule> allRules() {
    return all;
  }

  /** Every account the world names (in organizations or as accounts): each is its own part of the callers. */
  Set<String> accounts() {
    return accounts;
  }

  boolean restrictsByOrganization() {
    return !rcpDenies.isEmpty() || !scpRules.isEmpty();
  }

  Map<String, Endpoint> endpoints() {
    return endpoints;
  }

  /** aws:ResourceOrgID and aws:ResourceOrgPaths of the key, when its account is in an organization. */
  Map<String, String[]> resourceOrgKeys() {
    return resourceOrgKeys;
  }

  /** The organization the world places {@code account} in, or null. */
  String placedOrganization(String account) {
    return index == null || account == null ? null : index.organizationOf(account).map(Organization::id)
        .orElse(null);
  }

  /**
   * {@code aws:PrincipalOrgPaths} of a caller of {@code account} in {@code org}: its path in the world when
   * the world places it, the root's path for another account said to be in an organization of the world
   * (it then sits directly under the root), or null.
   */
  String orgPath(String account, String org) {
    if (index == null || account == null) {
      return null;
    }
    if (placedOrganization(account) != null) {
      return index.orgPath(account);
    }
    Organization o = org == null ? null : orgsById.get(org);
    return o == null || o.rootId() == null ? null : o.id() + "/" + o.rootId() + "/";
  }

  /** The guard rules for one caller (in {@code org}) and one lower-case action. */
  Applied applied(Who who, String org, String action, boolean optimistic) {
    if (world == null) {
      return Applied.NONE;
    }
    boolean exempt = who.serviceLinked();
    List<Rule> denies = new ArrayList<>(0);
    if (!exempt) {
      for (Rule r : rcpDenies) {
        if (appliesTo(r, who, action, optimistic, true)) {
          denies.add(r);
        }
      }
    }
    List<List<Rule>> levels = new ArrayList<>(0);
    if (!exempt && who.kind() != Who.Kind.SERVICE) {
      for (List<Rule> level : scpLevels(who.account(), org)) {
        List<Rule> allows = new ArrayList<>(1);
        for (Rule r : level) {
          if (appliesTo(r, who, action, optimistic, false)) {
            (r.effect() == Effect.DENY ? denies : allows).add(r);
          }
        }
        levels.add(allows);
      }
    }
    Map<String, List<Rule>> epAllows = new HashMap<>();
    Map<String, List<Rule>> epDenies = new HashMap<>();
    for (Endpoint ep : endpoints.values()) {
      if (ep.rules() == null) {
        continue;
      }
      List<Rule> a = new ArrayList<>(1);
      List<Rule> d = new ArrayList<>(0);
      for (Rule r : ep.rules()) {
        if (appliesTo(r, who, action, optimistic, true)) {
          (r.effect() == Effect.DENY ? d : a).add(r);
        }
      }
      epAllows.put(ep.id(), a);
      epDenies.put(ep.id(), d);
    }
    return new Applied(denies, levels, epAllows, epDenies);
  }

  private static boolean appliesTo(Rule r, Who who, String action, boolean optimistic, boolean resourceBased) {
    if (!r.actions().contains(action)) {
      return false;
    }
    if (r.problem() != null) {
      return r.effect() == Effect.DENY;
    }
    if (!(optimistic ? r.coversKey() : r.pessimisticCovers())) {
      return false;
    }
    return !resourceBased || Space.principalMatches(r.principal(), r.effect(), who);
  }

  /** The SCP levels for a caller of {@code account} in {@code org}, as the authorizer builds them. */
  private List<List<Rule>> scpLevels(String account, String org) {
    String placed = placedOrganization(account);
    String cacheKey = account + " " + (placed == null ? org : placed);
    return levelCache.computeIfAbsent(cacheKey, k -> {
      List<List<Rule>> out = new ArrayList<>();
      if (placed == null && org != null && orgsById.containsKey(org) && !orgsById.get(org).scps().isEmpty()) {
        // another account said to be in an organization of the world sits directly under its root
        out.add(levelRules(orgsById.get(org).scps()));
      }
      for (List<PolicyDocument> level : index.scpLevels(account)) {
        out.add(levelRules(level));
      }
      return List.copyOf(out);
    });
  }

  private List<Rule> levelRules(List<PolicyDocument> docs) {
    List<Rule> out = new ArrayList<>();
    for (PolicyDocument d : docs) {
      List<Rule> rs = scpRules.get(d);
      out.addAll(rs == null ? List.of() : rs);
    }
    return out;
  }
}
