package dev.keyward.runtime;

import dev.keyward.model.SourceRef;
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
import dev.keyward.runtime.audit.AuditLog;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.store.KeyStore;
import dev.keyward.world.World;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
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
 *
 * <p>This class is a façade over parts that each do one thing, as the server's handler groups are cut:
 * {@link KmsKeys}, {@link KmsCrypto}, {@link KmsGrants}, {@link KmsImports}, {@link KmsMultiRegion},
 * {@link KmsAliases}, {@link KmsPolicies}, the rotation and deletion {@link KmsScheduler} and {@link KmsSeeding}.
 * They share one {@link KmsState} (the concurrent maps and the store) and are authorized in one place,
 * {@link KmsGate}.
 */
public final class KmsRuntime implements AutoCloseable {

  /** Largest key policy, as local-kms and the older AWS documentation have it (the model now says 131072). */
  public static final int MAX_POLICY_CHARS = 32_768;
  /** AWS's quota of RotateKeyOnDemand calls per key. */
  public static final int MAX_ON_DEMAND_ROTATIONS = 25;
  public static final int MAX_GRANTS_PER_KEY = 50_000;
  public static final int MAX_ALIASES_PER_KEY = 50;
  static final int MAX_MESSAGE = 4096;
  static final Pattern ALIAS_NAME = Pattern.compile("alias/[a-zA-Z0-9/_-]{1,250}");
  static final HexFormat HEX = HexFormat.of();

  private final KmsState shared;
  private final KmsGate gate;
  private final KmsPolicies policyOps;
  private final KmsAliases aliasOps;
  private final KmsGrants grantOps;
  private final KmsImports importOps;
  private final KmsKeys keyOps;
  private final KmsCrypto crypto;
  private final KmsScheduler scheduler;
  private final KmsMultiRegion multiRegion;
  private final KmsSeeding seeding;

