package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.KMS_INVALID_STATE;
import static dev.keyward.runtime.KmsError.LIMIT_EXCEEDED;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsMaterials.expired;
import static dev.keyward.runtime.KmsMaterials.importedState;
import static dev.keyward.runtime.KmsMaterials.mirroredRefs;
import static dev.keyward.runtime.KmsValidation.automaticallyRotatable;
import static dev.keyward.runtime.KmsValidation.notReplica;
import static dev.keyward.runtime.KmsValidation.requireEnabled;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;
import static dev.keyward.runtime.KmsValidation.rotatable;
import static dev.keyward.runtime.KmsValidation.spec;
import static dev.keyward.runtime.KmsViews.keys;

import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.KeyRotationStatus;
import dev.keyward.runtime.Kms.RotationsListEntry;
import dev.keyward.runtime.Kms.ScheduleKeyDeletionResponse;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.store.StoredGrant;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.runtime.store.StoredKey.MaterialRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rotation and deletion scheduler: automatic rotations, deletions and material expiries as they fall
 * due, and the operations that set them (ScheduleKeyDeletion, CancelKeyDeletion, key rotation).
 */
final class KmsScheduler {

  private final KmsState shared;
  private final KmsGate gate;
  private final KmsImports importOps;
  private final KmsKeys keyOps;

  KmsScheduler(KmsState shared, KmsGate gate, KmsImports importOps, KmsKeys keyOps) {
    this.shared = shared;
    this.gate = gate;
    this.importOps = importOps;
    this.keyOps = keyOps;
  }

  /** Runs due automatic rotations and deletions; called at the start of every call, cheap when none is due. */
  void tick() {
    if (shared.clock.millis() < shared.nextDueMillis) {
      return;
    }
    synchronized (shared.lock) {
      Instant now = shared.clock.instant();
      boolean authChanged = false;
      for (StoredKey k : List.copyOf(shared.keys.values())) {
        if (k.state().equals("PendingDeletion") && k.deletionDate() != null && !k.deletionDate().isAfter(now)) {
          deleteNow(k);
          authChanged = true;
          releasePrimaryAfterReplica(k, now);
        } else if (k.materialExpires() != null && !k.materialExpires().isAfter(now)) {
          importOps.dropImportedMaterial(k, expired(k, now));
        } else if (k.rotationEnabled() && k.state().equals("Enabled") && k.nextRotation() != null
            && !k.nextRotation().isAfter(now)) {
          rotate(k, "AUTOMATIC", now.plus(Duration.ofDays(k.rotationPeriodDays())), k.onDemandRotations());
        }
      }
      if (authChanged) {
        gate.changed();
      }
      shared.recomputeDue();
    }
  }

  /** The ARNs of every key the runtime holds, in every account and Region, sorted. */
  List<String> keyArns() {
    synchronized (shared.lock) {
      List<String> out = new ArrayList<>(shared.keys.keySet());
      java.util.Collections.sort(out);
      return out;
    }
  }

  /**
   * Removes a key at once, with its aliases, grants and material, as if its deletion had fallen due: for test
   * fixtures that clean up after a test, not a KMS operation (no authorization, no waiting period).
   *
   * @return whether the key existed
   */
  boolean purgeKey(String keyArn) {
    synchronized (shared.lock) {
      StoredKey k = shared.keys.get(keyArn);
      if (k == null) {
        return false;
      }
      deleteNow(k);
      releasePrimaryAfterReplica(k, shared.clock.instant());
      gate.changed();
      shared.recomputeDue();
      return true;
    }
  }

  void deleteNow(StoredKey k) {
    shared.store.deleteKey(k.arn());
    shared.keys.remove(k.arn());
    shared.policies.remove(k.arn());
    shared.arnsByKeyId.computeIfPresent(k.keyId(), (id, l) -> {
      List<String> out = new ArrayList<>(l);
      out.remove(k.arn());
      return out.isEmpty() ? null : List.copyOf(out);
    });
    for (MaterialRef m : k.materials()) {
      shared.materials.remove(new KmsState.MaterialKey(k.arn(), m.id()));
    }
    shared.aliases.values().removeIf(a -> a.targetKeyArn().equals(k.arn()));
    for (StoredGrant g : List.copyOf(shared.grants.values())) {
      if (g.keyArn().equals(k.arn())) {
        shared.grants.remove(g.grantId());
        shared.grantsByToken.remove(g.token());
      }
    }
  }

  StoredKey rotate(StoredKey k, String type, Instant next, int onDemand) {
    String id = shared.newMaterialId();
    KeyMaterial m = KeyMaterial.generate(spec(k), id, shared.random);
    StoredKey updated = k.withMaterial(new MaterialRef(id, shared.clock.instant(), type), next, onDemand);
    shared.writeKeyWithMaterial(updated, m);
    syncReplicas(updated);
    return updated;
  }

