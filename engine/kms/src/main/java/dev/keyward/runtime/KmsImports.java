package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.EXPIRED_IMPORT_TOKEN;
import static dev.keyward.runtime.KmsError.INCORRECT_KEY_MATERIAL;
import static dev.keyward.runtime.KmsError.INVALID_CIPHERTEXT;
import static dev.keyward.runtime.KmsError.INVALID_IMPORT_TOKEN;
import static dev.keyward.runtime.KmsError.KMS_INVALID_STATE;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsMaterials.importedState;
import static dev.keyward.runtime.KmsMaterials.mirroredRefs;
import static dev.keyward.runtime.KmsMaterials.tokenHash;
import static dev.keyward.runtime.KmsValidation.requireExternal;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;
import static dev.keyward.runtime.KmsValidation.spec;
import static dev.keyward.runtime.KmsViews.keys;

import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.crypto.AsymmetricKey;
import dev.keyward.runtime.crypto.CiphertextException;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.store.KeyStore;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.runtime.store.StoredKey.MaterialRef;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Imported key material: GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial, and the
 * material kept in step across the replicas of an imported multi-Region key.
 */
final class KmsImports {

  private final KmsState shared;
  private final KmsGate gate;

  KmsImports(KmsState shared, KmsGate gate) {
    this.shared = shared;
    this.gate = gate;
  }

  // imported key material ---------------------------------------------------------------------------------


