package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * An S3 general purpose bucket of the world: where it lives, how it encrypts, which encryption types it
 * blocks and holds, its bucket policy and its replication configuration.
 *
 * @param name the bucket name
 * @param account the owning account
 * @param region the bucket's Region
 * @param encryption the default encryption, or null when the world does not say
 * @param blockedEncryptionTypes the {@code BlockedEncryptionTypes} of the bucket, e.g. {@code SSE-C}
 * @param objects the encryption types present among the bucket's objects ({@code NONE} for unencrypted)
 * @param policy the bucket policy, or null when the bucket has none
 * @param replication the replication configuration, or null
 */
public record Bucket(
    String name,
    String account,
    String region,
    Encryption encryption,
    List<String> blockedEncryptionTypes,
    List<String> objects,
    PolicyDocument policy,
    Replication replication,
    SourceRef source) {

  /** The encryption types a bucket's default encryption may have. */
  public static final List<String> ENCRYPTION_TYPES = List.of("NONE", "SSE-S3", "SSE-KMS", "DSSE-KMS");
  /** The encryption types objects may carry. */
  public static final List<String> OBJECT_ENCRYPTION_TYPES = List.of("NONE", "SSE-S3", "SSE-KMS", "DSSE-KMS",
      "SSE-C");
  /** The values of {@code BlockedEncryptionTypes} (PutBucketEncryption). */
  public static final List<String> BLOCKABLE_ENCRYPTION_TYPES = List.of("SSE-C", "NONE");

  public Bucket {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    blockedEncryptionTypes = List.copyOf(blockedEncryptionTypes);
    objects = List.copyOf(objects);
    Objects.requireNonNull(source, "source");
  }

  /** The ARN of the bucket, {@code arn:aws:s3:::NAME}. */
  public String arn() {
    return "arn:aws:s3:::" + name;
  }

  /**
   * A bucket's default encryption.
   *
   * @param type NONE, SSE-S3, SSE-KMS or DSSE-KMS
   * @param key for SSE-KMS and DSSE-KMS, the key ARN or alias ARN as written; otherwise null
   * @param bucketKey whether an S3 Bucket Key is enabled, or null when not declared
   */
  public record Encryption(String type, String key, Boolean bucketKey, SourceRef source) {
    public Encryption {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(source, "source");
    }
  }

  /** A replication configuration: the role S3 assumes and the rules. */
  public record Replication(String role, List<ReplicationRule> rules, SourceRef source) {
    public Replication {
      rules = List.copyOf(rules);
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * One replication rule.
   *
   * @param id the rule id ("" when none)
   * @param sseKmsEncryptedObjects whether {@code SourceSelectionCriteria/SseKmsEncryptedObjects} is enabled
   * @param destinationBucket the destination bucket's name
   * @param destinationAccount the destination bucket's account, or null when not declared
   * @param replicaKmsKeyId {@code EncryptionConfiguration/ReplicaKmsKeyID} (key ARN or alias ARN), or null
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
      Objects.requireNonNull(source, "source");
    }
  }
}