  /**
   * Gives the replicas of a multi-Region primary what AWS shares: its materials and its rotation settings
   * (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html).
   */
  void syncReplicas(StoredKey primary) {
    if (!"PRIMARY".equals(primary.multiRegionKeyType()) || primary.origin().equals("EXTERNAL")) {
      // NOTE: replicas of imported keys get their material by their own ImportKeyMaterial, as in AWS
      return;
    }
    for (StoredKey r : shared.relatedReplicas(primary)) {
      String arn = r.arn();
      Map<String, SecretBytes> added = new HashMap<>();
      for (MaterialRef m : primary.materials()) {
        if (!shared.materials.containsKey(new KmsState.MaterialKey(arn, m.id()))) {
          added.put(m.id(), shared.materials.get(new KmsState.MaterialKey(primary.arn(), m.id())).encoded());
        }
      }
      StoredKey updated = r.withMaterials(primary.materials(), r.state(), r.materialExpires())
          .withRotation(primary.rotationEnabled(), primary.rotationPeriodDays(), null);
      shared.store.putKey(updated, added);
      for (Map.Entry<String, SecretBytes> e : added.entrySet()) {
        shared.materials.put(new KmsState.MaterialKey(arn, e.getKey()),
            shared.materials.get(new KmsState.MaterialKey(primary.arn(), e.getKey())));
        e.getValue().wipe();
      }
      shared.putKeyInMemory(updated);
    }
  }

