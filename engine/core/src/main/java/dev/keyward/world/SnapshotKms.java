package dev.keyward.world;

import static dev.keyward.world.SnapshotNodes.ACCOUNT;
import static dev.keyward.world.SnapshotNodes.copy;
import static dev.keyward.world.SnapshotNodes.field;
import static dev.keyward.world.SnapshotNodes.index;
import static dev.keyward.world.SnapshotNodes.objectOf;
import static dev.keyward.world.SnapshotNodes.ref;
import static dev.keyward.world.SnapshotNodes.text;

import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns one Region's KMS files into the world's keys: metadata, policy, aliases, tags, rotation, grants. */
final class SnapshotKms {

  private final SnapshotSource src;

  SnapshotKms(SnapshotSource src) {
    this.src = src;
  }
  // ---- KMS ----

  void read(String region) {
    String base = SnapshotFiles.REGIONS + "/" + region + "/";
    Node.ObjectNode describe = src.object(src.readIfPresent(base + SnapshotFiles.DESCRIBE_KEY),
        base + SnapshotFiles.DESCRIBE_KEY, "");
    if (describe == null) {
      return;
    }
    Node.ObjectNode policies = src.object(src.readIfPresent(base + SnapshotFiles.KEY_POLICY),
        base + SnapshotFiles.KEY_POLICY, "");
    Node.ObjectNode grants = src.object(src.readIfPresent(base + SnapshotFiles.GRANTS), base + SnapshotFiles.GRANTS,
        "");
    Node.ObjectNode rotation = src.object(src.readIfPresent(base + SnapshotFiles.ROTATION),
        base + SnapshotFiles.ROTATION, "");
    Node.ObjectNode tags = src.object(src.readIfPresent(base + SnapshotFiles.KEY_TAGS),
        base + SnapshotFiles.KEY_TAGS, "");
    Node.ObjectNode aliasFile = src.object(src.readIfPresent(base + SnapshotFiles.ALIASES),
        base + SnapshotFiles.ALIASES, "");
    Map<String, Node> policyById = index(policies);
    Map<String, Node> grantsById = index(grants);
    Map<String, Node> rotationById = index(rotation);
    Map<String, Node> tagsById = index(tags);
    Map<String, List<Node>> aliases = new HashMap<>();
    for (Node a : src.list(aliasFile, "Aliases")) {
      Node.ObjectNode ao = src.asObject(a, "an alias");
      String target = text(ao, "TargetKeyId");
      if (target != null && ao.get("AliasName") != null) {
        aliases.computeIfAbsent(target, k -> new ArrayList<>()).add(ao.get("AliasName"));
      }
    }
    for (Node.Field entry : describe.fields()) {
      Node.ObjectNode md = src.asObject(src.asObject(entry.value(), "a describe-key answer") == null ? null
          : ((Node.ObjectNode) entry.value()).get("KeyMetadata"), "`KeyMetadata`");
      if (md == null) {
        continue;
      }
      String id = entry.key();
      Node arn = md.get("Arn");
      String arnText = text(md, "Arn");
      if (arnText == null) {
        src.error("snapshot.shape", "`KeyMetadata` needs `Arn`", md.source());
        continue;
      }
      if ("PendingReplicaDeletion".equals(text(md, "KeyState"))) {
        continue;
      }
      Node.ObjectNode pol = src.asObject(policyById.get(id), "a get-key-policy answer");
      if (pol == null || pol.get("Policy") == null) {
        src.gap("key", arnText, "the key policy of `" + arnText + "` is not in the snapshot, so the key is left out"
            + " (`kms:GetKeyPolicy` fills it)", md.source());
        continue;
      }
      List<Node.Field> f = new ArrayList<>();
      f.add(field("arn", arn));
      f.add(new Node.Field("policy", pol.source(), ref(pol.get("Policy"), pol.source())));
      copy(md, "KeyManager", "manager", f);
      copy(md, "Origin", "origin", f);
      copy(md, "KeySpec", "spec", f);
      copy(md, "KeyUsage", "usage", f);
      copy(md, "KeyState", "state", f);
      List<Node> as = aliases.getOrDefault(id, List.of());
      if (!as.isEmpty()) {
        f.add(new Node.Field("aliases", md.source(), new Node.ArrayNode(as, md.source())));
      }
      Node.ObjectNode t = src.asObject(tagsById.get(id), "");
      Map<String, Node> tagMap = t == null ? Map.of() : src.tags(t.get("Tags"), "TagKey", "TagValue");
      if (!tagMap.isEmpty()) {
        f.add(new Node.Field("tags", t.source(), objectOf(tagMap, t.source())));
      }
      Node.ObjectNode rot = src.asObject(rotationById.get(id), "");
      if (rot != null && rot.get("KeyRotationEnabled") != null) {
        List<Node.Field> rf = new ArrayList<>();
        rf.add(field("enabled", rot.get("KeyRotationEnabled")));
        if (rot.get("RotationPeriodInDays") != null) {
          rf.add(field("periodDays", rot.get("RotationPeriodInDays")));
        }
        f.add(new Node.Field("rotation", rot.source(), new Node.ObjectNode(rf, rot.source())));
      }
      Node.ObjectNode mrc = src.asObject(md.get("MultiRegionConfiguration"), "");
      if (mrc != null && text(mrc, "MultiRegionKeyType") != null) {
        List<Node.Field> mf = new ArrayList<>();
        mf.add(field("role", mrc.get("MultiRegionKeyType")));
        Node.ObjectNode primary = src.asObject(mrc.get("PrimaryKey"), "");
        if ("REPLICA".equals(text(mrc, "MultiRegionKeyType")) && primary != null && primary.get("Arn") != null) {
          mf.add(field("primary", primary.get("Arn")));
        }
        f.add(new Node.Field("multiRegion", mrc.source(), new Node.ObjectNode(mf, mrc.source())));
      }
      Node.ObjectNode g = src.asObject(grantsById.get(id), "a list-grants answer");
      if (g == null && grants != null) {
        src.gap("key", arnText, "the grants of `" + arnText + "` are not in the snapshot (`kms:ListGrants` fills it)",
            md.source());
      }
      List<Node> grantNodes = new ArrayList<>();
      for (Node gn : src.list(g, "Grants")) {
        Node grant = grant(src.asObject(gn, "a grant"), arnText);
        if (grant != null) {
          grantNodes.add(grant);
        }
      }
      if (!grantNodes.isEmpty()) {
        f.add(new Node.Field("grants", g.source(), new Node.ArrayNode(grantNodes, g.source())));
      }
      src.keys.add(new Node.ObjectNode(f, md.source()));
    }
  }

