package dev.keyward.analysis;

import dev.keyward.request.Request;
import dev.keyward.model.Severity;
import dev.keyward.world.Bucket;
import dev.keyward.world.KeySpecs;
import dev.keyward.world.KmsKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code s3-replication}: will each replication rule of each bucket really replicate its encrypted objects?
 * Per rule: SSE-KMS objects opted in; the replica key set, symmetric, customer managed, enabled and in the
 * destination Region; aws/s3 keys never across accounts; the role's KMS requests with the context S3 sends
 * (kms:ViaService s3.REGION.amazonaws.com, kms:EncryptionContext:aws:s3:arn of the object, or of the
 * bucket when a Bucket Key is on) decided by the authorizer; the role's S3 requests on both buckets
 * (identity policy and, across accounts, the destination bucket policy); SSE-C objects into a bucket that
 * blocks SSE-C. Sources in {@code docs/checks.md}.
 */
final class S3ReplicationAnalysis implements Analysis {

  static final String NAME = "s3-replication";
  /** The object every object-level request is made on: any object key gives the same answers here. */
  static final String SAMPLE_OBJECT = "replication-check/object";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Finding> run(CheckContext ctx) {
    List<Finding> out = new ArrayList<>();
    Map<String, Bucket> byName = new LinkedHashMap<>();
    for (Bucket b : ctx.world().buckets()) {
      byName.put(b.name(), b);
    }
    for (Bucket src : ctx.world().buckets()) {
      if (src.replication() == null || src.replication().role() == null) {
        continue;
      }
      for (Bucket.ReplicationRule rule : src.replication().rules()) {
        Bucket dst = byName.get(rule.destinationBucket());
        if (dst == null) {
          out.add(new Finding(NAME, Severity.NOTE, src.arn(), "rule `" + ruleId(rule) + "`: destination bucket `"
              + rule.destinationBucket() + "` is not in the world, so the rule is not checked", List.of(), null,
              null));
        } else if (ctx.index().principal(src.replication().role()).isEmpty()) {
          out.add(new Finding(NAME, Severity.WARNING, src.arn(), "rule `" + ruleId(rule) + "`: replication role `"
              + src.replication().role() + "` is not in the world, so its permissions cannot be checked; declare"
              + " it under `principals`", List.of(), null, null));
        } else {
          checkRule(ctx, src, rule, dst, out);
        }
      }
    }
    return out;
  }

