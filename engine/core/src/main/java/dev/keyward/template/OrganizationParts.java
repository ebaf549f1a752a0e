package dev.keyward.template;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.world.Account;
import dev.keyward.world.Organization;
import dev.keyward.world.OrganizationalUnit;
import dev.keyward.world.VpcEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parts of a template or plan that restrict requests from around a key: the organization tree
 * ({@code AWS::Organizations::Organization}, {@code ::OrganizationalUnit}, {@code ::Account};
 * {@code aws_organizations_organization}, {@code _organizational_unit}, {@code _account}), the SCPs and RCPs
 * attached to its root, units and accounts ({@code AWS::Organizations::Policy}, {@code aws_organizations_policy}
 * with its attachments) and KMS VPC endpoints with their policies ({@code AWS::EC2::VPCEndpoint},
 * {@code aws_vpc_endpoint}).
 *
 * <p>The readers name tree nodes by reference: {@code @HANDLE} for a node of the template (a logical id or
 * resource address; {@code @HANDLE.root} for an organization resource's root), or the id as written
 * ({@code r-...}, {@code ou-...}, an account id), or null for a value unknown until deployment. The tree is
 * resolved once everything is read ({@link #organizations}); what cannot be resolved is a
 * {@code template.organization-target} warning that says what was assumed (docs/templates.md).
 */
final class OrganizationParts {

  static final String SCP = "SERVICE_CONTROL_POLICY";
  static final String RCP = "RESOURCE_CONTROL_POLICY";
  /**
   * The organization id when the template does not give it: it can equal no real id (those are {@code o-}
   * and 10 to 32 lower-case letters or digits), so conditions naming a real organization id never match it.
   */
  static final String UNKNOWN_ORGANIZATION = "o-unknown";
  /** The reference to the organization's root when the template names no root (an account without a parent). */
  static final String ROOT = "@.root";

  private final List<Problem> problems;
  private final List<VpcEndpoint> endpoints = new ArrayList<>();

  /** The organization resource of the template: its handle, id and root id as far as known. */
  private String orgHandle;
  private String orgId;
  private String rootId;
  private SourceRef orgAt;
  private String managementAccount;
  private final Map<String, Unit> units = new LinkedHashMap<>();
  private final List<Placement> placements = new ArrayList<>();
  private final List<Attachment> attachments = new ArrayList<>();

  /** An organizational unit of the template, or one outside it that a node of the template sits under. */
  private static final class Unit {
    final String handle;
    String id;
    final String name;
    final String parent;
    final SourceRef at;
    final boolean external;
    final List<PolicyDocument> scps = new ArrayList<>();
    final List<PolicyDocument> rcps = new ArrayList<>();
    final Set<String> accounts = new LinkedHashSet<>();
    final List<Unit> children = new ArrayList<>();
    /** Resolved: true when it hangs from the root (through its parents); false when its place is unknown. */
    Boolean placed;

    Unit(String handle, String id, String name, String parent, SourceRef at, boolean external) {
      this.handle = handle;
      this.id = id;
      this.name = name;
      this.parent = parent;
      this.at = at;
      this.external = external;
    }
  }

  private record Placement(String handle, String account, String parent, SourceRef at) {}

  private record Attachment(String owner, String type, PolicyDocument policy, String target, String shown,
      SourceRef at) {}

  OrganizationParts(List<Problem> problems) {
    this.problems = problems;
  }

  /** Whether an Organizations policy type is one Keyward evaluates (SCPs and RCPs; tag, backup and other policies are not). */
  static boolean evaluated(String type) {
    return SCP.equals(type) || RCP.equals(type);
  }

  /** The organization resource: its id, root id and management account when the template knows them. */
  void organization(String handle, String id, String root, String management, SourceRef at) {
    if (orgHandle == null) {
      orgHandle = handle;
      orgId = id;
      orgAt = at;
      managementAccount = management;
      if (root != null) {
        rootId = root;
      }
    }
  }

  /** An organizational unit of the template: its id when known, its parent as a reference (see the class). */
  void unit(String handle, String id, String name, String parent, SourceRef at) {
    units.putIfAbsent(handle, new Unit(handle, id, name, parent, at, false));
  }

  /** A member account of the template placed under {@code parent} (a reference); its id when known. */
  void account(String handle, String id, String parent, SourceRef at) {
    placements.add(new Placement(handle, id, parent, at));
  }

  /**
   * Attaches an SCP or RCP to its target, a reference (see the class); {@code shown} is how the target is
   * written, for the warning when it cannot be resolved.
   */
  void attach(String owner, String type, PolicyDocument policy, String target, String shown, SourceRef at) {
    if (policy == null || !evaluated(type)) {
      return;
    }
    attachments.add(new Attachment(owner, type, policy, target, shown, at));
  }

  /**
   * A VPC endpoint: kept when it is an endpoint of KMS ({@code com.amazonaws.REGION.kms} or
   * {@code kms-fips}) or its service is unknown (then its policy may apply; it can only deny).
   */
  void endpoint(String id, String serviceName, String vpc, String account, PolicyDocument policy, SourceRef at) {
    if (serviceName != null) {
      String s = serviceName.toLowerCase(Locale.ROOT);
      if (!s.endsWith(".kms") && !s.endsWith(".kms-fips")) {
        return;
      }
    }
    endpoints.add(new VpcEndpoint(id, vpc, account, policy, at));
  }

  List<VpcEndpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  // ---------------------------------------------------------------------------------------------------
  // resolving the tree

  /** What a reference names. */
  private record Node(boolean root, Unit unit, String account, String why) {
    static Node ofRoot() {
      return new Node(true, null, null, null);
    }

    static Node ofUnit(Unit u) {
      return new Node(false, u, null, null);
    }

    static Node ofAccount(String a) {
      return new Node(false, null, a, null);
    }

    static Node none(String why) {
      return new Node(false, null, null, why);
    }
  }

  private boolean resolved;
  /** Whether a node of the template sits under a unit outside it (then organization paths are not derived). */
  private boolean pathsUnknown;
  private final Map<String, List<PolicyDocument>> accountScps = new LinkedHashMap<>();
  private final Map<String, List<PolicyDocument>> accountRcps = new LinkedHashMap<>();
  private final Map<String, SourceRef> accountAt = new LinkedHashMap<>();
  private final Set<String> members = new LinkedHashSet<>();
  private final List<PolicyDocument> rootScps = new ArrayList<>();
  private final List<PolicyDocument> rootRcps = new ArrayList<>();
  /** Whether the template declares an organization tree (beyond policies attached to account ids). */
  private boolean tree;

  /** What a reference names; {@code asParent}: a unit outside the template becomes a node under the root. */
  private Node node(String ref, boolean asParent, SourceRef at) {
    if (ref == null) {
      return Node.none("unknown until deployment");
    }
    if (ref.equals(ROOT)) {
      return Node.ofRoot();
    }
    if (ref.startsWith("@")) {
      String h = ref.substring(1);
      if (orgHandle != null && (h.equals(orgHandle + ".root") || h.equals(orgHandle))) {
        return Node.ofRoot();
      }
      Unit u = units.get(h);
      if (u != null) {
        return Node.ofUnit(u);
      }
      for (Placement p : placements) {
        if (p.handle.equals(h)) {
          return p.account == null ? Node.none("an account whose id is unknown until deployment")
              : Node.ofAccount(p.account);
        }
      }
      return Node.none("not a root, unit or account of the template");
    }
    if (ref.startsWith("r-")) {
      if (rootId == null) {
        rootId = ref;
      } else if (!rootId.equals(ref)) {
        return Node.none("a root other than the template's organization's (`" + rootId + "`)");
      }
      return Node.ofRoot();
    }
    if (ref.startsWith("ou-")) {
      for (Unit u : units.values()) {
        if (ref.equals(u.id)) {
          return Node.ofUnit(u);
        }
      }
      if (!asParent) {
        return Node.none("an organizational unit that is not in the template");
      }
      // a unit outside the template that template nodes sit under: where it sits is unknown
      Unit u = new Unit(ref, ref, "", null, at, true);
      units.put(ref, u);
      pathsUnknown = true;
      return Node.ofUnit(u);
    }
    if (Arn.isAccountId(ref)) {
      return Node.ofAccount(ref);
    }
    return Node.none("not a root, organizational unit or account id");
  }

  private void resolve() {
    if (resolved) {
      return;
    }
    resolved = true;
    if (orgHandle != null) {
      noteTree(orgAt);
    }
    for (Unit u : units.values()) {
      noteTree(u.at);
    }
    for (Placement p : placements) {
      noteTree(p.at);
    }
    // units under their parents; a cycle or an unresolvable parent leaves a unit (and what is under it) unplaced
    for (Unit u : new ArrayList<>(units.values())) {
      place(u, new HashSet<>());
    }
    for (Placement p : placements) {
      if (p.account == null) {
        problems.add(Problem.warning("template.organization-target", "account `" + p.handle + "` has an id unknown"
            + " until deployment: it is not placed in the organization, so no SCP or RCP of the template applies to"
            + " it (answers for it may be ALLOW where AWS denies); give the id with --parameter " + p.handle
            + "=ACCOUNT_ID", p.at));
        continue;
      }
      members.add(p.account);
      Node parent = node(p.parent, true, p.at);
      if (parent.unit != null && Boolean.TRUE.equals(parent.unit.placed)) {
        parent.unit.accounts.add(p.account);
      } else if (!parent.root) {
        problems.add(Problem.warning("template.organization-target", "account " + p.account + " (`" + p.handle
            + "`) is placed under " + parentShown(p.parent, parent.why != null ? parent.why
            : "which is not placed in the organization") + ": it is taken as an account directly under the root, so"
            + " only the root's SCPs and RCPs apply to it", p.at));
      }
    }
    for (Attachment a : attachments) {
      Node n = node(a.target, false, a.at);
      boolean scp = SCP.equals(a.type);
      if (n.root) {
        noteTree(a.at);
        (scp ? rootScps : rootRcps).add(a.policy);
      } else if (n.unit != null && Boolean.TRUE.equals(n.unit.placed)) {
        (scp ? n.unit.scps : n.unit.rcps).add(a.policy);
      } else if (n.account != null) {
        (scp ? accountScps : accountRcps).computeIfAbsent(n.account, k -> new ArrayList<>()).add(a.policy);
        accountAt.putIfAbsent(n.account, a.at);
      } else {
        String why = n.unit != null ? "an organizational unit that is not placed in the organization" : n.why;
        problems.add(Problem.warning("template.organization-target", (scp ? "SCP" : "RCP") + " `" + a.owner
            + "` is attached to " + (a.shown == null ? "a target" : "`" + a.shown + "`") + ", " + why + ": it is not"
            + " applied, as if no account of the template were under it (it can only deny, so answers for the"
            + " accounts under it may be ALLOW where AWS denies); " + (a.target == null
            ? "give the value with --parameter, or declare the organization in a world file"
            : "declare the unit in the template, or the organization with its units and accounts in a world file"),
            a.at));
      }
    }
    if (tree) {
      members.addAll(accountAt.keySet());
      if (orgId == null && !members.isEmpty()) {
        problems.add(Problem.warning("template.organization-id", "the organization's id is unknown until"
            + " deployment: its accounts' aws:PrincipalOrgID and aws:ResourceOrgID are taken as `"
            + UNKNOWN_ORGANIZATION + "`, which equals no real organization id"
            + (orgHandle == null ? "" : "; give the id with --parameter " + orgHandle + "=o-..."),
            treeAt));
      }
    }
  }

  /** Where the tree is first written: the organization, else its first unit or account, else a root attachment. */
  private SourceRef treeAt;

  private void noteTree(SourceRef at) {
    tree = true;
    if (treeAt == null) {
      treeAt = at;
    }
  }

  /** Places a unit under its parent; true when it hangs from the root. */
  private boolean place(Unit u, Set<Unit> visiting) {
    if (u.placed != null) {
      return u.placed;
    }
    if (u.external) {
      u.placed = true;
      return true;
    }
    if (!visiting.add(u)) {
      problems.add(Problem.warning("template.organization-target", "organizational unit `" + u.handle + "` is its own"
          + " ancestor: it is not placed in the organization", u.at));
      u.placed = false;
      return false;
    }
    Node parent = node(u.parent, true, u.at);
    boolean ok;
    if (parent.root) {
      ok = true;
    } else if (parent.unit != null && parent.unit != u) {
      ok = place(parent.unit, visiting);
      if (ok) {
        parent.unit.children.add(u);
      }
    } else {
      ok = false;
      problems.add(Problem.warning("template.organization-target", "organizational unit `" + u.handle + "` is"
          + " placed under " + parentShown(u.parent, parent.why != null ? parent.why : "not a root or unit")
          + ": it is not placed in the organization, so its SCPs and RCPs apply to no account (answers for its"
          + " accounts may be ALLOW where AWS denies)", u.at));
    }
    u.placed = ok;
    return ok;
  }

  /** The parent as written and why it cannot be resolved. */
  private static String parentShown(String ref, String why) {
    return ref == null ? "a parent unknown until deployment"
        : "`" + (ref.startsWith("@") ? ref.substring(1) : ref) + "`, " + why;
  }

  /** The organization the template declares (at most one), with its units, accounts and their policies. */
  List<Organization> organizations() {
    resolve();
    if (!tree) {
      return List.of();
    }
    List<OrganizationalUnit> top = new ArrayList<>();
    for (Unit u : units.values()) {
      if (Boolean.TRUE.equals(u.placed) && !isChild(u)) {
        top.add(toWorld(u));
      }
    }
    String id = orgId != null ? orgId : UNKNOWN_ORGANIZATION;
    // organization paths need the real ids of the organization, its root and every unit above an account
    boolean paths = orgId != null && !pathsUnknown && allUnitIdsKnown();
    return List.of(new Organization(id, paths ? rootId : null, managementAccount, new ArrayList<>(members), rootScps,
        rootRcps, top, treeAt));
  }

  private boolean isChild(Unit u) {
    for (Unit p : units.values()) {
      if (p.children.contains(u)) {
        return true;
      }
    }
    return false;
  }

  private boolean allUnitIdsKnown() {
    for (Unit u : units.values()) {
      if (u.id == null) {
        return false;
      }
    }
    return true;
  }

  private static OrganizationalUnit toWorld(Unit u) {
    List<OrganizationalUnit> children = new ArrayList<>();
    for (Unit c : u.children) {
      children.add(toWorld(c));
    }
    // a unit created by the template has no id before deployment: it is named by its logical id or address
    return new OrganizationalUnit(u.id != null ? u.id : u.handle, u.name, u.scps, u.rcps, new ArrayList<>(u.accounts),
        children, u.at);
  }

  /** The accounts the template attaches SCPs or RCPs to directly. */
  List<Account> accounts() {
    resolve();
    List<Account> out = new ArrayList<>();
    for (Map.Entry<String, SourceRef> e : accountAt.entrySet()) {
      out.add(new Account(e.getKey(), accountScps.getOrDefault(e.getKey(), List.of()),
          accountRcps.getOrDefault(e.getKey(), List.of()), e.getValue()));
    }
    return out;
  }
}
