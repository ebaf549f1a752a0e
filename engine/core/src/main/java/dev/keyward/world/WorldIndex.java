package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Lookups over one {@link World}, built once: principals by ARN, keys by ARN, key id, alias name and
 * alias ARN, the organization of an account and the SCPs that apply to an account. Immutable and
 * thread-safe.
 */
public final class WorldIndex {

  private final World world;
  private final Map<String, IamPrincipal> principalsByArn;
  private final Map<String, KmsKey> keysByArn;
  private final Map<String, List<KmsKey>> keysById;
  /** alias ARN ({@code arn:aws:kms:REGION:ACCOUNT:alias/NAME}) to key. */
  private final Map<String, KmsKey> keysByAliasArn;
  /** alias name ({@code alias/NAME}) to the keys holding it, in any account or Region. */
  private final Map<String, List<KmsKey>> keysByAliasName;
  private final Map<String, Organization> organizationByAccount;
  private final Map<String, Account> accountsById;
  /** The organizational units from the root down to the account's unit (absent: directly under the root). */
  private final Map<String, List<OrganizationalUnit>> unitPathByAccount;
  /** {@code ACCOUNT/NAME} to role: role names are unique in an account whatever their path. */
  private final Map<String, IamPrincipal> rolesByName;

  private WorldIndex(World world) {
    this.world = world;
    Map<String, IamPrincipal> principals = new HashMap<>();
    for (IamPrincipal p : world.principals()) {
      principals.putIfAbsent(p.arn(), p);
    }
    Map<String, KmsKey> byArn = new HashMap<>();
    Map<String, List<KmsKey>> byId = new HashMap<>();
    Map<String, KmsKey> byAliasArn = new HashMap<>();
    Map<String, List<KmsKey>> byAliasName = new HashMap<>();
    for (KmsKey k : world.keys()) {
      byArn.putIfAbsent(k.arn().toString(), k);
      byId.computeIfAbsent(k.arn().resourceId(), x -> new ArrayList<>()).add(k);
      for (String alias : k.metadata().aliases()) {
        String name = alias.startsWith("alias/") ? alias : "alias/" + alias;
        String aliasArn = "arn:" + k.arn().partition() + ":kms:" + k.region() + ":" + k.account() + ":" + name;
        byAliasArn.putIfAbsent(aliasArn, k);
        byAliasName.computeIfAbsent(name, x -> new ArrayList<>()).add(k);
      }
    }
    Map<String, Organization> orgs = new HashMap<>();
    for (Organization o : world.organizations()) {
      for (String a : o.accounts()) {
        orgs.putIfAbsent(a, o);
      }
      if (o.managementAccount() != null) {
        orgs.putIfAbsent(o.managementAccount(), o);
      }
    }
    Map<String, List<OrganizationalUnit>> unitPaths = new HashMap<>();
    for (Organization o : world.organizations()) {
      placeUnits(o.units(), new ArrayList<>(), unitPaths);
    }
    this.unitPathByAccount = Map.copyOf(unitPaths);
    Map<String, Account> accounts = new HashMap<>();
    for (Account a : world.accounts()) {
      accounts.putIfAbsent(a.id(), a);
    }
    Map<String, IamPrincipal> roles = new HashMap<>();
    for (IamPrincipal p : world.principals()) {
      if (p.isRole()) {
        String name = p.arn().substring(p.arn().lastIndexOf('/') + 1);
        roles.putIfAbsent(p.account() + "/" + name, p);
      }
    }
    this.rolesByName = Map.copyOf(roles);
    this.principalsByArn = Map.copyOf(principals);
    this.keysByArn = Map.copyOf(byArn);
    this.keysById = freeze(byId);
    this.keysByAliasArn = Map.copyOf(byAliasArn);
    this.keysByAliasName = freeze(byAliasName);
    this.organizationByAccount = Map.copyOf(orgs);
    this.accountsById = Map.copyOf(accounts);
  }

