package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.security.spec.MGF1ParameterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.DataKeyPairSpec;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyPairResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;

/** Every operation of keyward serve through the AWS SDK for Java v2's KMS client, with real SigV4. */
class KmsServerEndToEndTest {

  @TempDir
  static Path dir;
  static StringWriter log = new StringWriter();
  static KmsServer server;
  static KmsClient admin;
  static KmsClient dev;

  static final Map<String, String> FINANCE = Map.of("Dept", "Finance");

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir, log);
    admin = TestServer.admin(server);
    dev = TestServer.dev(server);
  }

  @AfterAll
  static void stop() {
    admin.close();
    dev.close();
    server.close();
    assertThat(log.toString()).isEmpty();
  }

  static SdkBytes bytes(String s) {
    return SdkBytes.fromUtf8String(s);
  }

  static KmsException error(Runnable r) {
    try {
      r.run();
    } catch (KmsException e) {
      return e;
    }
    throw new AssertionError("no KMS error");
  }

  static String code(Runnable r) {
    return error(r).awsErrorDetails().errorCode();
  }

  // keys --------------------------------------------------------------------------------------------

  @Test
  void createKey_symmetric_describedWithFullArnInCallersAccountAndRegion() {
    KeyMetadata m = dev.createKey(r -> r.description("app key").tags(t -> t.tagKey("team").tagValue("a")))
        .keyMetadata();
    assertThat(m.arn()).startsWith("arn:aws:kms:us-east-1:111111111111:key/").endsWith(m.keyId());
    assertThat(m.awsAccountId()).isEqualTo("111111111111");
    assertThat(m.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(m.keySpec()).isEqualTo(KeySpec.SYMMETRIC_DEFAULT);
    assertThat(m.encryptionAlgorithms()).contains(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT);
    assertThat(m.creationDate()).isNotNull();
    assertThat(dev.describeKey(r -> r.keyId(m.keyId())).keyMetadata().arn()).isEqualTo(m.arn());
    assertThat(dev.listKeysPaginator().keys()).anySatisfy(k -> assertThat(k.keyArn()).isEqualTo(m.arn()));
    assertThat(dev.listResourceTags(r -> r.keyId(m.keyId())).tags())
        .singleElement().satisfies(t -> assertThat(t.tagKey()).isEqualTo("team"));
  }

  @Test
  void keyIds_resolveInTheRequestRegion() {
    KmsClient eu = TestServer.client(server, "AKIADEVUSER00000001", "dev-secret", "eu-west-1");
    assertThat(eu.describeKey(r -> r.keyId("alias/finance")).keyMetadata().arn()).isEqualTo(TestServer.EU_KEY);
    assertThat(dev.describeKey(r -> r.keyId("alias/finance")).keyMetadata().arn()).isEqualTo(TestServer.FINANCE_KEY);
    assertThat(code(() -> eu.describeKey(r -> r.keyId("1234abcd-12ab-34cd-56ef-1234567890ab"))))
        .isEqualTo("NotFoundException");
    eu.close();
  }

  @Test
  void keyLifecycle_disableEnableScheduleCancelDescription() {
    String id = dev.createKey(r -> r.description("x")).keyMetadata().keyId();
    dev.disableKey(r -> r.keyId(id));
    assertThat(code(() -> dev.encrypt(r -> r.keyId(id).plaintext(bytes("p"))))).isEqualTo("DisabledException");
    dev.enableKey(r -> r.keyId(id));
    dev.updateKeyDescription(r -> r.keyId(id).description("new"));
    assertThat(dev.describeKey(r -> r.keyId(id)).keyMetadata().description()).isEqualTo("new");
    var s = dev.scheduleKeyDeletion(r -> r.keyId(id).pendingWindowInDays(7));
    assertThat(s.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(s.pendingWindowInDays()).isEqualTo(7);
    assertThat(s.deletionDate()).isNotNull();
    assertThat(code(() -> dev.encrypt(r -> r.keyId(id).plaintext(bytes("p"))))).isEqualTo("KMSInvalidStateException");
    assertThat(dev.cancelKeyDeletion(r -> r.keyId(id)).keyId()).endsWith(id);
    assertThat(dev.describeKey(r -> r.keyId(id)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
  }

  @Test
  void tags_tagUntagList() {
    String id = dev.createKey(r -> r.description("t")).keyMetadata().keyId();
    dev.tagResource(r -> r.keyId(id).tags(t -> t.tagKey("a").tagValue("1"), t -> t.tagKey("b").tagValue("2")));
    dev.untagResource(r -> r.keyId(id).tagKeys("a"));
    assertThat(dev.listResourceTags(r -> r.keyId(id)).tags()).extracting(t -> t.tagKey()).containsExactly("b");
  }

  @Test
  void policies_getPutList_andLockoutCheck() {
    String id = dev.createKey(r -> r.description("p")).keyMetadata().keyId();
    assertThat(dev.listKeyPolicies(r -> r.keyId(id)).policyNames()).containsExactly("default");
    String policy = dev.getKeyPolicy(r -> r.keyId(id).policyName("default")).policy();
    assertThat(policy).contains("arn:aws:iam::111111111111:root");
    String lockout = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"arn:aws:iam::111111111111:role/BatchJob\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
    assertThat(code(() -> dev.putKeyPolicy(r -> r.keyId(id).policyName("default").policy(lockout))))
        .isEqualTo("MalformedPolicyDocumentException");
    String ok = policy.replace("\"kms:*\"", "[\"kms:*\"]");
    dev.putKeyPolicy(r -> r.keyId(id).policyName("default").policy(ok));
    assertThat(dev.getKeyPolicy(r -> r.keyId(id)).policy()).isEqualTo(ok);
    assertThat(code(() -> dev.putKeyPolicy(r -> r.keyId(id).policy("{not json")))).isEqualTo(
        "MalformedPolicyDocumentException");
  }

  @Test
  void rotation_enableStatusOnDemandList_oldCiphertextDecrypts() {
    String id = dev.createKey(r -> r.description("r")).keyMetadata().keyId();
    SdkBytes old = dev.encrypt(r -> r.keyId(id).plaintext(bytes("before"))).ciphertextBlob();
    dev.enableKeyRotation(r -> r.keyId(id).rotationPeriodInDays(180));
    var status = dev.getKeyRotationStatus(r -> r.keyId(id));
    assertThat(status.keyRotationEnabled()).isTrue();
    assertThat(status.rotationPeriodInDays()).isEqualTo(180);
    assertThat(status.nextRotationDate()).isNotNull();
    assertThat(dev.rotateKeyOnDemand(r -> r.keyId(id)).keyId()).endsWith(id);
    assertThat(dev.listKeyRotations(r -> r.keyId(id)).rotations()).singleElement()
        .satisfies(e -> assertThat(e.rotationTypeAsString()).isEqualTo("ON_DEMAND"));
    assertThat(dev.decrypt(r -> r.ciphertextBlob(old)).plaintext().asUtf8String()).isEqualTo("before");
    dev.disableKeyRotation(r -> r.keyId(id));
    assertThat(dev.getKeyRotationStatus(r -> r.keyId(id)).keyRotationEnabled()).isFalse();
    assertThat(code(() -> dev.enableKeyRotation(r -> r.keyId(id).rotationPeriodInDays(30))))
        .isEqualTo("ValidationException");
  }

  @Test
  void aliases_createUpdateListDelete() {
    String a = dev.createKey(r -> r.description("a")).keyMetadata().keyId();
    String b = dev.createKey(r -> r.description("b")).keyMetadata().keyId();
    dev.createAlias(r -> r.aliasName("alias/e2e-app").targetKeyId(a));
    assertThat(code(() -> dev.createAlias(r -> r.aliasName("alias/e2e-app").targetKeyId(b))))
        .isEqualTo("AlreadyExistsException");
    assertThat(code(() -> dev.createAlias(r -> r.aliasName("alias/aws/x").targetKeyId(b))))
        .isIn("InvalidAliasNameException", "NotAuthorizedException");
    dev.updateAlias(r -> r.aliasName("alias/e2e-app").targetKeyId(b));
    List<AliasListEntry> list = dev.listAliases(r -> r.keyId(b)).aliases();
    assertThat(list).singleElement().satisfies(e -> {
      assertThat(e.aliasName()).isEqualTo("alias/e2e-app");
      assertThat(e.aliasArn()).isEqualTo("arn:aws:kms:us-east-1:111111111111:alias/e2e-app");
    });
    assertThat(dev.listAliases().aliases()).extracting(AliasListEntry::aliasName).contains("alias/finance",
        "alias/e2e-app");
    dev.deleteAlias(r -> r.aliasName("alias/e2e-app"));
    assertThat(code(() -> dev.describeKey(r -> r.keyId("alias/e2e-app")))).isEqualTo("NotFoundException");
  }

  @Test
  void listKeys_limitPagesWithMarker() {
    for (int i = 0; i < 3; i++) {
      dev.createKey(r -> r.description("page"));
    }
    var first = dev.listKeys(r -> r.limit(2));
    assertThat(first.keys()).hasSize(2);
    assertThat(first.truncated()).isTrue();
    var second = dev.listKeys(r -> r.limit(1000).marker(first.nextMarker()));
    assertThat(second.truncated()).isFalse();
    assertThat(dev.listKeysPaginator(r -> r.limit(1)).keys().stream().count())
        .isEqualTo(dev.listKeys(r -> r.limit(1000)).keys().size());
    assertThat(code(() -> dev.listKeys(r -> r.marker("zzz")))).isEqualTo("InvalidMarkerException");
    // AWS's page sizes per operation: ListAliases takes 1 to 100
    assertThat(code(() -> dev.listAliases(r -> r.limit(101)))).isEqualTo("ValidationException");
    // a key created between two pages does not make the next page repeat what the first one showed
    var page1 = dev.listKeys(r -> r.limit(2));
    for (int i = 0; i < 3; i++) {
      dev.createKey(r -> r.description("between pages"));
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    page1.keys().forEach(k -> seen.add(k.keyArn()));
    var rest = dev.listKeys(r -> r.limit(1000).marker(page1.nextMarker()));
    assertThat(rest.keys()).noneMatch(k -> seen.contains(k.keyArn()));
  }

  // crypto ------------------------------------------------------------------------------------------

  @Test
  void encryptDecryptReEncrypt_contextBound() {
    EncryptResponse e = dev.encrypt(r -> r.keyId("alias/finance").plaintext(bytes("secret"))
        .encryptionContext(FINANCE));
    assertThat(e.keyId()).isEqualTo(TestServer.FINANCE_KEY);
    assertThat(e.encryptionAlgorithm()).isEqualTo(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT);
    assertThat(code(() -> dev.decrypt(r -> r.ciphertextBlob(e.ciphertextBlob()).encryptionContext(Map.of("Dept",
        "finance"))))).isEqualTo("InvalidCiphertextException");
    String other = dev.createKey(r -> r.description("dest")).keyMetadata().arn();
    var re = dev.reEncrypt(r -> r.ciphertextBlob(e.ciphertextBlob()).sourceEncryptionContext(FINANCE)
        .destinationKeyId(other).destinationEncryptionContext(Map.of("k", "v")));
    assertThat(re.sourceKeyId()).isEqualTo(TestServer.FINANCE_KEY);
    assertThat(re.keyId()).isEqualTo(other);
    var d = dev.decrypt(r -> r.ciphertextBlob(re.ciphertextBlob()).encryptionContext(Map.of("k", "v")));
    assertThat(d.plaintext().asUtf8String()).isEqualTo("secret");
    assertThat(d.keyId()).isEqualTo(other);
    assertThat(code(() -> dev.decrypt(r -> r.ciphertextBlob(re.ciphertextBlob()).keyId(TestServer.FINANCE_KEY)
        .encryptionContext(Map.of("k", "v"))))).isEqualTo("IncorrectKeyException");
  }

  @Test
  void generateDataKey_allVariants() {
    GenerateDataKeyResponse k = dev.generateDataKey(r -> r.keyId("alias/finance").keySpec(DataKeySpec.AES_256)
        .encryptionContext(FINANCE));
    assertThat(k.plaintext().asByteArray()).hasSize(32);
    assertThat(k.keyId()).isEqualTo(TestServer.FINANCE_KEY);
    assertThat(dev.decrypt(r -> r.ciphertextBlob(k.ciphertextBlob()).encryptionContext(FINANCE)).plaintext())
        .isEqualTo(k.plaintext());
    var w = dev.generateDataKeyWithoutPlaintext(r -> r.keyId("alias/finance").numberOfBytes(16));
    assertThat(dev.decrypt(r -> r.ciphertextBlob(w.ciphertextBlob())).plaintext().asByteArray()).hasSize(16);
    GenerateDataKeyPairResponse p = dev.generateDataKeyPair(r -> r.keyId("alias/finance")
        .keyPairSpec(DataKeyPairSpec.ECC_NIST_P256));
    assertThat(p.publicKey().asByteArray()).isNotEmpty();
    assertThat(dev.decrypt(r -> r.ciphertextBlob(p.privateKeyCiphertextBlob())).plaintext())
        .isEqualTo(p.privateKeyPlaintext());
    var pw = dev.generateDataKeyPairWithoutPlaintext(r -> r.keyId("alias/finance")
        .keyPairSpec(DataKeyPairSpec.RSA_2048));
    assertThat(pw.privateKeyCiphertextBlob().asByteArray()).isNotEmpty();
    assertThat(pw.keyPairSpec()).isEqualTo(DataKeyPairSpec.RSA_2048);
    assertThat(dev.generateRandom(r -> r.numberOfBytes(64)).plaintext().asByteArray()).hasSize(64);
  }

  @Test
  void signVerifyGetPublicKey_verifiesOfflineWithTheJdk() throws Exception {
    String id = dev.createKey(r -> r.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
        .keyMetadata().keyId();
    byte[] msg = "message".getBytes(StandardCharsets.UTF_8);
    var s = dev.sign(r -> r.keyId(id).message(SdkBytes.fromByteArray(msg)).messageType(MessageType.RAW)
        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
    assertThat(s.keyId()).endsWith(id).startsWith("arn:aws:kms:");
    var v = dev.verify(r -> r.keyId(id).message(SdkBytes.fromByteArray(msg)).signature(s.signature())
        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256));
    assertThat(v.signatureValid()).isTrue();
    assertThat(code(() -> dev.verify(r -> r.keyId(id).message(bytes("other")).signature(s.signature())
        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))).isEqualTo("KMSInvalidSignatureException");
    var pk = dev.getPublicKey(r -> r.keyId(id));
    assertThat(pk.keySpec()).isEqualTo(KeySpec.ECC_NIST_P256);
    PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pk.publicKey().asByteArray()));
    Signature jdk = Signature.getInstance("SHA256withECDSA");
    jdk.initVerify(pub);
    jdk.update(msg);
    assertThat(jdk.verify(s.signature().asByteArray())).isTrue();
  }

  @Test
  void rsaEncrypt_offlineOaepCiphertextDecrypts() throws Exception {
    String id = dev.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
        .keyMetadata().keyId();
    byte[] der = dev.getPublicKey(r -> r.keyId(id)).publicKey().asByteArray();
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.ENCRYPT_MODE, KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)),
        new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    byte[] ct = c.doFinal("offline".getBytes(StandardCharsets.UTF_8));
    var d = dev.decrypt(r -> r.keyId(id).ciphertextBlob(SdkBytes.fromByteArray(ct))
        .encryptionAlgorithm(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256));
    assertThat(d.plaintext().asUtf8String()).isEqualTo("offline");
  }

  @Test
  void generateVerifyMac() {
    String id = dev.createKey(r -> r.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC))
        .keyMetadata().keyId();
    var m = dev.generateMac(r -> r.keyId(id).message(bytes("m")).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256));
    assertThat(m.mac().asByteArray()).hasSize(32);
    assertThat(dev.verifyMac(r -> r.keyId(id).message(bytes("m")).mac(m.mac())
        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)).macValid()).isTrue();
    assertThat(code(() -> dev.verifyMac(r -> r.keyId(id).message(bytes("n")).mac(m.mac())
        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)))).isEqualTo("KMSInvalidMacException");
  }

  // imported material, multi-Region ------------------------------------------------------------------

  @Test
  void importedMaterial_getParametersImportUseDelete() throws Exception {
    KeyMetadata m = dev.createKey(r -> r.origin("EXTERNAL").description("imported")).keyMetadata();
    assertThat(m.keyState()).isEqualTo(KeyState.PENDING_IMPORT);
    var p = dev.getParametersForImport(r -> r.keyId(m.keyId()).wrappingAlgorithm("RSAES_OAEP_SHA_256")
        .wrappingKeySpec("RSA_2048"));
    assertThat(p.keyId()).isEqualTo(m.arn());
    assertThat(p.parametersValidTo()).isNotNull();
    byte[] material = new byte[32];
    new java.security.SecureRandom().nextBytes(material);
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.ENCRYPT_MODE, KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
        p.publicKey().asByteArray())), new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT));
    byte[] wrapped = c.doFinal(material);
    dev.importKeyMaterial(r -> r.keyId(m.keyId()).importToken(p.importToken())
        .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped)).expirationModel("KEY_MATERIAL_DOES_NOT_EXPIRE"));
    assertThat(dev.describeKey(r -> r.keyId(m.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
    SdkBytes ct = dev.encrypt(r -> r.keyId(m.keyId()).plaintext(bytes("imp"))).ciphertextBlob();
    assertThat(dev.decrypt(r -> r.ciphertextBlob(ct)).plaintext().asUtf8String()).isEqualTo("imp");
    dev.deleteImportedKeyMaterial(r -> r.keyId(m.keyId()));
    assertThat(dev.describeKey(r -> r.keyId(m.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_IMPORT);
    assertThat(code(() -> dev.decrypt(r -> r.ciphertextBlob(ct)))).isIn("KMSInvalidStateException");
  }

  /** What a client does to import material through the SDK: parameters, RSA-OAEP SHA-256 wrap, import. */
  private software.amazon.awssdk.services.kms.model.ImportKeyMaterialResponse sdkImport(String keyId,
      byte[] material, String importType, String description) throws Exception {
    var p = dev.getParametersForImport(r -> r.keyId(keyId).wrappingAlgorithm("RSAES_OAEP_SHA_256")
        .wrappingKeySpec("RSA_2048"));
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.ENCRYPT_MODE, KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
        p.publicKey().asByteArray())), new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT));
    byte[] wrapped = c.doFinal(material);
    return dev.importKeyMaterial(r -> r.keyId(keyId).importToken(p.importToken())
        .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped)).expirationModel("KEY_MATERIAL_DOES_NOT_EXPIRE")
        .importType(importType).keyMaterialDescription(description));
  }

  @Test
  void importedMaterial_newMaterialRotatesOnDemand_listedAndDeletedById() throws Exception {
    KeyMetadata m = dev.createKey(r -> r.origin("EXTERNAL").description("imported, rotating")).keyMetadata();
    java.security.SecureRandom random = new java.security.SecureRandom();
    byte[] first = new byte[32];
    byte[] second = new byte[32];
    random.nextBytes(first);
    random.nextBytes(second);
    String firstId = sdkImport(m.keyId(), first, null, "first").keyMaterialId();
    SdkBytes old = dev.encrypt(r -> r.keyId(m.keyId()).plaintext(bytes("old"))).ciphertextBlob();
    var imported = sdkImport(m.keyId(), second, "NEW_KEY_MATERIAL", "second");
    assertThat(imported.keyId()).isEqualTo(m.arn());
    var pending = dev.listKeyRotations(r -> r.keyId(m.keyId())).rotations();
    assertThat(pending).extracting(e -> e.keyMaterialStateAsString()).containsExactly("CURRENT", "PENDING_ROTATION");
    assertThat(pending).extracting(e -> e.importStateAsString()).containsExactly("IMPORTED", "IMPORTED");
    assertThat(pending).extracting(e -> e.keyMaterialDescription()).containsExactly("first", "second");
    dev.rotateKeyOnDemand(r -> r.keyId(m.keyId()));
    assertThat(dev.describeKey(r -> r.keyId(m.keyId())).keyMetadata().currentKeyMaterialId())
        .isEqualTo(imported.keyMaterialId());
    var deleted = dev.deleteImportedKeyMaterial(r -> r.keyId(m.keyId()).keyMaterialId(firstId));
    assertThat(deleted.keyMaterialId()).isEqualTo(firstId);
    assertThat(dev.describeKey(r -> r.keyId(m.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.PENDING_IMPORT);
    assertThat(code(() -> {
      try {
        sdkImport(m.keyId(), new byte[32], "EXISTING_KEY_MATERIAL", null);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).isEqualTo("IncorrectKeyMaterialException");
    sdkImport(m.keyId(), first, "EXISTING_KEY_MATERIAL", null);
    assertThat(dev.decrypt(r -> r.ciphertextBlob(old)).plaintext().asUtf8String()).isEqualTo("old");
  }

  @Test
  void multiRegion_replicateDecryptElsewhereUpdatePrimary() {
    KeyMetadata m = dev.createKey(r -> r.multiRegion(true).description("mrk")).keyMetadata();
    assertThat(m.keyId()).startsWith("mrk-");
    var rep = dev.replicateKey(r -> r.keyId(m.keyId()).replicaRegion("eu-west-1"));
    String replicaArn = "arn:aws:kms:eu-west-1:111111111111:key/" + m.keyId();
    assertThat(rep.replicaKeyMetadata().arn()).isEqualTo(replicaArn);
    assertThat(rep.replicaKeyMetadata().multiRegionConfiguration().multiRegionKeyTypeAsString()).isEqualTo("REPLICA");
    assertThat(rep.replicaPolicy()).contains("arn:aws:iam::111111111111:root");
    SdkBytes ct = dev.encrypt(r -> r.keyId(m.keyId()).plaintext(bytes("mr"))).ciphertextBlob();
    KmsClient eu = TestServer.client(server, "AKIADEVUSER00000001", "dev-secret", "eu-west-1");
    var d = eu.decrypt(r -> r.ciphertextBlob(ct));
    assertThat(d.plaintext().asUtf8String()).isEqualTo("mr");
    assertThat(d.keyId()).isEqualTo(replicaArn);
    var primary = dev.describeKey(r -> r.keyId(m.keyId())).keyMetadata().multiRegionConfiguration();
    assertThat(primary.primaryKey().region()).isEqualTo("us-east-1");
    assertThat(primary.replicaKeys()).extracting(k -> k.arn()).containsExactly(replicaArn);
    dev.updatePrimaryRegion(r -> r.keyId(m.keyId()).primaryRegion("eu-west-1"));
    assertThat(eu.describeKey(r -> r.keyId(m.keyId())).keyMetadata().multiRegionConfiguration()
        .multiRegionKeyTypeAsString()).isEqualTo("PRIMARY");
    eu.close();
  }

  // grants ------------------------------------------------------------------------------------------

  @Test
  void grants_createListUseRetireRevoke() {
    String id = dev.createKey(r -> r.description("g")).keyMetadata().keyId();
    KmsClient batch = TestServer.batch(server);
    assertThat(code(() -> batch.encrypt(r -> r.keyId(id).plaintext(bytes("x"))))).isEqualTo("AccessDeniedException");
    CreateGrantResponse g = dev.createGrant(r -> r.keyId(id).granteePrincipal("arn:aws:iam::111111111111:role/BatchJob")
        .operations(GrantOperation.ENCRYPT, GrantOperation.RETIRE_GRANT).name("e2e")
        .retiringPrincipal("arn:aws:iam::111111111111:role/KeyAdmin"));
    assertThat(g.grantToken()).isNotEmpty();
    assertThat(batch.encrypt(r -> r.keyId(dev.describeKey(d -> d.keyId(id)).keyMetadata().arn())
        .plaintext(bytes("x"))).ciphertextBlob()).isNotNull();
    List<GrantListEntry> grants = dev.listGrants(r -> r.keyId(id)).grants();
    assertThat(grants).singleElement().satisfies(e -> {
      assertThat(e.grantId()).isEqualTo(g.grantId());
      assertThat(e.name()).isEqualTo("e2e");
      assertThat(e.operations()).containsExactlyInAnyOrder(GrantOperation.ENCRYPT, GrantOperation.RETIRE_GRANT);
      assertThat(e.issuingAccount()).isNotNull();
    });
    assertThat(admin.listRetirableGrants(r -> r.retiringPrincipal("arn:aws:iam::111111111111:role/KeyAdmin"))
        .grants()).extracting(GrantListEntry::grantId).contains(g.grantId());
    batch.retireGrant(r -> r.grantToken(g.grantToken()));
    assertThat(dev.listGrants(r -> r.keyId(id)).grants()).isEmpty();
    CreateGrantResponse g2 = dev.createGrant(r -> r.keyId(id)
        .granteePrincipal("arn:aws:iam::111111111111:role/BatchJob").operations(GrantOperation.DECRYPT));
    dev.revokeGrant(r -> r.keyId(id).grantId(g2.grantId()));
    assertThat(code(() -> dev.revokeGrant(r -> r.keyId(id).grantId(g2.grantId())))).isEqualTo(
        "InvalidGrantIdException");
    batch.close();
  }

  @Test
  void seededGrant_hasItsWorldId() {
    assertThat(admin.listGrants(r -> r.keyId("alias/finance")).grants()).extracting(GrantListEntry::grantId)
        .contains("0000000000000000000000000000000000000000000000000000000000000001");
  }

  // denials -----------------------------------------------------------------------------------------

  @Test
  void denial_byKeyPolicyDeny_namesTheStatement() {
    KmsException e = error(() -> dev.scheduleKeyDeletion(r -> r.keyId("alias/finance").pendingWindowInDays(7)));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorMessage()).contains("OnlyKeyAdminDeletes");
  }

  @Test
  void denial_crossAccountWithoutIamAllow_namesWhatIsMissing() {
    byte[] ct = dev.encrypt(r -> r.keyId("alias/finance").plaintext(bytes("s")).encryptionContext(FINANCE))
        .ciphertextBlob().asByteArray();
    KmsClient analyst = TestServer.analyst(server);
    assertThat(analyst.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ct)).encryptionContext(FINANCE))
        .plaintext().asUtf8String()).isEqualTo("s");
    KmsClient outsider = TestServer.outsider(server);
    KmsException e = error(() -> outsider.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ct))
        .encryptionContext(FINANCE)));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(e.awsErrorDetails().errorMessage()).contains("no identity policy of");
    KmsClient intern = TestServer.intern(server);
    KmsException ei = error(() -> intern.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ct))
        .encryptionContext(FINANCE)));
    assertThat(ei.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(ei.awsErrorDetails().errorMessage()).containsIgnoringCase("key policy");
    analyst.close();
    outsider.close();
    intern.close();
  }

  @Test
  void denial_byGrantConstraint_namesTheGrant() {
    byte[] ok = dev.encrypt(r -> r.keyId("alias/finance").plaintext(bytes("s")).encryptionContext(FINANCE))
        .ciphertextBlob().asByteArray();
    byte[] other = dev.encrypt(r -> r.keyId("alias/finance").plaintext(bytes("s"))
        .encryptionContext(Map.of("Dept", "Sales"))).ciphertextBlob().asByteArray();
    KmsClient batch = TestServer.batch(server);
    assertThat(batch.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ok)).encryptionContext(FINANCE))
        .plaintext().asUtf8String()).isEqualTo("s");
    KmsException e = error(() -> batch.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(other))
        .encryptionContext(Map.of("Dept", "Sales"))));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
    assertThat(e.awsErrorDetails().errorMessage())
        .contains("grant 0000000000000000000000000000000000000000000000000000000000000001")
        .contains("only with encryption context containing {Dept=Finance}");
    batch.close();
  }

  @Test
  void dryRun_checksEverythingAndDoesNothing_lastUsageSeesTheRealCall() {
    String id = dev.createKey(r -> r.description("dry")).keyMetadata().keyId();
    KmsException e = error(() -> dev.encrypt(r -> r.keyId(id).plaintext(bytes("x")).dryRun(true)));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DryRunOperationException");
    assertThat(e.statusCode()).isEqualTo(412);
    KmsClient intern = TestServer.intern(server);
    assertThat(code(() -> intern.encrypt(r -> r.keyId(TestServer.FINANCE_KEY).plaintext(bytes("x")).dryRun(true))))
        .isEqualTo("AccessDeniedException");
    intern.close();
    assertThat(dev.getKeyLastUsage(r -> r.keyId(id)).keyLastUsage()).isNull();
    dev.encrypt(r -> r.keyId(id).plaintext(bytes("x")));
    var u = dev.getKeyLastUsage(r -> r.keyId(id));
    assertThat(u.keyId()).endsWith(id);
    assertThat(u.keyLastUsage().operationAsString()).isEqualTo("Encrypt");
    assertThat(u.trackingStartDate()).isNotNull();
  }

  @Test
  void dryRun_revokeGrantAndDecryptIgnoringCiphertext() {
    String id = dev.createKey(r -> r.description("dry grants")).keyMetadata().keyId();
    String grant = dev.createGrant(r -> r.keyId(id).granteePrincipal("arn:aws:iam::111111111111:role/BatchJob")
        .operations(GrantOperation.DECRYPT)).grantId();
    assertThat(code(() -> dev.revokeGrant(r -> r.keyId(id).grantId(grant).dryRun(true))))
        .isEqualTo("DryRunOperationException");
    assertThat(dev.listGrants(r -> r.keyId(id)).grants()).hasSize(1);
    assertThat(code(() -> dev.decrypt(r -> r.keyId(id).dryRun(true).dryRunModifiersWithStrings("IGNORE_CIPHERTEXT"))))
        .isEqualTo("DryRunOperationException");
    assertThat(code(() -> dev.reEncrypt(r -> r.ciphertextBlob(bytes("x")).sourceKeyId(id).destinationKeyId(id)
        .dryRun(true).dryRunModifiersWithStrings("IGNORE_CIPHERTEXT")))).isEqualTo("DryRunOperationException");
    assertThat(code(() -> dev.reEncrypt(r -> r.ciphertextBlob(bytes("x")).destinationKeyId(id).dryRun(true)
        .dryRunModifiersWithStrings("IGNORE_CIPHERTEXT")))).isEqualTo("ValidationException");
  }

  @Test
  void disabledKey_is409() {
    String id = dev.createKey(r -> r.description("off")).keyMetadata().keyId();
    dev.disableKey(r -> r.keyId(id));
    KmsException e = error(() -> dev.encrypt(r -> r.keyId(id).plaintext(bytes("x"))));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DisabledException");
    assertThat(e.statusCode()).isEqualTo(409);
  }

  @Test
  void unknownKey_isNotFound() {
    assertThat(code(() -> dev.describeKey(r -> r.keyId("00000000-0000-0000-0000-000000000000"))))
        .isEqualTo("NotFoundException");
    assertThat(code(() -> dev.describeKey(r -> r.keyId("arn:aws:s3:::bucket")))).isEqualTo("InvalidArnException");
  }
}