  private Node grant(Node.ObjectNode o, String key) {
    if (o == null) {
      return null;
    }
    String grantee = text(o, "GranteePrincipal");
    if (grantee == null) {
      src.error("snapshot.shape", "a grant needs `GranteePrincipal`", o.source());
      return null;
    }
    if (!grantee.startsWith("arn:") && !ACCOUNT.matcher(grantee).matches()) {
      src.gap("key", key, "grant `" + text(o, "GrantId") + "` of `" + key + "` is for `" + grantee
          + "`, a principal Keyward does not model as a grantee; it is left out", o.source());
      return null;
    }
    List<Node.Field> f = new ArrayList<>();
    if (o.get("GrantId") != null) {
      f.add(field("id", o.get("GrantId")));
    }
    String name = text(o, "Name");
    if (name != null && !name.isEmpty()) {
      f.add(field("name", o.get("Name")));
    }
    f.add(field("grantee", o.get("GranteePrincipal")));
    Node ops = o.get("Operations");
    if (ops != null) {
      f.add(field("operations", ops));
    }
    Node.ObjectNode c = src.asObject(o.get("Constraints"), "`Constraints`");
    if (c != null) {
      List<Node.Field> cf = new ArrayList<>();
      if (c.get("EncryptionContextEquals") != null) {
        cf.add(field("encryptionContextEquals", c.get("EncryptionContextEquals")));
      }
      if (c.get("EncryptionContextSubset") != null) {
        cf.add(field("encryptionContextSubset", c.get("EncryptionContextSubset")));
      }
      f.add(new Node.Field("constraints", c.source(), new Node.ObjectNode(cf, c.source())));
    }
    String retiring = text(o, "RetiringPrincipal");
    if (retiring != null && (retiring.startsWith("arn:") || ACCOUNT.matcher(retiring).matches())) {
      f.add(field("retiringPrincipal", o.get("RetiringPrincipal")));
    }
    return new Node.ObjectNode(f, o.source());
  }

}
