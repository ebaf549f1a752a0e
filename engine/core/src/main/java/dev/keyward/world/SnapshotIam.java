package dev.keyward.world;

import static dev.keyward.world.SnapshotNodes.field;
import static dev.keyward.world.SnapshotNodes.objectOf;
import static dev.keyward.world.SnapshotNodes.ref;
import static dev.keyward.world.SnapshotNodes.str;
import static dev.keyward.world.SnapshotNodes.text;

import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns IAM's answer (get-account-authorization-details) into the world's principals with their policies. */
final class SnapshotIam {

  private final SnapshotSource src;
  private SourceRef truncatedAt;

  SnapshotIam(SnapshotSource src) {
    this.src = src;
  }
  // ---- IAM ----

  void read(Node.ObjectNode root, boolean alone) {
    Node truncated = root.get("IsTruncated");
    if (truncated instanceof Node.ScalarNode && "true".equals(((Node.ScalarNode) truncated).text())) {
      // Resolved once the account is known (below): the gap names it.
      truncatedAt = truncated.source();
    }
    Map<String, Node> managed = new HashMap<>();
    for (Node p : src.list(root, "Policies")) {
      Node.ObjectNode o = src.asObject(p, "a managed policy");
      String arn = text(o, "Arn");
      if (arn == null) {
        continue;
      }
      Node doc = null;
      for (Node v : src.list(o, "PolicyVersionList")) {
        Node.ObjectNode vo = src.asObject(v, "a policy version");
        if (vo != null && vo.get("IsDefaultVersion") instanceof Node.ScalarNode
            && "true".equals(((Node.ScalarNode) vo.get("IsDefaultVersion")).text())) {
          doc = vo.get("Document") == null ? null : ref(vo.get("Document"), vo.source());
        }
      }
      if (doc != null) {
        managed.put(arn, doc);
      }
    }
    Map<String, Node.ObjectNode> groups = new HashMap<>();
    for (Node g : src.list(root, "GroupDetailList")) {
      Node.ObjectNode o = src.asObject(g, "a group");
      String name = text(o, "GroupName");
      if (name != null) {
        groups.put(name, o);
      }
    }
    for (Node r : src.list(root, "RoleDetailList")) {
      principal(src.asObject(r, "a role"), "RolePolicyList", managed, List.of(), alone);
    }
    for (Node u : src.list(root, "UserDetailList")) {
      Node.ObjectNode o = src.asObject(u, "a user");
      List<Node.ObjectNode> member = new ArrayList<>();
      for (Node gn : src.list(o, "GroupList")) {
        String name = gn instanceof Node.ScalarNode ? ((Node.ScalarNode) gn).text() : null;
        Node.ObjectNode group = name == null ? null : groups.get(name);
        if (group != null) {
          member.add(group);
        } else if (name != null) {
          src.gap("principal", text(o, "Arn") == null ? "" : text(o, "Arn"), "group `" + name + "` of this user is not"
              + " in the snapshot; its policies are unknown", gn.source());
        }
      }
      principal(o, "UserPolicyList", managed, member, alone);
    }
    if (truncatedAt != null) {
      String about = src.account == null ? "" : src.account;
      src.gap("account", about, "the IAM answer of account " + about + " is one page (`IsTruncated` is true): the users,"
          + " groups, roles and policies of later pages are missing (`aws iam get-account-authorization-details`"
          + " without --max-items reads every page)", truncatedAt);
    }
  }

  private void principal(Node.ObjectNode o, String inlineField, Map<String, Node> managed,
      List<Node.ObjectNode> groups, boolean alone) {
    if (o == null) {
      return;
    }
    Node arn = o.get("Arn");
    if (arn == null) {
      src.error("snapshot.shape", "this entry has no `Arn`", o.source());
      return;
    }
    String arnText = arn instanceof Node.ScalarNode ? ((Node.ScalarNode) arn).text() : "";
    if (alone && src.account == null && arnText.split(":").length > 4) {
      src.account = arnText.split(":")[4];
      src.accountAt = arn.source();
    }
    List<Node> policies = new ArrayList<>();
    inline(o, inlineField, policies);
    attached(o, managed, policies, arnText);
    String groupInline = "GroupPolicyList";
    for (Node.ObjectNode g : groups) {
      inline(g, groupInline, policies);
      attached(g, managed, policies, arnText);
    }
    List<Node.Field> fields = new ArrayList<>();
    fields.add(field("arn", arn));
    Map<String, Node> tags = src.tags(o.get("Tags"), "Key", "Value");
    if (!tags.isEmpty()) {
      fields.add(new Node.Field("tags", o.source(), objectOf(tags, o.get("Tags").source())));
    }
    fields.add(new Node.Field("policies", o.source(), new Node.ArrayNode(policies, o.source())));
    Node boundary = o.get("PermissionsBoundary");
    if (boundary instanceof Node.ObjectNode) {
      Node barn = ((Node.ObjectNode) boundary).get("PermissionsBoundaryArn");
      Node doc = barn instanceof Node.ScalarNode ? managedRef(((Node.ScalarNode) barn).text(), managed,
          barn.source(), arnText) : null;
      if (doc != null) {
        fields.add(new Node.Field("boundary", boundary.source(), doc));
      }
    }
    src.principals.add(new Node.ObjectNode(fields, o.source()));
  }

  private void inline(Node.ObjectNode o, String field, List<Node> into) {
    for (Node p : src.list(o, field)) {
      Node.ObjectNode po = src.asObject(p, "an inline policy");
      if (po == null) {
        continue;
      }
      Node doc = po.get("PolicyDocument");
      if (doc == null) {
        src.error("snapshot.shape", "an inline policy needs `PolicyDocument`", po.source());
        continue;
      }
      into.add(ref(doc, po.source()));
    }
  }

  private void attached(Node.ObjectNode o, Map<String, Node> managed, List<Node> into, String who) {
    for (Node a : src.list(o, "AttachedManagedPolicies")) {
      Node.ObjectNode ao = src.asObject(a, "an attached policy");
      Node arn = ao == null ? null : ao.get("PolicyArn");
      if (!(arn instanceof Node.ScalarNode)) {
        if (ao != null) {
          src.error("snapshot.shape", "an attached policy needs `PolicyArn`", ao.source());
        }
        continue;
      }
      Node doc = managedRef(((Node.ScalarNode) arn).text(), managed, arn.source(), who);
      if (doc != null) {
        into.add(doc);
      }
    }
  }

  /** The policy reference for a managed policy: its default version, the bundled AWS policy, or a gap. */
  private Node managedRef(String arn, Map<String, Node> managed, SourceRef at, String who) {
    Node doc = managed.get(arn);
    if (doc != null) {
      return doc;
    }
    if (AwsManagedPolicies.isAwsManagedArn(arn) && AwsManagedPolicies.bundled().policy(arn).isPresent()) {
      return new Node.ObjectNode(List.of(new Node.Field("arn", at, str(arn, at))), at);
    }
    src.gap("principal", who, "the default version of managed policy `" + arn + "` is not in the snapshot"
        + " (`iam:GetAccountAuthorizationDetails` or `iam:GetPolicyVersion` fills it)", at);
    return null;
  }

}
