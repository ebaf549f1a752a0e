package dev.keyward.analysis;

import dev.keyward.world.Bucket;
import dev.keyward.world.Image;

/** Readings of the world's bucket and image records that the analyses share. */
final class BucketFacts {

  private BucketFacts() {}

  /** The default encryption type, {@code NONE} when the world does not say. */
  static String type(Bucket b) {
    return b.encryption() == null ? "NONE" : b.encryption().type();
  }

  /** True for SSE-KMS and DSSE-KMS default encryption. */
  static boolean usesKms(Bucket b) {
    String t = type(b);
    return t.equals("SSE-KMS") || t.equals("DSSE-KMS");
  }

  /** The default encryption's key as written (key ARN or alias ARN), or null (aws/s3 for SSE-KMS). */
  static String key(Bucket b) {
    return b.encryption() == null ? null : b.encryption().key();
  }

  /** Whether an S3 Bucket Key is on (the encryption context is then the bucket ARN). */
  static boolean bucketKey(Bucket b) {
    return b.encryption() != null && Boolean.TRUE.equals(b.encryption().bucketKey());
  }

  /** True when the world declares objects with this encryption type in the bucket. */
  static boolean hasObjects(Bucket b, String type) {
    return b.objects().contains(type);
  }

  /** True when at least one snapshot of the image is encrypted. */
  static boolean encrypted(Image image) {
    for (Image.Snapshot s : image.snapshots()) {
      if (s.key() != null) {
        return true;
      }
    }
    return false;
  }
}