  private static void placeUnits(List<OrganizationalUnit> units, List<OrganizationalUnit> above,
      Map<String, List<OrganizationalUnit>> out) {
    for (OrganizationalUnit u : units) {
      List<OrganizationalUnit> path = new ArrayList<>(above);
      path.add(u);
      for (String a : u.accounts()) {
        out.putIfAbsent(a, List.copyOf(path));
      }
      placeUnits(u.units(), path, out);
    }
  }

  private static Map<String, List<KmsKey>> freeze(Map<String, List<KmsKey>> m) {
    Map<String, List<KmsKey>> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return Map.copyOf(out);
  }

  /** Builds the index; a world with duplicate ARNs keeps the first entry. */
  public static WorldIndex create(World world) {
    return new WorldIndex(Objects.requireNonNull(world, "world"));
  }

  public World world() {
    return world;
  }

  /** The role or user with this exact ARN (ARNs are case-sensitive). */
  public Optional<IamPrincipal> principal(String arn) {
    return Optional.ofNullable(principalsByArn.get(arn));
  }

  /**
   * The role named {@code name} in {@code account}, whatever its path: how a role session
   * ({@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}, which has no path) finds its role.
   */
  public Optional<IamPrincipal> roleByName(String account, String name) {
    return Optional.ofNullable(rolesByName.get(account + "/" + name));
  }

  /** The key with this exact key ARN. */
  public Optional<KmsKey> keyByArn(String arn) {
    return Optional.ofNullable(keysByArn.get(arn));
  }

  /**
   * What the world's snapshots could not read that an answer about {@code principal} acting on
   * {@code resource} depends on (empty for a world without snapshots): see {@link Coverage#relevant}. The
   * resource may be a key ARN or an alias ARN; any other KMS ARN is taken as a key ARN the world may lack.
   */
  public List<WorldGap> gaps(String principal, String resource) {
    if (!world.coverage().fromSnapshots()) {
      return List.of();
    }
    String keyArn = keysByArn.containsKey(resource) ? resource : null;
    if (keyArn == null && resource.startsWith("arn:aws") && resource.contains(":alias/")) {
      keyArn = keyByAliasArn(resource).map(k -> k.arn().toString()).orElse(null);
    }
    if (keyArn == null && resource.startsWith("arn:") && resource.contains(":kms:")) {
      keyArn = resource;
    }
    return world.coverage().relevant(principal, keyArn, principal(principal).isPresent());
  }

  /** The key an alias ARN ({@code arn:aws:kms:REGION:ACCOUNT:alias/NAME}) points to. */
  public Optional<KmsKey> keyByAliasArn(String aliasArn) {
    return Optional.ofNullable(keysByAliasArn.get(aliasArn));
  }