  ScheduleKeyDeletionResponse scheduleKeyDeletion(Caller c, String keyId, Integer pendingWindowInDays) {
    return gate.run(c, "ScheduleKeyDeletion", null, call -> {
      int days = pendingWindowInDays == null ? 30 : pendingWindowInDays;
      if (days < 7 || days > 30) {
        throw VALIDATION.exception("PendingWindowInDays must be 7 to 30, not " + days);
      }
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:ScheduleKeyDeletion",
          keys("kms:ScheduleKeyDeletionPendingWindowInDays", Integer.toString(days)));
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        if (k.state().equals("PendingReplicaDeletion")) {
          throw KMS_INVALID_STATE.exception("key `" + k.arn() + "` is pending replica deletion");
        }
        if ("PRIMARY".equals(k.multiRegionKeyType()) && !keyOps.replicasOf(k).isEmpty()) {
          // AWS: the primary waits in PendingReplicaDeletion until its last replica is deleted, then its own
          // waiting period starts (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-delete.html)
          shared.writeKey(k.withState("PendingReplicaDeletion", null, days));
          gate.changed();
          return new ScheduleKeyDeletionResponse(k.arn(), null, "PendingReplicaDeletion", days);
        }
        Instant when = shared.clock.instant().plus(Duration.ofDays(days));
        shared.writeKey(k.withState("PendingDeletion", when, days));
        gate.changed();
        shared.recomputeDue();
        return new ScheduleKeyDeletionResponse(k.arn(), when, "PendingDeletion", days);
      }
    });
  }

  /** CancelKeyDeletion: the key comes back Disabled, as in AWS. */
  String cancelKeyDeletion(Caller c, String keyId) {
    return gate.run(c, "CancelKeyDeletion", null, call -> {
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:CancelKeyDeletion", Map.of());
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        if (!k.state().equals("PendingDeletion") && !k.state().equals("PendingReplicaDeletion")) {
          throw KMS_INVALID_STATE.exception("key `" + k.arn() + "` is not pending deletion");
        }
        shared.writeKey(k.withState(k.allMaterialImported() ? "Disabled" : "PendingImport", null, null));
        gate.changed();
        shared.recomputeDue();
        return k.arn();
      }
    });
  }

  // rotation --------------------------------------------------------------------------------------------

  void enableKeyRotation(Caller c, String keyId, Integer rotationPeriodInDays) {
    gate.run(c, "EnableKeyRotation", null, call -> {
      int days = rotationPeriodInDays == null ? 365 : rotationPeriodInDays;
      if (days < 90 || days > 2560) {
        throw VALIDATION.exception("RotationPeriodInDays must be 90 to 2560, not " + days);
      }
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:EnableKeyRotation", keys("kms:RotationPeriodInDays", Integer.toString(days)));
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        automaticallyRotatable(k);
        notReplica(k);
        requireEnabled(k);
        Instant from = k.rotationEnabled() ? k.currentMaterial().created() : shared.clock.instant();
        shared.writeKey(k.withRotation(true, days, from.plus(Duration.ofDays(days))));
        syncReplicas(shared.fresh(k));
        shared.recomputeDue();
      }
      return null;
    });
  }

  void disableKeyRotation(Caller c, String keyId) {
    gate.run(c, "DisableKeyRotation", null, call -> {
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:DisableKeyRotation", Map.of());
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        automaticallyRotatable(k);
        notReplica(k);
        requireEnabled(k);
        shared.writeKey(k.withRotation(false, k.rotationPeriodDays(), null));
        syncReplicas(shared.fresh(k));
        shared.recomputeDue();
      }
      return null;
    });
  }

  KeyRotationStatus getKeyRotationStatus(Caller c, String keyId) {
    return gate.run(c, "GetKeyRotationStatus", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:GetKeyRotationStatus", Map.of());
      return new KeyRotationStatus(k.arn(), k.rotationEnabled(),
          k.rotationEnabled() ? k.rotationPeriodDays() : null, k.nextRotation());
    });
  }

  /** RotateKeyOnDemand: a new current material now; the automatic schedule is unchanged. */
  String rotateKeyOnDemand(Caller c, String keyId) {
    return gate.run(c, "RotateKeyOnDemand", null, call -> {
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:RotateKeyOnDemand", Map.of());
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        rotatable(k);
        notReplica(k);
        requireEnabled(k);
        if (k.onDemandRotations() >= KmsRuntime.MAX_ON_DEMAND_ROTATIONS) {
          throw LIMIT_EXCEEDED.exception("key `" + k.arn() + "` was rotated on demand "
              + KmsRuntime.MAX_ON_DEMAND_ROTATIONS + " times, the most AWS allows");
        }
        if (k.origin().equals("EXTERNAL")) {
          rotateToImported(k);
        } else {
          rotate(k, "ON_DEMAND", k.nextRotation(), k.onDemandRotations() + 1);
        }
        return k.arn();
      }
    });
  }

  /**
   * On-demand rotation of an imported key: the material imported with NEW_KEY_MATERIAL becomes current and
   * permanently associated; the old one stays for decryption
   * (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-import-key-material.html). It counts
   * toward the same on-demand limit as other keys (the quota page names no other).
   */
  void rotateToImported(StoredKey k) {
    MaterialRef pending = k.pendingMaterial();
    if (pending == null) {
      throw KMS_INVALID_STATE.exception("key `" + k.arn() + "` has imported key material and none pending"
          + " rotation: import the new material first (ImportKeyMaterial with ImportType NEW_KEY_MATERIAL)");
    }
    if (!"PENDING_ROTATION".equals(pending.pendingState())) {
      throw KMS_INVALID_STATE.exception("multi-Region key `" + k.arn() + "` has new key material `" + pending.id()
          + "` that not every replica has yet: import it into each replica (ImportType EXISTING_KEY_MATERIAL)");
    }
    Instant now = shared.clock.instant();
    List<MaterialRef> ms = new ArrayList<>(k.materials());
    ms.set(ms.size() - 1, new MaterialRef(pending.id(), now, "ON_DEMAND", null, pending.expires(),
        pending.description(), true));
    StoredKey updated = k.withMaterials(ms, k.state()).withOnDemandRotations(k.onDemandRotations() + 1);
    shared.writeKey(updated);
    for (StoredKey r : shared.relatedReplicas(k)) {
      // the replicas rotate with their primary
      List<MaterialRef> rms = new ArrayList<>(mirroredRefs(updated, r));
      for (int i = 0; i < rms.size(); i++) {
        MaterialRef x = rms.get(i);
        if (x.id().equals(pending.id())) {
          rms.set(i, new MaterialRef(x.id(), now, "ON_DEMAND", null, x.expires(), x.description(), x.imported()));
        }
      }
      shared.writeKey(r.withMaterials(rms, importedState(r, rms)).withOnDemandRotations(k.onDemandRotations() + 1));
    }
    gate.changed();
  }

  /**
   * ListKeyRotations, oldest first: every rotation of a key whose material KMS made (not its first material);
   * every material of an imported key, with its import state, expiry and description, including the first one
   * and one pending rotation, since their ids are what re-imports and deletions name
   * (https://docs.aws.amazon.com/kms/latest/APIReference/API_RotationsListEntry.html).
   */
  List<RotationsListEntry> listKeyRotations(Caller c, String keyId) {
    return gate.run(c, "ListKeyRotations", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:ListKeyRotations", Map.of());
      rotatable(k);
      List<RotationsListEntry> out = new ArrayList<>();
      MaterialRef currentRef = k.currentMaterial();
      String current = currentRef == null ? null : currentRef.id();
      boolean external = k.origin().equals("EXTERNAL");
      for (MaterialRef m : k.materials()) {
        String state = m.pending() ? m.pendingState() : m.id().equals(current) ? "CURRENT" : "NON_CURRENT";
        if (external) {
          out.add(new RotationsListEntry(k.arn(), m.id(), m.rotationType() == null ? null : m.created(),
              m.rotationType(), state, m.imported() ? "IMPORTED" : "PENDING_IMPORT",
              m.expires() == null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES", m.expires(),
              m.description()));
        } else if (m.rotationType() != null) {
          out.add(new RotationsListEntry(k.arn(), m.id(), m.created(), m.rotationType(), state));
        }
      }
      return out;
    });
  }

  /** After a replica went, a primary in PendingReplicaDeletion with no replica left starts its own wait. */
  void releasePrimaryAfterReplica(StoredKey deleted, Instant now) {
    if (!"REPLICA".equals(deleted.multiRegionKeyType())) {
      return;
    }
    for (StoredKey p : shared.related(deleted, "PRIMARY")) {
      if (p.state().equals("PendingReplicaDeletion") && keyOps.replicasOf(p).isEmpty()) {
        int days = p.pendingWindowDays() == null ? 30 : p.pendingWindowDays();
        shared.writeKey(p.withState("PendingDeletion", now.plus(Duration.ofDays(days)), days));
      }
    }
  }
}
