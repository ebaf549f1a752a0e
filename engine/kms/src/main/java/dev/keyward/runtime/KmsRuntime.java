package dev.keyward.runtime;

import static dev.keyward.runtime.KmsMaterials.currentExpires;
import static dev.keyward.runtime.KmsMaterials.expired;
import static dev.keyward.runtime.KmsMaterials.importedState;
import static dev.keyward.runtime.KmsMaterials.materialId;
import static dev.keyward.runtime.KmsMaterials.mirroredRefs;
import static dev.keyward.runtime.KmsMaterials.tokenHash;
import static dev.keyward.runtime.KmsValidation.automaticallyRotatable;
import static dev.keyward.runtime.KmsValidation.checkAliasName;
import static dev.keyward.runtime.KmsValidation.checkPolicyName;
import static dev.keyward.runtime.KmsValidation.checkTags;
import static dev.keyward.runtime.KmsValidation.context;
import static dev.keyward.runtime.KmsValidation.dryRun;
import static dev.keyward.runtime.KmsValidation.encryptionAlgorithm;
import static dev.keyward.runtime.KmsValidation.ignoreCiphertext;
import static dev.keyward.runtime.KmsValidation.keySpec;
import static dev.keyward.runtime.KmsValidation.keyUsage;
import static dev.keyward.runtime.KmsValidation.macAlgorithm;
import static dev.keyward.runtime.KmsValidation.message;
import static dev.keyward.runtime.KmsValidation.messageType;
import static dev.keyward.runtime.KmsValidation.notReplica;
import static dev.keyward.runtime.KmsValidation.requireEnabled;
import static dev.keyward.runtime.KmsValidation.requireExternal;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;
import static dev.keyward.runtime.KmsValidation.requireRegion;
import static dev.keyward.runtime.KmsValidation.requireUsage;
import static dev.keyward.runtime.KmsValidation.rotatable;
import static dev.keyward.runtime.KmsValidation.signingAlgorithm;
import static dev.keyward.runtime.KmsValidation.spec;
import static dev.keyward.runtime.KmsViews.entry;
import static dev.keyward.runtime.KmsViews.keys;
import static dev.keyward.runtime.KmsViews.kmsKey;
import static dev.keyward.runtime.KmsViews.requestTags;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Reason;
import dev.keyward.request.Request;
import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.runtime.Kms.AliasListEntry;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.CreateGrantRequest;
import dev.keyward.runtime.Kms.CreateGrantResponse;
import dev.keyward.runtime.Kms.CreateKeyRequest;
import dev.keyward.runtime.Kms.DecryptRequest;
import dev.keyward.runtime.Kms.DecryptResponse;
import dev.keyward.runtime.Kms.EncryptRequest;
import dev.keyward.runtime.Kms.EncryptResponse;
import dev.keyward.runtime.Kms.GenerateDataKeyPairRequest;
import dev.keyward.runtime.Kms.GenerateDataKeyPairResponse;
import dev.keyward.runtime.Kms.GenerateDataKeyRequest;
import dev.keyward.runtime.Kms.GenerateDataKeyResponse;
import dev.keyward.runtime.Kms.GenerateMacRequest;
import dev.keyward.runtime.Kms.GenerateMacResponse;
import dev.keyward.runtime.Kms.GetPublicKeyResponse;
import dev.keyward.runtime.Kms.GrantConstraints;
import dev.keyward.runtime.Kms.GrantListEntry;
import dev.keyward.runtime.Kms.KeyListEntry;
import dev.keyward.runtime.Kms.KeyMetadata;
import dev.keyward.runtime.Kms.KeyRotationStatus;
import dev.keyward.runtime.Kms.ReEncryptRequest;
import dev.keyward.runtime.Kms.ReEncryptResponse;
import dev.keyward.runtime.Kms.RotationsListEntry;
import dev.keyward.runtime.Kms.ScheduleKeyDeletionResponse;
import dev.keyward.runtime.Kms.SignRequest;
import dev.keyward.runtime.Kms.SignResponse;
import dev.keyward.runtime.Kms.VerifyMacRequest;
import dev.keyward.runtime.Kms.VerifyMacResponse;
import dev.keyward.runtime.Kms.VerifyRequest;
import dev.keyward.runtime.Kms.VerifyResponse;
import dev.keyward.runtime.audit.AuditEvent;
import dev.keyward.runtime.audit.AuditLog;
import dev.keyward.runtime.crypto.AsymmetricKey;
import dev.keyward.runtime.crypto.CiphertextException;
import dev.keyward.runtime.crypto.EncryptionAlgorithm;
import dev.keyward.runtime.crypto.Envelope;
import dev.keyward.runtime.crypto.HmacKey;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.KeyUsage;
import dev.keyward.runtime.crypto.MacAlgorithm;
import dev.keyward.runtime.crypto.MessageType;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.crypto.SigningAlgorithm;
import dev.keyward.runtime.crypto.SymmetricKey;
import dev.keyward.runtime.store.KeyStore;
import dev.keyward.runtime.store.StoredAlias;
import dev.keyward.runtime.store.StoredGrant;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.runtime.store.StoredKey.MaterialRef;
import dev.keyward.world.DefaultKeyPolicy;
import dev.keyward.world.Grant;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The local KMS: keys with real material, every call authorized by the same {@link Authorizer} that answers
 * {@code keyward can}, state persisted through a {@link KeyStore}, every call recorded in an {@link AuditLog}.
 *
 * <p>The runtime keeps a {@link World}: the base world's organizations, accounts and principals, plus its own
 * keys with their policies, aliases and grants. A change to those drops the authorizer; the next call
 * compiles a new one. Crypto calls only read immutable snapshots and are thread-safe; changes are serialized.
 *
 * <p>Order of checks in a call: parameters, key lookup (Decrypt takes its key from the ciphertext header),
 * authorization, key state and usage, then the operation.
 */
public final class KmsRuntime implements AutoCloseable {

  /** Largest key policy, as local-kms and the older AWS documentation have it (the model now says 131072). */
  public static final int MAX_POLICY_CHARS = 32_768;
  /** AWS's quota of RotateKeyOnDemand calls per key. */
  public static final int MAX_ON_DEMAND_ROTATIONS = 25;
  public static final int MAX_GRANTS_PER_KEY = 50_000;
  public static final int MAX_ALIASES_PER_KEY = 50;
  static final int MAX_MESSAGE = 4096;
  private static final int MAX_CIPHERTEXT = 6144;
  private static final Set<String> GRANT_OPERATIONS = Set.of("Decrypt", "Encrypt", "GenerateDataKey",
      "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GetPublicKey",
      "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
      "GenerateMac", "VerifyMac");
  private static final Set<String> NO_CONTEXT_OPERATIONS = Set.of("Sign", "Verify", "GetPublicKey",
      "GenerateMac", "VerifyMac");
  static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");
  private static final Pattern GRANT_NAME = Pattern.compile("[a-zA-Z0-9:/_-]{1,256}");
  static final HexFormat HEX = HexFormat.of();

  private final World base;
  private final KeyStore store;
  private final Clock clock;
  private final SecureRandom random;
  /** Ciphertext nonces and IVs (public), buffered per thread; secrets come from {@link #random} itself. */
  private final dev.keyward.runtime.crypto.NonceSource nonces;
  private final AuditLog audit;
  private final PolicyParser parser = PolicyParser.create();
  private final Object lock = new Object();

  private final ConcurrentHashMap<String, StoredKey> keys = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<String>> arnsByKeyId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, PolicyDocument> policies = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MaterialKey, KeyMaterial> materials = new ConcurrentHashMap<>();

  /** A material of a key (keyed by record, so the hot path builds no string and hashes cached ones). */
  private record MaterialKey(String keyArn, String materialId) {}
  private final ConcurrentHashMap<String, StoredAlias> aliases = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, StoredGrant> grants = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> grantsByToken = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ImportParameters> importTokens = new ConcurrentHashMap<>();
  /** The last cryptographic use of each key (GetKeyLastUsage), kept cheap: the record is built when asked. */
  private final ConcurrentHashMap<String, LastUse> lastUsage = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
  private final Instant trackingStart;
  private static final Set<String> CRYPTO_OPERATIONS = Set.of("Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey",
      "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign",
      "Verify", "GenerateMac", "VerifyMac");
  private volatile Authorizer authorizer;
  private volatile long nextDueMillis = Long.MAX_VALUE;

  private KmsRuntime(Builder b) {
    this.base = b.world;
    this.store = b.store;
    this.clock = b.clock;
    this.random = b.random;
    this.nonces = dev.keyward.runtime.crypto.NonceSource.of(b.random);
    this.audit = b.audit;
    this.trackingStart = clock.instant();
    load();
  }

  /** Options of a runtime; every one has a default (an empty world, no store, the system clock, no audit). */
  public static final class Builder {
    private World world = new World("<runtime>", List.of(), List.of(), List.of(), List.of(), SourceRef.none());
    private KeyStore store = KeyStore.none();
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = defaultRandom();
    private AuditLog audit = AuditLog.none();

    private Builder() {}

    /** The organizations, accounts and principals calls are authorized against (its keys are not used). */
    public Builder world(World w) {
      this.world = Objects.requireNonNull(w, "world");
      return this;
    }

    public Builder store(KeyStore s) {
      this.store = Objects.requireNonNull(s, "store");
      return this;
    }

