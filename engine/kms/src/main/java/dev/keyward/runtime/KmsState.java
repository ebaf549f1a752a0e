package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsMaterials.tokenHash;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.runtime.audit.AuditLog;
import dev.keyward.runtime.crypto.AsymmetricKey;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.store.KeyStore;
import dev.keyward.runtime.store.StoredAlias;
import dev.keyward.runtime.store.StoredGrant;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.runtime.store.StoredKey.MaterialRef;
import dev.keyward.world.World;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime's shared state: its keys, policies, materials, aliases, grants and import tokens in concurrent
 * maps, with the store they are written through. Every part of the runtime reads and changes the same object;
 * changes happen under {@link #lock}.
 */
final class KmsState {

  final World base;
  final KeyStore store;
  final Clock clock;
  final SecureRandom random;
  /** Ciphertext nonces and IVs (public), buffered per thread; secrets come from {@link #random} itself. */
  final dev.keyward.runtime.crypto.NonceSource nonces;
  final AuditLog audit;
  final PolicyParser parser = PolicyParser.create();
  final Object lock = new Object();

  final ConcurrentHashMap<String, StoredKey> keys = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, List<String>> arnsByKeyId = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, PolicyDocument> policies = new ConcurrentHashMap<>();
  final ConcurrentHashMap<MaterialKey, KeyMaterial> materials = new ConcurrentHashMap<>();

  /** A material of a key (keyed by record, so the hot path builds no string and hashes cached ones). */
  record MaterialKey(String keyArn, String materialId) {}
  final ConcurrentHashMap<String, StoredAlias> aliases = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, StoredGrant> grants = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, String> grantsByToken = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, ImportParameters> importTokens = new ConcurrentHashMap<>();
  /** The last cryptographic use of each key (GetKeyLastUsage), kept cheap: the record is built when asked. */
  final ConcurrentHashMap<String, LastUse> lastUsage = new ConcurrentHashMap<>();
  final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
  final Instant trackingStart;
  volatile long nextDueMillis = Long.MAX_VALUE;

  KmsState(World base, KeyStore store, Clock clock, SecureRandom random, AuditLog audit) {
    this.base = base;
    this.store = store;
    this.clock = clock;
    this.random = random;
    this.nonces = dev.keyward.runtime.crypto.NonceSource.of(random);
    this.audit = audit;
    this.trackingStart = clock.instant();
    load();
  }

  void load() {
    KeyStore.Snapshot s = store.load();
    for (StoredKey k : s.keys()) {
      putKeyInMemory(k);
      for (MaterialRef m : k.materials()) {
        if (!m.imported()) {
          continue; // deleted or expired imported material, awaiting re-import
        }
        SecretBytes enc = s.materials().get(k.arn() + "#" + m.id());
        if (enc == null) {
          throw new IllegalStateException("store lacks material " + m.id() + " of key " + k.arn());
        }
        KeySpec spec = KeySpec.parse(k.spec());
        try {
          materials.put(new MaterialKey(k.arn(), m.id()), KeyMaterial.decode(spec, m.id(), enc));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("store holds unreadable material of key " + k.arn());
        } finally {
          if (spec.isAsymmetric()) {
            enc.wipe(); // the key objects hold their own copies; symmetric material keeps these bytes
          }
        }
      }
    }
    for (StoredAlias a : s.aliases()) {
      aliases.put(a.aliasArn(), a);
    }
    for (StoredGrant g : s.grants()) {
      grants.put(g.grantId(), g);
      grantsByToken.put(g.token(), g.grantId());
    }
    for (KeyStore.ImportToken t : s.importTokens()) {
      KeySpec spec = KeySpec.parse(t.wrappingKeySpec());
      try {
        AsymmetricKey wrapping = (AsymmetricKey) KeyMaterial.decode(spec, t.tokenHash(), t.wrappingKey());
        importTokens.put(t.tokenHash(), new ImportParameters(t.keyArn(), t.wrappingAlgorithm(), wrapping,
            t.validTo()));
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalStateException("store holds an unreadable import token of key " + t.keyArn());
      } finally {
        t.wrappingKey().wipe();
      }
    }
    recomputeDue();
  }

  /** A used import token is gone, in memory and in the store; material changed, so expiries are due again. */
  void forgetImportToken(byte[] token) {
    String used = tokenHash(token);
    importTokens.remove(used);
    store.deleteImportToken(used);
    recomputeDue();
  }

  void putKeyInMemory(StoredKey k) {
    keys.put(k.arn(), k);
    arnsByKeyId.compute(k.keyId(), (id, l) -> {
      List<String> out = l == null ? new ArrayList<>() : new ArrayList<>(l);
      if (!out.contains(k.arn())) {
        out.add(k.arn());
      }
      return List.copyOf(out);
    });
    policies.put(k.arn(), parsePolicy(k.policy(), k.policyName()).policy());
  }
  record LastUse(String operation, long millis, long event) {}

  KeyMaterial current(StoredKey k) {
    return materials.get(new MaterialKey(k.arn(), k.currentMaterial().id()));
  }

  void recomputeDue() {
    long due = Long.MAX_VALUE;
    for (StoredKey k : keys.values()) {
      if (k.deletionDate() != null) {
        due = Math.min(due, k.deletionDate().toEpochMilli());
      }
      if (k.rotationEnabled() && k.nextRotation() != null) {
        due = Math.min(due, k.nextRotation().toEpochMilli());
      }
      if (k.materialExpires() != null) {
        due = Math.min(due, k.materialExpires().toEpochMilli());
      }
    }
    nextDueMillis = due;
  }

  void writeKeyWithMaterial(StoredKey k, KeyMaterial m) {
    SecretBytes enc = m.encoded();
    try {
      store.putKey(k, m.id(), enc);
    } finally {
      enc.wipe();
    }
    materials.put(new MaterialKey(k.arn(), m.id()), m);
    putKeyInMemory(k);
  }

  void writeKey(StoredKey k) {
    store.putKey(k);
    putKeyInMemory(k);
  }

  ParseResult parsePolicy(String text, String name) {
    return parser.parseString(text, name, PolicyType.KEY_POLICY);
  }

  /**
   * The keys related to {@code k} by multi-Region replication (same account and key id) that have this
   * multi-Region type, {@code k} itself included when it has it; none for a single-Region key.
   */
  List<StoredKey> related(StoredKey k, String type) {
    List<StoredKey> out = new ArrayList<>();
    if (k.multiRegionKeyType() == null) {
      return out;
    }
    for (String arn : arnsByKeyId.getOrDefault(k.keyId(), List.of())) {
      StoredKey o = keys.get(arn);
      if (o != null && o.account().equals(k.account()) && type.equals(o.multiRegionKeyType())) {
        out.add(o);
      }
    }
    return out;
  }

  /** The primary key of a multi-Region key (itself for a primary), or null. */
  StoredKey relatedPrimary(StoredKey k) {
    List<StoredKey> ps = related(k, "PRIMARY");
    return ps.isEmpty() ? null : ps.get(0);
  }

  /** The replicas of a multi-Region primary; none for any other key. */
  List<StoredKey> relatedReplicas(StoredKey primary) {
    return "PRIMARY".equals(primary.multiRegionKeyType()) ? related(primary, "REPLICA") : List.of();
  }

  StoredKey fresh(StoredKey k) {
    StoredKey now = keys.get(k.arn());
    if (now == null) {
      throw NOT_FOUND.exception("key `" + k.arn() + "` does not exist");
    }
    return now;
  }
  /**
   * What GetParametersForImport handed out, by token hash; also in the store (its wrapping key under the root
   * key), so that a restart or another server on a shared store still takes the token.
   */
  record ImportParameters(String keyArn, String wrappingAlgorithm, AsymmetricKey wrappingKey,
      Instant validTo) {}

  // ---------------------------------------------------------------------------------------------------

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  String newMaterialId() {
    return KmsRuntime.HEX.formatHex(randomBytes(32));
  }

  String newToken() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(48));
  }
}