  private void checkRule(CheckContext ctx, Bucket src, Bucket.ReplicationRule rule, Bucket dst, List<Finding> out) {
    String subject = src.arn();
    String ruleName = "replication rule `" + ruleId(rule) + "` of bucket `" + src.name() + "`";
    String role = src.replication().role();
    boolean crossAccount = !src.account().equals(dst.account());
    KmsKey srcKey = defaultKey(ctx, src);
    boolean kmsObjects = BucketFacts.hasObjects(src, "SSE-KMS") || BucketFacts.hasObjects(src, "DSSE-KMS")
        || src.objects().isEmpty() && BucketFacts.usesKms(src);
    boolean plainObjects = BucketFacts.hasObjects(src, "NONE");

    // 1. opt-in
    if (kmsObjects && !rule.sseKmsEncryptedObjects()) {
      out.add(new Finding(NAME, Severity.ERROR, subject, "rule `" + ruleId(rule) + "`: SSE-KMS objects of `"
          + src.name() + "` are not replicated: the rule does not opt in with SseKmsEncryptedObjects",
          List.of(), ruleName, JsonText.of(Map.of("SourceSelectionCriteria",
              Map.of("SseKmsEncryptedObjects", Map.of("Status", "Enabled"))))));
    }
    // 2. SSE-C into a bucket that blocks it
    if (BucketFacts.hasObjects(src, "SSE-C") && dst.blockedEncryptionTypes().contains("SSE-C")) {
      List<String> kept = new ArrayList<>(dst.blockedEncryptionTypes());
      kept.remove("SSE-C");
      if (kept.isEmpty()) {
        kept.add("NONE");
      }
      out.add(new Finding(NAME, Severity.ERROR, subject, "rule `" + ruleId(rule) + "`: `" + src.name()
          + "` holds SSE-C objects, and destination `" + dst.name() + "` blocks SSE-C, so their replication"
          + " is rejected with 403", List.of(), "default encryption of bucket `" + dst.name() + "`",
          JsonText.of(Map.of("BlockedEncryptionTypes", Map.of("EncryptionType", kept.toArray())))));
    }
    // 3. aws/s3 across accounts
    if (crossAccount && kmsObjects && (srcKey == null || srcKey.metadata().awsManaged())) {
      KmsKey cmk = customerKey(ctx, src.account(), src.region());
      out.add(new Finding(NAME, Severity.ERROR, subject, "rule `" + ruleId(rule) + "`: objects of `" + src.name()
          + "` are encrypted with the AWS managed key aws/s3, whose policy cannot be changed, so they cannot be"
          + " replicated to account " + dst.account(), List.of(), "default encryption of bucket `"
          + src.name() + "`", encryptionFix(cmk, src)));
    }
    boolean replicating = kmsObjects && rule.sseKmsEncryptedObjects();
    // 4. replica key
    KmsKey replicaKey = null;
    if (replicating) {
      if (rule.replicaKmsKeyId() == null) {
        KmsKey suggestion = BucketFacts.usesKms(dst) ? defaultKey(ctx, dst) : null;
        if (suggestion == null || suggestion.metadata().awsManaged()) {
          suggestion = customerKey(ctx, dst.account(), dst.region());
        }
        out.add(new Finding(NAME, Severity.ERROR, subject, "rule `" + ruleId(rule) + "` replicates SSE-KMS objects"
            + " but names no replica key (ReplicaKmsKeyID)", List.of(), ruleName, replicaFix(suggestion, dst)));
      } else {
        replicaKey = ctx.index().resolveKey(rule.replicaKmsKeyId(), null).orElse(null);
        if (replicaKey != null) {
          checkReplicaKey(ctx, src, rule, dst, replicaKey, ruleName, out);
        }
      }
    }
    // 5. KMS requests
    if (replicating && srcKey != null && !srcKey.metadata().awsManaged()) {
      String ec = BucketFacts.bucketKey(src) ? src.arn() : src.arn() + "/" + SAMPLE_OBJECT;
      String ecPattern = BucketFacts.bucketKey(src) ? src.arn() : src.arn() + "/*";
      out.addAll(kmsRequest(ctx, subject, rule, role, "kms:Decrypt", srcKey, "source key", src.region(), ec,
          ecPattern));
    }
    if (replicaKey != null) {
      String ec = BucketFacts.bucketKey(dst) ? dst.arn() : dst.arn() + "/" + SAMPLE_OBJECT;
      String ecPattern = BucketFacts.bucketKey(dst) ? dst.arn() : dst.arn() + "/*";
      out.addAll(kmsRequest(ctx, subject, rule, role, "kms:Encrypt", replicaKey, "replica key", dst.region(), ec,
          ecPattern));
      if (BucketFacts.bucketKey(dst)) {
        out.addAll(kmsRequest(ctx, subject, rule, role, "kms:Decrypt", replicaKey, "replica key (S3 verifies the"
            + " Bucket Key)", dst.region(), ec, ecPattern));
      }
    }
    if (plainObjects && BucketFacts.usesKms(dst)) {
      KmsKey dstKey = defaultKey(ctx, dst);
      if (dstKey != null && !dstKey.metadata().awsManaged()) {
        String ec = BucketFacts.bucketKey(dst) ? dst.arn() : dst.arn() + "/" + SAMPLE_OBJECT;
        String ecPattern = BucketFacts.bucketKey(dst) ? dst.arn() : dst.arn() + "/*";
        out.addAll(kmsRequest(ctx, subject, rule, role, "kms:GenerateDataKey", dstKey,
            "destination default key (unencrypted objects take the destination's SSE-KMS)", dst.region(), ec,
            ecPattern));
      }
    }
    // 6. S3 requests
    String srcObject = src.arn() + "/" + SAMPLE_OBJECT;
    String dstObject = dst.arn() + "/" + SAMPLE_OBJECT;
    out.addAll(s3Request(ctx, subject, rule, role, "s3:GetReplicationConfiguration", src.arn(), src, src.arn()));
    out.addAll(s3Request(ctx, subject, rule, role, "s3:ListBucket", src.arn(), src, src.arn()));
    out.addAll(s3Request(ctx, subject, rule, role, "s3:GetObjectVersionForReplication", srcObject, src,
        src.arn() + "/*"));
    out.addAll(s3Request(ctx, subject, rule, role, "s3:GetObjectVersionAcl", srcObject, src, src.arn() + "/*"));
    out.addAll(s3Request(ctx, subject, rule, role, "s3:ReplicateObject", dstObject, dst, dst.arn() + "/*"));
    out.addAll(s3Request(ctx, subject, rule, role, "s3:ReplicateDelete", dstObject, dst, dst.arn() + "/*"));
  }

