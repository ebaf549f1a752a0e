package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * An S3 general purpose bucket of the world: where it lives, how it encrypts new objects, which
 * encryption types it blocks and which its objects use, its bucket policy and its replication rules.
 *
 * @param name the bucket name (bucket ARNs are {@code arn:aws:s3:::NAME}, without account or Region)
 * @param account the owning account
 * @param region the bucket's Region
 * @param encryption the default encryption; {@code NONE} with no key when the world says nothing
 * @param blockedEncryptionTypes {@code BlockedEncryptionTypes} of PutBucketEncryption (e.g. {@code SSE-C})
 * @param objects the encryption types present among the bucket's objects (NONE, SSE-S3, SSE-KMS,
 *     DSSE-KMS, SSE-C); empty when not declared
 * @param policy the bucket policy, or null when it has none
 * @param replication the replication configuration, or null
 */
public record Bucket(
    String name,
    String account,
    String region,
    BucketEncryption encryption,
    List<String> blockedEncryptionTypes,
    List<String> objects,
    PolicyDocument policy,
    Replication replication,
    SourceRef source) {

  /** Default encryption types of a bucket (S3 {@code SSEAlgorithm}, spelled as the console does). */
  public static final List<String> ENCRYPTION_TYPES = List.of("NONE", "SSE-S3", "SSE-KMS", "DSSE-KMS");
  /** Encryption types an object can have. */
  public static final List<String> OBJECT_ENCRYPTION_TYPES = List.of("NONE", "SSE-S3", "SSE-KMS", "DSSE-KMS",
      "SSE-C");
  /** Values of {@code BlockedEncryptionTypes} (PutBucketEncryption, 2026). */
  public static final List<String> BLOCKABLE_TYPES = List.of("SSE-C", "NONE");

  public Bucket {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(encryption, "encryption");
    blockedEncryptionTypes = List.copyOf(blockedEncryptionTypes);
    objects = List.copyOf(objects);
    Objects.requireNonNull(source, "source");
  }

  /** {@code arn:aws:s3:::NAME}. */
  public String arn() {
    return "arn:aws:s3:::" + name;
  }

  /** True when objects with this encryption type exist in the bucket (as the world declares). */
  public boolean hasObjects(String type) {
    return objects.contains(type);
  }

  /**
   * Default encryption.
   *
   * @param type NONE, SSE-S3, SSE-KMS or DSSE-KMS
   * @param key for SSE-KMS and DSSE-KMS, the key ARN or alias ARN as written; null means the AWS managed
   *     key {@code aws/s3}
   * @param bucketKey whether S3 Bucket Keys are on (the encryption context is then the bucket ARN)
   */
  public record BucketEncryption(String type, String key, boolean bucketKey, SourceRef source) {
    public BucketEncryption {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(source, "source");
    }

    public boolean usesKms() {
      return type.equals("SSE-KMS") || type.equals("DSSE-KMS");
    }
  }

  /** A replication configuration: the role S3 assumes and the rules. */
  public record Replication(String role, List<ReplicationRule> rules, SourceRef source) {
    public Replication {
      Objects.requireNonNull(role, "role");
      rules = List.copyOf(rules);
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * One replication rule.
   *
   * @param id the rule's id
   * @param sseKmsEncryptedObjects {@code SourceSelectionCriteria/SseKmsEncryptedObjects/Status=Enabled}
   * @param destinationBucket the destination bucket's name
   * @param destinationAccount {@code Destination/Account}, or null (then the destination bucket's owner as
   *     the world declares it)
   * @param replicaKmsKeyId {@code Destination/EncryptionConfiguration/ReplicaKmsKeyID} (key ARN or alias
   *     ARN), or null
   */
  public record ReplicationRule(
      String id,
      boolean sseKmsEncryptedObjects,
      String destinationBucket,
      String destinationAccount,
      String replicaKmsKeyId,
      SourceRef source) {
    public ReplicationRule {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(destinationBucket, "destinationBucket");
      Objects.requireNonNull(source, "source");
    }
  }
}
