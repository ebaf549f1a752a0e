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
 * @param materials every material of the key, oldest first; the last permanently associated one is current,
 *     and an imported key may end with one material pending rotation
 * @param onDemandRotations how many RotateKeyOnDemand calls succeeded
 * @param materialExpires when the next imported material expires (the earliest {@link MaterialRef#expires} of
 *     the imported materials), or null
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

  /**
   * One material version.
   *
   * @param id the material id (KeyMaterialId)
   * @param created when it was made, imported, or became current by rotation
   * @param rotationType null for the key's first material and for one pending rotation, else AUTOMATIC or
   *     ON_DEMAND
   * @param pendingState null for material permanently associated with the key; PENDING_ROTATION for imported
   *     material waiting for RotateKeyOnDemand
   * @param expires when this imported material expires, or null
   * @param description the KeyMaterialDescription of imported material, or null
   * @param imported false when imported material was deleted or expired (the key keeps its id and needs the
   *     same material again); true for all other material
   */
  public record MaterialRef(String id, Instant created, String rotationType, String pendingState, Instant expires,
      String description, boolean imported) {
    public MaterialRef {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(created, "created");
    }

    /** Material that KMS made (or imported material permanently associated, never expiring). */
    public MaterialRef(String id, Instant created, String rotationType) {
      this(id, created, rotationType, null, null, null, true);
    }

    public boolean pending() {
      return pendingState != null;
    }

    public MaterialRef withImport(boolean nowImported, Instant newExpires, String newDescription) {
      return new MaterialRef(id, created, rotationType, pendingState, newExpires, newDescription, nowImported);
    }
  }

  /** The current material, or null when the key has none (an imported key waiting for its first material). */
  public MaterialRef currentMaterial() {
    for (int i = materials.size() - 1; i >= 0; i--) {
      if (!materials.get(i).pending()) {
        return materials.get(i);
      }
    }
    return null;
  }

  /** The imported material waiting for RotateKeyOnDemand, or null. */
  public MaterialRef pendingMaterial() {
    return materials.isEmpty() || !materials.get(materials.size() - 1).pending() ? null
        : materials.get(materials.size() - 1);
  }

  /** Whether every permanently associated material is present (an EXTERNAL key lacking one is PendingImport). */
  public boolean allMaterialImported() {
    for (MaterialRef m : materials) {
      if (!m.pending() && !m.imported()) {
        return false;
      }
    }
    return currentMaterial() != null;
  }

  /** The earliest expiry among imported materials, or null. */
  public static Instant earliestExpiry(List<MaterialRef> ms) {
    Instant out = null;
    for (MaterialRef m : ms) {
      if (m.imported() && m.expires() != null && (out == null || m.expires().isBefore(out))) {
        out = m.expires();
      }
    }
    return out;
  }

  /** The key with other materials and state; the expiry follows the materials. */
  public StoredKey withMaterials(List<MaterialRef> newMaterials, String newState) {
    return withMaterials(newMaterials, newState, earliestExpiry(newMaterials));
  }

  public StoredKey withOnDemandRotations(int count) {
    return new StoredKey(arn, keyId, account, region, spec, usage, origin, multiRegion, description, state,
        created, deletionDate, pendingWindowDays, rotationEnabled, rotationPeriodDays, nextRotation, policy,
        policyName, tags, materials, count, materialExpires, multiRegionKeyType);
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
