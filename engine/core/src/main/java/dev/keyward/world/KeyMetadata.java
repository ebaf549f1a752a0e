package dev.keyward.world;

import java.util.List;
import java.util.Map;

/**
 * A key's configuration as the world file declares it. Field names and values follow AWS's own
 * (KeyManager, Origin, KeySpec, KeyUsage, KeyState).
 *
 * @param manager CUSTOMER, AWS or AWS_OWNED
 * @param origin AWS_KMS or EXTERNAL
 * @param spec a KMS KeySpec, e.g. SYMMETRIC_DEFAULT
 * @param usage a KMS KeyUsage, e.g. ENCRYPT_DECRYPT
 * @param state a KMS KeyState, e.g. Enabled
 * @param aliases alias names such as {@code alias/finance}
 * @param rotationEnabled whether automatic rotation is on, or null when not declared
 * @param rotationPeriodDays the rotation period, or null when not declared
 * @param multiRegionRole PRIMARY, REPLICA, or null for a single-Region key
 * @param primaryArn for a replica, its primary key's ARN; otherwise null
 * @param requiredRegions for a multi-Region primary, the Regions in which a workload needs a related
 *     key (the primary's or a replica's Region); empty when not declared
 * @param tags the key's tags, the values of {@code aws:ResourceTag/<k>}; null when the world does not state
 *     them (then a request may give those keys), empty when it states none
 */
public record KeyMetadata(
    String manager,
    String origin,
    String spec,
    String usage,
    String state,
    List<String> aliases,
    Boolean rotationEnabled,
    Integer rotationPeriodDays,
    String multiRegionRole,
    String primaryArn,
    List<String> requiredRegions,
    Map<String, String> tags) {

  public KeyMetadata {
    aliases = List.copyOf(aliases);
    requiredRegions = List.copyOf(requiredRegions);
    tags = tags == null ? null : Map.copyOf(tags);
  }

  /** Metadata whose tags are not stated (requests may then give {@code aws:ResourceTag/*} keys). */
  public KeyMetadata(String manager, String origin, String spec, String usage, String state,
      List<String> aliases, Boolean rotationEnabled, Integer rotationPeriodDays, String multiRegionRole,
      String primaryArn, List<String> requiredRegions) {
    this(manager, origin, spec, usage, state, aliases, rotationEnabled, rotationPeriodDays, multiRegionRole,
        primaryArn, requiredRegions, null);
  }

  /** Metadata without required Regions (the shape before {@code check} added them). */
  public KeyMetadata(String manager, String origin, String spec, String usage, String state,
      List<String> aliases, Boolean rotationEnabled, Integer rotationPeriodDays, String multiRegionRole,
      String primaryArn) {
    this(manager, origin, spec, usage, state, aliases, rotationEnabled, rotationPeriodDays, multiRegionRole,
        primaryArn, List.of());
  }

  /** True for a key that AWS manages or owns (aws/s3, aws/ebs, ...): its policy cannot be changed. */
  public boolean awsManaged() {
    return !"CUSTOMER".equals(manager);
  }

  /** A customer managed, enabled symmetric encryption key: what a world declares when it says nothing. */
  public static KeyMetadata defaults() {
    return new KeyMetadata("CUSTOMER", "AWS_KMS", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "Enabled",
        List.of(), null, null, null, null);
  }
}
