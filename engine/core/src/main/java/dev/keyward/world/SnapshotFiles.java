package dev.keyward.world;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a snapshot folder, relative to it. Per-Region files live under {@code regions/REGION/}. A
 * file holding one call per resource is a JSON object whose fields are the resource ids (key id, bucket
 * name, image id, parent id, policy id), each holding what the AWS CLI prints for that resource's call.
 */
public final class SnapshotFiles {

  public static final String CALLER = "sts/get-caller-identity.json";
  public static final String IAM = "iam/get-account-authorization-details.json";
  public static final String ORG = "organizations/describe-organization.json";
  public static final String ORG_ROOTS = "organizations/list-roots.json";
  public static final String ORG_UNITS = "organizations/list-organizational-units-for-parent.json";
  public static final String ORG_ACCOUNTS = "organizations/list-accounts-for-parent.json";
  public static final String ORG_POLICIES = "organizations/list-policies.json";
  public static final String ORG_POLICY = "organizations/describe-policy.json";
  public static final String ORG_TARGETS = "organizations/list-targets-for-policy.json";
  public static final String BUCKETS = "s3/list-buckets.json";
  public static final String BUCKET_LOCATION = "s3/get-bucket-location.json";
  public static final String BUCKET_ENCRYPTION = "s3/get-bucket-encryption.json";
  public static final String BUCKET_POLICY = "s3/get-bucket-policy.json";
  public static final String BUCKET_REPLICATION = "s3/get-bucket-replication.json";
  public static final String REGIONS = "regions";
  public static final String KEYS = "kms/list-keys.json";
  public static final String ALIASES = "kms/list-aliases.json";
  public static final String DESCRIBE_KEY = "kms/describe-key.json";
  public static final String KEY_POLICY = "kms/get-key-policy.json";
  public static final String GRANTS = "kms/list-grants.json";
  public static final String ROTATION = "kms/get-key-rotation-status.json";
  public static final String KEY_TAGS = "kms/list-resource-tags.json";
  public static final String IMAGES = "ec2/describe-images.json";
  public static final String IMAGE_ATTRIBUTE = "ec2/describe-image-attribute.json";
  public static final String SNAPSHOTS = "ec2/describe-snapshots.json";
  /** Keyward's own record of the calls AWS refused; absent from a folder the AWS CLI wrote. */
  public static final String GAPS = "keyward-gaps.json";

  /** Every file a snapshot may hold outside its Regions' folders. */
  public static final List<String> TOP_LEVEL = List.of(CALLER, IAM, ORG, ORG_ROOTS, ORG_UNITS, ORG_ACCOUNTS,
      ORG_POLICIES, ORG_POLICY, ORG_TARGETS, BUCKETS, BUCKET_LOCATION, BUCKET_ENCRYPTION, BUCKET_POLICY,
      BUCKET_REPLICATION, GAPS);
  /** Every file a Region's folder may hold. */
  public static final List<String> REGIONAL = List.of(KEYS, ALIASES, DESCRIBE_KEY, KEY_POLICY, GRANTS, ROTATION,
      KEY_TAGS, IMAGES, IMAGE_ATTRIBUTE, SNAPSHOTS);

  private SnapshotFiles() {}

  /** True when {@code dir} is a folder holding a snapshot (its caller identity file). */
  public static boolean isSnapshot(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(CALLER));
  }
}
