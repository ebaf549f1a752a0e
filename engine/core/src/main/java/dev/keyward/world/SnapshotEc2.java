package dev.keyward.world;

import static dev.keyward.world.SnapshotNodes.bool;
import static dev.keyward.world.SnapshotNodes.field;
import static dev.keyward.world.SnapshotNodes.index;
import static dev.keyward.world.SnapshotNodes.str;
import static dev.keyward.world.SnapshotNodes.text;

import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns one Region's EC2 files into the world's images: snapshots, their keys, launch permissions. */
final class SnapshotEc2 {

  private final SnapshotSource src;

  SnapshotEc2(SnapshotSource src) {
    this.src = src;
  }
  // ---- EC2 ----

  void read(String region) {
    String base = SnapshotFiles.REGIONS + "/" + region + "/";
    Node.ObjectNode images = src.object(src.readIfPresent(base + SnapshotFiles.IMAGES), base + SnapshotFiles.IMAGES,
        "what `aws ec2 describe-images --owners self` prints");
    if (images == null) {
      return;
    }
    Node.ObjectNode attributes = src.object(src.readIfPresent(base + SnapshotFiles.IMAGE_ATTRIBUTE),
        base + SnapshotFiles.IMAGE_ATTRIBUTE, "");
    Node.ObjectNode snaps = src.object(src.readIfPresent(base + SnapshotFiles.SNAPSHOTS),
        base + SnapshotFiles.SNAPSHOTS, "");
    Map<String, Node> snapshotKeys = new HashMap<>();
    for (Node s : src.list(snaps, "Snapshots")) {
      Node.ObjectNode so = src.asObject(s, "a snapshot");
      if (text(so, "SnapshotId") != null && so.get("KmsKeyId") != null) {
        snapshotKeys.put(text(so, "SnapshotId"), so.get("KmsKeyId"));
      }
    }
    Map<String, Node> attributesBy = index(attributes);
    for (Node i : src.list(images, "Images")) {
      Node.ObjectNode io = src.asObject(i, "an image");
      String id = text(io, "ImageId");
      if (id == null) {
        continue;
      }
      List<Node.Field> f = new ArrayList<>();
      f.add(field("id", io.get("ImageId")));
      f.add(new Node.Field("account", io.source(), io.get("OwnerId") != null ? io.get("OwnerId")
          : str(src.account, io.source())));
      f.add(new Node.Field("region", io.source(), str(region, io.source())));
      List<Node> snapshots = new ArrayList<>();
      for (Node m : src.list(io, "BlockDeviceMappings")) {
        Node.ObjectNode mo = src.asObject(m, "a block device mapping");
        Node.ObjectNode ebs = mo == null ? null : src.asObject(mo.get("Ebs"), "");
        String sid = text(ebs, "SnapshotId");
        if (sid == null) {
          continue;
        }
        List<Node.Field> sf = new ArrayList<>();
        sf.add(field("id", ebs.get("SnapshotId")));
        Node key = ebs.get("KmsKeyId") != null ? ebs.get("KmsKeyId") : snapshotKeys.get(sid);
        if (key != null) {
          sf.add(field("key", key));
        }
        snapshots.add(new Node.ObjectNode(sf, ebs.source()));
      }
      f.add(new Node.Field("snapshots", io.source(), new Node.ArrayNode(snapshots, io.source())));
      Node.ObjectNode attr = src.asObject(attributesBy.get(id), "");
      List<Node> accountsList = new ArrayList<>();
      List<Node> orgs = new ArrayList<>();
      List<Node> ous = new ArrayList<>();
      boolean isPublic = false;
      SourceRef lpAt = attr == null ? io.source() : attr.source();
      for (Node p : src.list(attr, "LaunchPermissions")) {
        Node.ObjectNode po = src.asObject(p, "a launch permission");
        if (po == null) {
          continue;
        }
        if (po.get("UserId") != null) {
          accountsList.add(po.get("UserId"));
        } else if ("all".equals(text(po, "Group"))) {
          isPublic = true;
        } else if (po.get("OrganizationArn") != null) {
          orgs.add(po.get("OrganizationArn"));
        } else if (po.get("OrganizationalUnitArn") != null) {
          ous.add(po.get("OrganizationalUnitArn"));
        }
      }
      List<Node.Field> lf = new ArrayList<>();
      lf.add(new Node.Field("accounts", lpAt, new Node.ArrayNode(accountsList, lpAt)));
      lf.add(new Node.Field("organizations", lpAt, new Node.ArrayNode(orgs, lpAt)));
      lf.add(new Node.Field("organizationalUnits", lpAt, new Node.ArrayNode(ous, lpAt)));
      lf.add(new Node.Field("public", lpAt, bool(isPublic, lpAt)));
      f.add(new Node.Field("launchPermissions", lpAt, new Node.ObjectNode(lf, lpAt)));
      src.images.add(new Node.ObjectNode(f, io.source()));
    }
  }

}
