package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.ALREADY_EXISTS;
import static dev.keyward.runtime.KmsError.EXPIRED_IMPORT_TOKEN;
import static dev.keyward.runtime.KmsError.INCORRECT_KEY_MATERIAL;
import static dev.keyward.runtime.KmsError.INVALID_CIPHERTEXT;
import static dev.keyward.runtime.KmsError.INVALID_IMPORT_TOKEN;
import static dev.keyward.runtime.KmsError.KMS_INVALID_STATE;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.UNSUPPORTED_OPERATION;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.TestKms.ADMIN;
import static dev.keyward.runtime.TestKms.ADMIN_CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.runtime.Kms.CreateKeyRequest;
import dev.keyward.runtime.store.JdbcKeyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportAndMultiRegionTest {

  private static final byte[] DATA = "imported".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;
  private TestKms.MovableClock clock;
  private KmsRuntime kms;

  @BeforeEach
  void setUp() {
    clock = new TestKms.MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    kms = KmsRuntime.builder().world(TestKms.world(dir)).clock(clock).build();
  }

  private static CreateKeyRequest external(String spec, String usage) {
    return new CreateKeyRequest(null, null, spec, usage, "EXTERNAL", false, null, false);
  }

  /** What a client does with GetParametersForImport's public key: RSA-OAEP with SHA-256. */
  private static byte[] oaepWrap(byte[] spki, byte[] material) throws Exception {
    PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT));
    return c.doFinal(material);
  }

  /** RSA_AES_KEY_WRAP_SHA_256: OAEP-wrapped ephemeral AES key, then AES-KWP (RFC 5649) of the material. */
  private static byte[] rsaAesWrap(byte[] spki, byte[] material) throws Exception {
    byte[] aes = new byte[32];
    RANDOM.nextBytes(aes);
    Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
    kwp.init(Cipher.WRAP_MODE, new SecretKeySpec(aes, "AES"));
    byte[] wrapped = kwp.wrap(new SecretKeySpec(material, "AES"));
    byte[] head = oaepWrap(spki, aes);
    byte[] out = new byte[head.length + wrapped.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(wrapped, 0, out, head.length, wrapped.length);
    return out;
  }

  private Kms.GetParametersForImportResponse params(String key, String alg) {
    return kms.getParametersForImport(inRegionOf(key), key, alg, "RSA_2048");
  }

  @Test
  void importSymmetric_pendingImportThenEnabled_andSameMaterialDecryptsAfterReimport() throws Exception {
    Kms.KeyMetadata md = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null));
    String key = md.arn();
    assertThat(md.keyState()).isEqualTo("PendingImport");
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(key, DATA, null)))
        .is(TestKms.error(KMS_INVALID_STATE));
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    Kms.GetParametersForImportResponse p = params(key, "RSAES_OAEP_SHA_256");
    assertThat(p.parametersValidTo()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key, p.importToken(),
        oaepWrap(p.publicKey(), material), null, null));
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("Enabled");
    assertThat(kms.describeKey(ADMIN_CALLER, key).expirationModel()).isEqualTo("KEY_MATERIAL_DOES_NOT_EXPIRE");
    byte[] blob = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(key, DATA, Map.of("a", "b"))).ciphertextBlob();
    assertThatThrownBy(() -> kms.enableKeyRotation(ADMIN_CALLER, key, null))
        .is(TestKms.error(UNSUPPORTED_OPERATION));

    kms.deleteImportedKeyMaterial(ADMIN_CALLER, key);
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("PendingImport");
    assertThatThrownBy(() -> kms.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(blob, Map.of("a", "b"))))
        .is(TestKms.error(KMS_INVALID_STATE));

    Kms.GetParametersForImportResponse p2 = params(key, "RSAES_OAEP_SHA_256");
    kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key, p2.importToken(),
        oaepWrap(p2.publicKey(), material), null, null));
    assertThat(kms.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(blob, Map.of("a", "b"))).plaintext().toByteArray())
        .isEqualTo(DATA);

    byte[] other = new byte[32];
    RANDOM.nextBytes(other);
    Kms.GetParametersForImportResponse p3 = params(key, "RSAES_OAEP_SHA_256");
    assertThatThrownBy(() -> kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key,
        p3.importToken(), oaepWrap(p3.publicKey(), other), null, null)))
        .is(TestKms.error(INCORRECT_KEY_MATERIAL));
  }

  /** The administrator calling the Region of a key ARN (keys are regional: a call sees its Region's keys only). */
  private static Kms.Caller inRegionOf(String keyArn) {
    return keyArn.startsWith("arn:") ? Kms.Caller.of(ADMIN, keyArn.split(":")[3]) : ADMIN_CALLER;
  }

  private Kms.KeyMaterialResponse importMaterial(String key, byte[] material, String type, String id,
      Instant validTo) throws Exception {
    Kms.GetParametersForImportResponse p = params(key, "RSAES_OAEP_SHA_256");
    return kms.importKeyMaterial(inRegionOf(key), new Kms.ImportKeyMaterialRequest(key, p.importToken(),
        oaepWrap(p.publicKey(), material), validTo, validTo == null ? null : "KEY_MATERIAL_EXPIRES", type, id,
        type == null ? null : "material " + type.toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
  }

  /** A SQLite store in the test folder, under one root key file. */
  private JdbcKeyStore store(String name) throws java.io.IOException {
    return JdbcKeyStore.openDirectory(dir.resolve(name), new JdbcKeyStore.KeyFile(dir.resolve("root.key"), true));
  }

  private static byte[] material() {
    byte[] m = new byte[32];
    RANDOM.nextBytes(m);
    return m;
  }

  @Test
  void importedKey_rotatesOnDemandToNewMaterial_oldCiphertextsStillDecrypt() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
    byte[] first = material();
    String firstId = importMaterial(key, first, null, null, null).keyMaterialId();
    byte[] before = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(key, DATA, null)).ciphertextBlob();
    assertThatThrownBy(() -> kms.rotateKeyOnDemand(ADMIN_CALLER, key)).as("nothing pending")
        .is(TestKms.error(KMS_INVALID_STATE)).hasMessageContaining("NEW_KEY_MATERIAL");

    byte[] second = material();
    String secondId = importMaterial(key, second, "NEW_KEY_MATERIAL", null, null).keyMaterialId();
    assertThat(kms.listKeyRotations(ADMIN_CALLER, key)).extracting(Kms.RotationsListEntry::keyMaterialState)
        .containsExactly("CURRENT", "PENDING_ROTATION");
    // pending material is not used yet
    assertThat(kms.describeKey(ADMIN_CALLER, key).currentKeyMaterialId()).isEqualTo(firstId);
    assertThatThrownBy(() -> importMaterial(key, material(), "NEW_KEY_MATERIAL", null, null))
        .as("one pending at a time").is(TestKms.error(KMS_INVALID_STATE));

    kms.rotateKeyOnDemand(ADMIN_CALLER, key);
    assertThat(kms.describeKey(ADMIN_CALLER, key).currentKeyMaterialId()).isEqualTo(secondId);
    assertThat(kms.listKeyRotations(ADMIN_CALLER, key)).extracting(Kms.RotationsListEntry::keyMaterialState,
        Kms.RotationsListEntry::rotationType, Kms.RotationsListEntry::importState).containsExactly(
            org.assertj.core.groups.Tuple.tuple("NON_CURRENT", null, "IMPORTED"),
            org.assertj.core.groups.Tuple.tuple("CURRENT", "ON_DEMAND", "IMPORTED"));
    byte[] after = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(key, DATA, null)).ciphertextBlob();
    assertThat(kms.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(before, null)).keyMaterialId()).isEqualTo(firstId);
    assertThat(kms.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(after, null)).keyMaterialId()).isEqualTo(secondId);
    assertThatThrownBy(() -> kms.enableKeyRotation(ADMIN_CALLER, key, null)).as("never automatic")
        .is(TestKms.error(UNSUPPORTED_OPERATION));
  }

  @Test
  void importedKey_deletingAnOldMaterial_makesItPendingImportUntilThatMaterialReturns() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
    byte[] first = material();
    String firstId = importMaterial(key, first, null, null, null).keyMaterialId();
    byte[] old = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(key, DATA, null)).ciphertextBlob();
    importMaterial(key, material(), "NEW_KEY_MATERIAL", null, null);
    kms.rotateKeyOnDemand(ADMIN_CALLER, key);

    assertThat(kms.deleteImportedKeyMaterial(ADMIN_CALLER, key, firstId).keyMaterialId()).isEqualTo(firstId);
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("PendingImport");
    assertThat(kms.listKeyRotations(ADMIN_CALLER, key).get(0).importState()).isEqualTo("PENDING_IMPORT");
    assertThatThrownBy(() -> importMaterial(key, material(), "EXISTING_KEY_MATERIAL", null, null))
        .is(TestKms.error(INCORRECT_KEY_MATERIAL));
    assertThatThrownBy(() -> importMaterial(key, first, "EXISTING_KEY_MATERIAL", "ab".repeat(32), null))
        .as("a KeyMaterialId that is not this material's").is(TestKms.error(INCORRECT_KEY_MATERIAL));
    importMaterial(key, first, "EXISTING_KEY_MATERIAL", firstId, null);
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("Enabled");
    assertThat(kms.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(old, null)).plaintext().toByteArray())
        .isEqualTo(DATA);
  }

  @Test
  void importedKey_pendingMaterialExpiring_orDeleted_leavesTheKeyEnabled() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
    importMaterial(key, material(), null, null, null);
    String pending = importMaterial(key, material(), "NEW_KEY_MATERIAL", null,
        clock.instant().plus(Duration.ofDays(2))).keyMaterialId();
    assertThat(kms.listKeyRotations(ADMIN_CALLER, key).get(1).validTo())
        .isEqualTo(clock.instant().plus(Duration.ofDays(2)));
    clock.advance(Duration.ofDays(2));
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("Enabled");
    assertThat(kms.listKeyRotations(ADMIN_CALLER, key)).hasSize(1);
    String again = importMaterial(key, material(), "NEW_KEY_MATERIAL", null, null).keyMaterialId();
    assertThat(again).isNotEqualTo(pending);
    kms.deleteImportedKeyMaterial(ADMIN_CALLER, key, again);
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("Enabled");
    assertThat(kms.listKeyRotations(ADMIN_CALLER, key)).hasSize(1);
  }

  @Test
  void importTypeAndIds_onlyForSymmetricKeys_andNeverNewWithAnId() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
    assertThatThrownBy(() -> importMaterial(key, material(), "NEW_KEY_MATERIAL", "ab".repeat(32), null))
        .is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> importMaterial(key, material(), "EXISTING_KEY_MATERIAL", null, null))
        .as("nothing to bring back yet").is(TestKms.error(INCORRECT_KEY_MATERIAL));
    assertThatThrownBy(() -> importMaterial(key, material(), "SOME_MATERIAL", null, null))
        .is(TestKms.error(VALIDATION));
    String hmac = kms.createKey(ADMIN_CALLER, external("HMAC_256", "GENERATE_VERIFY_MAC")).arn();
    assertThatThrownBy(() -> importMaterial(hmac, material(), "NEW_KEY_MATERIAL", null, null))
        .is(TestKms.error(VALIDATION));
  }

  @Test
  void importedRotation_survivesAReopenOfTheStore() throws Exception {
    String key;
    String firstId;
    byte[] old;
    try (JdbcKeyStore store = store("store")) {
      kms = KmsRuntime.builder().world(TestKms.world(dir)).clock(clock).store(store).build();
      key = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
      firstId = importMaterial(key, material(), null, null, null).keyMaterialId();
      old = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(key, DATA, null)).ciphertextBlob();
      importMaterial(key, material(), "NEW_KEY_MATERIAL", null, clock.instant().plus(Duration.ofDays(30)));
      kms.rotateKeyOnDemand(ADMIN_CALLER, key);
      importMaterial(key, material(), "NEW_KEY_MATERIAL", null, null);
      kms.deleteImportedKeyMaterial(ADMIN_CALLER, key, firstId);
    }
    try (JdbcKeyStore store = store("store")) {
      KmsRuntime reopened = KmsRuntime.builder().world(TestKms.world(dir)).clock(clock).store(store).build();
      assertThat(reopened.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("PendingImport");
      assertThat(reopened.listKeyRotations(ADMIN_CALLER, key)).extracting(Kms.RotationsListEntry::keyMaterialState,
          Kms.RotationsListEntry::importState, Kms.RotationsListEntry::expirationModel).containsExactly(
              org.assertj.core.groups.Tuple.tuple("NON_CURRENT", "PENDING_IMPORT", "KEY_MATERIAL_DOES_NOT_EXPIRE"),
              org.assertj.core.groups.Tuple.tuple("CURRENT", "IMPORTED", "KEY_MATERIAL_EXPIRES"),
              org.assertj.core.groups.Tuple.tuple("PENDING_ROTATION", "IMPORTED", "KEY_MATERIAL_DOES_NOT_EXPIRE"));
      assertThat(reopened.listKeyRotations(ADMIN_CALLER, key).get(0).keyMaterialDescription())
          .isNull();
      assertThat(reopened.listKeyRotations(ADMIN_CALLER, key).get(2).keyMaterialDescription())
          .isEqualTo("material new-key-material");
      // the first material's ciphertext waits, as the key does, for that material to come back
      assertThatThrownBy(() -> reopened.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(old, null)))
          .is(TestKms.error(KMS_INVALID_STATE));
    }
  }

  @Test
  void importToken_survivesARestart_andIsUsedOnce() throws Exception {
    Path storeDir = dir.resolve("tokens");
    String key;
    Kms.GetParametersForImportResponse p;
    try (JdbcKeyStore store = store("tokens")) {
      KmsRuntime before = KmsRuntime.builder().world(TestKms.world(dir)).clock(clock).store(store).build();
      key = before.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
      p = before.getParametersForImport(ADMIN_CALLER, key, "RSAES_OAEP_SHA_256", "RSA_3072");
    }
    byte[] wrapped = oaepWrap(p.publicKey(), material());
    try (JdbcKeyStore store = store("tokens")) {
      KmsRuntime after = KmsRuntime.builder().world(TestKms.world(dir)).clock(clock).store(store).build();
      after.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key, p.importToken(), wrapped, null,
          null));
      assertThat(after.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("Enabled");
      assertThatThrownBy(() -> after.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key,
          p.importToken(), wrapped, null, null))).as("used once").is(TestKms.error(INVALID_IMPORT_TOKEN));
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:"
        + storeDir.resolve("keyward.db").toAbsolutePath());
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet r = st.executeQuery("SELECT COUNT(*) FROM kw_import_tokens")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1)).as("a used token is forgotten").isZero();
    }
  }

  @Test
  void import_tokenMisuse_refused() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
    String otherKey = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
    byte[] material = new byte[32];
    Kms.GetParametersForImportResponse p = params(key, "RSAES_OAEP_SHA_256");
    assertThatThrownBy(() -> kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(otherKey,
        p.importToken(), oaepWrap(p.publicKey(), material), null, null)))
        .is(TestKms.error(INVALID_IMPORT_TOKEN));
    assertThatThrownBy(() -> kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key,
        p.importToken(), new byte[256], null, null))).is(TestKms.error(INVALID_CIPHERTEXT));
    clock.advance(Duration.ofHours(25));
    assertThatThrownBy(() -> kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key,
        p.importToken(), oaepWrap(p.publicKey(), material), null, null)))
        .is(TestKms.error(EXPIRED_IMPORT_TOKEN));
    assertThatThrownBy(() -> kms.getParametersForImport(ADMIN_CALLER, key, "RSAES_PKCS1_V1_5", "RSA_2048"))
        .is(TestKms.error(VALIDATION));
    String own = kms.createKey(ADMIN_CALLER, CreateKeyRequest.symmetric()).arn();
    assertThatThrownBy(() -> params(own, "RSAES_OAEP_SHA_256")).is(TestKms.error(UNSUPPORTED_OPERATION));
  }

  @Test
  void import_expiringMaterial_keyReturnsToPendingImportWhenItExpires() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("SYMMETRIC_DEFAULT", null)).arn();
    Kms.GetParametersForImportResponse p = params(key, "RSAES_OAEP_SHA_256");
    byte[] wrapped = oaepWrap(p.publicKey(), new byte[32]);
    assertThatThrownBy(() -> kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key,
        p.importToken(), wrapped, clock.instant().plus(Duration.ofDays(366)), "KEY_MATERIAL_EXPIRES")))
        .is(TestKms.error(VALIDATION));
    kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key, p.importToken(), wrapped,
        clock.instant().plus(Duration.ofDays(10)), "KEY_MATERIAL_EXPIRES"));
    assertThat(kms.describeKey(ADMIN_CALLER, key).validTo()).isEqualTo(clock.instant().plus(Duration.ofDays(10)));
    clock.advance(Duration.ofDays(10));
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("PendingImport");
  }

  @Test
  void importRsaPrivateKey_withRsaAesKeyWrap_signsVerifiablyWithTheImportedKey() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("RSA_2048", "SIGN_VERIFY")).arn();
    assertThatThrownBy(() -> params(key, "RSAES_OAEP_SHA_256")).is(TestKms.error(VALIDATION));
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    Kms.GetParametersForImportResponse p = params(key, "RSA_AES_KEY_WRAP_SHA_256");
    kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key, p.importToken(),
        rsaAesWrap(p.publicKey(), pair.getPrivate().getEncoded()), null, null));
    assertThat(kms.getPublicKey(ADMIN_CALLER, key).publicKey()).isEqualTo(pair.getPublic().getEncoded());
    byte[] sig = kms.sign(ADMIN_CALLER, new Kms.SignRequest(key, DATA, null, "RSASSA_PKCS1_V1_5_SHA_256", null))
        .signature();
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(pair.getPublic());
    v.update(DATA);
    assertThat(v.verify(sig)).isTrue();
  }

  @Test
  void importEcPrivateKey_derivesThePublicKey() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, external("ECC_NIST_P256", "SIGN_VERIFY")).arn();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    Kms.GetParametersForImportResponse p = params(key, "RSA_AES_KEY_WRAP_SHA_256");
    kms.importKeyMaterial(ADMIN_CALLER, new Kms.ImportKeyMaterialRequest(key, p.importToken(),
        rsaAesWrap(p.publicKey(), pair.getPrivate().getEncoded()), null, null));
    byte[] sig = kms.sign(ADMIN_CALLER, new Kms.SignRequest(key, DATA, null, "ECDSA_SHA_256", null)).signature();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(pair.getPublic());
    v.update(DATA);
    assertThat(v.verify(sig)).isTrue();
  }

  // multi-Region ------------------------------------------------------------------------------------------

  @Test
  void multiRegionImportedKey_replicaTakesThePrimarysMaterial_newMaterialRotatesOnceEveryReplicaHasIt()
      throws Exception {
    String primary = kms.createKey(ADMIN_CALLER, new CreateKeyRequest(null, null, null, null, "EXTERNAL", true, null,
        false)).arn();
    byte[] first = material();
    String firstId = importMaterial(primary, first, null, null, null).keyMaterialId();
    String replica = kms.replicateKey(ADMIN_CALLER, new Kms.ReplicateKeyRequest(primary, "eu-west-1", null, false,
        null, null)).arn();
    Kms.Caller inEu = Kms.Caller.of(ADMIN, "eu-west-1");
    assertThat(kms.describeKey(inEu, replica).keyState()).isEqualTo("PendingImport");
    assertThat(kms.listKeyRotations(inEu, replica)).extracting(Kms.RotationsListEntry::keyMaterialId,
        Kms.RotationsListEntry::importState).containsExactly(org.assertj.core.groups.Tuple.tuple(firstId,
            "PENDING_IMPORT"));
    assertThatThrownBy(() -> importMaterial(replica, material(), null, null, null))
        .as("only the primary's material").is(TestKms.error(INCORRECT_KEY_MATERIAL));
    assertThatThrownBy(() -> importMaterial(replica, first, "NEW_KEY_MATERIAL", null, null))
        .as("new material goes into the primary").is(TestKms.error(VALIDATION));
    importMaterial(replica, first, null, null, null);
    assertThat(kms.describeKey(inEu, replica).keyState()).isEqualTo("Enabled");
    byte[] before = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(primary, DATA, null)).ciphertextBlob();
    assertThat(kms.decrypt(inEu, Kms.DecryptRequest.of(before, null)).keyId()).isEqualTo(replica);

    byte[] second = material();
    String secondId = importMaterial(primary, second, "NEW_KEY_MATERIAL", null, null).keyMaterialId();
    assertThat(kms.listKeyRotations(ADMIN_CALLER, primary).get(1).keyMaterialState())
        .isEqualTo("PENDING_MULTI_REGION_IMPORT_AND_ROTATION");
    assertThatThrownBy(() -> kms.rotateKeyOnDemand(ADMIN_CALLER, primary))
        .as("the replica lacks the new material").is(TestKms.error(KMS_INVALID_STATE));
    importMaterial(replica, second, "EXISTING_KEY_MATERIAL", null, null);
    assertThat(kms.listKeyRotations(ADMIN_CALLER, primary).get(1).keyMaterialState()).isEqualTo("PENDING_ROTATION");
    kms.rotateKeyOnDemand(ADMIN_CALLER, primary);
    assertThat(kms.describeKey(ADMIN_CALLER, primary).currentKeyMaterialId()).isEqualTo(secondId);
    assertThat(kms.describeKey(inEu, replica).currentKeyMaterialId()).isEqualTo(secondId);
    byte[] after = kms.encrypt(inEu, Kms.EncryptRequest.of(replica, DATA, null)).ciphertextBlob();
    assertThat(kms.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(after, null)).keyMaterialId()).isEqualTo(secondId);
    assertThat(kms.decrypt(inEu, Kms.DecryptRequest.of(before, null)).keyMaterialId()).isEqualTo(firstId);
  }

  @Test
  void multiRegionImportedKey_newMaterialDeletedFromThePrimary_leavesTheReplicasToo() throws Exception {
    String primary = kms.createKey(ADMIN_CALLER, new CreateKeyRequest(null, null, null, null, "EXTERNAL", true, null,
        false)).arn();
    byte[] first = material();
    importMaterial(primary, first, null, null, null);
    String replica = kms.replicateKey(ADMIN_CALLER, new Kms.ReplicateKeyRequest(primary, "eu-west-1", null, false,
        null, null)).arn();
    importMaterial(replica, first, null, null, null);
    byte[] second = material();
    String secondId = importMaterial(primary, second, "NEW_KEY_MATERIAL", null, null).keyMaterialId();
    importMaterial(replica, second, null, null, null);
    kms.deleteImportedKeyMaterial(ADMIN_CALLER, primary, secondId);
    Kms.Caller inEu = Kms.Caller.of(ADMIN, "eu-west-1");
    assertThat(kms.listKeyRotations(inEu, replica)).hasSize(1);
    assertThat(kms.describeKey(inEu, replica).keyState()).isEqualTo("Enabled");
    assertThat(kms.describeKey(ADMIN_CALLER, primary).keyState()).isEqualTo("Enabled");
  }

  @Test
  void replicateKey_replicaDecryptsPrimaryCiphertextAndFollowsRotation() {
    Kms.KeyMetadata primary = kms.createKey(ADMIN_CALLER,
        new CreateKeyRequest(null, null, null, null, null, true, null, false));
    byte[] blob = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(primary.keyId(), DATA, Map.of("a", "b")))
        .ciphertextBlob();
    Kms.KeyMetadata replica = kms.replicateKey(ADMIN_CALLER, new Kms.ReplicateKeyRequest(primary.arn(),
        "eu-west-1", null, false, "replica", null));
    assertThat(replica.arn()).isEqualTo("arn:aws:kms:eu-west-1:" + TestKms.ACCOUNT + ":key/" + primary.keyId());
    assertThat(replica.multiRegionKeyType()).isEqualTo("REPLICA");
    assertThat(replica.primaryKeyArn()).isEqualTo(primary.arn());
    assertThat(kms.describeKey(ADMIN_CALLER, primary.arn()).replicaKeyArns()).containsExactly(replica.arn());
    assertThatThrownBy(() -> kms.replicateKey(ADMIN_CALLER, new Kms.ReplicateKeyRequest(primary.arn(),
        "eu-west-1", null, false, null, null))).is(TestKms.error(ALREADY_EXISTS));

    Kms.Caller inEu = Kms.Caller.of(ADMIN, "eu-west-1");
    Kms.DecryptResponse d = kms.decrypt(inEu, Kms.DecryptRequest.of(blob, Map.of("a", "b")));
    assertThat(d.keyId()).isEqualTo(replica.arn());
    assertThat(d.plaintext().toByteArray()).isEqualTo(DATA);

    kms.rotateKeyOnDemand(ADMIN_CALLER, primary.arn());
    byte[] rotated = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(primary.arn(), DATA, Map.of())).ciphertextBlob();
    assertThat(kms.decrypt(inEu, Kms.DecryptRequest.of(rotated, Map.of())).plaintext().toByteArray()).isEqualTo(DATA);
    assertThatThrownBy(() -> kms.rotateKeyOnDemand(inEu, replica.arn()))
        .is(TestKms.error(UNSUPPORTED_OPERATION));

    kms.disableKey(inEu, replica.arn());
    assertThat(kms.describeKey(ADMIN_CALLER, primary.arn()).keyState()).as("state is per Region").isEqualTo("Enabled");
  }

  @Test
  void updatePrimaryRegion_swapsRoles() {
    Kms.KeyMetadata primary = kms.createKey(ADMIN_CALLER,
        new CreateKeyRequest(null, null, null, null, null, true, null, false));
    Kms.KeyMetadata replica = kms.replicateKey(ADMIN_CALLER, new Kms.ReplicateKeyRequest(primary.arn(),
        "ap-south-1", null, false, null, null));
    assertThatThrownBy(() -> kms.replicateKey(ADMIN_CALLER, new Kms.ReplicateKeyRequest(
        kms.createKey(ADMIN_CALLER, CreateKeyRequest.symmetric()).arn(), "ap-south-1", null, false, null, null)))
        .is(TestKms.error(UNSUPPORTED_OPERATION));
    kms.updatePrimaryRegion(ADMIN_CALLER, primary.arn(), "ap-south-1");
    assertThat(kms.describeKey(inRegionOf(replica.arn()), replica.arn()).multiRegionKeyType()).isEqualTo("PRIMARY");
    assertThat(kms.describeKey(ADMIN_CALLER, primary.arn()).multiRegionKeyType()).isEqualTo("REPLICA");
    assertThat(kms.describeKey(ADMIN_CALLER, primary.arn()).primaryKeyArn()).isEqualTo(replica.arn());
  }

  @Test
  void scheduleDeletion_primaryWithReplica_waitsForReplicaDeletion() {
    Kms.KeyMetadata primary = kms.createKey(ADMIN_CALLER,
        new CreateKeyRequest(null, null, null, null, null, true, null, false));
    Kms.KeyMetadata replica = kms.replicateKey(ADMIN_CALLER, new Kms.ReplicateKeyRequest(primary.arn(),
        "eu-west-1", null, false, null, null));
    assertThat(kms.scheduleKeyDeletion(ADMIN_CALLER, primary.arn(), 7).keyState()).isEqualTo("PendingReplicaDeletion");
    kms.scheduleKeyDeletion(Kms.Caller.of(ADMIN, "eu-west-1"), replica.arn(), 7);
    clock.advance(Duration.ofDays(7));
    assertThat(kms.describeKey(ADMIN_CALLER, primary.arn()).keyState()).isEqualTo("PendingDeletion");
    assertThatThrownBy(() -> kms.describeKey(ADMIN_CALLER, replica.arn())).is(TestKms.error(NOT_FOUND));
    clock.advance(Duration.ofDays(7));
    assertThatThrownBy(() -> kms.describeKey(ADMIN_CALLER, primary.arn())).is(TestKms.error(NOT_FOUND));
  }
}
