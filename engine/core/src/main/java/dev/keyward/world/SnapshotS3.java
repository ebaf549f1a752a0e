package dev.keyward.world;

import static dev.keyward.world.SnapshotNodes.bool;
import static dev.keyward.world.SnapshotNodes.field;
import static dev.keyward.world.SnapshotNodes.index;
import static dev.keyward.world.SnapshotNodes.ref;
import static dev.keyward.world.SnapshotNodes.str;
import static dev.keyward.world.SnapshotNodes.text;

import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the S3 files into the world's buckets: Region, default encryption, bucket policy, replication. */
final class SnapshotS3 {

  private final SnapshotSource src;

  SnapshotS3(SnapshotSource src) {
    this.src = src;
  }
  // ---- S3 ----

  void read() {
    Node.ObjectNode list = src.object(src.readIfPresent(SnapshotFiles.BUCKETS), SnapshotFiles.BUCKETS,
        "what `aws s3api list-buckets` prints");
    if (list == null) {
      return;
    }
    Node.ObjectNode location = src.object(src.readIfPresent(SnapshotFiles.BUCKET_LOCATION),
        SnapshotFiles.BUCKET_LOCATION, "");
    Node.ObjectNode encryption = src.object(src.readIfPresent(SnapshotFiles.BUCKET_ENCRYPTION),
        SnapshotFiles.BUCKET_ENCRYPTION, "");
    Node.ObjectNode policy = src.object(src.readIfPresent(SnapshotFiles.BUCKET_POLICY),
        SnapshotFiles.BUCKET_POLICY, "");
    Node.ObjectNode replication = src.object(src.readIfPresent(SnapshotFiles.BUCKET_REPLICATION),
        SnapshotFiles.BUCKET_REPLICATION, "");
    Map<String, Node> locationBy = index(location);
    Map<String, Node> encryptionBy = index(encryption);
    Map<String, Node> policyBy = index(policy);
    Map<String, Node> replicationBy = index(replication);
    for (Node b : src.list(list, "Buckets")) {
      Node.ObjectNode bo = src.asObject(b, "a bucket");
      String name = text(bo, "Name");
      if (name == null) {
        continue;
      }
      SourceRef at = bo.source();
      String region = "us-east-1";
      Node.ObjectNode loc = src.asObject(locationBy.get(name), "a bucket location");
      String constraint = text(loc, "LocationConstraint");
      if (constraint != null && !constraint.isEmpty()) {
        region = constraint.equals("EU") ? "eu-west-1" : constraint;
      }
      List<Node.Field> f = new ArrayList<>();
      f.add(field("name", bo.get("Name")));
      f.add(new Node.Field("account", at, str(src.account, src.accountAt)));
      f.add(new Node.Field("region", at, str(region, loc == null ? at : loc.source())));
      Node.ObjectNode enc = src.asObject(encryptionBy.get(name), "a bucket encryption");
      if (enc != null) {
        Node.ObjectNode config = src.asObject(enc.get("ServerSideEncryptionConfiguration"),
            "`ServerSideEncryptionConfiguration`");
        List<Node> rules = src.list(config, "Rules");
        Node.ObjectNode rule = rules.isEmpty() ? null : src.asObject(rules.get(0), "a rule");
        Node.ObjectNode def = rule == null ? null : src.asObject(rule.get("ApplyServerSideEncryptionByDefault"), "");
        if (def != null) {
          String algorithm = text(def, "SSEAlgorithm");
          String type = "aws:kms".equals(algorithm) ? "SSE-KMS" : "aws:kms:dsse".equals(algorithm) ? "DSSE-KMS"
              : "AES256".equals(algorithm) ? "SSE-S3" : algorithm;
          List<Node.Field> ef = new ArrayList<>();
          ef.add(new Node.Field("type", def.source(), str(type == null ? "" : type, def.source())));
          String keyId = text(def, "KMSMasterKeyID");
          if (keyId != null && !keyId.isEmpty()) {
            ef.add(new Node.Field("key", def.source(), str(keyArn(keyId, region), def.get("KMSMasterKeyID")
                .source())));
          }
          if (rule.get("BucketKeyEnabled") != null) {
            ef.add(field("bucketKey", rule.get("BucketKeyEnabled")));
          }
          f.add(new Node.Field("encryption", def.source(), new Node.ObjectNode(ef, def.source())));
        }
        Node.ObjectNode blocked = rule == null ? null : src.asObject(rule.get("BlockedEncryptionTypes"), "");
        if (blocked != null && blocked.get("EncryptionType") != null) {
          f.add(field("blockedEncryptionTypes", blocked.get("EncryptionType")));
        }
      }
      Node.ObjectNode pol = src.asObject(policyBy.get(name), "a bucket policy");
      if (pol != null && pol.get("Policy") != null) {
        f.add(new Node.Field("policy", pol.source(), ref(pol.get("Policy"), pol.source())));
      }
      Node.ObjectNode rep = src.asObject(replicationBy.get(name), "a replication answer");
      Node.ObjectNode rc = rep == null ? null : src.asObject(rep.get("ReplicationConfiguration"),
          "`ReplicationConfiguration`");
      if (rc != null) {
        List<Node> rules = new ArrayList<>();
        for (Node r : src.list(rc, "Rules")) {
          Node.ObjectNode ro = src.asObject(r, "a replication rule");
          if (ro == null || "Disabled".equals(text(ro, "Status"))) {
            continue;
          }
          List<Node.Field> rf = new ArrayList<>();
          if (ro.get("ID") != null) {
            rf.add(field("id", ro.get("ID")));
          }
          Node.ObjectNode ssc = src.asObject(ro.get("SourceSelectionCriteria"), "");
          Node.ObjectNode sse = ssc == null ? null : src.asObject(ssc.get("SseKmsEncryptedObjects"), "");
          boolean kmsObjects = sse != null && "Enabled".equals(text(sse, "Status"));
          rf.add(new Node.Field("sseKmsEncryptedObjects", ro.source(), bool(kmsObjects, ro.source())));
          Node.ObjectNode dest = src.asObject(ro.get("Destination"), "`Destination`");
          if (dest != null) {
            List<Node.Field> df = new ArrayList<>();
            String bucket = text(dest, "Bucket");
            if (bucket != null) {
              df.add(new Node.Field("bucket", dest.source(), str(bucket.startsWith("arn:aws:s3:::")
                  ? bucket.substring("arn:aws:s3:::".length()) : bucket, dest.get("Bucket").source())));
            }
            if (dest.get("Account") != null) {
              df.add(field("account", dest.get("Account")));
            }
            Node.ObjectNode ec = src.asObject(dest.get("EncryptionConfiguration"), "");
            if (ec != null && text(ec, "ReplicaKmsKeyID") != null) {
              df.add(field("replicaKmsKeyId", ec.get("ReplicaKmsKeyID")));
            }
            rf.add(new Node.Field("destination", dest.source(), new Node.ObjectNode(df, dest.source())));
          }
          rules.add(new Node.ObjectNode(rf, ro.source()));
        }
        List<Node.Field> repf = new ArrayList<>();
        if (rc.get("Role") != null) {
          repf.add(field("role", rc.get("Role")));
        }
        repf.add(new Node.Field("rules", rc.source(), new Node.ArrayNode(rules, rc.source())));
        f.add(new Node.Field("replication", rc.source(), new Node.ObjectNode(repf, rc.source())));
      }
      src.buckets.add(new Node.ObjectNode(f, at));
    }
  }

  /** A key ARN for what a bucket names: an ARN as it is, a key id or alias name in the bucket's Region. */
  private String keyArn(String id, String region) {
    if (id.startsWith("arn:")) {
      return id;
    }
    return "arn:aws:kms:" + region + ":" + src.account + ":" + (id.startsWith("alias/") ? id : "key/" + id);
  }

}
