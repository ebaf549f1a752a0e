package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.KMS_INVALID_STATE;
import static dev.keyward.runtime.KmsError.UNSUPPORTED_OPERATION;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsMaterials.currentExpires;
import static dev.keyward.runtime.KmsValidation.checkTags;
import static dev.keyward.runtime.KmsValidation.keySpec;
import static dev.keyward.runtime.KmsValidation.keyUsage;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;
import static dev.keyward.runtime.KmsValidation.spec;
import static dev.keyward.runtime.KmsViews.keys;
import static dev.keyward.runtime.KmsViews.requestTags;

import dev.keyward.parse.ParseResult;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.CreateKeyRequest;
import dev.keyward.runtime.Kms.KeyListEntry;
import dev.keyward.runtime.Kms.KeyMetadata;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.KeyUsage;
import dev.keyward.runtime.crypto.MacAlgorithm;
import dev.keyward.runtime.crypto.SigningAlgorithm;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.runtime.store.StoredKey.MaterialRef;
import dev.keyward.world.DefaultKeyPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Key management: CreateKey, DescribeKey, ListKeys, GetKeyLastUsage, enabling and disabling, descriptions
 * and tags.
 */
final class KmsKeys {

  private final KmsState shared;
  private final KmsGate gate;
  private final KmsPolicies policyOps;

  KmsKeys(KmsState shared, KmsGate gate, KmsPolicies policyOps) {
    this.shared = shared;
    this.gate = gate;
    this.policyOps = policyOps;
  }

  KeyMetadata createKey(Caller c, CreateKeyRequest r) {
    return gate.run(c, "CreateKey", null, call -> {
      KeySpec spec = keySpec(r.keySpec());
      KeyUsage usage = keyUsage(spec, r.keyUsage());
      String origin = r.origin() == null ? "AWS_KMS" : r.origin();
      if (!origin.equals("AWS_KMS") && !origin.equals("EXTERNAL")) {
        throw UNSUPPORTED_OPERATION.exception("origin `" + origin + "` is not supported");
      }
      if (r.description() != null && r.description().length() > 8192) {
        throw VALIDATION.exception("description is longer than 8192 characters");
      }
      checkTags(r.tags());
      gate.authorize(call, null, "kms:CreateKey", requestTags(r.tags(), null, keys("kms:KeySpec", spec.name(),
          "kms:KeyUsage", usage.name(), "kms:KeyOrigin", origin,
          "kms:MultiRegion", Boolean.toString(r.multiRegion()))));
      if (r.tags() != null && !r.tags().isEmpty()) {
        // "To add tags while creating a KMS key, the principal must have kms:TagResource permission in an IAM
        // policy that isn't restricted to particular KMS keys"
        // (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html)
        gate.authorize(call, null, "kms:TagResource", requestTags(r.tags(), null, new HashMap<>()));
      }
      String account = KmsGate.accountOf(c.principal());
      String keyId = r.multiRegion() ? "mrk-" + KmsRuntime.HEX.formatHex(shared.randomBytes(16))
          : UUID.randomUUID().toString();
      String arn = "arn:aws:kms:" + c.region() + ":" + account + ":key/" + keyId;
      String text = r.policy() != null ? r.policy() : policyOps.defaultPolicyText(account);
      String name = r.policy() != null ? "<key policy of " + arn + ">" : DefaultKeyPolicy.nameFor(arn);
      ParseResult pr = policyOps.validatePolicy(text, name);
      Instant now = shared.clock.instant();
      String materialId = shared.newMaterialId();
      boolean external = origin.equals("EXTERNAL");
      StoredKey k = new StoredKey(arn, keyId, account, c.region(), spec.name(), usage.name(), origin, r.multiRegion(),
          r.description(), external ? "PendingImport" : "Enabled", now, null, null, false, 365, null, text, name,
          r.tags(), external ? List.of() : List.of(new MaterialRef(materialId, now, null)), 0, null,
          r.multiRegion() ? "PRIMARY" : null);
      if (r.policy() != null && !r.bypassPolicyLockoutSafetyCheck()) {
        gate.lockoutCheck(c, k, pr.policy());
      }
      synchronized (shared.lock) {
        if (external) {
          shared.writeKey(k);
        } else {
          shared.writeKeyWithMaterial(k, KeyMaterial.generate(spec, materialId, shared.random));
        }
        gate.changed();
      }
      call.keyArn = arn;
      return metadata(k);
    });
  }