  private void checkReplicaKey(CheckContext ctx, Bucket src, Bucket.ReplicationRule rule, Bucket dst, KmsKey k,
      String ruleName, List<Finding> out) {
    String subject = src.arn();
    List<String> wrong = new ArrayList<>();
    if (!KeySpecs.isSymmetric(k.metadata().spec())) {
      wrong.add("is `" + k.metadata().spec() + "`, not a symmetric encryption key");
    }
    if (k.metadata().awsManaged()) {
      wrong.add("is AWS managed, not customer managed");
    }
    if (!k.region().equals(dst.region())) {
      wrong.add("is in Region `" + k.region() + "`, not in the destination's Region `" + dst.region() + "`");
    }
    if (!"Enabled".equals(k.metadata().state())) {
      wrong.add("is `" + k.metadata().state() + "`, not enabled");
    }
    if (!wrong.isEmpty()) {
      KmsKey suggestion = customerKey(ctx, dst.account(), dst.region());
      out.add(new Finding(NAME, Severity.ERROR, subject, "rule `" + ruleId(rule) + "`: replica key `" + k.arn() + "` "
          + String.join(" and ", wrong) + " (PutBucketReplication accepts it, and replication then fails)",
          List.of(), ruleName, replicaFix(suggestion, dst)));
    }
    if (rule.replicaKmsKeyId().contains(":alias/")) {
      out.add(new Finding(NAME, Severity.NOTE, subject, "rule `" + ruleId(rule) + "` names its replica key by alias"
          + " `" + rule.replicaKmsKeyId() + "`, which S3 resolves in the requester's account; name the key ARN",
          List.of(), ruleName, replicaFix(k, dst)));
    }
  }

  private static List<Finding> kmsRequest(CheckContext ctx, String subject, Bucket.ReplicationRule rule, String role,
      String action, KmsKey key, String which, String region, String ec, String ecPattern) {
    String via = "s3." + region + ".amazonaws.com";
    Map<String, List<String>> context = new LinkedHashMap<>();
    context.put("kms:ViaService", List.of(via));
    context.put("kms:EncryptionContext:aws:s3:arn", List.of(ec));
    Request req = new Request("", role, action, key.arn().toString(), context);
    Map<String, Map<String, List<String>>> conditions = new Statements.Conditions()
        .add("StringEquals", "kms:ViaService", via)
        .add("StringLike", "kms:EncryptionContext:aws:s3:arn", ecPattern)
        .build();
    return Repairs.kms(ctx, NAME, Severity.ERROR, subject, "rule `" + ruleId(rule) + "`: replication role `" + role
        + "` cannot call `" + action + "` on the " + which + " `" + key.arn() + "`", req, conditions);
  }

  private static List<Finding> s3Request(CheckContext ctx, String subject, Bucket.ReplicationRule rule, String role,
      String action, String resource, Bucket bucket, String pattern) {
    Request req = new Request("", role, action, resource, Map.of());
    return Repairs.s3(ctx, NAME, Severity.ERROR, subject, "rule `" + ruleId(rule) + "`: replication role `" + role
        + "` cannot call `" + action + "` on `" + resource + "`", req, bucket, pattern);
  }

  /** The rule's id, or its position-free stand-in when the world gives none. */
  static String ruleId(Bucket.ReplicationRule rule) {
    return rule.id().isEmpty() ? "(no id)" : rule.id();
  }

  /** The key of the bucket's default encryption, or null when it is aws/s3 or not a key of the world. */
  private static KmsKey defaultKey(CheckContext ctx, Bucket b) {
    if (!BucketFacts.usesKms(b) || BucketFacts.key(b) == null) {
      return null;
    }
    return ctx.index().resolveKey(BucketFacts.key(b), null).orElse(null);
  }

  /** A customer managed, enabled, symmetric key of the world in this account and Region, or null. */
  static KmsKey customerKey(CheckContext ctx, String account, String region) {
    for (KmsKey k : ctx.world().keys()) {
      if (k.account().equals(account) && k.region().equals(region) && !k.metadata().awsManaged()
          && KeySpecs.isSymmetric(k.metadata().spec()) && "Enabled".equals(k.metadata().state())) {
        return k;
      }
    }
    return null;
  }

  private static String replicaFix(KmsKey k, Bucket dst) {
    String arn = k != null ? k.arn().toString() : "arn:aws:kms:" + dst.region() + ":" + dst.account()
        + ":key/<a symmetric customer managed key>";
    return JsonText.of(Map.of("Destination", Map.of("EncryptionConfiguration", Map.of("ReplicaKmsKeyID", arn))));
  }

  private static String encryptionFix(KmsKey k, Bucket b) {
    String arn = k != null ? k.arn().toString() : "arn:aws:kms:" + b.region() + ":" + b.account()
        + ":key/<a symmetric customer managed key>";
    Map<String, Object> dflt = new LinkedHashMap<>();
    dflt.put("SSEAlgorithm", "aws:kms");
    dflt.put("KMSMasterKeyID", arn);
    return JsonText.of(Map.of("Rules", new Object[] {Map.of("ApplyServerSideEncryptionByDefault", dflt)}));
  }
}