  /**
   * Resolves a key reference the way KMS does: a key ARN or alias ARN names one key anywhere; a bare key
   * id or alias name ({@code alias/NAME}) resolves in {@code callerAccount} only (KMS resolves them in the
   * caller's account). With {@code callerAccount} null, a bare id or name must be unique in the world.
   * Empty when nothing or more than one key matches (for example the same alias in two Regions).
   */
  public Optional<KmsKey> resolveKey(String ref, String callerAccount) {
    if (ref == null || ref.isEmpty()) {
      return Optional.empty();
    }
    if (ref.startsWith("arn:")) {
      Optional<Arn> arn = Arn.parse(ref);
      if (arn.isEmpty()) {
        return Optional.empty();
      }
      return arn.get().resource().startsWith("alias/") ? keyByAliasArn(ref) : keyByArn(ref);
    }
    List<KmsKey> candidates = ref.startsWith("alias/")
        ? keysByAliasName.getOrDefault(ref, List.of())
        : keysById.getOrDefault(ref, List.of());
    KmsKey found = null;
    for (KmsKey k : candidates) {
      if (callerAccount == null || callerAccount.equals(k.account())) {
        if (found != null) {
          return Optional.empty();
        }
        found = k;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The organization the account belongs to (as member or management account). */
  public Optional<Organization> organizationOf(String account) {
    return Optional.ofNullable(organizationByAccount.get(account));
  }

  /** The account entry of the world, if the world declares one. */
  public Optional<Account> account(String id) {
    return Optional.ofNullable(accountsById.get(id));
  }

  /** True when the account is the management account of its organization (SCPs do not restrict it). */
  public boolean isManagementAccount(String account) {
    Organization o = organizationByAccount.get(account);
    return o != null && account.equals(o.managementAccount());
  }

  /**
   * The SCPs that restrict principals of {@code account}, one level per node on the path from the
   * organization root to the account: the root's SCPs, then the account's own. A level the world does
   * not declare (no SCPs listed) is left out: it does not restrict. Empty for the management account.
   * An account that lists SCPs without belonging to a declared organization still gets its own level
   * (the world says they are attached; applying them can only deny more).
   *
   * <p>Every level must allow an action for it to be allowed (IAM User Guide, "Service control
   * policies": "every SCP in the path ... must allow"). Each level is returned as its list of policies.
   */
  public List<List<PolicyDocument>> scpLevels(String account) {
    if (isManagementAccount(account)) {
      return List.of();
    }
    List<List<PolicyDocument>> levels = new ArrayList<>();
    Organization o = organizationByAccount.get(account);
    if (o != null && !o.scps().isEmpty()) {
      levels.add(o.scps());
    }
    if (o != null) {
      for (OrganizationalUnit u : unitPath(account)) {
        if (!u.scps().isEmpty()) {
          levels.add(u.scps());
        }
      }
    }
    Account a = accountsById.get(account);
    if (a != null && !a.scps().isEmpty()) {
      levels.add(a.scps());
    }
    return Collections.unmodifiableList(levels);
  }

  /** The organizational units from the root down to the one the account sits in; empty under the root. */
  public List<OrganizationalUnit> unitPath(String account) {
    return unitPathByAccount.getOrDefault(account, List.of());
  }

  /**
   * The names of the SCP levels {@link #scpLevels} returns, in the same order: {@code root}, a unit's id, or
   * the account id.
   */
  public List<String> scpLevelNames(String account) {
    if (isManagementAccount(account)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    Organization o = organizationByAccount.get(account);
    if (o != null && !o.scps().isEmpty()) {
      names.add("root");
    }
    if (o != null) {
      for (OrganizationalUnit u : unitPath(account)) {
        if (!u.scps().isEmpty()) {
          names.add(u.id());
        }
      }
    }
    Account a = accountsById.get(account);
    if (a != null && !a.scps().isEmpty()) {
      names.add(account);
    }
    return Collections.unmodifiableList(names);
  }

  /**
   * The RCPs that apply to requests on resources of {@code account}: those at the root, at every unit on the
   * path down to the account, and on the account. Empty for the management account ("RCPs don't affect
   * resources in the management account",
   * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html). Since AWS
   * attaches the full-access RCP everywhere and it cannot be detached, only the Deny statements of these
   * policies can change a decision, so they are one list rather than levels.
   */
  public List<PolicyDocument> rcps(String account) {
    if (account == null || isManagementAccount(account)) {
      return List.of();
    }
    List<PolicyDocument> out = new ArrayList<>();
    Organization o = organizationByAccount.get(account);
    if (o != null) {
      out.addAll(o.rcps());
      for (OrganizationalUnit u : unitPath(account)) {
        out.addAll(u.rcps());
      }
    }
    Account a = accountsById.get(account);
    if (a != null) {
      out.addAll(a.rcps());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The organization path of an account as {@code aws:PrincipalOrgPaths} and {@code aws:ResourceOrgPaths}
   * give it: {@code o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/}, or null when the account is in no
   * organization or the world does not give the root id
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths).
   */
  public String orgPath(String account) {
    Organization o = account == null ? null : organizationByAccount.get(account);
    if (o == null || o.rootId() == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(o.id()).append('/').append(o.rootId()).append('/');
    for (OrganizationalUnit u : unitPath(account)) {
      b.append(u.id()).append('/');
    }
    return b.toString();
  }
}