  KeyMetadata describeKey(Caller c, String keyId) {
    return gate.run(c, "DescribeKey", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:DescribeKey", Map.of());
      return metadata(k);
    });
  }

  KeyMetadata metadata(StoredKey k) {
    KeySpec spec = spec(k);
    List<String> enc = List.of();
    List<String> sig = List.of();
    List<String> mac = List.of();
    if (k.usage().equals("ENCRYPT_DECRYPT")) {
      enc = spec == KeySpec.SYMMETRIC_DEFAULT ? List.of("SYMMETRIC_DEFAULT")
          : List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256");
    } else if (k.usage().equals("SIGN_VERIFY")) {
      List<String> s = new ArrayList<>();
      for (SigningAlgorithm a : SigningAlgorithm.values()) {
        if (a.worksWith(spec)) {
          s.add(a.name());
        }
      }
      sig = s;
    } else {
      for (MacAlgorithm a : MacAlgorithm.values()) {
        if (a.spec() == spec) {
          mac = List.of(a.name());
        }
      }
    }
    return new KeyMetadata(k.account(), k.keyId(), k.arn(), k.created(), k.state().equals("Enabled"),
        k.description(), k.usage(), k.state(), k.deletionDate(), k.pendingWindowDays(), k.origin(), "CUSTOMER",
        k.spec(), enc, sig, mac, k.multiRegion(), k.multiRegionKeyType(),
        spec == KeySpec.SYMMETRIC_DEFAULT && k.currentMaterial() != null ? k.currentMaterial().id() : null,
        currentExpires(k), k.origin().equals("EXTERNAL") && k.currentMaterial() != null
            ? (currentExpires(k) == null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES") : null,
        primaryOf(k), replicasOf(k));
  }

  String primaryOf(StoredKey k) {
    StoredKey p = shared.relatedPrimary(k);
    return p == null ? null : p.arn();
  }

  List<String> replicasOf(StoredKey k) {
    List<String> out = new ArrayList<>();
    for (StoredKey r : shared.related(k, "REPLICA")) {
      out.add(r.arn());
    }
    out.sort(null);
    return out;
  }
  /**
   * GetKeyLastUsage: kept in memory since the runtime started (its {@code trackingStartDate}); a restart starts
   * tracking again.
   */
  Kms.KeyLastUsage getKeyLastUsage(Caller c, String keyId) {
    return gate.run(c, "GetKeyLastUsage", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:GetKeyLastUsage", Map.of());
      KmsState.LastUse u = shared.lastUsage.get(k.arn());
      return u == null ? new Kms.KeyLastUsage(k.arn(), null, null, null, shared.trackingStart)
          : new Kms.KeyLastUsage(k.arn(), u.operation(), Instant.ofEpochMilli(u.millis()), Long.toString(u.event()),
              shared.trackingStart);
    });
  }

  /** ListKeys: the keys of the caller's account in the caller's Region, sorted by key id (no paging). */
  List<KeyListEntry> listKeys(Caller c) {
    return gate.run(c, "ListKeys", null, call -> {
      gate.authorize(call, null, "kms:ListKeys", Map.of());
      String account = KmsGate.accountOf(c.principal());
      List<KeyListEntry> out = new ArrayList<>();
      for (StoredKey k : shared.keys.values()) {
        if (k.account().equals(account) && k.region().equals(c.region())) {
          out.add(new KeyListEntry(k.keyId(), k.arn()));
        }
      }
      out.sort(Comparator.comparing(KeyListEntry::keyId));
      return out;
    });
  }

  void enableKey(Caller c, String keyId) {
    setState(c, keyId, "EnableKey", "Enabled");
  }

  void disableKey(Caller c, String keyId) {
    setState(c, keyId, "DisableKey", "Disabled");
  }

  void setState(Caller c, String keyId, String op, String state) {
    gate.run(c, op, null, call -> {
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:" + op, Map.of());
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        if (k.state().equals("PendingImport")) {
          throw KMS_INVALID_STATE.exception("key `" + k.arn() + "` is waiting for its key material");
        }
        shared.writeKey(k.withState(state, null, null));
        gate.changed();
      }
      return null;
    });
  }

  void updateKeyDescription(Caller c, String keyId, String description) {
    gate.run(c, "UpdateKeyDescription", null, call -> {
      if (description == null || description.length() > 8192) {
        throw VALIDATION.exception("description must be 0 to 8192 characters");
      }
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:UpdateKeyDescription", Map.of());
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        shared.writeKey(k.withDescription(description));
      }
      return null;
    });
  }

  // tags ------------------------------------------------------------------------------------------------

  void tagResource(Caller c, String keyId, Map<String, String> tags) {
    gate.run(c, "TagResource", null, call -> {
      checkTags(tags);
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:TagResource", requestTags(tags, null, new HashMap<>()));
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        Map<String, String> t = new TreeMap<>(k.tags());
        t.putAll(tags);
        checkTags(t);
        shared.writeKey(k.withTags(t));
        gate.changed(); // aws:ResourceTag conditions see the new tags
      }
      return null;
    });
  }

  void untagResource(Caller c, String keyId, List<String> tagKeys) {
    gate.run(c, "UntagResource", null, call -> {
      if (tagKeys == null) {
        throw VALIDATION.exception("TagKeys is required");
      }
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:UntagResource", requestTags(null, tagKeys, new HashMap<>()));
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        Map<String, String> t = new TreeMap<>(k.tags());
        tagKeys.forEach(t::remove);
        shared.writeKey(k.withTags(t));
        gate.changed();
      }
      return null;
    });
  }

  /** ListResourceTags, sorted by tag key. */
  Map<String, String> listResourceTags(Caller c, String keyId) {
    return gate.run(c, "ListResourceTags", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:ListResourceTags", Map.of());
      return new TreeMap<>(k.tags());
    });
  }
}
