package dev.keyward.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A key's state as the store keeps it (everything but its material). Immutable: a change is a new record.
 *
 * @param arn the key ARN (the row's identity; a multi-Region replica has its own ARN and the same key id)
 * @param keyId the key id (UUID, or {@code mrk-} and 32 hex digits)
 * @param spec a KeySpec name
 * @param usage a KeyUsage name
 * @param origin AWS_KMS (EXTERNAL is not implemented)
 * @param state Enabled, Disabled or PendingDeletion
 * @param deletionDate when a PendingDeletion key goes, else null
 * @param pendingWindowDays the deletion waiting period, else null
 * @param rotationPeriodDays the automatic rotation period (365 when never set)
 * @param nextRotation when automatic rotation is next due, or null when it is off
 * @param policy the key policy text as given (GetKeyPolicy returns it unchanged)
 * @param policyName how decisions name the policy (the world's file name for seeded keys)
 * @param materials every material of the key, oldest first; the last is current
 * @param onDemandRotations how many RotateKeyOnDemand calls succeeded
 * @param materialExpires when imported material expires (then the key goes back to PendingImport), or null
 * @param multiRegionKeyType PRIMARY or REPLICA for a multi-Region key, else null
 */
public record StoredKey(
    String arn,
    String keyId,
    String account,
    String region,
    String spec,
    String usage,
    String origin,
    boolean multiRegion,
    String description,
    String state,
    Instant created,
    Instant deletionDate,
    Integer pendingWindowDays,
    boolean rotationEnabled,
    int rotationPeriodDays,
    Instant nextRotation,
    String policy,
    String policyName,
    Map<String, String> tags,
    List<MaterialRef> materials,
    int onDemandRotations,
    Instant materialExpires,
    String multiRegionKeyType) {

  public StoredKey {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(policyName, "policyName");
    description = description == null ? "" : description;
    tags = Map.copyOf(tags);
    materials = List.copyOf(materials);
  }

  /** One material version: its id, when it was made, and how (null for the key's first material). */
  public record MaterialRef(String id, Instant created, String rotationType) {
    public MaterialRef {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(created, "created");
    }
  }

  /** The current material, or null when the key has none (an imported key waiting for its material). */
  public MaterialRef currentMaterial() {
    return materials.isEmpty() ? null : materials.get(materials.size() - 1);
  }

  /** The key with other materials (import, deletion of imported material), state and expiry. */
  public StoredKey withMaterials(List<MaterialRef> newMaterials, String newState, Instant expires) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, newState,
        created, deletionDate, pendingWindowDays, rotationEnabled, rotationPeriodDays, nextRotation, policy,
        policyName, tags, newMaterials, onDemandRotations, expires, multiRegionKeyType);
  }

  public StoredKey withMultiRegionKeyType(String type) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, state,
        created, deletionDate, pendingWindowDays, rotationEnabled, rotationPeriodDays, nextRotation, policy,
        policyName, tags, materials, onDemandRotations, materialExpires, type);
  }

  public StoredKey withState(String newState, Instant newDeletionDate, Integer newWindow) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, newState,
        created, newDeletionDate, newWindow, rotationEnabled, rotationPeriodDays, nextRotation, policy, policyName,
        tags, materials, onDemandRotations, materialExpires, multiRegionKeyType);
  }

  public StoredKey withPolicy(String newPolicy) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, state,
        created, deletionDate, pendingWindowDays, rotationEnabled, rotationPeriodDays, nextRotation, newPolicy,
        policyName, tags, materials, onDemandRotations, materialExpires,
        multiRegionKeyType);
  }

  public StoredKey withDescription(String newDescription) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, newDescription, state,
        created, deletionDate, pendingWindowDays, rotationEnabled, rotationPeriodDays, nextRotation, policy,
        policyName, tags, materials, onDemandRotations, materialExpires,
        multiRegionKeyType);
  }

  public StoredKey withTags(Map<String, String> newTags) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, state,
        created, deletionDate, pendingWindowDays, rotationEnabled, rotationPeriodDays, nextRotation, policy,
        policyName, newTags, materials, onDemandRotations, materialExpires,
        multiRegionKeyType);
  }

  public StoredKey withRotation(boolean enabled, int periodDays, Instant next) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, state,
        created, deletionDate, pendingWindowDays, enabled, periodDays, next, policy, policyName, tags, materials,
        onDemandRotations, materialExpires, multiRegionKeyType);
  }

  public StoredKey withMaterial(MaterialRef added, Instant next, int onDemand) {
    List<MaterialRef> ms = new java.util.ArrayList<>(materials);
    ms.add(added);
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, state,
        created, deletionDate, pendingWindowDays, rotationEnabled, rotationPeriodDays, next, policy, policyName,
        tags, ms, onDemand, materialExpires, multiRegionKeyType);
  }
}
