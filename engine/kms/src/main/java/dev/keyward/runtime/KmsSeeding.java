package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.INVALID_ARN;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsMaterials.materialId;
import static dev.keyward.runtime.KmsValidation.keySpec;
import static dev.keyward.runtime.KmsValidation.keyUsage;

import dev.keyward.model.Arn;
import dev.keyward.parse.ParseResult;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.KeyUsage;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.store.StoredAlias;
import dev.keyward.runtime.store.StoredGrant;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.runtime.store.StoredKey.MaterialRef;
import dev.keyward.world.DefaultKeyPolicy;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seeding: keys, key settings and grants as a world file or a test declares them (not authorized operations).
 */
final class KmsSeeding {

  private final KmsState shared;
  private final KmsGate gate;
  private final KmsPolicies policyOps;

  KmsSeeding(KmsState shared, KmsGate gate, KmsPolicies policyOps) {
    this.shared = shared;
    this.gate = gate;
    this.policyOps = policyOps;
  }

  // ---------------------------------------------------------------------------------------------------
  // seeding

  /**
   * Adds a key with a given id, policy and (for tests) material, as a world file or a test declares it;
   * a key the store already holds is left alone (seeding is idempotent across restarts). For
   * SYMMETRIC_DEFAULT and HMAC keys {@code material} is the raw key; for asymmetric keys it is null (a new
   * key pair is generated) or the form {@link KeyMaterial#encoded()} gives.
   *
   * @param policyText the key policy, or null for the default key policy
   * @param policyName how decisions name the policy (e.g. {@code key-policies/finance.json})
   */
  void seedKey(String keyArn, String keySpec, String keyUsage, String policyText, String policyName,
      SecretBytes material, List<String> aliasNames) {
    Arn arn = Arn.parse(keyArn).filter(a -> a.service().equals("kms") && a.resource().startsWith("key/"))
        .orElseThrow(() -> INVALID_ARN.exception("`" + keyArn + "` is not a key ARN"));
    synchronized (shared.lock) {
      if (shared.keys.containsKey(keyArn)) {
        return;
      }
      KeySpec spec = keySpec(keySpec);
      KeyUsage usage = keyUsage(spec, keyUsage);
      String text = policyText != null ? policyText : policyOps.defaultPolicyText(arn.account());
      String name = policyText != null ? policyName : DefaultKeyPolicy.nameFor(keyArn);
      ParseResult pr = policyOps.validatePolicy(text, name);
      Objects.requireNonNull(pr);
      String keyId = arn.resource().substring(4);
      String materialId = materialId(keyArn, 0);
      KeyMaterial m;
      try {
        m = material == null ? KeyMaterial.generate(spec, materialId, shared.random)
            : KeyMaterial.decode(spec, materialId, material);
      } catch (GeneralSecurityException e) {
        throw VALIDATION.exception("seed material of `" + keyArn + "` does not fit " + spec.name());
      }
      Instant now = shared.clock.instant();
      StoredKey k = new StoredKey(keyArn, keyId, arn.account(), arn.region(), spec.name(), usage.name(), "AWS_KMS",
          keyId.startsWith("mrk-"), "", "Enabled", now, null, null, false, 365, null, text, name, Map.of(),
          List.of(new MaterialRef(materialId, now, null)), 0, null, keyId.startsWith("mrk-") ? "PRIMARY" : null);
      shared.writeKeyWithMaterial(k, m);
      for (String alias : aliasNames == null ? List.<String>of() : aliasNames) {
        String aliasArn = "arn:" + arn.partition() + ":kms:" + arn.region() + ":" + arn.account() + ":" + alias;
        StoredAlias a = new StoredAlias(aliasArn, alias, arn.account(), arn.region(), keyArn, now);
        shared.store.putAlias(a);
        shared.aliases.put(aliasArn, a);
      }
      gate.changed();
    }
  }

  /**
   * Gives a seeded key the state and automatic rotation its world declares (Enabled or Disabled; rotation on
   * with a period). Only for keys that {@link #seedKey} has just added, before any call used them.
   */
  void seedKeySettings(String keyArn, String state, Boolean rotationEnabled, Integer rotationPeriodDays) {
    synchronized (shared.lock) {
      StoredKey k = shared.keys.get(keyArn);
      if (k == null) {
        throw NOT_FOUND.exception("key `" + keyArn + "` does not exist");
      }
      StoredKey updated = k;
      if (state != null && !state.equals(k.state())) {
        if (!state.equals("Enabled") && !state.equals("Disabled")) {
          throw VALIDATION.exception("seeded keys can be Enabled or Disabled, not `" + state + "`");
        }
        updated = updated.withState(state, null, null);
      }
      if (Boolean.TRUE.equals(rotationEnabled) && !k.rotationEnabled()) {
        int days = rotationPeriodDays == null ? 365 : rotationPeriodDays;
        if (days < 90 || days > 2560 || !k.spec().equals("SYMMETRIC_DEFAULT")) {
          throw VALIDATION.exception("key `" + keyArn + "` cannot rotate every " + days + " days");
        }
        updated = updated.withRotation(true, days, k.created().plus(Duration.ofDays(days)));
      }
      if (updated != k) {
        shared.writeKey(updated);
        gate.changed();
        shared.recomputeDue();
      }
    }
  }

  /** Whether the runtime holds a key with this ARN (seeding checks it; not an authorized operation). */
  boolean holds(String keyArn) {
    return shared.keys.containsKey(keyArn);
  }

  /** Adds a grant with a given id (for seeding); a grant id the runtime holds is left alone. */
  void seedGrant(String keyArn, String grantId, String name, String grantee, String retiringPrincipal,
      List<String> operations, Map<String, String> equals, Map<String, String> subset) {
    synchronized (shared.lock) {
      if (shared.grants.containsKey(grantId)) {
        return;
      }
      StoredKey k = shared.keys.get(keyArn);
      if (k == null) {
        throw NOT_FOUND.exception("key `" + keyArn + "` does not exist");
      }
      StoredGrant g = new StoredGrant(grantId, keyArn, shared.newToken(), name, grantee, retiringPrincipal, k.account(),
          operations, equals, subset, shared.clock.instant());
      shared.store.putGrant(g);
      shared.grants.put(grantId, g);
      shared.grantsByToken.put(g.token(), grantId);
      gate.changed();
    }
  }
}