  private KmsRuntime(Builder b) {
    this.shared = new KmsState(b.world, b.store, b.clock, b.random, b.audit);
    this.gate = new KmsGate(shared, this::tick);
    this.policyOps = new KmsPolicies(shared, gate);
    this.aliasOps = new KmsAliases(shared, gate);
    this.grantOps = new KmsGrants(shared, gate);
    this.importOps = new KmsImports(shared, gate);
    this.keyOps = new KmsKeys(shared, gate, policyOps);
    this.crypto = new KmsCrypto(shared, gate, keyOps);
    this.scheduler = new KmsScheduler(shared, gate, importOps, keyOps);
    this.multiRegion = new KmsMultiRegion(shared, gate, policyOps, importOps, keyOps, scheduler);
    this.seeding = new KmsSeeding(shared, gate, policyOps);
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

  // ---------------------------------------------------------------------------------------------------
  // seeding (not authorized operations)

  public void seedKey(String keyArn, String keySpec, String keyUsage, String policyText, String policyName,
      SecretBytes material, List<String> aliasNames) {
    seeding.seedKey(keyArn, keySpec, keyUsage, policyText, policyName, material, aliasNames);
  }

  public void seedKeySettings(String keyArn, String state, Boolean rotationEnabled, Integer rotationPeriodDays) {
    seeding.seedKeySettings(keyArn, state, rotationEnabled, rotationPeriodDays);
  }

  public boolean holds(String keyArn) {
    return seeding.holds(keyArn);
  }

  public void seedGrant(String keyArn, String grantId, String name, String grantee, String retiringPrincipal,
      List<String> operations, Map<String, String> equals, Map<String, String> subset) {
    seeding.seedGrant(keyArn, grantId, name, grantee, retiringPrincipal, operations, equals, subset);
  }

  // ---------------------------------------------------------------------------------------------------
  // time: automatic rotation and deletion, and the operations that schedule them

  public void tick() {
    scheduler.tick();
  }

  public List<String> keyArns() {
    return scheduler.keyArns();
  }

  public boolean purgeKey(String keyArn) {
    return scheduler.purgeKey(keyArn);
  }

  public ScheduleKeyDeletionResponse scheduleKeyDeletion(Caller c, String keyId, Integer pendingWindowInDays) {
    return scheduler.scheduleKeyDeletion(c, keyId, pendingWindowInDays);
  }

  public String cancelKeyDeletion(Caller c, String keyId) {
    return scheduler.cancelKeyDeletion(c, keyId);
  }

  public void enableKeyRotation(Caller c, String keyId, Integer rotationPeriodInDays) {
    scheduler.enableKeyRotation(c, keyId, rotationPeriodInDays);
  }

  public void disableKeyRotation(Caller c, String keyId) {
    scheduler.disableKeyRotation(c, keyId);
  }

  public KeyRotationStatus getKeyRotationStatus(Caller c, String keyId) {
    return scheduler.getKeyRotationStatus(c, keyId);
  }

  public String rotateKeyOnDemand(Caller c, String keyId) {
    return scheduler.rotateKeyOnDemand(c, keyId);
  }

  public List<RotationsListEntry> listKeyRotations(Caller c, String keyId) {
    return scheduler.listKeyRotations(c, keyId);
  }

  // ---------------------------------------------------------------------------------------------------
  // key management

  public KeyMetadata createKey(Caller c, CreateKeyRequest r) {
    return keyOps.createKey(c, r);
  }

  public KeyMetadata describeKey(Caller c, String keyId) {
    return keyOps.describeKey(c, keyId);
  }

  public Kms.KeyLastUsage getKeyLastUsage(Caller c, String keyId) {
    return keyOps.getKeyLastUsage(c, keyId);
  }

  public List<KeyListEntry> listKeys(Caller c) {
    return keyOps.listKeys(c);
  }

  public void enableKey(Caller c, String keyId) {
    keyOps.enableKey(c, keyId);
  }

  public void disableKey(Caller c, String keyId) {
    keyOps.disableKey(c, keyId);
  }

  public void updateKeyDescription(Caller c, String keyId, String description) {
    keyOps.updateKeyDescription(c, keyId, description);
  }

  public void tagResource(Caller c, String keyId, Map<String, String> tags) {
    keyOps.tagResource(c, keyId, tags);
  }

  public void untagResource(Caller c, String keyId, List<String> tagKeys) {
    keyOps.untagResource(c, keyId, tagKeys);
  }

  public Map<String, String> listResourceTags(Caller c, String keyId) {
    return keyOps.listResourceTags(c, keyId);
  }

  // ---------------------------------------------------------------------------------------------------
  // key policies

  public String getKeyPolicy(Caller c, String keyId, String policyName) {
    return policyOps.getKeyPolicy(c, keyId, policyName);
  }

  public List<String> listKeyPolicies(Caller c, String keyId) {
    return policyOps.listKeyPolicies(c, keyId);
  }

  public void putKeyPolicy(Caller c, String keyId, String policyName, String policy, boolean bypassLockoutCheck) {
    policyOps.putKeyPolicy(c, keyId, policyName, policy, bypassLockoutCheck);
  }

  // ---------------------------------------------------------------------------------------------------
  // aliases

  public void createAlias(Caller c, String aliasName, String targetKeyId) {
    aliasOps.createAlias(c, aliasName, targetKeyId);
  }

  public void updateAlias(Caller c, String aliasName, String targetKeyId) {
    aliasOps.updateAlias(c, aliasName, targetKeyId);
  }

  public void deleteAlias(Caller c, String aliasName) {
    aliasOps.deleteAlias(c, aliasName);
  }

  public List<AliasListEntry> listAliases(Caller c, String keyId) {
    return aliasOps.listAliases(c, keyId);
  }

  // ---------------------------------------------------------------------------------------------------
  // imported key material

  public Kms.GetParametersForImportResponse getParametersForImport(Caller c, String keyId, String wrappingAlgorithm,
      String wrappingKeySpec) {
    return importOps.getParametersForImport(c, keyId, wrappingAlgorithm, wrappingKeySpec);
  }

  public Kms.KeyMaterialResponse importKeyMaterial(Caller c, Kms.ImportKeyMaterialRequest r) {
    return importOps.importKeyMaterial(c, r);
  }

  public void deleteImportedKeyMaterial(Caller c, String keyId) {
    importOps.deleteImportedKeyMaterial(c, keyId);
  }

  public Kms.KeyMaterialResponse deleteImportedKeyMaterial(Caller c, String keyId, String keyMaterialId) {
    return importOps.deleteImportedKeyMaterial(c, keyId, keyMaterialId);
  }

  // ---------------------------------------------------------------------------------------------------
  // multi-Region keys

  public KeyMetadata replicateKey(Caller c, Kms.ReplicateKeyRequest r) {
    return multiRegion.replicateKey(c, r);
  }

  public void updatePrimaryRegion(Caller c, String keyId, String primaryRegion) {
    multiRegion.updatePrimaryRegion(c, keyId, primaryRegion);
  }

  // ---------------------------------------------------------------------------------------------------
  // crypto

  public EncryptResponse encrypt(Caller c, EncryptRequest r) {
    return crypto.encrypt(c, r);
  }

  public DecryptResponse decrypt(Caller c, DecryptRequest r) {
    return crypto.decrypt(c, r);
  }

  public ReEncryptResponse reEncrypt(Caller c, ReEncryptRequest r) {
    return crypto.reEncrypt(c, r);
  }

  public GenerateDataKeyResponse generateDataKey(Caller c, GenerateDataKeyRequest r) {
    return crypto.generateDataKey(c, r);
  }

  public GenerateDataKeyResponse generateDataKeyWithoutPlaintext(Caller c, GenerateDataKeyRequest r) {
    return crypto.generateDataKeyWithoutPlaintext(c, r);
  }

  public GenerateDataKeyPairResponse generateDataKeyPair(Caller c, GenerateDataKeyPairRequest r) {
    return crypto.generateDataKeyPair(c, r);
  }

  public GenerateDataKeyPairResponse generateDataKeyPairWithoutPlaintext(Caller c, GenerateDataKeyPairRequest r) {
    return crypto.generateDataKeyPairWithoutPlaintext(c, r);
  }

  public SecretBytes generateRandom(Caller c, int numberOfBytes) {
    return crypto.generateRandom(c, numberOfBytes);
  }

  public SignResponse sign(Caller c, SignRequest r) {
    return crypto.sign(c, r);
  }

  public VerifyResponse verify(Caller c, VerifyRequest r) {
    return crypto.verify(c, r);
  }

  public GetPublicKeyResponse getPublicKey(Caller c, String keyId) {
    return crypto.getPublicKey(c, keyId);
  }

  public GenerateMacResponse generateMac(Caller c, GenerateMacRequest r) {
    return crypto.generateMac(c, r);
  }

  public VerifyMacResponse verifyMac(Caller c, VerifyMacRequest r) {
    return crypto.verifyMac(c, r);
  }

  // ---------------------------------------------------------------------------------------------------
  // grants

  public CreateGrantResponse createGrant(Caller c, CreateGrantRequest r) {
    return grantOps.createGrant(c, r);
  }

  public List<GrantListEntry> listGrants(Caller c, String keyId, String grantId, String granteePrincipal) {
    return grantOps.listGrants(c, keyId, grantId, granteePrincipal);
  }

  public List<GrantListEntry> listRetirableGrants(Caller c, String retiringPrincipal) {
    return grantOps.listRetirableGrants(c, retiringPrincipal);
  }

  public void retireGrant(Caller c, String grantToken, String keyId, String grantId) {
    grantOps.retireGrant(c, grantToken, keyId, grantId);
  }

  public void retireGrant(Caller c, String grantToken, String keyId, String grantId, boolean dryRun) {
    grantOps.retireGrant(c, grantToken, keyId, grantId, dryRun);
  }

  public void revokeGrant(Caller c, String keyId, String grantId) {
    grantOps.revokeGrant(c, keyId, grantId);
  }

  public void revokeGrant(Caller c, String keyId, String grantId, boolean dryRun) {
    grantOps.revokeGrant(c, keyId, grantId, dryRun);
  }

  @Override
  public void close() {
    shared.store.close();
    shared.audit.close();
  }

  @Override
  public String toString() {
    return "KmsRuntime[" + shared.keys.size() + " keys]";
  }

  static Map<String, String> sorted(Map<String, String> m) {
    return m == null ? Map.of() : new LinkedHashMap<>(new TreeMap<>(m));
  }
}