    /** The clock that drives automatic rotation and deletion (tests pass a movable one). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public Builder random(SecureRandom r) {
      this.random = Objects.requireNonNull(r, "random");
      return this;
    }

    public Builder audit(AuditLog a) {
      this.audit = Objects.requireNonNull(a, "audit");
      return this;
    }

    public KmsRuntime build() {
      return new KmsRuntime(this);
    }
  }

  /**
   * NIST SP 800-90A Hash_DRBG (SHA-256, 256-bit strength), seeded by the operating system: pure Java, so drawing
   * from it costs no system call (NativePRNG read /dev/urandom for every request). Ciphertext nonces are drawn
   * from it a block at a time ({@link dev.keyward.runtime.crypto.NonceSource}); secrets one request each.
   */
  static SecureRandom defaultRandom() {
    try {
      return SecureRandom.getInstance("DRBG", java.security.DrbgParameters.instantiation(256,
          java.security.DrbgParameters.Capability.RESEED_ONLY, "keyward kms".getBytes(
              java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      return new SecureRandom();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private void load() {
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
  private void forgetImportToken(byte[] token) {
    String used = tokenHash(token);
    importTokens.remove(used);
    store.deleteImportToken(used);
    recomputeDue();
  }

  private void putKeyInMemory(StoredKey k) {
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
  public void seedKey(String keyArn, String keySpec, String keyUsage, String policyText, String policyName,
      SecretBytes material, List<String> aliasNames) {
    Arn arn = Arn.parse(keyArn).filter(a -> a.service().equals("kms") && a.resource().startsWith("key/"))
        .orElseThrow(() -> new InvalidArnException("`" + keyArn + "` is not a key ARN"));
    synchronized (lock) {
      if (keys.containsKey(keyArn)) {
        return;
      }
      KeySpec spec = keySpec(keySpec);
      KeyUsage usage = keyUsage(spec, keyUsage);
      String text = policyText != null ? policyText : defaultPolicyText(arn.account());
      String name = policyText != null ? policyName : DefaultKeyPolicy.nameFor(keyArn);
      ParseResult pr = validatePolicy(text, name);
      Objects.requireNonNull(pr);
      String keyId = arn.resource().substring(4);
      String materialId = materialId(keyArn, 0);
      KeyMaterial m;
      try {
        m = material == null ? KeyMaterial.generate(spec, materialId, random)
            : KeyMaterial.decode(spec, materialId, material);
      } catch (GeneralSecurityException e) {
        throw new ValidationException("seed material of `" + keyArn + "` does not fit " + spec.name());
      }
      Instant now = clock.instant();
      StoredKey k = new StoredKey(keyArn, keyId, arn.account(), arn.region(), spec.name(), usage.name(), "AWS_KMS",
          keyId.startsWith("mrk-"), "", "Enabled", now, null, null, false, 365, null, text, name, Map.of(),
          List.of(new MaterialRef(materialId, now, null)), 0, null, keyId.startsWith("mrk-") ? "PRIMARY" : null);
      writeKeyWithMaterial(k, m);
      for (String alias : aliasNames == null ? List.<String>of() : aliasNames) {
        String aliasArn = "arn:" + arn.partition() + ":kms:" + arn.region() + ":" + arn.account() + ":" + alias;
        StoredAlias a = new StoredAlias(aliasArn, alias, arn.account(), arn.region(), keyArn, now);
        store.putAlias(a);
        aliases.put(aliasArn, a);
      }
      changed();
    }
  }

  /**
   * Gives a seeded key the state and automatic rotation its world declares (Enabled or Disabled; rotation on
   * with a period). Only for keys that {@link #seedKey} has just added, before any call used them.
   */
  public void seedKeySettings(String keyArn, String state, Boolean rotationEnabled, Integer rotationPeriodDays) {
    synchronized (lock) {
      StoredKey k = keys.get(keyArn);
      if (k == null) {
        throw new NotFoundException("key `" + keyArn + "` does not exist");
      }
      StoredKey updated = k;
      if (state != null && !state.equals(k.state())) {
        if (!state.equals("Enabled") && !state.equals("Disabled")) {
          throw new ValidationException("seeded keys can be Enabled or Disabled, not `" + state + "`");
        }
        updated = updated.withState(state, null, null);
      }
      if (Boolean.TRUE.equals(rotationEnabled) && !k.rotationEnabled()) {
        int days = rotationPeriodDays == null ? 365 : rotationPeriodDays;
        if (days < 90 || days > 2560 || !k.spec().equals("SYMMETRIC_DEFAULT")) {
          throw new ValidationException("key `" + keyArn + "` cannot rotate every " + days + " days");
        }
        updated = updated.withRotation(true, days, k.created().plus(Duration.ofDays(days)));
      }
      if (updated != k) {
        writeKey(updated);
        changed();
        recomputeDue();
      }
    }
  }

  /** Whether the runtime holds a key with this ARN (seeding checks it; not an authorized operation). */
  public boolean holds(String keyArn) {
    return keys.containsKey(keyArn);
  }

  /** Adds a grant with a given id (for seeding); a grant id the runtime holds is left alone. */
  public void seedGrant(String keyArn, String grantId, String name, String grantee, String retiringPrincipal,
      List<String> operations, Map<String, String> equals, Map<String, String> subset) {
    synchronized (lock) {
      if (grants.containsKey(grantId)) {
        return;
      }
      StoredKey k = keys.get(keyArn);
      if (k == null) {
        throw new NotFoundException("key `" + keyArn + "` does not exist");
      }
      StoredGrant g = new StoredGrant(grantId, keyArn, newToken(), name, grantee, retiringPrincipal, k.account(),
          operations, equals, subset, clock.instant());
      store.putGrant(g);
      grants.put(grantId, g);
      grantsByToken.put(g.token(), grantId);
      changed();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // call plumbing

  private record LastUse(String operation, long millis, long event) {}

  /** One call in flight: what the audit record needs. */
  private static final class Call {
    final Caller caller;
    final String operation;
    final Map<String, String> context;
    String keyArn;
    Decision decision;
    String alias;

    Call(Caller caller, String operation, Map<String, String> context) {
      this.caller = caller;
      this.operation = operation;
      this.context = context;
    }
  }

  private <T> T run(Caller caller, String operation, Map<String, String> context, Function<Call, T> body) {
    Objects.requireNonNull(caller, "caller");
    tick();
    Call call = new Call(caller, operation, context);
    try {
      T out = body.apply(call);
      if (call.keyArn != null && CRYPTO_OPERATIONS.contains(operation)) {
        lastUsage.put(call.keyArn, new LastUse(operation, clock.millis(), events.incrementAndGet()));
      }
      record(call, null);
      return out;
    } catch (KmsException e) {
      record(call, e.errorCode());
      throw e;
    } catch (dev.keyward.runtime.store.JdbcKeyStore.StoreException e) {
      record(call, "KMSInternalException");
      throw new KMSInternalException(e.getMessage());
    }
  }

  private void record(Call call, String errorCode) {
    if (!audit.enabled()) {
      return;
    }
    List<String> statements = new ArrayList<>();
    if (call.decision != null) {
      for (Reason r : call.decision.reasons()) {
        if (!r.effect().equals("allow") && !r.effect().equals("deny") && !r.effect().equals("grant")
            && !r.effect().equals("delegate") && !r.effect().equals("missing")) {
          continue;
        }
        statements.add(r.effect() + " " + r.policy() + (r.statement().isEmpty() ? "" : "#" + r.statement()));
      }
    }
    audit.record(new AuditEvent(clock.instant(), call.caller.principal(), call.operation, call.caller.region(),
        call.keyArn, call.context, call.decision == null ? null : call.decision.verdict().name(), statements,
        errorCode));
  }

  /**
   * The authorizer for the current keys, policies and grants; brought up to date after a change, compiling only
   * the keys that changed (their {@link KmsKey} objects are new; see {@link #world}).
   */
  private Authorizer authorizer() {
    Authorizer a = authorizer;
    if (a == null) {
      synchronized (lock) {
        a = authorizer;
        if (a == null) {
          World w = world(null);
          a = lastCompiled == null ? Authorizer.create(w) : Authorizer.update(lastCompiled, w);
          lastCompiled = a;
          authorizer = a;
        }
      }
    }
    return a;
  }

  /** The authorizer last compiled (kept across changes, which clear {@link #authorizer}); guarded by lock. */
  private Authorizer lastCompiled;

  /** A key as the evaluator saw it, with what it was made of; reused while none of that changes. */
  private record BuiltKey(StoredKey stored, PolicyDocument policy, List<Grant> grants, List<String> aliases,
      KmsKey key) {}

  private final Map<String, BuiltKey> built = new ConcurrentHashMap<>();

  /** The world the authorizer decides against: the base world with the runtime's keys (plus a candidate). */
  private World world(KmsKey extra) {
    Map<String, List<Grant>> byKey = new HashMap<>();
    for (StoredGrant g : grants.values()) {
      byKey.computeIfAbsent(g.keyArn(), x -> new ArrayList<>()).add(new Grant(g.grantId(), g.grantee(),
          g.operations(), g.constraintEquals(), g.constraintSubset(), g.retiringPrincipal(), g.issuingAccount(),
          g.name() == null ? g.grantId() : g.name(), SourceRef.none()));
    }
    Map<String, List<String>> aliasesByKey = new HashMap<>();
    for (StoredAlias a : aliases.values()) {
      aliasesByKey.computeIfAbsent(a.targetKeyArn(), x -> new ArrayList<>()).add(a.aliasName());
    }
    List<KmsKey> ks = new ArrayList<>();
    for (StoredKey k : keys.values()) {
      if (extra != null && extra.arn().toString().equals(k.arn())) {
        continue;
      }
      PolicyDocument policy = policies.get(k.arn());
      List<Grant> gs = byKey.getOrDefault(k.arn(), List.of());
      List<String> al = aliasesByKey.getOrDefault(k.arn(), List.of());
      BuiltKey b = built.get(k.arn());
      if (b == null || b.stored() != k || b.policy() != policy || !b.grants().equals(gs) || !b.aliases().equals(al)) {
        b = new BuiltKey(k, policy, gs, al, kmsKey(k, policy, gs, al));
        built.put(k.arn(), b);
      }
      ks.add(b.key());
    }
    built.keySet().retainAll(keys.keySet());
    if (extra != null) {
      ks.add(extra);
    }
    return new World(base.name(), base.organizations(), base.accounts(), base.principals(), ks, base.buckets(),
        base.images(), base.identities(), base.vpcEndpoints(), base.source());
  }

  private void changed() {
    authorizer = null;
  }

  /**
   * Authorizes {@code action} on {@code key} (or {@code "*"} when null), with the call's encryption context as
   * kms:EncryptionContext:* keys and {@code extra} condition keys; refuses with AccessDeniedException.
   */
  private void authorize(Call call, StoredKey key, String action, Map<String, List<String>> extra) {
    // Built immutable at once (the Request keeps it without copying). The names cannot collide: context
    // pairs all start with kms:EncryptionContext:, the global keys with aws: in lower case, and the callers'
    // extra keys are operation parameters (kms:..., aws:RequestTag/..., aws:TagKeys).
    int n = (call.context == null ? 0 : call.context.size()) + extra.size()
        + (call.caller.viaService() != null ? 1 : 0) + (call.alias != null ? 1 : 0) + 5;
    @SuppressWarnings("unchecked")
    Map.Entry<String, List<String>>[] entries = new Map.Entry[n];
    int i = 0;
    // the global keys AWS puts in every request context
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html); names in lower
    // case, as the evaluator looks them up, so that none is lower-cased again per call
    TimeKeys time = timeKeys();
    entries[i++] = Map.entry("aws:currenttime", time.iso());
    entries[i++] = Map.entry("aws:epochtime", time.epoch());
    entries[i++] = Map.entry("aws:requestedregion", List.of(call.caller.region()));
    entries[i++] = SECURE_TRANSPORT; // AWS's endpoints are HTTPS only
    entries[i++] = call.caller.viaService() != null ? VIA_SERVICE : NOT_VIA_SERVICE;
    if (call.context != null) {
      for (Map.Entry<String, String> e : call.context.entrySet()) {
        entries[i++] = Map.entry("kms:EncryptionContext:" + e.getKey(), List.of(e.getValue()));
      }
    }
    for (Map.Entry<String, List<String>> e : extra.entrySet()) {
      entries[i++] = Map.entry(e.getKey(), e.getValue());
    }
    if (call.caller.viaService() != null) {
      entries[i++] = Map.entry("kms:ViaService", List.of(call.caller.viaService()));
    }
    if (call.alias != null) {
      entries[i++] = Map.entry("kms:RequestAlias", List.of(call.alias));
    }
    Map<String, List<String>> ctx = Map.ofEntries(entries);
    String resource = key == null ? "*" : key.arn();
    if (key != null) {
      call.keyArn = key.arn();
    }
    Decision d = authorizer().authorize(new Request("", call.caller.principal(), action, resource, ctx,
        call.caller.session()));
    call.decision = d;
    if (!d.verdict().allowed()) {
      throw new AccessDeniedException(denial(call.caller.principal(), action, resource, d), d);
    }
  }

  private static final Map.Entry<String, List<String>> SECURE_TRANSPORT =
      Map.entry("aws:securetransport", List.of("true"));
  private static final Map.Entry<String, List<String>> VIA_SERVICE = Map.entry("aws:viaawsservice", List.of("true"));
  private static final Map.Entry<String, List<String>> NOT_VIA_SERVICE =
      Map.entry("aws:viaawsservice", List.of("false"));

  /** aws:CurrentTime and aws:EpochTime of one second of the runtime's clock. */
  private record TimeKeys(long second, List<String> iso, List<String> epoch) {}

  private volatile TimeKeys timeKeys = new TimeKeys(Long.MIN_VALUE, List.of(), List.of());

  /** The time keys for the clock's current second, formatted once per second (this is the hot path). */
  private TimeKeys timeKeys() {
    long second = Math.floorDiv(clock.millis(), 1000L);
    TimeKeys t = timeKeys;
    if (t.second() != second) {
      t = new TimeKeys(second, List.of(Instant.ofEpochSecond(second).toString()), List.of(Long.toString(second)));
      timeKeys = t;
    }
    return t;
  }

  static String denial(String principal, String action, String resource, Decision d) {
    StringBuilder sb = new StringBuilder();
    sb.append('`').append(principal).append("` is not authorized to perform `").append(action).append("` on `")
        .append(resource).append('`');
    List<String> parts = new ArrayList<>();
    for (Reason r : d.reasons()) {
      if (d.verdict() == dev.keyward.eval.Verdict.EXPLICIT_DENY && !r.effect().equals("deny")) {
        continue;
      }
      if (r.effect().equals("deny")) {
        parts.add("explicit deny in `" + r.policy() + "` statement `" + r.statement() + "`");
      } else if (r.effect().equals("missing") || r.effect().equals("error") || r.effect().equals("blocked")
          || r.effect().equals("delegate")) {
        parts.add((r.policy().isEmpty() ? "" : "`" + r.policy() + "`"
            + (r.statement().isEmpty() ? "" : " statement `" + r.statement() + "`") + ": ") + r.message());
      }
    }
    if (!parts.isEmpty()) {
      sb.append(": ").append(String.join("; ", parts));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------------
  // key lookup and checks

  static String accountOf(String principal) {
    if (principal.length() == 12 && Arn.isAccountId(principal)) {
      return principal;
    }
    return Arn.parse(principal).map(Arn::account).filter(a -> !a.isEmpty())
        .orElseThrow(() -> new ValidationException("caller `" + principal + "` is not an ARN with an account"));
  }

  private StoredKey resolve(Caller c, String keyId, Call call) {
    if (keyId == null || keyId.isEmpty()) {
      throw new ValidationException("KeyId is required");
    }
    StoredKey direct = keys.get(keyId);
    if (direct != null) {
      requireRegion(c, direct.region(), keyId);
      call.keyArn = direct.arn();
      return direct;
    }
    String arn;
    if (keyId.startsWith("arn:")) {
      Arn a = Arn.parse(keyId).filter(x -> x.service().equals("kms"))
          .orElseThrow(() -> new InvalidArnException("`" + keyId + "` is not a KMS key or alias ARN"));
      requireRegion(c, a.region(), keyId);
      if (a.resource().startsWith("alias/")) {
        arn = aliasTarget(keyId, call);
      } else if (a.resource().startsWith("key/")) {
        arn = keyId;
      } else {
        throw new InvalidArnException("`" + keyId + "` is not a KMS key or alias ARN");
      }
    } else if (keyId.startsWith("alias/")) {
      arn = aliasTarget("arn:aws:kms:" + c.region() + ":" + accountOf(c.principal()) + ":" + keyId, call);
    } else {
      arn = "arn:aws:kms:" + c.region() + ":" + accountOf(c.principal()) + ":key/" + keyId;
    }
    StoredKey k = arn == null ? null : keys.get(arn);
    if (k == null) {
      throw new NotFoundException("key `" + keyId + "` does not exist");
    }
    call.keyArn = k.arn();
    return k;
  }

  private String aliasTarget(String aliasArn, Call call) {
    StoredAlias a = aliases.get(aliasArn);
    if (a == null) {
      throw new NotFoundException("alias `" + aliasArn + "` does not exist");
    }
    call.alias = a.aliasName();
    return a.targetKeyArn();
  }

  private KeyMaterial current(StoredKey k) {
    return materials.get(new MaterialKey(k.arn(), k.currentMaterial().id()));
  }

  private void checkTokens(List<String> tokens) {
    if (tokens == null) {
      return;
    }
    if (tokens.size() > 10) {
      throw new ValidationException("at most 10 grant tokens are allowed");
    }
    for (String t : tokens) {
      if (t == null || t.isEmpty() || t.length() > 8192 || !grantsByToken.containsKey(t)) {
        throw new InvalidGrantTokenException("grant token is not valid");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // time: automatic rotation and deletion

  /** Runs due automatic rotations and deletions; called at the start of every call, cheap when none is due. */
  public void tick() {
    if (clock.millis() < nextDueMillis) {
      return;
    }
    synchronized (lock) {
      Instant now = clock.instant();
      boolean authChanged = false;
      for (StoredKey k : List.copyOf(keys.values())) {
        if (k.state().equals("PendingDeletion") && k.deletionDate() != null && !k.deletionDate().isAfter(now)) {
          deleteNow(k);
          authChanged = true;
          releasePrimaryAfterReplica(k, now);
        } else if (k.materialExpires() != null && !k.materialExpires().isAfter(now)) {
          dropImportedMaterial(k, expired(k, now));
        } else if (k.rotationEnabled() && k.state().equals("Enabled") && k.nextRotation() != null
            && !k.nextRotation().isAfter(now)) {
          rotate(k, "AUTOMATIC", now.plus(Duration.ofDays(k.rotationPeriodDays())), k.onDemandRotations());
        }
      }
      if (authChanged) {
        changed();
      }
      recomputeDue();
    }
  }

  /** The ARNs of every key the runtime holds, in every account and Region, sorted. */
  public List<String> keyArns() {
    synchronized (lock) {
      List<String> out = new ArrayList<>(keys.keySet());
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
  public boolean purgeKey(String keyArn) {
    synchronized (lock) {
      StoredKey k = keys.get(keyArn);
      if (k == null) {
        return false;
      }
      deleteNow(k);
      releasePrimaryAfterReplica(k, clock.instant());
      changed();
      recomputeDue();
      return true;
    }
  }

  private void recomputeDue() {
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

  private void deleteNow(StoredKey k) {
    store.deleteKey(k.arn());
    keys.remove(k.arn());
    policies.remove(k.arn());
    arnsByKeyId.computeIfPresent(k.keyId(), (id, l) -> {
      List<String> out = new ArrayList<>(l);
      out.remove(k.arn());
      return out.isEmpty() ? null : List.copyOf(out);
    });
    for (MaterialRef m : k.materials()) {
      materials.remove(new MaterialKey(k.arn(), m.id()));
    }
    aliases.values().removeIf(a -> a.targetKeyArn().equals(k.arn()));
    for (StoredGrant g : List.copyOf(grants.values())) {
      if (g.keyArn().equals(k.arn())) {
        grants.remove(g.grantId());
        grantsByToken.remove(g.token());
      }
    }
  }

  private StoredKey rotate(StoredKey k, String type, Instant next, int onDemand) {
    String id = newMaterialId();
    KeyMaterial m = KeyMaterial.generate(spec(k), id, random);
    StoredKey updated = k.withMaterial(new MaterialRef(id, clock.instant(), type), next, onDemand);
    writeKeyWithMaterial(updated, m);
    syncReplicas(updated);
    return updated;
  }

  /**
   * Gives the replicas of a multi-Region primary what AWS shares: its materials and its rotation settings
   * (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html).
   */
  private void syncReplicas(StoredKey primary) {
    if (!"PRIMARY".equals(primary.multiRegionKeyType()) || primary.origin().equals("EXTERNAL")) {
      // NOTE: replicas of imported keys get their material by their own ImportKeyMaterial, as in AWS
      return;
    }
    for (StoredKey r : relatedReplicas(primary)) {
      String arn = r.arn();
      Map<String, SecretBytes> added = new HashMap<>();
      for (MaterialRef m : primary.materials()) {
        if (!materials.containsKey(new MaterialKey(arn, m.id()))) {
          added.put(m.id(), materials.get(new MaterialKey(primary.arn(), m.id())).encoded());
        }
      }
      StoredKey updated = r.withMaterials(primary.materials(), r.state(), r.materialExpires())
          .withRotation(primary.rotationEnabled(), primary.rotationPeriodDays(), null);
      store.putKey(updated, added);
      for (Map.Entry<String, SecretBytes> e : added.entrySet()) {
        materials.put(new MaterialKey(arn, e.getKey()), materials.get(new MaterialKey(primary.arn(), e.getKey())));
        e.getValue().wipe();
      }
      putKeyInMemory(updated);
    }
  }

  private void writeKeyWithMaterial(StoredKey k, KeyMaterial m) {
    SecretBytes enc = m.encoded();
    try {
      store.putKey(k, m.id(), enc);
    } finally {
      enc.wipe();
    }
    materials.put(new MaterialKey(k.arn(), m.id()), m);
    putKeyInMemory(k);
  }

  private void writeKey(StoredKey k) {
    store.putKey(k);
    putKeyInMemory(k);
  }

  // ---------------------------------------------------------------------------------------------------
  // policies

  private String defaultPolicyText(String account) {
    return "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"key-default-1\",\n  \"Statement\": [\n    {\n"
        + "      \"Sid\": \"" + DefaultKeyPolicy.SID + "\",\n      \"Effect\": \"Allow\",\n"
        + "      \"Principal\": {\"AWS\": \"arn:aws:iam::" + account + ":root\"},\n"
        + "      \"Action\": \"kms:*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";
  }

  private ParseResult parsePolicy(String text, String name) {
    return parser.parseString(text, name, PolicyType.KEY_POLICY);
  }

  /** Checks a key policy as PutKeyPolicy does: size, characters, then our parser's errors. */
  private ParseResult validatePolicy(String text, String name) {
    if (text.length() > MAX_POLICY_CHARS) {
      throw new LimitExceededException("key policy has " + text.length() + " characters, more than "
          + MAX_POLICY_CHARS);
    }
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (!(ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch <= 0xff))) {
        throw new MalformedPolicyDocumentException("key policy has a character outside tab, LF, CR and"
            + " U+0020 to U+00FF at offset " + i);
      }
    }
    ParseResult r = parsePolicy(text, name);
    for (Problem p : r.problems()) {
      if (p.severity() == Severity.ERROR) {
        throw new MalformedPolicyDocumentException("key policy is malformed: " + p.message()
            + (p.where() == null || p.where().pointer().isEmpty() ? "" : " (at `" + p.where().pointer() + "`)"));
      }
    }
    if (r.policy() == null) {
      throw new MalformedPolicyDocumentException("key policy is malformed");
    }
    return r;
  }

  /** AWS's lockout safety check: the new policy must let the caller call PutKeyPolicy afterwards. */
  private void lockoutCheck(Caller c, StoredKey candidate, PolicyDocument policy) {
    KmsKey k = kmsKey(candidate, policy, List.of(), List.of());
    Decision d = Authorizer.create(world(k)).authorize(Request.of(c.principal(), "kms:PutKeyPolicy", candidate.arn()));
    if (!d.verdict().allowed()) {
      throw new MalformedPolicyDocumentException("the new key policy will not allow you to update the key policy"
          + " in the future (set BypassPolicyLockoutSafetyCheck to skip this check)");
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // key management

  public KeyMetadata createKey(Caller c, CreateKeyRequest r) {
    return run(c, "CreateKey", null, call -> {
      KeySpec spec = keySpec(r.keySpec());
      KeyUsage usage = keyUsage(spec, r.keyUsage());
      String origin = r.origin() == null ? "AWS_KMS" : r.origin();
      if (!origin.equals("AWS_KMS") && !origin.equals("EXTERNAL")) {
        throw new KmsUnsupportedOperationException("origin `" + origin + "` is not supported");
      }
      if (r.description() != null && r.description().length() > 8192) {
        throw new ValidationException("description is longer than 8192 characters");
      }
      checkTags(r.tags());
      authorize(call, null, "kms:CreateKey", requestTags(r.tags(), null, keys("kms:KeySpec", spec.name(),
          "kms:KeyUsage", usage.name(), "kms:KeyOrigin", origin, "kms:MultiRegion", Boolean.toString(r.multiRegion()))));
      if (r.tags() != null && !r.tags().isEmpty()) {
        // "To add tags while creating a KMS key, the principal must have kms:TagResource permission in an IAM
        // policy that isn't restricted to particular KMS keys"
        // (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html)
        authorize(call, null, "kms:TagResource", requestTags(r.tags(), null, new HashMap<>()));
      }
      String account = accountOf(c.principal());
      String keyId = r.multiRegion() ? "mrk-" + HEX.formatHex(randomBytes(16)) : UUID.randomUUID().toString();
      String arn = "arn:aws:kms:" + c.region() + ":" + account + ":key/" + keyId;
      String text = r.policy() != null ? r.policy() : defaultPolicyText(account);
      String name = r.policy() != null ? "<key policy of " + arn + ">" : DefaultKeyPolicy.nameFor(arn);
      ParseResult pr = validatePolicy(text, name);
      Instant now = clock.instant();
      String materialId = newMaterialId();
      boolean external = origin.equals("EXTERNAL");
      StoredKey k = new StoredKey(arn, keyId, account, c.region(), spec.name(), usage.name(), origin, r.multiRegion(),
          r.description(), external ? "PendingImport" : "Enabled", now, null, null, false, 365, null, text, name,
          r.tags(), external ? List.of() : List.of(new MaterialRef(materialId, now, null)), 0, null,
          r.multiRegion() ? "PRIMARY" : null);
      if (r.policy() != null && !r.bypassPolicyLockoutSafetyCheck()) {
        lockoutCheck(c, k, pr.policy());
      }
      synchronized (lock) {
        if (external) {
          writeKey(k);
        } else {
          writeKeyWithMaterial(k, KeyMaterial.generate(spec, materialId, random));
        }
        changed();
      }
      call.keyArn = arn;
      return metadata(k);
    });
  }

  public KeyMetadata describeKey(Caller c, String keyId) {
    return run(c, "DescribeKey", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:DescribeKey", Map.of());
      return metadata(k);
    });
  }

  private KeyMetadata metadata(StoredKey k) {
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

  private String primaryOf(StoredKey k) {
    StoredKey p = relatedPrimary(k);
    return p == null ? null : p.arn();
  }

  private List<String> replicasOf(StoredKey k) {
    List<String> out = new ArrayList<>();
    for (StoredKey r : related(k, "REPLICA")) {
      out.add(r.arn());
    }
    out.sort(null);
    return out;
  }

  /**
   * The keys related to {@code k} by multi-Region replication (same account and key id) that have this
   * multi-Region type, {@code k} itself included when it has it; none for a single-Region key.
   */
  private List<StoredKey> related(StoredKey k, String type) {
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
  private StoredKey relatedPrimary(StoredKey k) {
    List<StoredKey> ps = related(k, "PRIMARY");
    return ps.isEmpty() ? null : ps.get(0);
  }

  /** The replicas of a multi-Region primary; none for any other key. */
  private List<StoredKey> relatedReplicas(StoredKey primary) {
    return "PRIMARY".equals(primary.multiRegionKeyType()) ? related(primary, "REPLICA") : List.of();
  }

  /**
   * GetKeyLastUsage: kept in memory since the runtime started (its {@code trackingStartDate}); a restart starts
   * tracking again.
   */
  public Kms.KeyLastUsage getKeyLastUsage(Caller c, String keyId) {
    return run(c, "GetKeyLastUsage", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:GetKeyLastUsage", Map.of());
      LastUse u = lastUsage.get(k.arn());
      return u == null ? new Kms.KeyLastUsage(k.arn(), null, null, null, trackingStart)
          : new Kms.KeyLastUsage(k.arn(), u.operation(), Instant.ofEpochMilli(u.millis()), Long.toString(u.event()),
              trackingStart);
    });
  }

  /** ListKeys: the keys of the caller's account in the caller's Region, sorted by key id (no paging). */
  public List<KeyListEntry> listKeys(Caller c) {
    return run(c, "ListKeys", null, call -> {
      authorize(call, null, "kms:ListKeys", Map.of());
      String account = accountOf(c.principal());
      List<KeyListEntry> out = new ArrayList<>();
      for (StoredKey k : keys.values()) {
        if (k.account().equals(account) && k.region().equals(c.region())) {
          out.add(new KeyListEntry(k.keyId(), k.arn()));
        }
      }
      out.sort(Comparator.comparing(KeyListEntry::keyId));
      return out;
    });
  }

  public void enableKey(Caller c, String keyId) {
    setState(c, keyId, "EnableKey", "Enabled");
  }

  public void disableKey(Caller c, String keyId) {
    setState(c, keyId, "DisableKey", "Disabled");
  }

  private void setState(Caller c, String keyId, String op, String state) {
    run(c, op, null, call -> {
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:" + op, Map.of());
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        if (k.state().equals("PendingImport")) {
          throw new KMSInvalidStateException("key `" + k.arn() + "` is waiting for its key material");
        }
        writeKey(k.withState(state, null, null));
        changed();
      }
      return null;
    });
  }

  private StoredKey fresh(StoredKey k) {
    StoredKey now = keys.get(k.arn());
    if (now == null) {
      throw new NotFoundException("key `" + k.arn() + "` does not exist");
    }
    return now;
  }

  public ScheduleKeyDeletionResponse scheduleKeyDeletion(Caller c, String keyId, Integer pendingWindowInDays) {
    return run(c, "ScheduleKeyDeletion", null, call -> {
      int days = pendingWindowInDays == null ? 30 : pendingWindowInDays;
      if (days < 7 || days > 30) {
        throw new ValidationException("PendingWindowInDays must be 7 to 30, not " + days);
      }
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:ScheduleKeyDeletion",
          keys("kms:ScheduleKeyDeletionPendingWindowInDays", Integer.toString(days)));
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        if (k.state().equals("PendingReplicaDeletion")) {
          throw new KMSInvalidStateException("key `" + k.arn() + "` is pending replica deletion");
        }
        if ("PRIMARY".equals(k.multiRegionKeyType()) && !replicasOf(k).isEmpty()) {
          // AWS: the primary waits in PendingReplicaDeletion until its last replica is deleted, then its own
          // waiting period starts (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-delete.html)
          writeKey(k.withState("PendingReplicaDeletion", null, days));
          changed();
          return new ScheduleKeyDeletionResponse(k.arn(), null, "PendingReplicaDeletion", days);
        }
        Instant when = clock.instant().plus(Duration.ofDays(days));
        writeKey(k.withState("PendingDeletion", when, days));
        changed();
        recomputeDue();
        return new ScheduleKeyDeletionResponse(k.arn(), when, "PendingDeletion", days);
      }
    });
  }

  /** CancelKeyDeletion: the key comes back Disabled, as in AWS. */
  public String cancelKeyDeletion(Caller c, String keyId) {
    return run(c, "CancelKeyDeletion", null, call -> {
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:CancelKeyDeletion", Map.of());
      synchronized (lock) {
        StoredKey k = fresh(k0);
        if (!k.state().equals("PendingDeletion") && !k.state().equals("PendingReplicaDeletion")) {
          throw new KMSInvalidStateException("key `" + k.arn() + "` is not pending deletion");
        }
        writeKey(k.withState(k.allMaterialImported() ? "Disabled" : "PendingImport", null, null));
        changed();
        recomputeDue();
        return k.arn();
      }
    });
  }

  public void updateKeyDescription(Caller c, String keyId, String description) {
    run(c, "UpdateKeyDescription", null, call -> {
      if (description == null || description.length() > 8192) {
        throw new ValidationException("description must be 0 to 8192 characters");
      }
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:UpdateKeyDescription", Map.of());
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        writeKey(k.withDescription(description));
      }
      return null;
    });
  }

  public String getKeyPolicy(Caller c, String keyId, String policyName) {
    return run(c, "GetKeyPolicy", null, call -> {
      checkPolicyName(policyName);
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:GetKeyPolicy", Map.of());
      return k.policy();
    });
  }

  public List<String> listKeyPolicies(Caller c, String keyId) {
    return run(c, "ListKeyPolicies", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:ListKeyPolicies", Map.of());
      return List.of("default");
    });
  }

  public void putKeyPolicy(Caller c, String keyId, String policyName, String policy, boolean bypassLockoutCheck) {
    run(c, "PutKeyPolicy", null, call -> {
      checkPolicyName(policyName);
      if (policy == null || policy.isEmpty()) {
        throw new ValidationException("Policy is required");
      }
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:PutKeyPolicy", Map.of());
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        String name = k.policyName().startsWith("<") ? "<key policy of " + k.arn() + ">" : k.policyName();
        ParseResult pr = validatePolicy(policy, name);
        StoredKey updated = new StoredKey(k.arn(), k.keyId(), k.account(), k.region(), k.spec(), k.usage(),
            k.origin(), k.multiRegion(), k.description(), k.state(), k.created(), k.deletionDate(),
            k.pendingWindowDays(), k.rotationEnabled(), k.rotationPeriodDays(), k.nextRotation(), policy, name,
            k.tags(), k.materials(), k.onDemandRotations(), k.materialExpires(), k.multiRegionKeyType());
        if (!bypassLockoutCheck) {
          lockoutCheck(c, updated, pr.policy());
        }
        writeKey(updated);
        changed();
      }
      return null;
    });
  }

  // tags ------------------------------------------------------------------------------------------------

  public void tagResource(Caller c, String keyId, Map<String, String> tags) {
    run(c, "TagResource", null, call -> {
      checkTags(tags);
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:TagResource", requestTags(tags, null, new HashMap<>()));
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        Map<String, String> t = new TreeMap<>(k.tags());
        t.putAll(tags);
        checkTags(t);
        writeKey(k.withTags(t));
        changed(); // aws:ResourceTag conditions see the new tags
      }
      return null;
    });
  }

  public void untagResource(Caller c, String keyId, List<String> tagKeys) {
    run(c, "UntagResource", null, call -> {
      if (tagKeys == null) {
        throw new ValidationException("TagKeys is required");
      }
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:UntagResource", requestTags(null, tagKeys, new HashMap<>()));
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        Map<String, String> t = new TreeMap<>(k.tags());
        tagKeys.forEach(t::remove);
        writeKey(k.withTags(t));
        changed();
      }
      return null;
    });
  }

  /** ListResourceTags, sorted by tag key. */
  public Map<String, String> listResourceTags(Caller c, String keyId) {
    return run(c, "ListResourceTags", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:ListResourceTags", Map.of());
      return new TreeMap<>(k.tags());
    });
  }

  // rotation --------------------------------------------------------------------------------------------

  public void enableKeyRotation(Caller c, String keyId, Integer rotationPeriodInDays) {
    run(c, "EnableKeyRotation", null, call -> {
      int days = rotationPeriodInDays == null ? 365 : rotationPeriodInDays;
      if (days < 90 || days > 2560) {
        throw new ValidationException("RotationPeriodInDays must be 90 to 2560, not " + days);
      }
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:EnableKeyRotation", keys("kms:RotationPeriodInDays", Integer.toString(days)));
      synchronized (lock) {
        StoredKey k = fresh(k0);
        automaticallyRotatable(k);
        notReplica(k);
        requireEnabled(k);
        Instant from = k.rotationEnabled() ? k.currentMaterial().created() : clock.instant();
        writeKey(k.withRotation(true, days, from.plus(Duration.ofDays(days))));
        syncReplicas(fresh(k));
        recomputeDue();
      }
      return null;
    });
  }

  public void disableKeyRotation(Caller c, String keyId) {
    run(c, "DisableKeyRotation", null, call -> {
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:DisableKeyRotation", Map.of());
      synchronized (lock) {
        StoredKey k = fresh(k0);
        automaticallyRotatable(k);
        notReplica(k);
        requireEnabled(k);
        writeKey(k.withRotation(false, k.rotationPeriodDays(), null));
        syncReplicas(fresh(k));
        recomputeDue();
      }
      return null;
    });
  }

  public KeyRotationStatus getKeyRotationStatus(Caller c, String keyId) {
    return run(c, "GetKeyRotationStatus", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:GetKeyRotationStatus", Map.of());
      return new KeyRotationStatus(k.arn(), k.rotationEnabled(),
          k.rotationEnabled() ? k.rotationPeriodDays() : null, k.nextRotation());
    });
  }

  /** RotateKeyOnDemand: a new current material now; the automatic schedule is unchanged. */
  public String rotateKeyOnDemand(Caller c, String keyId) {
    return run(c, "RotateKeyOnDemand", null, call -> {
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:RotateKeyOnDemand", Map.of());
      synchronized (lock) {
        StoredKey k = fresh(k0);
        rotatable(k);
        notReplica(k);
        requireEnabled(k);
        if (k.onDemandRotations() >= MAX_ON_DEMAND_ROTATIONS) {
          throw new LimitExceededException("key `" + k.arn() + "` was rotated on demand "
              + MAX_ON_DEMAND_ROTATIONS + " times, the most AWS allows");
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
  private void rotateToImported(StoredKey k) {
    MaterialRef pending = k.pendingMaterial();
    if (pending == null) {
      throw new KMSInvalidStateException("key `" + k.arn() + "` has imported key material and none pending"
          + " rotation: import the new material first (ImportKeyMaterial with ImportType NEW_KEY_MATERIAL)");
    }
    if (!"PENDING_ROTATION".equals(pending.pendingState())) {
      throw new KMSInvalidStateException("multi-Region key `" + k.arn() + "` has new key material `" + pending.id()
          + "` that not every replica has yet: import it into each replica (ImportType EXISTING_KEY_MATERIAL)");
    }
    Instant now = clock.instant();
    List<MaterialRef> ms = new ArrayList<>(k.materials());
    ms.set(ms.size() - 1, new MaterialRef(pending.id(), now, "ON_DEMAND", null, pending.expires(),
        pending.description(), true));
    StoredKey updated = k.withMaterials(ms, k.state()).withOnDemandRotations(k.onDemandRotations() + 1);
    writeKey(updated);
    for (StoredKey r : relatedReplicas(k)) {
      // the replicas rotate with their primary
      List<MaterialRef> rms = new ArrayList<>(mirroredRefs(updated, r));
      for (int i = 0; i < rms.size(); i++) {
        MaterialRef x = rms.get(i);
        if (x.id().equals(pending.id())) {
          rms.set(i, new MaterialRef(x.id(), now, "ON_DEMAND", null, x.expires(), x.description(), x.imported()));
        }
      }
      writeKey(r.withMaterials(rms, importedState(r, rms)).withOnDemandRotations(k.onDemandRotations() + 1));
    }
    changed();
  }

  /**
   * ListKeyRotations, oldest first: every rotation of a key whose material KMS made (not its first material);
   * every material of an imported key, with its import state, expiry and description, including the first one
   * and one pending rotation, since their ids are what re-imports and deletions name
   * (https://docs.aws.amazon.com/kms/latest/APIReference/API_RotationsListEntry.html).
   */
  public List<RotationsListEntry> listKeyRotations(Caller c, String keyId) {
    return run(c, "ListKeyRotations", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:ListKeyRotations", Map.of());
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

  // aliases ---------------------------------------------------------------------------------------------

  public void createAlias(Caller c, String aliasName, String targetKeyId) {
    run(c, "CreateAlias", null, call -> {
      checkAliasName(aliasName);
      StoredKey k0 = resolve(c, targetKeyId, call);
      String account = accountOf(c.principal());
      if (!k0.account().equals(account) || !k0.region().equals(c.region())) {
        throw new NotFoundException("key `" + targetKeyId + "` is not in the caller's account and Region");
      }
      authorize(call, k0, "kms:CreateAlias", Map.of());
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        String aliasArn = "arn:aws:kms:" + c.region() + ":" + account + ":" + aliasName;
        if (aliases.containsKey(aliasArn)) {
          throw new AlreadyExistsException("alias `" + aliasName + "` already exists");
        }
        long count = aliases.values().stream().filter(a -> a.targetKeyArn().equals(k.arn())).count();
        if (count >= MAX_ALIASES_PER_KEY) {
          throw new LimitExceededException("key `" + k.arn() + "` has " + MAX_ALIASES_PER_KEY + " aliases already");
        }
        StoredAlias a = new StoredAlias(aliasArn, aliasName, account, c.region(), k.arn(), clock.instant());
        store.putAlias(a);
        aliases.put(aliasArn, a);
        changed();
      }
      return null;
    });
  }

  /** UpdateAlias: the new key must have the same key type (symmetric, asymmetric, HMAC) and usage. */
  public void updateAlias(Caller c, String aliasName, String targetKeyId) {
    run(c, "UpdateAlias", null, call -> {
      checkAliasName(aliasName);
      String account = accountOf(c.principal());
      String aliasArn = "arn:aws:kms:" + c.region() + ":" + account + ":" + aliasName;
      StoredAlias old = aliases.get(aliasArn);
      if (old == null) {
        throw new NotFoundException("alias `" + aliasName + "` does not exist");
      }
      StoredKey k0 = resolve(c, targetKeyId, call);
      if (!k0.account().equals(account) || !k0.region().equals(c.region())) {
        throw new NotFoundException("key `" + targetKeyId + "` is not in the caller's account and Region");
      }
      StoredKey oldKey = keys.get(old.targetKeyArn());
      authorize(call, k0, "kms:UpdateAlias", Map.of());
      if (oldKey != null) {
        authorize(call, oldKey, "kms:UpdateAlias", Map.of());
        if (!oldKey.usage().equals(k0.usage()) || spec(oldKey).family() != spec(k0).family()) {
          throw new ValidationException("alias `" + aliasName + "` can only point to a key of the same type and"
              + " usage as its current key");
        }
      }
      synchronized (lock) {
        requireNotPendingDeletion(fresh(k0));
        StoredAlias a = new StoredAlias(aliasArn, aliasName, account, c.region(), k0.arn(), old.created());
        store.putAlias(a);
        aliases.put(aliasArn, a);
        changed();
      }
      return null;
    });
  }

  public void deleteAlias(Caller c, String aliasName) {
    run(c, "DeleteAlias", null, call -> {
      if (aliasName == null || !aliasName.startsWith("alias/")) {
        throw new InvalidAliasNameException("alias name `" + aliasName + "` must start with `alias/`");
      }
      String aliasArn = "arn:aws:kms:" + c.region() + ":" + accountOf(c.principal()) + ":" + aliasName;
      StoredAlias a = aliases.get(aliasArn);
      if (a == null) {
        throw new NotFoundException("alias `" + aliasName + "` does not exist");
      }
      StoredKey k = keys.get(a.targetKeyArn());
      authorize(call, k, "kms:DeleteAlias", Map.of());
      synchronized (lock) {
        store.deleteAlias(aliasArn);
        aliases.remove(aliasArn);
        changed();
      }
      return null;
    });
  }

  /** ListAliases of the caller's account and Region, or of one key; sorted by name (no paging). */
  public List<AliasListEntry> listAliases(Caller c, String keyId) {
    return run(c, "ListAliases", null, call -> {
      String target = null;
      if (keyId != null) {
        target = resolve(c, keyId, call).arn();
      }
      authorize(call, null, "kms:ListAliases", Map.of());
      String account = accountOf(c.principal());
      List<AliasListEntry> out = new ArrayList<>();
      for (StoredAlias a : aliases.values()) {
        if (a.account().equals(account) && a.region().equals(c.region())
            && (target == null || a.targetKeyArn().equals(target))) {
          String targetId = a.targetKeyArn().substring(a.targetKeyArn().indexOf(":key/") + 5);
          out.add(new AliasListEntry(a.aliasName(), a.aliasArn(), targetId, a.created()));
        }
      }
      out.sort(Comparator.comparing(AliasListEntry::aliasName));
      return out;
    });
  }

  // imported key material ---------------------------------------------------------------------------------

  /**
   * What GetParametersForImport handed out, by token hash; also in the store (its wrapping key under the root
   * key), so that a restart or another server on a shared store still takes the token.
   */
  private record ImportParameters(String keyArn, String wrappingAlgorithm, AsymmetricKey wrappingKey,
      Instant validTo) {}

  private static final Set<String> WRAPPING_ALGORITHMS = Set.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256",
      "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256");

  /**
   * GetParametersForImport: a new RSA wrapping key (RSA_2048, RSA_3072 or RSA_4096) and an import token, valid
   * for 24 hours. RSAES_PKCS1_V1_5 is refused as AWS refuses it since 2023.
   */
  public Kms.GetParametersForImportResponse getParametersForImport(Caller c, String keyId, String wrappingAlgorithm,
      String wrappingKeySpec) {
    return run(c, "GetParametersForImport", null, call -> {
      if (wrappingAlgorithm == null || !WRAPPING_ALGORITHMS.contains(wrappingAlgorithm)) {
        throw new ValidationException("WrappingAlgorithm `" + wrappingAlgorithm + "` is not supported");
      }
      KeySpec ws = KeySpec.parse(wrappingKeySpec == null ? "" : wrappingKeySpec);
      if (ws == null || ws.family() != KeySpec.Family.RSA) {
        throw new ValidationException("WrappingKeySpec must be RSA_2048, RSA_3072 or RSA_4096");
      }
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:GetParametersForImport", keys("kms:WrappingAlgorithm", wrappingAlgorithm,
          "kms:WrappingKeySpec", ws.name()));
      requireExternal(k);
      requireNotPendingDeletion(k);
      if (k.spec().startsWith("RSA") && wrappingAlgorithm.startsWith("RSAES_OAEP")) {
        throw new ValidationException("RSA private keys must be wrapped with RSA_AES_KEY_WRAP_SHA_1 or"
            + " RSA_AES_KEY_WRAP_SHA_256");
      }
      AsymmetricKey wrapping = AsymmetricKey.generate(ws, newMaterialId(), random);
      byte[] token = randomBytes(64);
      Instant validTo = clock.instant().plus(Duration.ofHours(24));
      for (Map.Entry<String, ImportParameters> e : List.copyOf(importTokens.entrySet())) {
        if (e.getValue().validTo().isBefore(clock.instant())) {
          importTokens.remove(e.getKey());
          store.deleteImportToken(e.getKey());
        }
      }
      String hash = tokenHash(token);
      SecretBytes encodedWrapping = wrapping.encoded();
      try {
        store.putImportToken(new KeyStore.ImportToken(hash, k.arn(), wrappingAlgorithm, ws.name(), encodedWrapping,
            validTo));
      } finally {
        encodedWrapping.wipe();
      }
      importTokens.put(hash, new ImportParameters(k.arn(), wrappingAlgorithm, wrapping, validTo));
      return new Kms.GetParametersForImportResponse(k.arn(), token, wrapping.publicKeyDer(), validTo);
    });
  }

  private static final Pattern MATERIAL_DESCRIPTION = Pattern.compile(
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
  public Kms.KeyMaterialResponse importKeyMaterial(Caller c, Kms.ImportKeyMaterialRequest r) {
    return run(c, "ImportKeyMaterial", null, call -> {
      String model = r.expirationModel() == null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : r.expirationModel();
      Instant now = clock.instant();
      if (model.equals("KEY_MATERIAL_EXPIRES")) {
        if (r.validTo() == null || !r.validTo().isAfter(now) || r.validTo().isAfter(now.plus(Duration.ofDays(365)))) {
          throw new ValidationException("ValidTo must be in the next 365 days with KEY_MATERIAL_EXPIRES");
        }
      } else if (model.equals("KEY_MATERIAL_DOES_NOT_EXPIRE")) {
        if (r.validTo() != null) {
          throw new ValidationException("ValidTo is not allowed with KEY_MATERIAL_DOES_NOT_EXPIRE");
        }
      } else {
        throw new ValidationException("ExpirationModel `" + model + "` is not supported");
      }
      if (r.importToken() == null || r.encryptedKeyMaterial() == null) {
        throw new ValidationException("ImportToken and EncryptedKeyMaterial are required");
      }
      if (r.importType() != null && !r.importType().equals("NEW_KEY_MATERIAL")
          && !r.importType().equals("EXISTING_KEY_MATERIAL")) {
        throw new ValidationException("ImportType must be NEW_KEY_MATERIAL or EXISTING_KEY_MATERIAL, not `"
            + r.importType() + "`");
      }
      if (r.keyMaterialId() != null && "NEW_KEY_MATERIAL".equals(r.importType())) {
        throw new ValidationException("KeyMaterialId cannot be given with ImportType NEW_KEY_MATERIAL");
      }
      if (r.keyMaterialDescription() != null && !MATERIAL_DESCRIPTION.matcher(r.keyMaterialDescription()).matches()) {
        throw new ValidationException("KeyMaterialDescription must be at most 256 of [a-zA-Z0-9:/_ .-]");
      }
      StoredKey k0 = resolve(c, r.keyId(), call);
      authorize(call, k0, "kms:ImportKeyMaterial", keys("kms:ExpirationModel", model,
          "kms:ValidTo", r.validTo() == null ? null : Long.toString(r.validTo().getEpochSecond())));
      requireExternal(k0);
      if (!k0.spec().equals("SYMMETRIC_DEFAULT") && (r.importType() != null || r.keyMaterialId() != null
          || r.keyMaterialDescription() != null)) {
        throw new ValidationException("ImportType, KeyMaterialId and KeyMaterialDescription are for symmetric"
            + " encryption keys only; key `" + k0.arn() + "` is " + k0.spec());
      }
      ImportParameters p = importTokens.get(tokenHash(r.importToken()));
      if (p == null || !p.keyArn().equals(k0.arn())) {
        throw new InvalidImportTokenException("import token is not valid for key `" + k0.arn() + "`");
      }
      if (p.validTo().isBefore(now)) {
        throw new ExpiredImportTokenException("import token expired at " + p.validTo());
      }
      KeyMaterial m;
      try {
        m = dev.keyward.runtime.crypto.ImportUnwrapper.unwrap(p.wrappingKey(), p.wrappingAlgorithm(),
            r.encryptedKeyMaterial(), spec(k0));
      } catch (CiphertextException e) {
        throw new InvalidCiphertextException("encrypted key material does not open under the wrapping key");
      } catch (GeneralSecurityException e) {
        throw new IncorrectKeyMaterialException("imported material does not fit key spec " + k0.spec());
      }
      if (r.keyMaterialId() != null && !r.keyMaterialId().equals(m.id())) {
        throw new IncorrectKeyMaterialException("the imported material is not key material `" + r.keyMaterialId()
            + "`");
      }
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        Instant expires = model.equals("KEY_MATERIAL_EXPIRES") ? r.validTo() : null;
        boolean replica = "REPLICA".equals(k.multiRegionKeyType());
        if (replica) {
          importIntoReplica(k, m, expires, r.importType(), r.keyMaterialDescription());
          forgetImportToken(r.importToken());
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
            throw new IncorrectKeyMaterialException("key `" + k.arn() + "` has no key material yet: import it with"
                + " ImportType NEW_KEY_MATERIAL (or without ImportType)");
          }
          if (at < 0) {
            throw new IncorrectKeyMaterialException("key `" + k.arn() + "` never had this key material: re-imports"
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
            throw new IncorrectKeyMaterialException("key `" + k.arn() + "` already has this key material: re-import it"
                + " with ImportType EXISTING_KEY_MATERIAL");
          }
          if (!k.spec().equals("SYMMETRIC_DEFAULT")) {
            throw new IncorrectKeyMaterialException("key `" + k.arn() + "` is " + k.spec() + ", which keeps the one"
                + " key material first imported");
          }
          if (k.pendingMaterial() != null) {
            throw new KMSInvalidStateException("key `" + k.arn() + "` already has key material `"
                + k.pendingMaterial().id() + "` pending rotation: rotate (RotateKeyOnDemand) or delete it first");
          }
          // a multi-Region primary waits until every replica has the new material too
          String pending = relatedReplicas(k).isEmpty() ? "PENDING_ROTATION"
              : "PENDING_MULTI_REGION_IMPORT_AND_ROTATION";
          ms.add(new MaterialRef(m.id(), now, null, pending, expires, r.keyMaterialDescription(), true));
        }
        StoredKey updated = k.withMaterials(ms, importedState(k, ms));
        writeKeyWithMaterial(updated, m);
        mirrorToReplicas(updated);
        changed();
        forgetImportToken(r.importToken());
      }
      return new Kms.KeyMaterialResponse(k0.arn(), m.id());
    });
  }

  /**
   * ImportKeyMaterial into a replica of a multi-Region imported key: always a material of its primary (new
   * material goes into the primary first, https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html).
   * Once every replica has the primary's material pending rotation, the primary's is PENDING_ROTATION.
   */
  private void importIntoReplica(StoredKey k, KeyMaterial m, Instant expires, String importType,
      String description) {
    if ("NEW_KEY_MATERIAL".equals(importType)) {
      throw new ValidationException("key `" + k.arn() + "` is a multi-Region replica: import new key material into"
          + " its primary key, then the same material into each replica (ImportType EXISTING_KEY_MATERIAL)");
    }
    StoredKey primary = relatedPrimary(k);
    List<MaterialRef> ms = primary == null ? new ArrayList<>(k.materials()) : mirroredRefs(primary, k);
    int at = -1;
    for (int i = 0; i < ms.size(); i++) {
      if (ms.get(i).id().equals(m.id())) {
        at = i;
      }
    }
    if (at < 0) {
      throw new IncorrectKeyMaterialException("key `" + k.arn() + "` is a multi-Region replica, and this is not a"
          + " key material of its primary key");
    }
    MaterialRef old = ms.get(at);
    ms.set(at, old.withImport(true, expires, description != null ? description : old.description()));
    StoredKey updated = k.withMaterials(ms, importedState(k, ms));
    writeKeyWithMaterial(updated, m);
    if (primary != null && primary.pendingMaterial() != null
        && "PENDING_MULTI_REGION_IMPORT_AND_ROTATION".equals(primary.pendingMaterial().pendingState())
        && everyReplicaHas(primary, primary.pendingMaterial().id())) {
      List<MaterialRef> pms = new ArrayList<>(primary.materials());
      MaterialRef pend = pms.get(pms.size() - 1);
      pms.set(pms.size() - 1, new MaterialRef(pend.id(), pend.created(), null, "PENDING_ROTATION", pend.expires(),
          pend.description(), pend.imported()));
      writeKey(primary.withMaterials(pms, primary.state()));
    }
    changed();
  }

  private boolean everyReplicaHas(StoredKey primary, String materialId) {
    for (StoredKey r : relatedReplicas(primary)) {
      if (r.materials().stream().noneMatch(x -> x.id().equals(materialId) && x.imported())) {
        return false;
      }
    }
    return true;
  }

  /** Gives the replicas of an imported multi-Region primary the primary's list of materials. */
  private void mirrorToReplicas(StoredKey primary) {
    if (!primary.origin().equals("EXTERNAL")) {
      return;
    }
    for (StoredKey r : relatedReplicas(primary)) {
      List<MaterialRef> ms = mirroredRefs(primary, r);
      replaceMaterials(r, r.withMaterials(ms, importedState(r, ms)));
    }
  }

  /** DeleteImportedKeyMaterial of the current material. */
  public void deleteImportedKeyMaterial(Caller c, String keyId) {
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
  public Kms.KeyMaterialResponse deleteImportedKeyMaterial(Caller c, String keyId, String keyMaterialId) {
    return run(c, "DeleteImportedKeyMaterial", null, call -> {
      StoredKey k0 = resolve(c, keyId, call);
      authorize(call, k0, "kms:DeleteImportedKeyMaterial", Map.of());
      requireExternal(k0);
      synchronized (lock) {
        StoredKey k = fresh(k0);
        MaterialRef target = keyMaterialId == null ? k.currentMaterial() : null;
        for (MaterialRef m : k.materials()) {
          if (m.id().equals(keyMaterialId)) {
            target = m;
          }
        }
        if (target == null) {
          throw keyMaterialId == null
              ? new KMSInvalidStateException("key `" + k.arn() + "` has no imported key material")
              : new NotFoundException("key `" + k.arn() + "` has no key material `" + keyMaterialId + "`");
        }
        dropImportedMaterial(k, Set.of(target.id()));
        if (target.pending()) {
          // new material deleted from a primary before rotation leaves its replicas too
          mirrorToReplicas(fresh(k));
        }
        return new Kms.KeyMaterialResponse(k.arn(), target.id());
      }
    });
  }

  /**
   * Drops imported materials (deleted or expired): one pending rotation goes entirely, one the key keeps loses
   * its bytes and is marked not imported.
   */
  private void dropImportedMaterial(StoredKey k, Set<String> ids) {
    List<MaterialRef> ms = new ArrayList<>();
    for (MaterialRef m : k.materials()) {
      if (!ids.contains(m.id())) {
        ms.add(m);
      } else if (!m.pending()) {
        ms.add(m.withImport(false, null, m.description()));
      }
    }
    replaceMaterials(k, k.withMaterials(ms, importedState(k, ms)));
    changed();
    recomputeDue();
  }

  /**
   * Writes a key whose list of materials changed: rows and bytes of materials no longer imported or no longer
   * listed are dropped, in the store and in memory.
   */
  private void replaceMaterials(StoredKey old, StoredKey updated) {
    store.putKeyDroppingMaterials(updated);
    for (MaterialRef m : old.materials()) {
      boolean kept = updated.materials().stream().anyMatch(x -> x.id().equals(m.id()) && x.imported());
      if (!kept) {
        materials.remove(new MaterialKey(old.arn(), m.id()));
      }
    }
    putKeyInMemory(updated);
  }

  // multi-Region keys ---------------------------------------------------------------------------------------

  /**
   * ReplicateKey: a replica of a multi-Region primary in another Region of the same account, with the same key
   * id, spec, usage, origin, material and rotation settings, and its own policy, aliases, grants, tags,
   * description and state. The replica is Enabled at once (AWS passes through Creating asynchronously).
   */
  public KeyMetadata replicateKey(Caller c, Kms.ReplicateKeyRequest r) {
    return run(c, "ReplicateKey", null, call -> {
      if (r.replicaRegion() == null || !r.replicaRegion().matches("[a-z]{2}(-[a-z]+)+-\\d")) {
        throw new ValidationException("ReplicaRegion `" + r.replicaRegion() + "` is not a Region name");
      }
      Map<String, String> tags = r.tags() == null ? Map.of() : r.tags();
      checkTags(tags);
      StoredKey p0 = resolve(c, r.keyId(), call);
      if (!"PRIMARY".equals(p0.multiRegionKeyType())) {
        throw new KmsUnsupportedOperationException("key `" + p0.arn() + "` is not a multi-Region primary key");
      }
      if (p0.region().equals(r.replicaRegion())) {
        throw new ValidationException("the replica Region must differ from the primary key's Region");
      }
      authorize(call, p0, "kms:ReplicateKey", keys("kms:ReplicaRegion", r.replicaRegion()));
      Caller inReplica = new Caller(c.principal(), r.replicaRegion(), c.viaService(), c.session());
      Call createCall = new Call(inReplica, "ReplicateKey", null);
      authorize(createCall, null, "kms:CreateKey", keys("kms:KeySpec", p0.spec(), "kms:KeyUsage", p0.usage(),
          "kms:KeyOrigin", p0.origin(), "kms:MultiRegion", "true"));
      String arn = "arn:aws:kms:" + r.replicaRegion() + ":" + p0.account() + ":key/" + p0.keyId();
      String text = r.policy() != null ? r.policy() : defaultPolicyText(p0.account());
      String name = r.policy() != null ? "<key policy of " + arn + ">" : DefaultKeyPolicy.nameFor(arn);
      ParseResult pr = validatePolicy(text, name);
      synchronized (lock) {
        StoredKey p = fresh(p0);
        requireNotPendingDeletion(p);
        if (keys.containsKey(arn)) {
          throw new AlreadyExistsException("key `" + p.keyId() + "` already has a replica in " + r.replicaRegion());
        }
        String state = p.origin().equals("EXTERNAL") ? "PendingImport" : "Enabled";
        StoredKey replica = new StoredKey(arn, p.keyId(), p.account(), r.replicaRegion(), p.spec(), p.usage(),
            p.origin(), true, r.description(), state, clock.instant(), null, null, p.rotationEnabled(),
            p.rotationPeriodDays(), null, text, name, tags, List.of(), 0, null, "REPLICA");
        if (r.policy() != null && !r.bypassPolicyLockoutSafetyCheck()) {
          lockoutCheck(c, replica, pr.policy());
        }
        writeKey(replica);
        syncReplicas(p);
        mirrorToReplicas(p); // an imported primary's materials, to be imported into the replica
        changed();
        call.keyArn = arn;
        return metadata(keys.get(arn));
      }
    });
  }

  /** UpdatePrimaryRegion: the replica in {@code primaryRegion} becomes the primary, the primary a replica. */
  public void updatePrimaryRegion(Caller c, String keyId, String primaryRegion) {
    run(c, "UpdatePrimaryRegion", null, call -> {
      StoredKey p0 = resolve(c, keyId, call);
      if (!"PRIMARY".equals(p0.multiRegionKeyType())) {
        throw new KmsUnsupportedOperationException("key `" + p0.arn() + "` is not a multi-Region primary key");
      }
      String target = "arn:aws:kms:" + primaryRegion + ":" + p0.account() + ":key/" + p0.keyId();
      StoredKey r0 = keys.get(target);
      if (r0 == null) {
        throw new NotFoundException("key `" + p0.keyId() + "` has no replica in `" + primaryRegion + "`");
      }
      authorize(call, p0, "kms:UpdatePrimaryRegion", keys("kms:PrimaryRegion", primaryRegion));
      Call onReplica = new Call(new Caller(c.principal(), primaryRegion, c.viaService(), c.session()), "UpdatePrimaryRegion", null);
      authorize(onReplica, r0, "kms:UpdatePrimaryRegion", keys("kms:PrimaryRegion", primaryRegion));
      synchronized (lock) {
        StoredKey p = fresh(p0);
        StoredKey r = fresh(r0);
        requireEnabled(p);
        requireEnabled(r);
        StoredKey newPrimary = r.withMultiRegionKeyType("PRIMARY").withRotation(p.rotationEnabled(),
            p.rotationPeriodDays(), p.nextRotation());
        StoredKey newReplica = p.withMultiRegionKeyType("REPLICA").withRotation(p.rotationEnabled(),
            p.rotationPeriodDays(), null);
        writeKey(newPrimary);
        writeKey(newReplica);
        changed();
        recomputeDue();
      }
      return null;
    });
  }

  /** After a replica went, a primary in PendingReplicaDeletion with no replica left starts its own wait. */
  private void releasePrimaryAfterReplica(StoredKey deleted, Instant now) {
    if (!"REPLICA".equals(deleted.multiRegionKeyType())) {
      return;
    }
    for (StoredKey p : related(deleted, "PRIMARY")) {
      if (p.state().equals("PendingReplicaDeletion") && replicasOf(p).isEmpty()) {
        int days = p.pendingWindowDays() == null ? 30 : p.pendingWindowDays();
        writeKey(p.withState("PendingDeletion", now.plus(Duration.ofDays(days)), days));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // crypto

  private static final Map<EncryptionAlgorithm, Map<String, List<String>>> ALGORITHM_KEYS;

  static {
    Map<EncryptionAlgorithm, Map<String, List<String>>> m = new java.util.EnumMap<>(EncryptionAlgorithm.class);
    for (EncryptionAlgorithm a : EncryptionAlgorithm.values()) {
      m.put(a, Map.of("kms:encryptionalgorithm", List.of(a.name()))); // lower case: the evaluator's form
    }
    ALGORITHM_KEYS = m;
  }

  /** The kms:EncryptionAlgorithm condition key of a call (built once per algorithm: this is the hot path). */
  private static Map<String, List<String>> algorithmKey(EncryptionAlgorithm a) {
    return ALGORITHM_KEYS.get(a);
  }

  public EncryptResponse encrypt(Caller c, EncryptRequest r) {
    return run(c, "Encrypt", context(r.encryptionContext()), call -> {
      checkTokens(r.grantTokens());
      byte[] pt = message(r.plaintext(), "Plaintext");
      EncryptionAlgorithm alg = encryptionAlgorithm(r.encryptionAlgorithm());
      StoredKey k = resolve(c, r.keyId(), call);
      authorize(call, k, "kms:Encrypt", algorithmKey(alg));
      requireEnabled(k);
      requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
      dryRun(r.dryRun(), "Encrypt");
      return new EncryptResponse(encryptWith(k, alg, pt, call.context), k.arn(), alg.name());
    });
  }

  private byte[] encryptWith(StoredKey k, EncryptionAlgorithm alg, byte[] pt, Map<String, String> ctx) {
    KeySpec spec = spec(k);
    if (spec == KeySpec.SYMMETRIC_DEFAULT) {
      if (alg != EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
        throw new InvalidKeyUsageException("symmetric key `" + k.arn() + "` encrypts with SYMMETRIC_DEFAULT only");
      }
      return Envelope.seal((SymmetricKey) current(k), k.keyId(), pt, ctx, nonces);
    }
    if (alg == EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
      throw new InvalidKeyUsageException("asymmetric key `" + k.arn() + "` needs RSAES_OAEP_SHA_1 or"
          + " RSAES_OAEP_SHA_256");
    }
    if (!ctx.isEmpty()) {
      throw new ValidationException("an encryption context is not supported with asymmetric keys");
    }
    if (pt.length > alg.maxPlaintext(spec.bits())) {
      throw new ValidationException("plaintext of " + pt.length + " bytes is longer than the "
          + alg.maxPlaintext(spec.bits()) + " bytes " + alg.name() + " takes with " + spec.name());
    }
    try {
      return ((AsymmetricKey) current(k)).encrypt(alg, pt);
    } catch (GeneralSecurityException e) {
      throw new ValidationException("plaintext cannot be encrypted with " + alg.name());
    }
  }

  public DecryptResponse decrypt(Caller c, DecryptRequest r) {
    return run(c, "Decrypt", context(r.encryptionContext()), call -> {
      checkTokens(r.grantTokens());
      EncryptionAlgorithm alg = encryptionAlgorithm(r.encryptionAlgorithm());
      if (ignoreCiphertext(r.dryRun(), r.dryRunModifiers())) {
        namedKeyForDryRun(c, call, r.keyId(), "KeyId", "kms:Decrypt", alg);
        dryRun(true, "Decrypt");
      }
      Opened o = open(c, call, r.ciphertextBlob(), r.keyId(), alg, "kms:Decrypt", r.dryRun());
      return new DecryptResponse(o.key.arn(), o.plaintext, alg.name(), o.materialId);
    });
  }

  private record Opened(StoredKey key, SecretBytes plaintext, String materialId) {}

  /** The key an IGNORE_CIPHERTEXT dry run names, authorized for {@code action}, enabled, for encryption. */
  private StoredKey namedKeyForDryRun(Caller c, Call call, String keyId, String parameter, String action,
      EncryptionAlgorithm alg) {
    if (keyId == null) {
      throw new ValidationException(parameter + " is required with the IGNORE_CIPHERTEXT dry-run modifier");
    }
    StoredKey k = resolve(c, keyId, call);
    authorize(call, k, action, algorithmKey(alg));
    requireEnabled(k);
    requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
    return k;
  }

  /** Finds the ciphertext's key, authorizes {@code action} on it, checks state and usage, and decrypts. */
  private Opened open(Caller c, Call call, byte[] blob, String keyId, EncryptionAlgorithm alg, String action,
      boolean dryRun) {
    if (blob == null || blob.length < 1 || blob.length > MAX_CIPHERTEXT) {
      throw new ValidationException("CiphertextBlob must be 1 to " + MAX_CIPHERTEXT + " bytes");
    }
    StoredKey named = keyId == null ? null : resolve(c, keyId, call);
    StoredKey k;
    Envelope.Header h = null;
    if (alg == EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
      try {
        h = Envelope.header(blob);
      } catch (CiphertextException e) {
        throw new InvalidCiphertextException("ciphertext is not valid");
      }
      if (named != null && !named.keyId().equals(h.keyId())) {
        throw new IncorrectKeyException("ciphertext was not encrypted under key `" + keyId + "`");
      }
      k = named != null ? named : byKeyId(h.keyId(), h.materialId(), c.region());
      call.keyArn = k.arn();
    } else {
      if (named == null) {
        throw new ValidationException("KeyId is required to decrypt with " + alg.name());
      }
      k = named;
    }
    authorize(call, k, action, algorithmKey(alg));
    requireEnabled(k);
    requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
    dryRun(dryRun, "Decrypt");
    Map<String, String> ctx = call.context;
    if (h != null) {
      if (spec(k) != KeySpec.SYMMETRIC_DEFAULT) {
        throw new IncorrectKeyException("key `" + k.arn() + "` is asymmetric; give its EncryptionAlgorithm");
      }
      KeyMaterial m = materials.get(new MaterialKey(k.arn(), h.materialId()));
      if (!(m instanceof SymmetricKey)) {
        throw new InvalidCiphertextException("ciphertext is not valid");
      }
      try {
        return new Opened(k, Envelope.openSecret((SymmetricKey) m, blob, ctx), h.materialId());
      } catch (CiphertextException e) {
        throw new InvalidCiphertextException("ciphertext is not valid or its encryption context differs");
      }
    }
    if (spec(k).family() != KeySpec.Family.RSA) {
      throw new InvalidKeyUsageException("key `" + k.arn() + "` does not decrypt with " + alg.name());
    }
    if (!ctx.isEmpty()) {
      throw new ValidationException("an encryption context is not supported with asymmetric keys");
    }
    try {
      byte[] pt = ((AsymmetricKey) current(k)).decrypt(alg, blob);
      SecretBytes s = SecretBytes.copyOf(pt);
      java.util.Arrays.fill(pt, (byte) 0);
      return new Opened(k, s, current(k).id());
    } catch (CiphertextException e) {
      throw new InvalidCiphertextException("ciphertext is not valid for key `" + k.arn() + "`");
    }
  }

  /**
   * The key a ciphertext names: among the keys with its key id (multi-Region replicas share ids; seeded worlds
   * may reuse one in two accounts) those that hold its material, the one in the caller's Region first.
   */
  private StoredKey byKeyId(String keyId, String materialId, String region) {
    List<String> arns = arnsByKeyId.get(keyId);
    StoredKey found = null;
    for (String a : arns == null ? List.<String>of() : arns) {
      StoredKey k = keys.get(a);
      if (k == null || !materials.containsKey(new MaterialKey(a, materialId))) {
        continue;
      }
      if (k.region().equals(region)) {
        return k;
      }
      if (found == null) {
        found = k;
      }
    }
    if (found == null && arns != null) {
      // the key exists but lacks the material (imported material deleted): its state check answers
      for (String a : arns) {
        StoredKey k = keys.get(a);
        if (k != null && (found == null || k.region().equals(region))) {
          found = k;
        }
      }
    }
    if (found == null) {
      throw new InvalidCiphertextException("ciphertext is not valid");
    }
    return found;
  }

  public ReEncryptResponse reEncrypt(Caller c, ReEncryptRequest r) {
    return run(c, "ReEncrypt", context(r.destinationEncryptionContext()), call -> {
      checkTokens(r.grantTokens());
      EncryptionAlgorithm from = encryptionAlgorithm(r.sourceEncryptionAlgorithm());
      EncryptionAlgorithm to = encryptionAlgorithm(r.destinationEncryptionAlgorithm());
      StoredKey dest = resolve(c, r.destinationKeyId(), call);
      Call source = new Call(c, "ReEncrypt", context(r.sourceEncryptionContext()));
      if (ignoreCiphertext(r.dryRun(), r.dryRunModifiers())) {
        // DryRun with IGNORE_CIPHERTEXT: both permissions and both keys are checked, the ciphertext is not read
        StoredKey src = namedKeyForDryRun(c, source, r.sourceKeyId(), "SourceKeyId", "kms:ReEncryptFrom", from);
        authorize(call, dest, "kms:ReEncryptTo", keys("kms:EncryptionAlgorithm", to.name(),
            "kms:ReEncryptOnSameKey", Boolean.toString(dest.arn().equals(src.arn()))));
        requireEnabled(dest);
        requireUsage(dest, KeyUsage.ENCRYPT_DECRYPT);
        dryRun(true, "ReEncrypt");
      }
      Opened o = open(c, source, r.ciphertextBlob(), r.sourceKeyId(), from, "kms:ReEncryptFrom", false);
      try {
        authorize(call, dest, "kms:ReEncryptTo", keys("kms:EncryptionAlgorithm", to.name(),
            "kms:ReEncryptOnSameKey", Boolean.toString(dest.arn().equals(o.key.arn()))));
        requireEnabled(dest);
        requireUsage(dest, KeyUsage.ENCRYPT_DECRYPT);
        dryRun(r.dryRun(), "ReEncrypt");
        byte[] pt = o.plaintext.toByteArray();
        try {
          message(pt, "Plaintext");
          return new ReEncryptResponse(encryptWith(dest, to, pt, call.context), o.key.arn(), dest.arn(),
              from.name(), to.name());
        } finally {
          java.util.Arrays.fill(pt, (byte) 0);
        }
      } finally {
        o.plaintext.wipe();
      }
    });
  }

  public GenerateDataKeyResponse generateDataKey(Caller c, GenerateDataKeyRequest r) {
    return dataKey(c, r, true);
  }

  public GenerateDataKeyResponse generateDataKeyWithoutPlaintext(Caller c, GenerateDataKeyRequest r) {
    return dataKey(c, r, false);
  }

  private GenerateDataKeyResponse dataKey(Caller c, GenerateDataKeyRequest r, boolean withPlaintext) {
    String op = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
    return run(c, op, context(r.encryptionContext()), call -> {
      checkTokens(r.grantTokens());
      int n;
      if ((r.numberOfBytes() == null) == (r.keySpec() == null)) {
        throw new ValidationException("give either KeySpec or NumberOfBytes");
      } else if (r.keySpec() != null) {
        if (!r.keySpec().equals("AES_256") && !r.keySpec().equals("AES_128")) {
          throw new ValidationException("KeySpec must be AES_256 or AES_128");
        }
        n = r.keySpec().equals("AES_256") ? 32 : 16;
      } else {
        n = r.numberOfBytes();
        if (n < 1 || n > 1024) {
          throw new ValidationException("NumberOfBytes must be 1 to 1024");
        }
      }
      StoredKey k = resolve(c, r.keyId(), call);
      authorize(call, k, "kms:" + op, algorithmKey(EncryptionAlgorithm.SYMMETRIC_DEFAULT));
      requireEnabled(k);
      requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
      if (spec(k) != KeySpec.SYMMETRIC_DEFAULT) {
        throw new InvalidKeyUsageException("data keys are generated under symmetric keys only");
      }
      dryRun(r.dryRun(), op);
      byte[] dk = randomBytes(n);
      try {
        byte[] blob = Envelope.seal((SymmetricKey) current(k), k.keyId(), dk, call.context, nonces);
        return new GenerateDataKeyResponse(blob, withPlaintext ? SecretBytes.copyOf(dk) : null, k.arn());
      } finally {
        java.util.Arrays.fill(dk, (byte) 0);
      }
    });
  }

  public GenerateDataKeyPairResponse generateDataKeyPair(Caller c, GenerateDataKeyPairRequest r) {
    return dataKeyPair(c, r, true);
  }

  public GenerateDataKeyPairResponse generateDataKeyPairWithoutPlaintext(Caller c, GenerateDataKeyPairRequest r) {
    return dataKeyPair(c, r, false);
  }

  private GenerateDataKeyPairResponse dataKeyPair(Caller c, GenerateDataKeyPairRequest r, boolean withPlaintext) {
    String op = withPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
    return run(c, op, context(r.encryptionContext()), call -> {
      checkTokens(r.grantTokens());
      KeySpec pairSpec = KeySpec.parse(r.keyPairSpec());
      if (pairSpec == null || !pairSpec.isAsymmetric()) {
        throw new ValidationException("KeyPairSpec `" + r.keyPairSpec() + "` is not supported");
      }
      StoredKey k = resolve(c, r.keyId(), call);
      authorize(call, k, "kms:" + op, keys("kms:DataKeyPairSpec", pairSpec.name(),
          "kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
      requireEnabled(k);
      requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
      if (spec(k) != KeySpec.SYMMETRIC_DEFAULT) {
        throw new InvalidKeyUsageException("data key pairs are generated under symmetric keys only");
      }
      dryRun(r.dryRun(), op);
      AsymmetricKey pair = AsymmetricKey.generate(pairSpec, newMaterialId(), random);
      SecretBytes priv = pair.privateKeyPkcs8();
      byte[] raw = priv.toByteArray();
      try {
        byte[] blob = Envelope.seal((SymmetricKey) current(k), k.keyId(), raw, call.context, nonces);
        return new GenerateDataKeyPairResponse(blob, withPlaintext ? priv : null, pair.publicKeyDer(), k.arn(),
            pairSpec.name());
      } finally {
        java.util.Arrays.fill(raw, (byte) 0);
        if (!withPlaintext) {
          priv.wipe();
        }
      }
    });
  }

  /** GenerateRandom: 1 to 1024 random bytes. */
  public SecretBytes generateRandom(Caller c, int numberOfBytes) {
    return run(c, "GenerateRandom", null, call -> {
      if (numberOfBytes < 1 || numberOfBytes > 1024) {
        throw new ValidationException("NumberOfBytes must be 1 to 1024");
      }
      authorize(call, null, "kms:GenerateRandom", Map.of());
      byte[] b = randomBytes(numberOfBytes);
      SecretBytes s = SecretBytes.copyOf(b);
      java.util.Arrays.fill(b, (byte) 0);
      return s;
    });
  }

  private AsymmetricKey signingKey(StoredKey k, SigningAlgorithm alg) {
    requireEnabled(k);
    requireUsage(k, KeyUsage.SIGN_VERIFY);
    if (!alg.worksWith(spec(k))) {
      throw new InvalidKeyUsageException("key `" + k.arn() + "` (" + k.spec() + ") does not sign with "
          + alg.name());
    }
    return (AsymmetricKey) current(k);
  }

  public SignResponse sign(Caller c, SignRequest r) {
    return run(c, "Sign", null, call -> {
      checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      SigningAlgorithm alg = signingAlgorithm(r.signingAlgorithm());
      MessageType type = messageType(r.messageType(), alg, msg);
      StoredKey k = resolve(c, r.keyId(), call);
      authorize(call, k, "kms:Sign", keys("kms:SigningAlgorithm", alg.name(), "kms:MessageType", type.name()));
      AsymmetricKey signer = signingKey(k, alg);
      dryRun(r.dryRun(), "Sign");
      try {
        return new SignResponse(k.arn(), signer.sign(alg, type, msg), alg.name());
      } catch (GeneralSecurityException e) {
        throw new ValidationException("message cannot be signed with " + alg.name());
      }
    });
  }

  public VerifyResponse verify(Caller c, VerifyRequest r) {
    return run(c, "Verify", null, call -> {
      checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      if (r.signature() == null || r.signature().length == 0) {
        throw new ValidationException("Signature is required");
      }
      SigningAlgorithm alg = signingAlgorithm(r.signingAlgorithm());
      MessageType type = messageType(r.messageType(), alg, msg);
      StoredKey k = resolve(c, r.keyId(), call);
      authorize(call, k, "kms:Verify", keys("kms:SigningAlgorithm", alg.name(), "kms:MessageType", type.name()));
      AsymmetricKey verifier = signingKey(k, alg);
      dryRun(r.dryRun(), "Verify");
      if (!verifier.verify(alg, type, msg, r.signature())) {
        throw new KMSInvalidSignatureException("signature is not valid");
      }
      return new VerifyResponse(k.arn(), true, alg.name());
    });
  }

  public GetPublicKeyResponse getPublicKey(Caller c, String keyId) {
    return run(c, "GetPublicKey", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:GetPublicKey", Map.of());
      requireEnabled(k);
      if (!spec(k).isAsymmetric()) {
        throw new KmsUnsupportedOperationException("key `" + k.arn() + "` is " + k.spec() + " and has no public key");
      }
      KeyMetadata md = metadata(k);
      return new GetPublicKeyResponse(k.arn(), ((AsymmetricKey) current(k)).publicKeyDer(), k.spec(), k.usage(),
          md.encryptionAlgorithms(), md.signingAlgorithms());
    });
  }

  private HmacKey macKey(StoredKey k, MacAlgorithm alg) {
    requireEnabled(k);
    requireUsage(k, KeyUsage.GENERATE_VERIFY_MAC);
    if (alg.spec() != spec(k)) {
      throw new InvalidKeyUsageException("key `" + k.arn() + "` (" + k.spec() + ") does not work with " + alg.name());
    }
    return (HmacKey) current(k);
  }

  public GenerateMacResponse generateMac(Caller c, GenerateMacRequest r) {
    return run(c, "GenerateMac", null, call -> {
      checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      MacAlgorithm alg = macAlgorithm(r.macAlgorithm());
      StoredKey k = resolve(c, r.keyId(), call);
      authorize(call, k, "kms:GenerateMac", keys("kms:MacAlgorithm", alg.name()));
      HmacKey mk = macKey(k, alg);
      dryRun(r.dryRun(), "GenerateMac");
      return new GenerateMacResponse(mk.mac(alg, msg), alg.name(), k.arn());
    });
  }

  public VerifyMacResponse verifyMac(Caller c, VerifyMacRequest r) {
    return run(c, "VerifyMac", null, call -> {
      checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      if (r.mac() == null || r.mac().length == 0) {
        throw new ValidationException("Mac is required");
      }
      MacAlgorithm alg = macAlgorithm(r.macAlgorithm());
      StoredKey k = resolve(c, r.keyId(), call);
      authorize(call, k, "kms:VerifyMac", keys("kms:MacAlgorithm", alg.name()));
      HmacKey mk = macKey(k, alg);
      dryRun(r.dryRun(), "VerifyMac");
      if (!mk.verify(alg, msg, r.mac())) {
        throw new KMSInvalidMacException("mac is not valid");
      }
      return new VerifyMacResponse(k.arn(), true, alg.name());
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // grants

  public CreateGrantResponse createGrant(Caller c, CreateGrantRequest r) {
    return run(c, "CreateGrant", null, call -> {
      checkTokens(r.grantTokens());
      if (r.granteePrincipal() == null || r.granteePrincipal().isEmpty()) {
        throw new ValidationException("GranteePrincipal is required");
      }
      if (r.operations().isEmpty()) {
        throw new ValidationException("Operations must name at least one operation");
      }
      for (String op : r.operations()) {
        if (!GRANT_OPERATIONS.contains(op)) {
          throw new ValidationException("`" + op + "` is not a grant operation");
        }
      }
      GrantConstraints gc = r.constraints();
      boolean constrained = gc != null && (gc.encryptionContextEquals() != null
          || gc.encryptionContextSubset() != null);
      if (constrained) {
        for (String op : r.operations()) {
          if (NO_CONTEXT_OPERATIONS.contains(op)) {
            throw new ValidationException("grant constraints cannot be used with operation `" + op
                + "`, which takes no encryption context");
          }
        }
      }
      if (r.name() != null && !GRANT_NAME.matcher(r.name()).matches()) {
        throw new ValidationException("grant name `" + r.name() + "` must be 1 to 256 of [a-zA-Z0-9:/_-]");
      }
      StoredKey k0 = resolve(c, r.keyId(), call);
      Map<String, List<String>> extra = new HashMap<>();
      extra.put("kms:GrantOperations", List.copyOf(r.operations()));
      extra.put("kms:GranteePrincipal", List.of(r.granteePrincipal()));
      if (r.retiringPrincipal() != null) {
        extra.put("kms:RetiringPrincipal", List.of(r.retiringPrincipal()));
      }
      if (constrained) {
        List<String> types = new ArrayList<>();
        if (gc.encryptionContextEquals() != null) {
          types.add("EncryptionContextEquals");
        }
        if (gc.encryptionContextSubset() != null) {
          types.add("EncryptionContextSubset");
        }
        extra.put("kms:GrantConstraintType", types);
      }
      if (c.viaService() != null) {
        extra.put("kms:GrantIsForAWSResource", List.of("true"));
      }
      authorize(call, k0, "kms:CreateGrant", extra);
      synchronized (lock) {
        StoredKey k = fresh(k0);
        requireNotPendingDeletion(k);
        dryRun(r.dryRun(), "CreateGrant");
        Map<String, String> eq = constrained ? gc.encryptionContextEquals() : null;
        Map<String, String> sub = constrained ? gc.encryptionContextSubset() : null;
        List<StoredGrant> onKey = new ArrayList<>();
        for (StoredGrant g : grants.values()) {
          if (g.keyArn().equals(k.arn())) {
            onKey.add(g);
          }
        }
        if (r.name() != null) {
          for (StoredGrant g : onKey) {
            if (r.name().equals(g.name()) && g.grantee().equals(r.granteePrincipal())
                && Objects.equals(g.retiringPrincipal(), r.retiringPrincipal())
                && new HashSet<>(g.operations()).equals(new HashSet<>(r.operations()))
                && Objects.equals(g.constraintEquals(), eq) && Objects.equals(g.constraintSubset(), sub)) {
              return new CreateGrantResponse(g.token(), g.grantId());
            }
          }
        }
        if (onKey.size() >= MAX_GRANTS_PER_KEY) {
          throw new LimitExceededException("key `" + k.arn() + "` has " + MAX_GRANTS_PER_KEY + " grants already");
        }
        String id = HEX.formatHex(randomBytes(32));
        StoredGrant g = new StoredGrant(id, k.arn(), newToken(), r.name(), r.granteePrincipal(),
            r.retiringPrincipal(), accountOf(c.principal()), r.operations(), eq, sub, clock.instant());
        store.putGrant(g);
        grants.put(id, g);
        grantsByToken.put(g.token(), id);
        changed();
        return new CreateGrantResponse(g.token(), id);
      }
    });
  }

  /** ListGrants of a key, optionally only one grant id or one grantee; by creation time (no paging). */
  public List<GrantListEntry> listGrants(Caller c, String keyId, String grantId, String granteePrincipal) {
    return run(c, "ListGrants", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:ListGrants", Map.of());
      List<GrantListEntry> out = new ArrayList<>();
      for (StoredGrant g : sortedGrants()) {
        if (g.keyArn().equals(k.arn()) && (grantId == null || g.grantId().equals(grantId))
            && (granteePrincipal == null || g.grantee().equals(granteePrincipal))) {
          out.add(entry(g));
        }
      }
      return out;
    });
  }

  private List<StoredGrant> sortedGrants() {
    List<StoredGrant> l = new ArrayList<>(grants.values());
    l.sort(Comparator.comparing(StoredGrant::created).thenComparing(StoredGrant::grantId));
    return l;
  }

  /** ListRetirableGrants: the grants naming {@code retiringPrincipal} (an IAM-only permission). */
  public List<GrantListEntry> listRetirableGrants(Caller c, String retiringPrincipal) {
    return run(c, "ListRetirableGrants", null, call -> {
      if (retiringPrincipal == null || retiringPrincipal.isEmpty()) {
        throw new ValidationException("RetiringPrincipal is required");
      }
      authorize(call, null, "kms:ListRetirableGrants", Map.of());
      List<GrantListEntry> out = new ArrayList<>();
      for (StoredGrant g : sortedGrants()) {
        if (retiringPrincipal.equals(g.retiringPrincipal())) {
          out.add(entry(g));
        }
      }
      return out;
    });
  }

  /**
   * RetireGrant by token, or by key and grant id. Authorized by the grant itself (its retiring principal, its
   * grantee when it lists RetireGrant, or its issuing account), as the authorizer decides kms:RetireGrant.
   */
  public void retireGrant(Caller c, String grantToken, String keyId, String grantId) {
    retireGrant(c, grantToken, keyId, grantId, false);
  }

  /** RetireGrant with DryRun: all checks, then DryRunOperationException. */
  public void retireGrant(Caller c, String grantToken, String keyId, String grantId, boolean dryRun) {
    run(c, "RetireGrant", null, call -> {
      StoredGrant g;
      if (grantToken != null) {
        String id = grantsByToken.get(grantToken);
        if (id == null || grants.get(id) == null) {
          throw new InvalidGrantTokenException("grant token is not valid");
        }
        g = grants.get(id);
      } else {
        if (keyId == null || grantId == null) {
          throw new ValidationException("give GrantToken, or KeyId and GrantId");
        }
        StoredKey k = resolve(c, keyId, call);
        g = grants.get(grantId);
        if (g == null || !g.keyArn().equals(k.arn())) {
          throw new InvalidGrantIdException("grant `" + grantId + "` is not a grant of key `" + keyId + "`");
        }
      }
      StoredKey k = keys.get(g.keyArn());
      authorize(call, k, "kms:RetireGrant", keys("kms:GrantId", g.grantId()));
      dryRun(dryRun, "RetireGrant");
      removeGrant(g);
      return null;
    });
  }

  /** RevokeGrant: authorized by kms:RevokeGrant on the key (key policy or IAM). */
  public void revokeGrant(Caller c, String keyId, String grantId) {
    revokeGrant(c, keyId, grantId, false);
  }

  /** RevokeGrant with DryRun: all checks, then DryRunOperationException. */
  public void revokeGrant(Caller c, String keyId, String grantId, boolean dryRun) {
    run(c, "RevokeGrant", null, call -> {
      StoredKey k = resolve(c, keyId, call);
      authorize(call, k, "kms:RevokeGrant", Map.of());
      StoredGrant g = grants.get(grantId == null ? "" : grantId);
      if (g == null || !g.keyArn().equals(k.arn())) {
        throw new InvalidGrantIdException("grant `" + grantId + "` is not a grant of key `" + keyId + "`");
      }
      dryRun(dryRun, "RevokeGrant");
      removeGrant(g);
      return null;
    });
  }

  private void removeGrant(StoredGrant g) {
    synchronized (lock) {
      store.deleteGrant(g.grantId());
      grants.remove(g.grantId());
      grantsByToken.remove(g.token());
      changed();
    }
  }

  // ---------------------------------------------------------------------------------------------------

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private String newMaterialId() {
    return HEX.formatHex(randomBytes(32));
  }

  private String newToken() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(48));
  }

  @Override
  public void close() {
    store.close();
    audit.close();
  }

  @Override
  public String toString() {
    return "KmsRuntime[" + keys.size() + " keys]";
  }

  static Map<String, String> sorted(Map<String, String> m) {
    return m == null ? Map.of() : new LinkedHashMap<>(new TreeMap<>(m));
  }
}
