package dev.keyward.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;

/**
 * Signatures checked with the plain JDK (or, for secp256k1, which JDK 17 lacks, Bouncy Castle's own
 * provider) from the DER public key alone; RSA-OAEP ciphertexts made offline with the JDK decrypt.
 */
class AsymmetricKeyTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<KeySpec, AsymmetricKey> KEYS = new EnumMap<>(KeySpec.class);
  private final byte[] message = "the message".getBytes(StandardCharsets.UTF_8);

  private static synchronized AsymmetricKey key(KeySpec spec) {
    return KEYS.computeIfAbsent(spec, s -> AsymmetricKey.generate(s, "b".repeat(64), RANDOM));
  }

  @Test
  void sign_everySpecAndAlgorithm_verifiesWithPlainJdkFromDer() throws Exception {
    for (KeySpec spec : KeySpec.values()) {
      if (!spec.isAsymmetric()) {
        continue;
      }
      AsymmetricKey k = key(spec);
      for (SigningAlgorithm alg : SigningAlgorithm.values()) {
        if (!alg.worksWith(spec)) {
          continue;
        }
        for (MessageType type : MessageType.values()) {
          byte[] input = type == MessageType.RAW ? message : MessageDigest.getInstance(alg.hash()).digest(message);
          byte[] sig = k.sign(alg, type, input);
          assertThat(k.verify(alg, type, input, sig)).as("%s %s %s", spec, alg, type).isTrue();
          assertThat(jdkVerify(spec, k.publicKeyDer(), alg, message, sig)).as("jdk %s %s %s", spec, alg, type)
              .isTrue();
          byte[] other = input.clone();
          other[0] ^= 1;
          assertThat(k.verify(alg, type, other, sig)).isFalse();
        }
      }
    }
  }

  private static boolean jdkVerify(KeySpec spec, byte[] der, SigningAlgorithm alg, byte[] message, byte[] sig)
      throws Exception {
    boolean k1 = spec == KeySpec.ECC_SECG_P256K1;
    KeyFactory f = spec.family() == KeySpec.Family.RSA ? KeyFactory.getInstance("RSA")
        : k1 ? KeyFactory.getInstance("EC", AsymmetricKey.BC) : KeyFactory.getInstance("EC");
    PublicKey pub = f.generatePublic(new X509EncodedKeySpec(der));
    String h = alg.hash().replace("-", "");
    Signature s;
    switch (alg.kind()) {
      case PSS:
        s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec(alg.hash(), "MGF1", new MGF1ParameterSpec(alg.hash()),
            alg.digestLength(), 1));
        break;
      case PKCS1:
        s = Signature.getInstance(h + "withRSA");
        break;
      default:
        s = k1 ? Signature.getInstance(h + "withECDSA", AsymmetricKey.BC) : Signature.getInstance(h + "withECDSA");
    }
    s.initVerify(pub);
    s.update(message);
    return s.verify(sig);
  }

  @Test
  void decrypt_ciphertextMadeOfflineWithJdkFromDer_givesPlaintext() throws Exception {
    for (KeySpec spec : new KeySpec[] {KeySpec.RSA_2048, KeySpec.RSA_3072}) {
      AsymmetricKey k = key(spec);
      PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(k.publicKeyDer()));
      for (EncryptionAlgorithm alg : new EncryptionAlgorithm[] {EncryptionAlgorithm.RSAES_OAEP_SHA_1,
          EncryptionAlgorithm.RSAES_OAEP_SHA_256}) {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec(alg.hash(), "MGF1",
            new MGF1ParameterSpec(alg.hash()), PSource.PSpecified.DEFAULT));
        byte[] max = new byte[alg.maxPlaintext(spec.bits())];
        RANDOM.nextBytes(max);
        assertThat(k.decrypt(alg, c.doFinal(max))).isEqualTo(max);
        assertThat(k.decrypt(alg, k.encrypt(alg, message))).isEqualTo(message);
      }
    }
  }

  @Test
  void maxPlaintext_awsTable_matches() {
    // https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html
    assertThat(EncryptionAlgorithm.RSAES_OAEP_SHA_1.maxPlaintext(2048)).isEqualTo(214);
    assertThat(EncryptionAlgorithm.RSAES_OAEP_SHA_256.maxPlaintext(2048)).isEqualTo(190);
    assertThat(EncryptionAlgorithm.RSAES_OAEP_SHA_1.maxPlaintext(3072)).isEqualTo(342);
    assertThat(EncryptionAlgorithm.RSAES_OAEP_SHA_256.maxPlaintext(3072)).isEqualTo(318);
    assertThat(EncryptionAlgorithm.RSAES_OAEP_SHA_1.maxPlaintext(4096)).isEqualTo(470);
    assertThat(EncryptionAlgorithm.RSAES_OAEP_SHA_256.maxPlaintext(4096)).isEqualTo(446);
  }

  /**
   * RFC 6979 appendix A.2.5 (https://www.rfc-editor.org/rfc/rfc6979#appendix-A.2.5): the P-256 public key
   * and its published SHA-256 signature of "sample", verified by the same code path as Verify (a key built
   * from the DER public key and its DER-encoded signature).
   */
  @Test
  void verify_rfc6979P256SampleSignature_isValid() throws Exception {
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    ECPoint w = new ECPoint(
        new BigInteger("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6", 16),
        new BigInteger("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299", 16));
    PublicKey pub = KeyFactory.getInstance("EC").generatePublic(
        new ECPublicKeySpec(w, p.getParameterSpec(ECParameterSpec.class)));
    byte[] r = HEX.parseHex("00EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716".toLowerCase());
    byte[] s = HEX.parseHex("00F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8".toLowerCase());
    byte[] der = new byte[6 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (4 + r.length + s.length);
    der[2] = 0x02;
    der[3] = (byte) r.length;
    System.arraycopy(r, 0, der, 4, r.length);
    der[4 + r.length] = 0x02;
    der[5 + r.length] = (byte) s.length;
    System.arraycopy(s, 0, der, 6 + r.length, s.length);
    // the key pair holds only the public half here: verify through Bouncy Castle as AsymmetricKey does
    Signature v = Signature.getInstance("SHA256withECDSA", AsymmetricKey.BC);
    v.initVerify(pub);
    v.update("sample".getBytes(StandardCharsets.US_ASCII));
    assertThat(v.verify(der)).isTrue();
    v.initVerify(pub);
    v.update("sampLe".getBytes(StandardCharsets.US_ASCII));
    assertThat(v.verify(der)).isFalse();
  }

  @Test
  void encoded_thenDecode_sameKeyPair() throws Exception {
    AsymmetricKey k = key(KeySpec.ECC_SECG_P256K1);
    KeyMaterial back = KeyMaterial.decode(KeySpec.ECC_SECG_P256K1, k.id(), k.encoded());
    assertThat(((AsymmetricKey) back).publicKeyDer()).isEqualTo(k.publicKeyDer());
    byte[] sig = ((AsymmetricKey) back).sign(SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, message);
    assertThat(k.verify(SigningAlgorithm.ECDSA_SHA_256, MessageType.RAW, message, sig)).isTrue();
    assertThat(k.toString()).doesNotContain("PRIVATE").startsWith("AsymmetricKey[");
  }

  @Test
  void hmac_rfc4231TestCase2_givesPublishedMacs() {
    // RFC 4231 section 4.3 (https://www.rfc-editor.org/rfc/rfc4231#section-4.3): key "Jefe"
    byte[] msg = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    byte[] jefe = "Jefe".getBytes(StandardCharsets.US_ASCII);
    byte[] key28 = java.util.Arrays.copyOf(jefe, 28); // zero-padded keys give the same HMAC (RFC 2104)
    HmacKey k = HmacKey.create(KeySpec.HMAC_224, "c".repeat(64), SecretBytes.copyOf(key28));
    assertThat(HEX.formatHex(k.mac(MacAlgorithm.HMAC_SHA_224, msg)))
        .isEqualTo("a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44");
    HmacKey k256 = HmacKey.create(KeySpec.HMAC_256, "c".repeat(64),
        SecretBytes.copyOf(java.util.Arrays.copyOf(jefe, 32)));
    byte[] mac = k256.mac(MacAlgorithm.HMAC_SHA_256, msg);
    assertThat(HEX.formatHex(mac)).isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assertThat(k256.verify(MacAlgorithm.HMAC_SHA_256, msg, mac)).isTrue();
    mac[0] ^= 1;
    assertThat(k256.verify(MacAlgorithm.HMAC_SHA_256, msg, mac)).isFalse();
  }
}