  static final Set<String> WRAPPING_ALGORITHMS = Set.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256",
      "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256");

  /**
   * GetParametersForImport: a new RSA wrapping key (RSA_2048, RSA_3072 or RSA_4096) and an import token, valid
   * for 24 hours. RSAES_PKCS1_V1_5 is refused as AWS refuses it since 2023.
   */
  Kms.GetParametersForImportResponse getParametersForImport(Caller c, String keyId, String wrappingAlgorithm,
      String wrappingKeySpec) {
    return gate.run(c, "GetParametersForImport", null, call -> {
      if (wrappingAlgorithm == null || !WRAPPING_ALGORITHMS.contains(wrappingAlgorithm)) {
        throw VALIDATION.exception("WrappingAlgorithm `" + wrappingAlgorithm + "` is not supported");
      }
      KeySpec ws = KeySpec.parse(wrappingKeySpec == null ? "" : wrappingKeySpec);
      if (ws == null || ws.family() != KeySpec.Family.RSA) {
        throw VALIDATION.exception("WrappingKeySpec must be RSA_2048, RSA_3072 or RSA_4096");
      }
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:GetParametersForImport", keys("kms:WrappingAlgorithm", wrappingAlgorithm,
          "kms:WrappingKeySpec", ws.name()));
      requireExternal(k);
      requireNotPendingDeletion(k);
      if (k.spec().startsWith("RSA") && wrappingAlgorithm.startsWith("RSAES_OAEP")) {
        throw VALIDATION.exception("RSA private keys must be wrapped with RSA_AES_KEY_WRAP_SHA_1 or"
            + " RSA_AES_KEY_WRAP_SHA_256");
      }
      AsymmetricKey wrapping = AsymmetricKey.generate(ws, shared.newMaterialId(), shared.random);
      byte[] token = shared.randomBytes(64);
      Instant validTo = shared.clock.instant().plus(Duration.ofHours(24));
      for (Map.Entry<String, KmsState.ImportParameters> e : List.copyOf(shared.importTokens.entrySet())) {
        if (e.getValue().validTo().isBefore(shared.clock.instant())) {
          shared.importTokens.remove(e.getKey());
          shared.store.deleteImportToken(e.getKey());
        }
      }
      String hash = tokenHash(token);
      SecretBytes encodedWrapping = wrapping.encoded();
      try {
        shared.store.putImportToken(new KeyStore.ImportToken(hash, k.arn(), wrappingAlgorithm, ws.name(),
            encodedWrapping,            validTo));
      } finally {
        encodedWrapping.wipe();
      }
      shared.importTokens.put(hash, new KmsState.ImportParameters(k.arn(), wrappingAlgorithm, wrapping, validTo));
      return new Kms.GetParametersForImportResponse(k.arn(), token, wrapping.publicKeyDer(), validTo);
    });
  }

  static final Pattern MATERIAL_DESCRIPTION = Pattern.compile(
      "[a-zA-Z0-9:/_\\s.-]{0,256}");

  /**
   * ImportKeyMaterial
   * (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-import-key-material.html). The first
   * material imported becomes current and permanently associated with the key. Afterwards
   * EXISTING_KEY_MATERIAL (the default then) must bring back a material the key already has (deleted or expired,
   * or to change its expiry; IncorrectKeyMaterialException otherwise), and NEW_KEY_MATERIAL adds a material
   * PENDING_ROTATION to a symmetric key, which RotateKeyOnDemand makes current. The key is Enabled when every
   * permanently associated material is present, PendingImport otherwise.
   */
  Kms.KeyMaterialResponse importKeyMaterial(Caller c, Kms.ImportKeyMaterialRequest r) {
    return gate.run(c, "ImportKeyMaterial", null, call -> {
      String model = r.expirationModel() == null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : r.expirationModel();
      Instant now = shared.clock.instant();
      if (model.equals("KEY_MATERIAL_EXPIRES")) {
        if (r.validTo() == null || !r.validTo().isAfter(now) || r.validTo().isAfter(now.plus(Duration.ofDays(365)))) {
          throw VALIDATION.exception("ValidTo must be in the next 365 days with KEY_MATERIAL_EXPIRES");
        }
      } else if (model.equals("KEY_MATERIAL_DOES_NOT_EXPIRE")) {
        if (r.validTo() != null) {
          throw VALIDATION.exception("ValidTo is not allowed with KEY_MATERIAL_DOES_NOT_EXPIRE");
        }
      } else {
        throw VALIDATION.exception("ExpirationModel `" + model + "` is not supported");
      }
      if (r.importToken() == null || r.encryptedKeyMaterial() == null) {
        throw VALIDATION.exception("ImportToken and EncryptedKeyMaterial are required");
      }
      if (r.importType() != null && !r.importType().equals("NEW_KEY_MATERIAL")
          && !r.importType().equals("EXISTING_KEY_MATERIAL")) {
        throw VALIDATION.exception("ImportType must be NEW_KEY_MATERIAL or EXISTING_KEY_MATERIAL, not `"
            + r.importType() + "`");
      }
      if (r.keyMaterialId() != null && "NEW_KEY_MATERIAL".equals(r.importType())) {
        throw VALIDATION.exception("KeyMaterialId cannot be given with ImportType NEW_KEY_MATERIAL");
      }
      if (r.keyMaterialDescription() != null && !MATERIAL_DESCRIPTION.matcher(r.keyMaterialDescription()).matches()) {
        throw VALIDATION.exception("KeyMaterialDescription must be at most 256 of [a-zA-Z0-9:/_ .-]");
      }
      StoredKey k0 = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k0, "kms:ImportKeyMaterial", keys("kms:ExpirationModel", model,
          "kms:ValidTo", r.validTo() == null ? null : Long.toString(r.validTo().getEpochSecond())));
      requireExternal(k0);
      if (!k0.spec().equals("SYMMETRIC_DEFAULT") && (r.importType() != null || r.keyMaterialId() != null
          || r.keyMaterialDescription() != null)) {
        throw VALIDATION.exception("ImportType, KeyMaterialId and KeyMaterialDescription are for symmetric"
            + " encryption keys only; key `" + k0.arn() + "` is " + k0.spec());
      }
      KmsState.ImportParameters p = shared.importTokens.get(tokenHash(r.importToken()));
      if (p == null || !p.keyArn().equals(k0.arn())) {
        throw INVALID_IMPORT_TOKEN.exception("import token is not valid for key `" + k0.arn() + "`");
      }
      if (p.validTo().isBefore(now)) {
        throw EXPIRED_IMPORT_TOKEN.exception("import token expired at " + p.validTo());
      }
      KeyMaterial m;
      try {
        m = dev.keyward.runtime.crypto.ImportUnwrapper.unwrap(p.wrappingKey(), p.wrappingAlgorithm(),
            r.encryptedKeyMaterial(), spec(k0));
      } catch (CiphertextException e) {
        throw INVALID_CIPHERTEXT.exception("encrypted key material does not open under the wrapping key");
      } catch (GeneralSecurityException e) {
        throw INCORRECT_KEY_MATERIAL.exception("imported material does not fit key spec " + k0.spec());
      }
      if (r.keyMaterialId() != null && !r.keyMaterialId().equals(m.id())) {
        throw INCORRECT_KEY_MATERIAL.exception("the imported material is not key material `" + r.keyMaterialId()
            + "`");
      }
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        Instant expires = model.equals("KEY_MATERIAL_EXPIRES") ? r.validTo() : null;
        boolean replica = "REPLICA".equals(k.multiRegionKeyType());
        if (replica) {
          importIntoReplica(k, m, expires, r.importType(), r.keyMaterialDescription());
          shared.forgetImportToken(r.importToken());
          return new Kms.KeyMaterialResponse(k0.arn(), m.id());
        }
        boolean first = k.currentMaterial() == null;
        String type = r.importType() != null ? r.importType() : first ? "NEW_KEY_MATERIAL" : "EXISTING_KEY_MATERIAL";
        List<MaterialRef> ms = new ArrayList<>(k.materials());
        int at = -1;
        for (int i = 0; i < ms.size(); i++) {
          if (ms.get(i).id().equals(m.id())) {
            at = i;
          }
        }
        if (type.equals("EXISTING_KEY_MATERIAL")) {
          if (first) {
            throw INCORRECT_KEY_MATERIAL.exception("key `" + k.arn() + "` has no key material yet: import it with"
                + " ImportType NEW_KEY_MATERIAL (or without ImportType)");
          }
          if (at < 0) {
            throw INCORRECT_KEY_MATERIAL.exception("key `" + k.arn() + "` never had this key material: re-imports"
                + " must bring back a material of the key (ListKeyRotations lists them); new material needs"
                + " ImportType NEW_KEY_MATERIAL");
          }
          MaterialRef old = ms.get(at);
          ms.set(at, old.withImport(true, expires, r.keyMaterialDescription() != null ? r.keyMaterialDescription()
              : old.description()));
        } else if (first) {
          ms.add(new MaterialRef(m.id(), now, null, null, expires, r.keyMaterialDescription(), true));
        } else {
          if (at >= 0) {
            throw INCORRECT_KEY_MATERIAL.exception("key `" + k.arn() + "` already has this key material: re-import it"
                + " with ImportType EXISTING_KEY_MATERIAL");
          }
          if (!k.spec().equals("SYMMETRIC_DEFAULT")) {
            throw INCORRECT_KEY_MATERIAL.exception("key `" + k.arn() + "` is " + k.spec() + ", which keeps the one"
                + " key material first imported");
          }
          if (k.pendingMaterial() != null) {
            throw KMS_INVALID_STATE.exception("key `" + k.arn() + "` already has key material `"
                + k.pendingMaterial().id() + "` pending rotation: rotate (RotateKeyOnDemand) or delete it first");
          }
          // a multi-Region primary waits until every replica has the new material too
          String pending = shared.relatedReplicas(k).isEmpty() ? "PENDING_ROTATION"
              : "PENDING_MULTI_REGION_IMPORT_AND_ROTATION";
          ms.add(new MaterialRef(m.id(), now, null, pending, expires, r.keyMaterialDescription(), true));
        }
        StoredKey updated = k.withMaterials(ms, importedState(k, ms));
        shared.writeKeyWithMaterial(updated, m);
        mirrorToReplicas(updated);
        gate.changed();
        shared.forgetImportToken(r.importToken());
      }
      return new Kms.KeyMaterialResponse(k0.arn(), m.id());
    });
  }

  /**
   * ImportKeyMaterial into a replica of a multi-Region imported key: always a material of its primary (new
   * material goes into the primary first, https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html).
   * Once every replica has the primary's material pending rotation, the primary's is PENDING_ROTATION.
   */
  void importIntoReplica(StoredKey k, KeyMaterial m, Instant expires, String importType,
      String description) {
    if ("NEW_KEY_MATERIAL".equals(importType)) {
      throw VALIDATION.exception("key `" + k.arn() + "` is a multi-Region replica: import new key material into"
          + " its primary key, then the same material into each replica (ImportType EXISTING_KEY_MATERIAL)");
    }
    StoredKey primary = shared.relatedPrimary(k);
    List<MaterialRef> ms = primary == null ? new ArrayList<>(k.materials()) : mirroredRefs(primary, k);
    int at = -1;
    for (int i = 0; i < ms.size(); i++) {
      if (ms.get(i).id().equals(m.id())) {
        at = i;
      }
    }
    if (at < 0) {
      throw INCORRECT_KEY_MATERIAL.exception("key `" + k.arn() + "` is a multi-Region replica, and this is not a"
          + " key material of its primary key");
    }
    MaterialRef old = ms.get(at);
    ms.set(at, old.withImport(true, expires, description != null ? description : old.description()));
    StoredKey updated = k.withMaterials(ms, importedState(k, ms));
    shared.writeKeyWithMaterial(updated, m);
    if (primary != null && primary.pendingMaterial() != null
        && "PENDING_MULTI_REGION_IMPORT_AND_ROTATION".equals(primary.pendingMaterial().pendingState())
        && everyReplicaHas(primary, primary.pendingMaterial().id())) {
      List<MaterialRef> pms = new ArrayList<>(primary.materials());
      MaterialRef pend = pms.get(pms.size() - 1);
      pms.set(pms.size() - 1, new MaterialRef(pend.id(), pend.created(), null, "PENDING_ROTATION", pend.expires(),
          pend.description(), pend.imported()));
      shared.writeKey(primary.withMaterials(pms, primary.state()));
    }
    gate.changed();
  }

  boolean everyReplicaHas(StoredKey primary, String materialId) {
    for (StoredKey r : shared.relatedReplicas(primary)) {
      if (r.materials().stream().noneMatch(x -> x.id().equals(materialId) && x.imported())) {
        return false;
      }
    }
    return true;
  }

  /** Gives the replicas of an imported multi-Region primary the primary's list of materials. */
  void mirrorToReplicas(StoredKey primary) {
    if (!primary.origin().equals("EXTERNAL")) {
      return;
    }
    for (StoredKey r : shared.relatedReplicas(primary)) {
      List<MaterialRef> ms = mirroredRefs(primary, r);
      replaceMaterials(r, r.withMaterials(ms, importedState(r, ms)));
    }
  }

  /** DeleteImportedKeyMaterial of the current material. */
  void deleteImportedKeyMaterial(Caller c, String keyId) {
    deleteImportedKeyMaterial(c, keyId, null);
  }

  /**
   * DeleteImportedKeyMaterial: deletes one imported material (the current one when {@code keyMaterialId} is
   * null). Deleting material permanently associated with the key makes it PendingImport (a PendingDeletion key
   * stays so) until the same material is imported again; material pending rotation is simply gone
   * (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-delete-key-material.html).
   *
   * @return the key ARN and the id of the deleted material
   */
  Kms.KeyMaterialResponse deleteImportedKeyMaterial(Caller c, String keyId, String keyMaterialId) {
    return gate.run(c, "DeleteImportedKeyMaterial", null, call -> {
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:DeleteImportedKeyMaterial", Map.of());
      requireExternal(k0);
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        MaterialRef target = keyMaterialId == null ? k.currentMaterial() : null;
        for (MaterialRef m : k.materials()) {
          if (m.id().equals(keyMaterialId)) {
            target = m;
          }
        }
        if (target == null) {
          throw keyMaterialId == null
              ? KMS_INVALID_STATE.exception("key `" + k.arn() + "` has no imported key material")
              : NOT_FOUND.exception("key `" + k.arn() + "` has no key material `" + keyMaterialId + "`");
        }
        dropImportedMaterial(k, Set.of(target.id()));
        if (target.pending()) {
          // new material deleted from a primary before rotation leaves its replicas too
          mirrorToReplicas(shared.fresh(k));
        }
        return new Kms.KeyMaterialResponse(k.arn(), target.id());
      }
    });
  }

  /**
   * Drops imported materials (deleted or expired): one pending rotation goes entirely, one the key keeps loses
   * its bytes and is marked not imported.
   */
  void dropImportedMaterial(StoredKey k, Set<String> ids) {
    List<MaterialRef> ms = new ArrayList<>();
    for (MaterialRef m : k.materials()) {
      if (!ids.contains(m.id())) {
        ms.add(m);
      } else if (!m.pending()) {
        ms.add(m.withImport(false, null, m.description()));
      }
    }
    replaceMaterials(k, k.withMaterials(ms, importedState(k, ms)));
    gate.changed();
    shared.recomputeDue();
  }

  /**
   * Writes a key whose list of materials changed: rows and bytes of materials no longer imported or no longer
   * listed are dropped, in the store and in memory.
   */
  void replaceMaterials(StoredKey old, StoredKey updated) {
    shared.store.putKeyDroppingMaterials(updated);
    for (MaterialRef m : old.materials()) {
      boolean kept = updated.materials().stream().anyMatch(x -> x.id().equals(m.id()) && x.imported());
      if (!kept) {
        shared.materials.remove(new KmsState.MaterialKey(old.arn(), m.id()));
      }
    }
    shared.putKeyInMemory(updated);
  }
}
