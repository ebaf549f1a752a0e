package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.ACCESS_DENIED;
import static dev.keyward.runtime.KmsError.ALREADY_EXISTS;
import static dev.keyward.runtime.KmsError.DISABLED;
import static dev.keyward.runtime.KmsError.DRY_RUN_OPERATION;
import static dev.keyward.runtime.KmsError.INCORRECT_KEY;
import static dev.keyward.runtime.KmsError.INVALID_ALIAS_NAME;
import static dev.keyward.runtime.KmsError.INVALID_CIPHERTEXT;
import static dev.keyward.runtime.KmsError.INVALID_GRANT_ID;
import static dev.keyward.runtime.KmsError.INVALID_GRANT_TOKEN;
import static dev.keyward.runtime.KmsError.INVALID_KEY_USAGE;
import static dev.keyward.runtime.KmsError.KMS_INVALID_MAC;
import static dev.keyward.runtime.KmsError.KMS_INVALID_SIGNATURE;
import static dev.keyward.runtime.KmsError.KMS_INVALID_STATE;
import static dev.keyward.runtime.KmsError.LIMIT_EXCEEDED;
import static dev.keyward.runtime.KmsError.MALFORMED_POLICY_DOCUMENT;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.TAG;
import static dev.keyward.runtime.KmsError.UNSUPPORTED_OPERATION;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.TestKms.ACCOUNT;
import static dev.keyward.runtime.TestKms.ADMIN_CALLER;
import static dev.keyward.runtime.TestKms.APP;
import static dev.keyward.runtime.TestKms.APP_CALLER;
import static dev.keyward.runtime.TestKms.OUTSIDER_CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.runtime.Kms.CreateGrantRequest;
import dev.keyward.runtime.Kms.CreateKeyRequest;
import dev.keyward.runtime.Kms.DecryptRequest;
import dev.keyward.runtime.Kms.EncryptRequest;
import dev.keyward.runtime.Kms.GrantConstraints;
import dev.keyward.runtime.Kms.KeyMetadata;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.MessageType;
import dev.keyward.runtime.crypto.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KmsRuntimeTest {

  private static final byte[] DATA = "attack at dawn".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> CTX = Map.of("Dept", "Finance");

  @TempDir
  Path dir;
  private TestKms.MovableClock clock;
  private KmsRuntime kms;

  @BeforeEach
  void setUp() {
    clock = new TestKms.MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    kms = KmsRuntime.builder().world(TestKms.world(dir)).clock(clock).build();
  }

  private String symmetricKey() {
    return kms.createKey(ADMIN_CALLER, CreateKeyRequest.symmetric()).arn();
  }

  private byte[] encrypt(String key, Map<String, String> ctx) {
    return kms.encrypt(ADMIN_CALLER, EncryptRequest.of(key, DATA, ctx)).ciphertextBlob();
  }

  private byte[] decrypt(byte[] blob, Map<String, String> ctx) {
    return kms.decrypt(ADMIN_CALLER, DecryptRequest.of(blob, ctx)).plaintext().toByteArray();
  }

  // keys --------------------------------------------------------------------------------------------------

  @Test
  void createKey_symmetric_describesLikeAws() {
    KeyMetadata md = kms.createKey(ADMIN_CALLER, CreateKeyRequest.symmetric());
    assertThat(md.arn()).isEqualTo("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + md.keyId());
    assertThat(md.keyId()).matches("[0-9a-f-]{36}");
    assertThat(md.keyState()).isEqualTo("Enabled");
    assertThat(md.encryptionAlgorithms()).containsExactly("SYMMETRIC_DEFAULT");
    assertThat(md.currentKeyMaterialId()).matches("[0-9a-f]{64}");
    assertThat(kms.describeKey(ADMIN_CALLER, md.keyId())).isEqualTo(md);
    assertThat(kms.listKeys(ADMIN_CALLER)).extracting(Kms.KeyListEntry::keyArn).containsExactly(md.arn());
    assertThat(kms.getKeyPolicy(ADMIN_CALLER, md.keyId(), "default")).contains("arn:aws:iam::" + ACCOUNT + ":root");
  }

  @Test
  void updateKeyDescription_andListKeyPolicies() {
    String key = symmetricKey();
    kms.updateKeyDescription(ADMIN_CALLER, key, "payroll");
    assertThat(kms.describeKey(ADMIN_CALLER, key).description()).isEqualTo("payroll");
    assertThatThrownBy(() -> kms.updateKeyDescription(ADMIN_CALLER, key, "x".repeat(8193)))
        .is(TestKms.error(VALIDATION));
    assertThat(kms.listKeyPolicies(ADMIN_CALLER, key)).containsExactly("default");
  }

  @Test
  void createKey_multiRegion_idStartsWithMrk() {
    KeyMetadata md = kms.createKey(ADMIN_CALLER, new CreateKeyRequest(null, "d", null, null, null, true, null, false));
    assertThat(md.keyId()).matches("mrk-[0-9a-f]{32}");
    assertThat(md.multiRegion()).isTrue();
  }

  @Test
  void createKey_badSpecUsageOrOrigin_refused() {
    assertThatThrownBy(() -> kms.createKey(ADMIN_CALLER, CreateKeyRequest.of("AES_512", null)))
        .is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.createKey(ADMIN_CALLER, CreateKeyRequest.of("ECC_NIST_P256", "ENCRYPT_DECRYPT")))
        .is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.createKey(ADMIN_CALLER,
        new CreateKeyRequest(null, null, null, null, "AWS_CLOUDHSM", false, null, false)))
        .is(TestKms.error(UNSUPPORTED_OPERATION));
  }

  @Test
  void createKey_accountRoot_mayUseItsKeyThroughTheDefaultPolicy() {
    Kms.Caller root = Kms.Caller.of("arn:aws:iam::" + ACCOUNT + ":root", TestKms.REGION);
    String key = kms.createKey(root, CreateKeyRequest.symmetric()).arn();
    byte[] blob = kms.encrypt(root, EncryptRequest.of(key, DATA, CTX)).ciphertextBlob();
    assertThat(kms.decrypt(ADMIN_CALLER, DecryptRequest.of(blob, CTX)).plaintext().toByteArray()).isEqualTo(DATA);
  }

  @Test
  void reEncrypt_destinationByAlias_conditionOnRequestAliasApplies() {
    String a = symmetricKey();
    String b = symmetricKey();
    kms.createAlias(ADMIN_CALLER, "alias/dest", b);
    String onlyViaAlias = "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + TestKms.ADMIN + "\"},"
        + "\"Action\":[\"kms:PutKeyPolicy\",\"kms:DescribeKey\",\"kms:Decrypt\"],\"Resource\":\"*\"},"
        + "{\"Sid\":\"ToViaAlias\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + TestKms.ADMIN + "\"},"
        + "\"Action\":\"kms:ReEncryptTo\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"kms:RequestAlias\":\"alias/dest\"}}}]}";
    kms.putKeyPolicy(ADMIN_CALLER, b, "default", onlyViaAlias, false);
    byte[] blob = encrypt(a, CTX);
    assertThatThrownBy(() -> kms.reEncrypt(ADMIN_CALLER, new Kms.ReEncryptRequest(blob, CTX, null, b, null, null,
        null, null))).is(TestKms.error(ACCESS_DENIED));
    assertThat(kms.reEncrypt(ADMIN_CALLER, new Kms.ReEncryptRequest(blob, CTX, null, "alias/dest", null, null, null,
        null)).keyId()).isEqualTo(b);
  }

  @Test
  void createKey_appWithoutIamPermission_accessDenied() {
    assertThatThrownBy(() -> kms.createKey(APP_CALLER, CreateKeyRequest.symmetric()))
        .is(TestKms.error(ACCESS_DENIED)).hasMessageContaining("kms:CreateKey");
  }

  @Test
  void describeKey_unknown_notFound() {
    assertThatThrownBy(() -> kms.describeKey(ADMIN_CALLER, "1234abcd-0000-0000-0000-000000000000"))
        .is(TestKms.error(NOT_FOUND));
  }

  // symmetric crypto ---------------------------------------------------------------------------------------

  @Test
  void encrypt_thenDecrypt_roundTripsAndNamesTheKey() {
    String key = symmetricKey();
    byte[] blob = encrypt(key, CTX);
    Kms.DecryptResponse r = kms.decrypt(ADMIN_CALLER, DecryptRequest.of(blob, CTX));
    assertThat(r.plaintext().toByteArray()).isEqualTo(DATA);
    assertThat(r.keyId()).isEqualTo(key);
    assertThat(r.toString()).doesNotContain("attack");
  }

  @Test
  void decrypt_contextDiffers_invalidCiphertext() {
    String key = symmetricKey();
    byte[] blob = encrypt(key, CTX);
    for (Map<String, String> other : List.<Map<String, String>>of(Map.of(), Map.of("Dept", "finance"),
        Map.of("Dept", "Finance", "More", "x"))) {
      assertThatThrownBy(() -> decrypt(blob, other)).is(TestKms.error(INVALID_CIPHERTEXT));
    }
  }

  @Test
  void decrypt_tamperedCiphertext_invalidCiphertext() {
    byte[] blob = encrypt(symmetricKey(), CTX);
    byte[] bad = blob.clone();
    bad[bad.length - 1] ^= 1;
    assertThatThrownBy(() -> decrypt(bad, CTX)).is(TestKms.error(INVALID_CIPHERTEXT));
    assertThatThrownBy(() -> decrypt(new byte[] {1, 2, 3}, CTX)).is(TestKms.error(INVALID_CIPHERTEXT));
  }

  @Test
  void decrypt_twoAccountsSeededWithTheSameKeyId_eachCiphertextFindsItsOwnKey() {
    String id = "0000aaaa-1111-2222-3333-444455556666";
    String mine = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + id;
    String theirs = "arn:aws:kms:us-east-1:444455556666:key/" + id;
    kms.seedKey(mine, null, null, null, null, null, List.of());
    kms.seedKey(theirs, null, null, null, null, null, List.of());
    byte[] blob = kms.encrypt(OUTSIDER_CALLER, EncryptRequest.of(theirs, DATA, CTX)).ciphertextBlob();
    assertThat(kms.decrypt(OUTSIDER_CALLER, DecryptRequest.of(blob, CTX)).keyId()).isEqualTo(theirs);
    byte[] own = encrypt(id, CTX);
    assertThat(kms.decrypt(ADMIN_CALLER, DecryptRequest.of(own, CTX)).keyId()).isEqualTo(mine);
    assertThatThrownBy(() -> kms.decrypt(ADMIN_CALLER, DecryptRequest.of(blob, CTX)))
        .as("the other account's key policy does not trust us").is(TestKms.error(ACCESS_DENIED));
  }

  @Test
  void decrypt_otherKeyId_incorrectKey() {
    byte[] blob = encrypt(symmetricKey(), CTX);
    String other = symmetricKey();
    assertThatThrownBy(() -> kms.decrypt(ADMIN_CALLER, new DecryptRequest(blob, other, CTX, null, null)))
        .is(TestKms.error(INCORRECT_KEY));
  }

  @Test
  void encrypt_plaintextOver4096_validation() {
    String key = symmetricKey();
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, EncryptRequest.of(key, new byte[4097], Map.of())))
        .is(TestKms.error(VALIDATION));
    assertThat(kms.encrypt(ADMIN_CALLER, EncryptRequest.of(key, new byte[4096], Map.of())).ciphertextBlob().length)
        .isLessThanOrEqualTo(6144);
  }

  @Test
  void generateDataKey_plaintextAndBlob_decryptToSameKey() {
    String key = symmetricKey();
    Kms.GenerateDataKeyResponse r = kms.generateDataKey(ADMIN_CALLER,
        new Kms.GenerateDataKeyRequest(key, CTX, null, "AES_256", null));
    assertThat(r.plaintext().length()).isEqualTo(32);
    assertThat(decrypt(r.ciphertextBlob(), CTX)).isEqualTo(r.plaintext().toByteArray());
    Kms.GenerateDataKeyResponse w = kms.generateDataKeyWithoutPlaintext(ADMIN_CALLER,
        new Kms.GenerateDataKeyRequest(key, CTX, 64, null, null));
    assertThat(w.plaintext()).isNull();
    assertThat(decrypt(w.ciphertextBlob(), CTX)).hasSize(64);
    assertThatThrownBy(() -> kms.generateDataKey(ADMIN_CALLER,
        new Kms.GenerateDataKeyRequest(key, CTX, 1025, null, null))).is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.generateDataKey(ADMIN_CALLER,
        new Kms.GenerateDataKeyRequest(key, CTX, 16, "AES_128", null))).is(TestKms.error(VALIDATION));
  }

  @Test
  void generateDataKeyPair_privateKeyMatchesPublicKey() throws Exception {
    String key = symmetricKey();
    Kms.GenerateDataKeyPairResponse r = kms.generateDataKeyPair(ADMIN_CALLER,
        new Kms.GenerateDataKeyPairRequest(key, CTX, "ECC_NIST_P256", null));
    KeyFactory f = KeyFactory.getInstance("EC");
    PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(r.privateKeyPlaintext().toByteArray()));
    PublicKey pub = f.generatePublic(new X509EncodedKeySpec(r.publicKey()));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(priv);
    s.update(DATA);
    byte[] sig = s.sign();
    s.initVerify(pub);
    s.update(DATA);
    assertThat(s.verify(sig)).isTrue();
    assertThat(decrypt(r.privateKeyCiphertextBlob(), CTX)).isEqualTo(r.privateKeyPlaintext().toByteArray());
    Kms.GenerateDataKeyPairResponse w = kms.generateDataKeyPairWithoutPlaintext(ADMIN_CALLER,
        new Kms.GenerateDataKeyPairRequest(key, CTX, "RSA_2048", null));
    assertThat(w.privateKeyPlaintext()).isNull();
    assertThat(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(w.publicKey()))).isNotNull();
  }

  @Test
  void reEncrypt_toOtherKey_decryptsThereWithNewContext() {
    String a = symmetricKey();
    String b = symmetricKey();
    byte[] blob = encrypt(a, CTX);
    Kms.ReEncryptResponse r = kms.reEncrypt(ADMIN_CALLER, new Kms.ReEncryptRequest(blob, CTX, null, b,
        Map.of("New", "ctx"), null, null, null));
    assertThat(r.sourceKeyId()).isEqualTo(a);
    assertThat(r.keyId()).isEqualTo(b);
    Kms.DecryptResponse d = kms.decrypt(ADMIN_CALLER, DecryptRequest.of(r.ciphertextBlob(), Map.of("New", "ctx")));
    assertThat(d.keyId()).isEqualTo(b);
    assertThat(d.plaintext().toByteArray()).isEqualTo(DATA);
  }

  @Test
  void dryRun_allowedCalls_dryRunOperationException_deniedCalls_accessDenied_nothingChanges() {
    String key = symmetricKey();
    byte[] blob = encrypt(key, CTX);
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, new EncryptRequest(key, DATA, CTX, null, null, true)))
        .is(TestKms.error(DRY_RUN_OPERATION));
    assertThatThrownBy(() -> kms.encrypt(APP_CALLER, new EncryptRequest(key, DATA, CTX, null, null, true)))
        .is(TestKms.error(ACCESS_DENIED));
    assertThatThrownBy(() -> kms.decrypt(ADMIN_CALLER, new DecryptRequest(blob, null, CTX, null, null, true)))
        .is(TestKms.error(DRY_RUN_OPERATION));
    assertThatThrownBy(() -> kms.generateDataKey(ADMIN_CALLER,
        new Kms.GenerateDataKeyRequest(key, CTX, 32, null, null, true))).is(TestKms.error(DRY_RUN_OPERATION));
    // IGNORE_CIPHERTEXT: only the permissions on the named key are checked
    List<String> ignore = List.of("IGNORE_CIPHERTEXT");
    assertThatThrownBy(() -> kms.decrypt(ADMIN_CALLER, new DecryptRequest(new byte[] {1}, key, CTX, null, null, true,
        ignore))).is(TestKms.error(DRY_RUN_OPERATION));
    assertThatThrownBy(() -> kms.decrypt(APP_CALLER, new DecryptRequest(new byte[] {1}, key, CTX, null, null, true,
        ignore))).is(TestKms.error(ACCESS_DENIED));
    assertThatThrownBy(() -> kms.decrypt(ADMIN_CALLER, new DecryptRequest(new byte[] {1}, null, CTX, null, null, true,
        ignore))).is(TestKms.error(VALIDATION));
    // ReEncrypt ignoring the ciphertext: ReEncryptFrom on SourceKeyId and ReEncryptTo on the destination
    assertThatThrownBy(() -> kms.reEncrypt(ADMIN_CALLER, new Kms.ReEncryptRequest(new byte[] {1}, CTX, key, key, CTX,
        null, null, null, true, ignore))).is(TestKms.error(DRY_RUN_OPERATION));
    assertThatThrownBy(() -> kms.reEncrypt(APP_CALLER, new Kms.ReEncryptRequest(new byte[] {1}, CTX, key, key, CTX,
        null, null, null, true, ignore))).is(TestKms.error(ACCESS_DENIED))
        .hasMessageContaining("kms:ReEncryptFrom");
    assertThatThrownBy(() -> kms.reEncrypt(ADMIN_CALLER, new Kms.ReEncryptRequest(new byte[] {1}, CTX, null, key, CTX,
        null, null, null, true, ignore))).is(TestKms.error(VALIDATION))
        .hasMessageContaining("SourceKeyId");
    assertThatThrownBy(() -> kms.reEncrypt(ADMIN_CALLER, new Kms.ReEncryptRequest(new byte[] {1}, CTX, key, key, CTX,
        null, null, null, true, List.of("IGNORE_EVERYTHING")))).is(TestKms.error(VALIDATION));
    kms.disableKey(ADMIN_CALLER, key);
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, new EncryptRequest(key, DATA, CTX, null, null, true)))
        .as("a dry run still checks the key state").is(TestKms.error(DISABLED));
    kms.enableKey(ADMIN_CALLER, key);
    assertThatThrownBy(() -> kms.createGrant(ADMIN_CALLER, new CreateGrantRequest(key, APP, null, List.of("Decrypt"),
        null, null, null, true))).is(TestKms.error(DRY_RUN_OPERATION));
    assertThat(kms.listGrants(ADMIN_CALLER, key, null, null)).isEmpty();
    String signing = kms.createKey(ADMIN_CALLER, CreateKeyRequest.of("ECC_NIST_P256", "SIGN_VERIFY")).arn();
    assertThatThrownBy(() -> kms.sign(ADMIN_CALLER, new Kms.SignRequest(signing, DATA, null, "ECDSA_SHA_256", null,
        true))).is(TestKms.error(DRY_RUN_OPERATION));
  }

  @Test
  void getKeyLastUsage_tracksLastSuccessfulCryptoCall() {
    String key = symmetricKey();
    assertThat(kms.getKeyLastUsage(ADMIN_CALLER, key).operation()).isNull();
    byte[] blob = encrypt(key, CTX);
    clock.advance(Duration.ofMinutes(5));
    decrypt(blob, CTX);
    assertThatThrownBy(() -> kms.encrypt(APP_CALLER, EncryptRequest.of(key, DATA, CTX)))
        .is(TestKms.error(ACCESS_DENIED));
    Kms.KeyLastUsage u = kms.getKeyLastUsage(ADMIN_CALLER, key);
    assertThat(u.operation()).isEqualTo("Decrypt");
    assertThat(u.timestamp()).isEqualTo(clock.instant());
    assertThat(u.trackingStartDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    kms.describeKey(ADMIN_CALLER, key);
    assertThat(kms.getKeyLastUsage(ADMIN_CALLER, key).operation()).as("DescribeKey is not crypto").isEqualTo("Decrypt");
  }

  @Test
  void generateRandom_lengths() {
    assertThat(kms.generateRandom(ADMIN_CALLER, 1024).length()).isEqualTo(1024);
    assertThatThrownBy(() -> kms.generateRandom(ADMIN_CALLER, 0)).is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.generateRandom(ADMIN_CALLER, 1025)).is(TestKms.error(VALIDATION));
  }

  // asymmetric and HMAC ------------------------------------------------------------------------------------

  @Test
  void sign_everyAsymmetricSpec_verifiesInKmsAndWithPlainJdk() throws Exception {
    for (KeySpec spec : new KeySpec[] {KeySpec.RSA_2048, KeySpec.ECC_NIST_P256, KeySpec.ECC_NIST_P384,
        KeySpec.ECC_NIST_P521, KeySpec.ECC_SECG_P256K1}) {
      String key = kms.createKey(ADMIN_CALLER, CreateKeyRequest.of(spec.name(), "SIGN_VERIFY")).arn();
      Kms.GetPublicKeyResponse pk = kms.getPublicKey(ADMIN_CALLER, key);
      for (SigningAlgorithm alg : SigningAlgorithm.values()) {
        if (!alg.worksWith(spec)) {
          assertThatThrownBy(() -> kms.sign(ADMIN_CALLER, new Kms.SignRequest(key, DATA, null, alg.name(), null)))
              .is(TestKms.error(INVALID_KEY_USAGE));
          continue;
        }
        assertThat(pk.signingAlgorithms()).contains(alg.name());
        byte[] digest = MessageDigest.getInstance(alg.hash()).digest(DATA);
        byte[] sig = kms.sign(ADMIN_CALLER, new Kms.SignRequest(key, digest, "DIGEST", alg.name(), null)).signature();
        assertThat(kms.verify(ADMIN_CALLER, new Kms.VerifyRequest(key, DATA, "RAW", sig, alg.name(), null))
            .signatureValid()).isTrue();
        byte[] bad = DATA.clone();
        bad[0] ^= 1;
        assertThatThrownBy(() -> kms.verify(ADMIN_CALLER, new Kms.VerifyRequest(key, bad, "RAW", sig, alg.name(),
            null))).is(TestKms.error(KMS_INVALID_SIGNATURE));
        if (spec != KeySpec.ECC_SECG_P256K1) {
          assertThat(jdkVerify(pk.publicKey(), alg, sig)).as("%s %s", spec, alg).isTrue();
        }
      }
      assertThatThrownBy(() -> kms.sign(ADMIN_CALLER, new Kms.SignRequest(key, new byte[5], MessageType.DIGEST.name(),
          pk.signingAlgorithms().get(0), null))).is(TestKms.error(VALIDATION));
    }
  }

  private static boolean jdkVerify(byte[] der, SigningAlgorithm alg, byte[] sig) throws Exception {
    boolean rsa = alg.kind() != SigningAlgorithm.Kind.ECDSA;
    PublicKey pub = KeyFactory.getInstance(rsa ? "RSA" : "EC").generatePublic(new X509EncodedKeySpec(der));
    String h = alg.hash().replace("-", "");
    Signature s;
    if (alg.kind() == SigningAlgorithm.Kind.PSS) {
      s = Signature.getInstance("RSASSA-PSS");
      s.setParameter(new java.security.spec.PSSParameterSpec(alg.hash(), "MGF1", new MGF1ParameterSpec(alg.hash()),
          alg.digestLength(), 1));
    } else {
      s = Signature.getInstance(h + (rsa ? "withRSA" : "withECDSA"));
    }
    s.initVerify(pub);
    s.update(DATA);
    return s.verify(sig);
  }

  @Test
  void decrypt_rsaCiphertextMadeOfflineFromGetPublicKey_givesPlaintext() throws Exception {
    String key = kms.createKey(ADMIN_CALLER, CreateKeyRequest.of("RSA_3072", "ENCRYPT_DECRYPT")).arn();
    PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
        new X509EncodedKeySpec(kms.getPublicKey(ADMIN_CALLER, key).publicKey()));
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT));
    byte[] blob = c.doFinal(DATA);
    Kms.DecryptResponse r = kms.decrypt(ADMIN_CALLER, new DecryptRequest(blob, key, null, "RSAES_OAEP_SHA_256", null));
    assertThat(r.plaintext().toByteArray()).isEqualTo(DATA);
    assertThatThrownBy(() -> kms.decrypt(ADMIN_CALLER, new DecryptRequest(blob, key, null, "RSAES_OAEP_SHA_1", null)))
        .is(TestKms.error(INVALID_CIPHERTEXT));
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, new EncryptRequest(key, new byte[319], null,
        "RSAES_OAEP_SHA_256", null))).is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, new EncryptRequest(key, DATA, CTX, "RSAES_OAEP_SHA_256", null)))
        .is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, EncryptRequest.of(key, DATA, null)))
        .is(TestKms.error(INVALID_KEY_USAGE));
  }

  @Test
  void generateMac_thenVerifyMac_andWrongMacRefused() {
    for (String spec : List.of("HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512")) {
      String key = kms.createKey(ADMIN_CALLER, CreateKeyRequest.of(spec, "GENERATE_VERIFY_MAC")).arn();
      String alg = "HMAC_SHA_" + spec.substring(5);
      byte[] mac = kms.generateMac(ADMIN_CALLER, new Kms.GenerateMacRequest(key, DATA, alg, null)).mac();
      assertThat(mac).hasSize(Integer.parseInt(spec.substring(5)) / 8);
      assertThat(kms.verifyMac(ADMIN_CALLER, new Kms.VerifyMacRequest(key, DATA, alg, mac, null)).macValid()).isTrue();
      mac[0] ^= 1;
      assertThatThrownBy(() -> kms.verifyMac(ADMIN_CALLER, new Kms.VerifyMacRequest(key, DATA, alg, mac, null)))
          .is(TestKms.error(KMS_INVALID_MAC));
      String other = spec.equals("HMAC_256") ? "HMAC_SHA_512" : "HMAC_SHA_256";
      assertThatThrownBy(() -> kms.generateMac(ADMIN_CALLER, new Kms.GenerateMacRequest(key, DATA, other, null)))
          .is(TestKms.error(INVALID_KEY_USAGE));
      assertThatThrownBy(() -> kms.getPublicKey(ADMIN_CALLER, key))
          .is(TestKms.error(UNSUPPORTED_OPERATION));
    }
  }

  // states --------------------------------------------------------------------------------------------------

  @Test
  void disableKey_thenEncrypt_disabledException() {
    String key = symmetricKey();
    kms.disableKey(ADMIN_CALLER, key);
    assertThatThrownBy(() -> encrypt(key, CTX)).is(TestKms.error(DISABLED));
    kms.enableKey(ADMIN_CALLER, key);
    assertThat(encrypt(key, CTX)).isNotEmpty();
  }

  @Test
  void scheduleKeyDeletion_windowAndStates_likeAws() {
    String key = symmetricKey();
    byte[] blob = encrypt(key, CTX);
    assertThatThrownBy(() -> kms.scheduleKeyDeletion(ADMIN_CALLER, key, 6)).is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.scheduleKeyDeletion(ADMIN_CALLER, key, 31)).is(TestKms.error(VALIDATION));
    Kms.ScheduleKeyDeletionResponse r = kms.scheduleKeyDeletion(ADMIN_CALLER, key, 7);
    assertThat(r.deletionDate()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
    assertThatThrownBy(() -> decrypt(blob, CTX)).is(TestKms.error(KMS_INVALID_STATE));
    assertThatThrownBy(() -> kms.enableKey(ADMIN_CALLER, key)).is(TestKms.error(KMS_INVALID_STATE));
    kms.cancelKeyDeletion(ADMIN_CALLER, key);
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("Disabled");
    assertThatThrownBy(() -> kms.cancelKeyDeletion(ADMIN_CALLER, key)).is(TestKms.error(KMS_INVALID_STATE));
    kms.scheduleKeyDeletion(ADMIN_CALLER, key, null);
    clock.advance(Duration.ofDays(30).minusSeconds(1));
    assertThat(kms.describeKey(ADMIN_CALLER, key).keyState()).isEqualTo("PendingDeletion");
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> kms.describeKey(ADMIN_CALLER, key)).is(TestKms.error(NOT_FOUND));
    assertThatThrownBy(() -> decrypt(blob, CTX)).is(TestKms.error(INVALID_CIPHERTEXT));
  }

  // rotation ------------------------------------------------------------------------------------------------

  @Test
  void automaticRotation_clockPassesPeriod_newMaterialAndOldCiphertextStillDecrypts() {
    String key = symmetricKey();
    byte[] before = encrypt(key, CTX);
    String firstMaterial = kms.describeKey(ADMIN_CALLER, key).currentKeyMaterialId();
    assertThatThrownBy(() -> kms.enableKeyRotation(ADMIN_CALLER, key, 89)).is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.enableKeyRotation(ADMIN_CALLER, key, 2561)).is(TestKms.error(VALIDATION));
    kms.enableKeyRotation(ADMIN_CALLER, key, 90);
    Kms.KeyRotationStatus st = kms.getKeyRotationStatus(ADMIN_CALLER, key);
    assertThat(st.keyRotationEnabled()).isTrue();
    assertThat(st.nextRotationDate()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
    clock.advance(Duration.ofDays(89));
    assertThat(kms.describeKey(ADMIN_CALLER, key).currentKeyMaterialId()).isEqualTo(firstMaterial);
    clock.advance(Duration.ofDays(1));
    String second = kms.describeKey(ADMIN_CALLER, key).currentKeyMaterialId();
    assertThat(second).isNotEqualTo(firstMaterial);
    assertThat(kms.listKeyRotations(ADMIN_CALLER, key)).singleElement().satisfies(e -> {
      assertThat(e.rotationType()).isEqualTo("AUTOMATIC");
      assertThat(e.keyMaterialId()).isEqualTo(second);
      assertThat(e.keyMaterialState()).isEqualTo("CURRENT");
    });
    byte[] after = encrypt(key, CTX);
    assertThat(kms.decrypt(ADMIN_CALLER, DecryptRequest.of(before, CTX)).keyMaterialId()).isEqualTo(firstMaterial);
    assertThat(kms.decrypt(ADMIN_CALLER, DecryptRequest.of(after, CTX)).keyMaterialId()).isEqualTo(second);
    assertThat(decrypt(before, CTX)).isEqualTo(DATA);
  }

  @Test
  void rotateKeyOnDemand_25Times_thenLimitExceeded() {
    String key = symmetricKey();
    byte[] first = encrypt(key, CTX);
    for (int i = 0; i < KmsRuntime.MAX_ON_DEMAND_ROTATIONS; i++) {
      kms.rotateKeyOnDemand(ADMIN_CALLER, key);
    }
    assertThatThrownBy(() -> kms.rotateKeyOnDemand(ADMIN_CALLER, key)).is(TestKms.error(LIMIT_EXCEEDED));
    List<Kms.RotationsListEntry> rs = kms.listKeyRotations(ADMIN_CALLER, key);
    assertThat(rs).hasSize(25).allSatisfy(e -> assertThat(e.rotationType()).isEqualTo("ON_DEMAND"));
    assertThat(rs.stream().filter(e -> e.keyMaterialState().equals("CURRENT"))).hasSize(1);
    assertThat(decrypt(first, CTX)).isEqualTo(DATA);
    assertThat(kms.getKeyRotationStatus(ADMIN_CALLER, key).keyRotationEnabled()).isFalse();
  }

  @Test
  void rotation_asymmetricOrHmacKey_unsupported() {
    String rsa = kms.createKey(ADMIN_CALLER, CreateKeyRequest.of("RSA_2048", "SIGN_VERIFY")).arn();
    assertThatThrownBy(() -> kms.enableKeyRotation(ADMIN_CALLER, rsa, null))
        .is(TestKms.error(UNSUPPORTED_OPERATION));
    assertThatThrownBy(() -> kms.rotateKeyOnDemand(ADMIN_CALLER, rsa))
        .is(TestKms.error(UNSUPPORTED_OPERATION));
  }

  // policies ------------------------------------------------------------------------------------------------

  @Test
  void putKeyPolicy_lockingCallerOut_refusedUnlessBypassed() {
    String key = symmetricKey();
    String appOnly = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AppUses\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\"" + APP + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}";
    assertThatThrownBy(() -> kms.putKeyPolicy(ADMIN_CALLER, key, "default", appOnly, false))
        .is(TestKms.error(MALFORMED_POLICY_DOCUMENT)).hasMessageContaining("will not allow you");
    kms.putKeyPolicy(ADMIN_CALLER, key, "default", appOnly, true);
    // the bypass did what the check warned about: the admin is locked out of the key
    assertThatThrownBy(() -> kms.getKeyPolicy(ADMIN_CALLER, key, null)).is(TestKms.error(ACCESS_DENIED));
    assertThatThrownBy(() -> kms.putKeyPolicy(ADMIN_CALLER, key, null, appOnly, true))
        .is(TestKms.error(ACCESS_DENIED));
  }

  @Test
  void putKeyPolicy_badDocuments_refused() {
    String key = symmetricKey();
    assertThatThrownBy(() -> kms.putKeyPolicy(ADMIN_CALLER, key, "default", "{not json", false))
        .is(TestKms.error(MALFORMED_POLICY_DOCUMENT));
    String huge = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + "x".repeat(KmsRuntime.MAX_POLICY_CHARS)
        + "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    assertThatThrownBy(() -> kms.putKeyPolicy(ADMIN_CALLER, key, "default", huge, false))
        .is(TestKms.error(LIMIT_EXCEEDED));
    assertThatThrownBy(() -> kms.putKeyPolicy(ADMIN_CALLER, key, "other", "{}", false))
        .is(TestKms.error(NOT_FOUND));
    assertThatThrownBy(() -> kms.putKeyPolicy(ADMIN_CALLER, key, "default", "{\"Statement\":\"\u20ac\"}", false))
        .is(TestKms.error(MALFORMED_POLICY_DOCUMENT));
  }

  @Test
  void keyPolicy_allowsOnlyAccountIam_outsiderDenied() {
    String key = symmetricKey();
    assertThatThrownBy(() -> kms.encrypt(OUTSIDER_CALLER, EncryptRequest.of(key, DATA, CTX)))
        .is(TestKms.error(ACCESS_DENIED))
        .hasMessageContaining("is not authorized to perform `kms:Encrypt`");
  }

  // aliases -------------------------------------------------------------------------------------------------

  @Test
  void aliases_createUseUpdateDelete() {
    String a = symmetricKey();
    String b = symmetricKey();
    assertThatThrownBy(() -> kms.createAlias(ADMIN_CALLER, "alias/aws/s3", a))
        .is(TestKms.error(INVALID_ALIAS_NAME));
    assertThatThrownBy(() -> kms.createAlias(ADMIN_CALLER, "finance", a)).is(TestKms.error(INVALID_ALIAS_NAME));
    kms.createAlias(ADMIN_CALLER, "alias/finance", a);
    assertThatThrownBy(() -> kms.createAlias(ADMIN_CALLER, "alias/finance", b))
        .is(TestKms.error(ALREADY_EXISTS));
    assertThat(kms.encrypt(ADMIN_CALLER, EncryptRequest.of("alias/finance", DATA, CTX)).keyId()).isEqualTo(a);
    assertThat(kms.describeKey(ADMIN_CALLER, "arn:aws:kms:us-east-1:" + ACCOUNT + ":alias/finance").arn())
        .isEqualTo(a);
    kms.updateAlias(ADMIN_CALLER, "alias/finance", b);
    assertThat(kms.encrypt(ADMIN_CALLER, EncryptRequest.of("alias/finance", DATA, CTX)).keyId()).isEqualTo(b);
    assertThat(kms.listAliases(ADMIN_CALLER, null)).extracting(Kms.AliasListEntry::aliasName)
        .containsExactly("alias/finance");
    String hmac = kms.createKey(ADMIN_CALLER, CreateKeyRequest.of("HMAC_256", null)).arn();
    assertThatThrownBy(() -> kms.updateAlias(ADMIN_CALLER, "alias/finance", hmac))
        .is(TestKms.error(VALIDATION));
    kms.deleteAlias(ADMIN_CALLER, "alias/finance");
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, EncryptRequest.of("alias/finance", DATA, CTX)))
        .is(TestKms.error(NOT_FOUND));
  }

  // tags ----------------------------------------------------------------------------------------------------

  @Test
  void tags_tagListUntag_andAwsPrefixRefused() {
    String key = symmetricKey();
    kms.tagResource(ADMIN_CALLER, key, Map.of("Team", "finance", "Env", "dev"));
    assertThat(kms.listResourceTags(ADMIN_CALLER, key)).containsExactly(Map.entry("Env", "dev"),
        Map.entry("Team", "finance"));
    kms.untagResource(ADMIN_CALLER, key, List.of("Env"));
    assertThat(kms.listResourceTags(ADMIN_CALLER, key)).containsOnlyKeys("Team");
    assertThatThrownBy(() -> kms.tagResource(ADMIN_CALLER, key, Map.of("aws:x", "y")))
        .is(TestKms.error(TAG));
  }

  // grants --------------------------------------------------------------------------------------------------

  @Test
  void grant_withSubsetConstraint_letsAppUseKeyOnlyWithContext_untilRetired() {
    String key = symmetricKey();
    assertThatThrownBy(() -> kms.encrypt(APP_CALLER, EncryptRequest.of(key, DATA, CTX)))
        .is(TestKms.error(ACCESS_DENIED));
    CreateGrantRequest req = new CreateGrantRequest(key, APP, TestKms.ADMIN, List.of("Encrypt", "Decrypt"),
        new GrantConstraints(null, Map.of("Dept", "Finance")), "app-finance", null);
    Kms.CreateGrantResponse g = kms.createGrant(ADMIN_CALLER, req);
    assertThat(kms.createGrant(ADMIN_CALLER, req).grantId()).as("name idempotency").isEqualTo(g.grantId());
    byte[] blob = kms.encrypt(APP_CALLER, new EncryptRequest(key, DATA, Map.of("Dept", "Finance", "Q", "3"), null,
        List.of(g.grantToken()))).ciphertextBlob();
    assertThat(kms.decrypt(APP_CALLER, DecryptRequest.of(blob, Map.of("Dept", "Finance", "Q", "3"))).plaintext()
        .toByteArray()).isEqualTo(DATA);
    KmsException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> kms.encrypt(APP_CALLER, EncryptRequest.of(key, DATA, Map.of("Dept", "HR"))), KmsException.class);
    assertThat(e.error()).isEqualTo(KmsError.ACCESS_DENIED);
    assertThat(e.getMessage()).contains("grant " + g.grantId()).contains("{Dept=Finance}");
    assertThat(kms.listGrants(ADMIN_CALLER, key, null, null)).singleElement().satisfies(l -> {
      assertThat(l.name()).isEqualTo("app-finance");
      assertThat(l.operations()).containsExactly("Encrypt", "Decrypt");
      assertThat(l.constraints().encryptionContextSubset()).isEqualTo(Map.of("Dept", "Finance"));
    });
    assertThat(kms.listRetirableGrants(ADMIN_CALLER, TestKms.ADMIN)).hasSize(1);
    assertThatThrownBy(() -> kms.retireGrant(APP_CALLER, g.grantToken(), null, null))
        .is(TestKms.error(ACCESS_DENIED));
    assertThatThrownBy(() -> kms.retireGrant(ADMIN_CALLER, g.grantToken(), null, null, true))
        .is(TestKms.error(DRY_RUN_OPERATION));
    kms.retireGrant(ADMIN_CALLER, g.grantToken(), null, null);
    assertThat(kms.listGrants(ADMIN_CALLER, key, null, null)).isEmpty();
    assertThatThrownBy(() -> kms.encrypt(APP_CALLER, EncryptRequest.of(key, DATA, CTX)))
        .is(TestKms.error(ACCESS_DENIED));
    assertThatThrownBy(() -> kms.encrypt(ADMIN_CALLER, new EncryptRequest(key, DATA, CTX, null,
        List.of(g.grantToken())))).is(TestKms.error(INVALID_GRANT_TOKEN));
  }

  @Test
  void createGrant_constraintsWithSign_orUnknownOperation_refused() {
    String key = kms.createKey(ADMIN_CALLER, CreateKeyRequest.of("ECC_NIST_P256", "SIGN_VERIFY")).arn();
    assertThatThrownBy(() -> kms.createGrant(ADMIN_CALLER, new CreateGrantRequest(key, APP, null, List.of("Sign"),
        new GrantConstraints(Map.of("a", "b"), null), null, null))).is(TestKms.error(VALIDATION));
    assertThatThrownBy(() -> kms.createGrant(ADMIN_CALLER, new CreateGrantRequest(key, APP, null,
        List.of("ScheduleKeyDeletion"), null, null, null))).is(TestKms.error(VALIDATION));
    Kms.CreateGrantResponse g = kms.createGrant(ADMIN_CALLER, new CreateGrantRequest(key, APP, null,
        List.of("Sign", "GetPublicKey"), null, null, null));
    assertThat(kms.sign(APP_CALLER, new Kms.SignRequest(key, DATA, null, "ECDSA_SHA_256", null)).signature())
        .isNotEmpty();
    assertThatThrownBy(() -> kms.revokeGrant(APP_CALLER, key, g.grantId())).is(TestKms.error(ACCESS_DENIED));
    assertThatThrownBy(() -> kms.revokeGrant(ADMIN_CALLER, key, g.grantId(), true))
        .is(TestKms.error(DRY_RUN_OPERATION));
    assertThat(kms.listGrants(ADMIN_CALLER, key, g.grantId(), null)).hasSize(1);
    kms.revokeGrant(ADMIN_CALLER, key, g.grantId());
    assertThatThrownBy(() -> kms.sign(APP_CALLER, new Kms.SignRequest(key, DATA, null, "ECDSA_SHA_256", null)))
        .is(TestKms.error(ACCESS_DENIED));
    assertThatThrownBy(() -> kms.revokeGrant(ADMIN_CALLER, key, g.grantId()))
        .is(TestKms.error(INVALID_GRANT_ID));
  }

  @Test
  void grant_createGrantCondition_seesGrantOperationsKey() {
    String key = symmetricKey();
    String onlyDecryptGrants = "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + TestKms.ADMIN + "\"},"
        + "\"Action\":[\"kms:PutKeyPolicy\",\"kms:DescribeKey\"],\"Resource\":\"*\"},"
        + "{\"Sid\":\"DecryptGrantsOnly\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + TestKms.ADMIN + "\"},"
        + "\"Action\":\"kms:CreateGrant\",\"Resource\":\"*\","
        + "\"Condition\":{\"ForAllValues:StringEquals\":{\"kms:GrantOperations\":[\"Decrypt\"]}}}]}";
    kms.putKeyPolicy(ADMIN_CALLER, key, "default", onlyDecryptGrants, false);
    kms.createGrant(ADMIN_CALLER, new CreateGrantRequest(key, APP, null, List.of("Decrypt"), null, null, null));
    assertThatThrownBy(() -> kms.createGrant(ADMIN_CALLER, new CreateGrantRequest(key, APP, null,
        List.of("Decrypt", "Encrypt"), null, null, null))).is(TestKms.error(ACCESS_DENIED));
  }

  @Test
  void viaService_conditionOnKmsViaService_enforced() {
    String key = symmetricKey();
    String viaS3 = "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + TestKms.ADMIN + "\"},"
        + "\"Action\":[\"kms:PutKeyPolicy\",\"kms:DescribeKey\"],\"Resource\":\"*\"},"
        + "{\"Sid\":\"ViaS3\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + APP + "\"},"
        + "\"Action\":\"kms:Encrypt\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}]}";
    kms.putKeyPolicy(ADMIN_CALLER, key, "default", viaS3, false);
    assertThatThrownBy(() -> kms.encrypt(APP_CALLER, EncryptRequest.of(key, DATA, CTX)))
        .is(TestKms.error(ACCESS_DENIED));
    Kms.Caller viaS3Caller = new Kms.Caller(APP, TestKms.REGION, "s3.us-east-1.amazonaws.com");
    assertThat(kms.encrypt(viaS3Caller, EncryptRequest.of(key, DATA, CTX)).keyId()).isEqualTo(key);
  }
}
