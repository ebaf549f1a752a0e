package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.ALREADY_EXISTS;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.UNSUPPORTED_OPERATION;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsValidation.checkTags;
import static dev.keyward.runtime.KmsValidation.requireEnabled;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;
import static dev.keyward.runtime.KmsViews.keys;

import dev.keyward.parse.ParseResult;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.KeyMetadata;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.KeyUsage;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.world.DefaultKeyPolicy;
import java.util.List;
import java.util.Map;

/**
 * Multi-Region keys: ReplicateKey and UpdatePrimaryRegion.
 */
final class KmsMultiRegion {

  private final KmsState shared;
  private final KmsGate gate;
  private final KmsPolicies policyOps;
  private final KmsImports importOps;
  private final KmsKeys keyOps;
  private final KmsScheduler scheduler;

  KmsMultiRegion(KmsState shared, KmsGate gate, KmsPolicies policyOps, KmsImports importOps, KmsKeys keyOps,
      KmsScheduler scheduler) {
    this.shared = shared;
    this.gate = gate;
    this.policyOps = policyOps;
    this.importOps = importOps;
    this.keyOps = keyOps;
    this.scheduler = scheduler;
  }

  // multi-Region keys ---------------------------------------------------------------------------------------

  /**
   * ReplicateKey: a replica of a multi-Region primary in another Region of the same account, with the same key
   * id, spec, usage, origin, material and rotation settings, and its own policy, aliases, grants, tags,
   * description and state. The replica is Enabled at once (AWS passes through Creating asynchronously).
   */
  KeyMetadata replicateKey(Caller c, Kms.ReplicateKeyRequest r) {
    return gate.run(c, "ReplicateKey", null, call -> {
      if (r.replicaRegion() == null || !r.replicaRegion().matches("[a-z]{2}(-[a-z]+)+-\\d")) {
        throw VALIDATION.exception("ReplicaRegion `" + r.replicaRegion() + "` is not a Region name");
      }
      Map<String, String> tags = r.tags() == null ? Map.of() : r.tags();
      checkTags(tags);
      StoredKey p0 = gate.resolve(c, r.keyId(), call);
      if (!"PRIMARY".equals(p0.multiRegionKeyType())) {
        throw UNSUPPORTED_OPERATION.exception("key `" + p0.arn() + "` is not a multi-Region primary key");
      }
      if (p0.region().equals(r.replicaRegion())) {
        throw VALIDATION.exception("the replica Region must differ from the primary key's Region");
      }
      gate.authorize(call, p0, "kms:ReplicateKey", keys("kms:ReplicaRegion", r.replicaRegion()));
      Caller inReplica = new Caller(c.principal(), r.replicaRegion(), c.viaService(), c.session());
      KmsGate.Call createCall = new KmsGate.Call(inReplica, "ReplicateKey", null);
      gate.authorize(createCall, null, "kms:CreateKey", keys("kms:KeySpec", p0.spec(), "kms:KeyUsage", p0.usage(),
          "kms:KeyOrigin", p0.origin(), "kms:MultiRegion", "true"));
      String arn = "arn:aws:kms:" + r.replicaRegion() + ":" + p0.account() + ":key/" + p0.keyId();
      String text = r.policy() != null ? r.policy() : policyOps.defaultPolicyText(p0.account());
      String name = r.policy() != null ? "<key policy of " + arn + ">" : DefaultKeyPolicy.nameFor(arn);
      ParseResult pr = policyOps.validatePolicy(text, name);
      synchronized (shared.lock) {
        StoredKey p = shared.fresh(p0);
        requireNotPendingDeletion(p);
        if (shared.keys.containsKey(arn)) {
          throw ALREADY_EXISTS.exception("key `" + p.keyId() + "` already has a replica in " + r.replicaRegion());
        }
        String state = p.origin().equals("EXTERNAL") ? "PendingImport" : "Enabled";
        StoredKey replica = new StoredKey(arn, p.keyId(), p.account(), r.replicaRegion(), p.spec(), p.usage(),
            p.origin(), true, r.description(), state, shared.clock.instant(), null, null, p.rotationEnabled(),
            p.rotationPeriodDays(), null, text, name, tags, List.of(), 0, null, "REPLICA");
        if (r.policy() != null && !r.bypassPolicyLockoutSafetyCheck()) {
          gate.lockoutCheck(c, replica, pr.policy());
        }
        shared.writeKey(replica);
        scheduler.syncReplicas(p);
        importOps.mirrorToReplicas(p); // an imported primary's materials, to be imported into the replica
        gate.changed();
        call.keyArn = arn;
        return keyOps.metadata(shared.keys.get(arn));
      }
    });
  }

  /** UpdatePrimaryRegion: the replica in {@code primaryRegion} becomes the primary, the primary a replica. */
  void updatePrimaryRegion(Caller c, String keyId, String primaryRegion) {
    gate.run(c, "UpdatePrimaryRegion", null, call -> {
      StoredKey p0 = gate.resolve(c, keyId, call);
      if (!"PRIMARY".equals(p0.multiRegionKeyType())) {
        throw UNSUPPORTED_OPERATION.exception("key `" + p0.arn() + "` is not a multi-Region primary key");
      }
      String target = "arn:aws:kms:" + primaryRegion + ":" + p0.account() + ":key/" + p0.keyId();
      StoredKey r0 = shared.keys.get(target);
      if (r0 == null) {
        throw NOT_FOUND.exception("key `" + p0.keyId() + "` has no replica in `" + primaryRegion + "`");
      }
      gate.authorize(call, p0, "kms:UpdatePrimaryRegion", keys("kms:PrimaryRegion", primaryRegion));
      KmsGate.Call onReplica = new KmsGate.Call(new Caller(c.principal(), primaryRegion, c.viaService(), c.session()),
          "UpdatePrimaryRegion", null);
      gate.authorize(onReplica, r0, "kms:UpdatePrimaryRegion", keys("kms:PrimaryRegion", primaryRegion));
      synchronized (shared.lock) {
        StoredKey p = shared.fresh(p0);
        StoredKey r = shared.fresh(r0);
        requireEnabled(p);
        requireEnabled(r);
        StoredKey newPrimary = r.withMultiRegionKeyType("PRIMARY").withRotation(p.rotationEnabled(),
            p.rotationPeriodDays(), p.nextRotation());
        StoredKey newReplica = p.withMultiRegionKeyType("REPLICA").withRotation(p.rotationEnabled(),
            p.rotationPeriodDays(), null);
        shared.writeKey(newPrimary);
        shared.writeKey(newReplica);
        gate.changed();
        shared.recomputeDue();
      }
      return null;
    });
  }
}
