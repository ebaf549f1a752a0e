package dev.keyward.world;

import static dev.keyward.world.SnapshotNodes.ACCOUNT;
import static dev.keyward.world.SnapshotNodes.field;
import static dev.keyward.world.SnapshotNodes.str;
import static dev.keyward.world.SnapshotNodes.text;

import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the Organizations files (the management account's) into the world's organization, units, SCPs and RCPs. */
final class SnapshotOrganizations {

  private final SnapshotSource src;

  SnapshotOrganizations(SnapshotSource src) {
    this.src = src;
  }
  // ---- Organizations ----

  void read() {
    Node.ObjectNode d = src.object(src.readIfPresent(SnapshotFiles.ORG), SnapshotFiles.ORG,
        "what `aws organizations describe-organization` prints");
    if (d == null) {
      return;
    }
    Node.ObjectNode org = src.asObject(d.get("Organization"), "`Organization`");
    if (org == null) {
      return;
    }
    Node id = org.get("Id");
    Node management = org.get("MasterAccountId");
    boolean isManagement = management instanceof Node.ScalarNode
        && ((Node.ScalarNode) management).text().equals(src.account);
    // Only the management account's snapshot describes the organization: a member's view of it is partial.
    Node.ObjectNode roots = isManagement ? src.object(src.readIfPresent(SnapshotFiles.ORG_ROOTS), SnapshotFiles.ORG_ROOTS,
        "what `aws organizations list-roots` prints") : null;
    if (roots == null) {
      src.gap("scps", src.account, "the organization's SCPs and RCPs that apply to account " + src.account + " were not"
          + " collected (read them from the management account: `organizations:ListRoots`,"
          + " `organizations:ListPolicies`, `organizations:DescribePolicy`, `organizations:ListTargetsForPolicy`)",
          id == null ? org.source() : id.source());
      return;
    }
    String rootId = null;
    for (Node r : src.list(roots, "Roots")) {
      rootId = text(src.asObject(r, "a root"), "Id");
    }
    Node.ObjectNode units = src.object(src.readIfPresent(SnapshotFiles.ORG_UNITS), SnapshotFiles.ORG_UNITS, "");
    Node.ObjectNode accountsByParent = src.object(src.readIfPresent(SnapshotFiles.ORG_ACCOUNTS),
        SnapshotFiles.ORG_ACCOUNTS, "");
    Node.ObjectNode described = src.object(src.readIfPresent(SnapshotFiles.ORG_POLICY), SnapshotFiles.ORG_POLICY,
        "");
    Node.ObjectNode targets = src.object(src.readIfPresent(SnapshotFiles.ORG_TARGETS), SnapshotFiles.ORG_TARGETS,
        "");
    // target id -> policy refs, by type
    Map<String, List<Node>> scps = new LinkedHashMap<>();
    Map<String, List<Node>> rcps = new LinkedHashMap<>();
    if (described != null && targets != null) {
      for (Node.Field f : described.fields()) {
        Node.ObjectNode policy = src.asObject(src.asObject(f.value(), "a policy") == null ? null
            : ((Node.ObjectNode) f.value()).get("Policy"), "`Policy`");
        if (policy == null) {
          continue;
        }
        Node.ObjectNode summary = src.asObject(policy.get("PolicySummary"), "`PolicySummary`");
        String type = text(summary, "Type");
        Node content = policy.get("Content");
        if (content == null) {
          src.error("snapshot.shape", "a policy needs `Content`", policy.source());
          continue;
        }
        Node named = new Node.ObjectNode(List.of(new Node.Field("name", policy.source(),
            str(text(summary, "Name") == null ? f.key() : text(summary, "Name"), policy.source())),
            new Node.Field("document", content.source(), content)), policy.source());
        Node.ObjectNode t = src.asObject(targets.get(f.key()), "the targets of `" + f.key() + "`");
        for (Node target : src.list(t, "Targets")) {
          String targetId = text(src.asObject(target, "a target"), "TargetId");
          if (targetId != null) {
            ("RESOURCE_CONTROL_POLICY".equals(type) ? rcps : scps).computeIfAbsent(targetId,
                k -> new ArrayList<>()).add(named);
          }
        }
      }
    }
    List<Node> members = new ArrayList<>();
    List<Node> unitNodes = rootId == null ? List.of() : units(rootId, units, accountsByParent, scps, rcps, members,
        0);
    List<Node.Field> fields = new ArrayList<>();
    fields.add(field("id", id));
    fields.add(field("managementAccount", management));
    if (rootId != null && !unitNodes.isEmpty()) {
      fields.add(new Node.Field("rootId", org.source(), str(rootId, org.source())));
    }
    fields.add(new Node.Field("accounts", org.source(), new Node.ArrayNode(members, org.source())));
    fields.add(new Node.Field("scps", org.source(), new Node.ArrayNode(
        rootId == null ? List.of() : scps.getOrDefault(rootId, List.of()), org.source())));
    List<Node> rootRcps = rootId == null ? List.of() : rcps.getOrDefault(rootId, List.of());
    if (!rootRcps.isEmpty()) {
      fields.add(new Node.Field("rcps", org.source(), new Node.ArrayNode(rootRcps, org.source())));
    }
    if (!unitNodes.isEmpty()) {
      fields.add(new Node.Field("units", org.source(), new Node.ArrayNode(unitNodes, org.source())));
    }
    src.organizations.add(new Node.ObjectNode(fields, org.source()));
    // Accounts with policies attached directly; none for the management account, which they never restrict.
    Set<String> attachedTo = new LinkedHashSet<>(scps.keySet());
    attachedTo.addAll(rcps.keySet());
    for (String target : attachedTo) {
      if (ACCOUNT.matcher(target).matches() && !target.equals(src.account)) {
        List<Node> as = scps.getOrDefault(target, List.of());
        List<Node.Field> af = new ArrayList<>();
        SourceRef at = (as.isEmpty() ? rcps.get(target) : as).get(0).source();
        af.add(new Node.Field("id", at, str(target, at)));
        af.add(new Node.Field("scps", at, new Node.ArrayNode(as, at)));
        List<Node> ar = rcps.getOrDefault(target, List.of());
        if (!ar.isEmpty()) {
          af.add(new Node.Field("rcps", at, new Node.ArrayNode(ar, at)));
        }
        src.accounts.add(new Node.ObjectNode(af, at));
      }
    }
  }

  /**
   * The units below {@code parent}, each with its policies, accounts and units; the accounts directly
   * below the root go to {@code rootAccounts}.
   */
  private List<Node> units(String parent, Node.ObjectNode units, Node.ObjectNode accountsByParent,
      Map<String, List<Node>> scps, Map<String, List<Node>> rcps, List<Node> rootAccounts, int depth) {
    Node.ObjectNode here = src.asObject(accountsByParent == null ? null : accountsByParent.get(parent), "");
    for (Node a : src.list(here, "Accounts")) {
      Node id = src.asObject(a, "an account") == null ? null : ((Node.ObjectNode) a).get("Id");
      if (id != null) {
        rootAccounts.add(id);
      }
    }
    List<Node> out = new ArrayList<>();
    if (depth > 5 || units == null) {
      return out;
    }
    Node.ObjectNode below = src.asObject(units.get(parent), "");
    for (Node u : src.list(below, "OrganizationalUnits")) {
      Node.ObjectNode uo = src.asObject(u, "a unit");
      String id = text(uo, "Id");
      if (id == null) {
        continue;
      }
      List<Node> unitAccounts = new ArrayList<>();
      List<Node> children = units(id, units, accountsByParent, scps, rcps, unitAccounts, depth + 1);
      List<Node.Field> f = new ArrayList<>();
      f.add(field("id", uo.get("Id")));
      if (uo.get("Name") != null) {
        f.add(field("name", uo.get("Name")));
      }
      f.add(new Node.Field("scps", uo.source(), new Node.ArrayNode(scps.getOrDefault(id, List.of()), uo.source())));
      List<Node> ur = rcps.getOrDefault(id, List.of());
      if (!ur.isEmpty()) {
        f.add(new Node.Field("rcps", uo.source(), new Node.ArrayNode(ur, uo.source())));
      }
      f.add(new Node.Field("accounts", uo.source(), new Node.ArrayNode(unitAccounts, uo.source())));
      f.add(new Node.Field("units", uo.source(), new Node.ArrayNode(children, uo.source())));
      out.add(new Node.ObjectNode(f, uo.source()));
    }
    return out;
  }

}
