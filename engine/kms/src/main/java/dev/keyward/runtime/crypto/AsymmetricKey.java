package dev.keyward.runtime.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * RSA or EC key pair material. RSA runs on the JDK (SunRsaSign, SunJCE); EC runs on Bouncy Castle, which
 * has secp256k1 (gone from JDK 17's SunEC) and signs and verifies P-256 faster than JDK 17
 * (../shared/docs/kms-runtime-facts.md section 5). The Bouncy Castle provider is a private instance, never
 * installed in the JVM's provider list.
 */
public final class AsymmetricKey implements KeyMaterial {

  static final Provider BC = new BouncyCastleProvider();
  private static final HexFormat HEX = HexFormat.of();
  // DigestInfo prefixes (RFC 8017 section 9.2, note 1) for PKCS#1 v1.5 signatures over a given digest
  private static final byte[] DIGEST_INFO_256 = HEX.parseHex("3031300d060960864801650304020105000420");
  private static final byte[] DIGEST_INFO_384 = HEX.parseHex("3041300d060960864801650304020205000430");
  private static final byte[] DIGEST_INFO_512 = HEX.parseHex("3051300d060960864801650304020305000440");

  private final KeySpec spec;
  private final String id;
  private final KeyPair pair;

  private AsymmetricKey(KeySpec spec, String id, KeyPair pair) {
    this.spec = spec;
    this.id = Objects.requireNonNull(id, "id");
    this.pair = pair;
  }

  /** A new key pair for an RSA or EC spec. */
  public static AsymmetricKey generate(KeySpec spec, String id, SecureRandom random) {
    try {
      KeyPairGenerator g;
      if (spec.family() == KeySpec.Family.RSA) {
        g = KeyPairGenerator.getInstance("RSA");
        g.initialize(spec.bits(), random);
      } else if (spec.family() == KeySpec.Family.EC) {
        g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec(spec.curve()), random);
      } else {
        throw new IllegalArgumentException("not an asymmetric key spec: " + spec);
      }
      return new AsymmetricKey(spec, id, g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + spec + " key pair", e);
    }
  }

  static AsymmetricKey fromEncoded(KeySpec spec, String id, byte[] pkcs8, byte[] spki)
      throws GeneralSecurityException {
    KeyFactory f = spec.family() == KeySpec.Family.RSA ? KeyFactory.getInstance("RSA")
        : KeyFactory.getInstance("EC", BC);
    PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    PublicKey pub = f.generatePublic(new X509EncodedKeySpec(spki));
    return new AsymmetricKey(spec, id, new KeyPair(pub, priv));
  }

  /**
   * An RSA or EC key from a PKCS#8 private key alone (imported material); the public key is derived from it.
   */
  static AsymmetricKey fromPkcs8(KeySpec spec, String id, byte[] pkcs8) throws GeneralSecurityException {
    try {
      if (spec.family() == KeySpec.Family.RSA) {
        KeyFactory f = KeyFactory.getInstance("RSA");
        PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        if (!(priv instanceof java.security.interfaces.RSAPrivateCrtKey)) {
          throw new GeneralSecurityException("rsa private key lacks its public exponent");
        }
        java.security.interfaces.RSAPrivateCrtKey crt = (java.security.interfaces.RSAPrivateCrtKey) priv;
        if (crt.getModulus().bitLength() != spec.bits()) {
          throw new GeneralSecurityException("rsa key is not " + spec.bits() + " bits");
        }
        PublicKey pub = f.generatePublic(new java.security.spec.RSAPublicKeySpec(crt.getModulus(),
            crt.getPublicExponent()));
        return new AsymmetricKey(spec, id, new KeyPair(pub, priv));
      }
      KeyFactory f = KeyFactory.getInstance("EC", BC);
      org.bouncycastle.jce.interfaces.ECPrivateKey priv =
          (org.bouncycastle.jce.interfaces.ECPrivateKey) f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      org.bouncycastle.jce.spec.ECParameterSpec params = priv.getParameters();
      org.bouncycastle.jce.spec.ECNamedCurveParameterSpec named =
          org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec(spec.curve());
      if (params == null || !params.getCurve().equals(named.getCurve())) {
        throw new GeneralSecurityException("ec key is not on " + spec.curve());
      }
      PublicKey pub = f.generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(
          params.getG().multiply(priv.getD()).normalize(), params));
      return new AsymmetricKey(spec, id, new KeyPair(pub, priv));
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new GeneralSecurityException("private key does not fit " + spec.name());
    }
  }

  /**
   * Unwraps RSA_AES_KEY_WRAP_SHA_*: an RSA-OAEP encrypted ephemeral AES key (as long as the modulus) followed
   * by the material wrapped with AES key wrap with padding (RFC 5649), as AWS documents for imports
   * (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-encrypt-key-material.html).
   */
  public SecretBytes unwrapRsaAesKeyWrap(EncryptionAlgorithm oaep, byte[] blob) throws CiphertextException {
    int k = spec.bits() / 8;
    if (blob.length <= k) {
      throw new CiphertextException("wrapped key material is too short");
    }
    byte[] aes = decrypt(oaep, java.util.Arrays.copyOf(blob, k));
    try {
      Cipher c = Cipher.getInstance("AES/KWP/NoPadding");
      c.init(Cipher.UNWRAP_MODE, new javax.crypto.spec.SecretKeySpec(aes, "AES"));
      java.security.Key material = c.unwrap(java.util.Arrays.copyOfRange(blob, k, blob.length), "AES",
          Cipher.SECRET_KEY);
      return SecretBytes.adopt(material.getEncoded());
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CiphertextException("wrapped key material does not unwrap");
    } finally {
      java.util.Arrays.fill(aes, (byte) 0);
    }
  }

  /** RSA-OAEP decryption returning secret bytes (imported material). */
  public SecretBytes decryptSecret(EncryptionAlgorithm algorithm, byte[] ciphertext) throws CiphertextException {
    return SecretBytes.adopt(decrypt(algorithm, ciphertext));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KeySpec spec() {
    return spec;
  }

  /** Length-prefixed PKCS#8 private key followed by the SubjectPublicKeyInfo. */
  @Override
  public SecretBytes encoded() {
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    byte[] spki = pair.getPublic().getEncoded();
    ByteBuffer b = ByteBuffer.allocate(4 + pkcs8.length + spki.length);
    b.putInt(pkcs8.length).put(pkcs8).put(spki);
    java.util.Arrays.fill(pkcs8, (byte) 0);
    return SecretBytes.adopt(b.array());
  }

  /** The private key as PKCS#8 DER (for GenerateDataKeyPair's plaintext private key). */
  public SecretBytes privateKeyPkcs8() {
    return SecretBytes.adopt(pair.getPrivate().getEncoded());
  }

  /** The public key as DER SubjectPublicKeyInfo (X.509), what GetPublicKey returns. */
  public byte[] publicKeyDer() {
    return pair.getPublic().getEncoded();
  }

  // ---------------------------------------------------------------------------------------------------
  // RSA-OAEP

  /** RSA-OAEP encryption with the public key (what an offline client does with GetPublicKey's key). */
  public byte[] encrypt(EncryptionAlgorithm algorithm, byte[] plaintext) throws GeneralSecurityException {
    Cipher c = oaep(algorithm);
    c.init(Cipher.ENCRYPT_MODE, pair.getPublic(), oaepParams(algorithm));
    return c.doFinal(plaintext);
  }

  /** RSA-OAEP decryption; any failure is a {@link CiphertextException}. */
  public byte[] decrypt(EncryptionAlgorithm algorithm, byte[] ciphertext) throws CiphertextException {
    try {
      Cipher c = oaep(algorithm);
      c.init(Cipher.DECRYPT_MODE, pair.getPrivate(), oaepParams(algorithm));
      return c.doFinal(ciphertext);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CiphertextException("ciphertext does not decrypt under the key");
    }
  }

  private Cipher oaep(EncryptionAlgorithm algorithm) throws GeneralSecurityException {
    if (spec.family() != KeySpec.Family.RSA || algorithm == EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
      throw new IllegalArgumentException("rsa-oaep needs an rsa key and an oaep algorithm");
    }
    return Cipher.getInstance("RSA/ECB/OAEPPadding");
  }

  static OAEPParameterSpec oaepParams(EncryptionAlgorithm algorithm) {
    return new OAEPParameterSpec(algorithm.hash(), "MGF1", new MGF1ParameterSpec(algorithm.hash()),
        PSource.PSpecified.DEFAULT);
  }

  // ---------------------------------------------------------------------------------------------------
  // signatures

  /** Signs {@code message} (RAW) or a digest computed by the caller (DIGEST, of the algorithm's hash). */
  public byte[] sign(SigningAlgorithm algorithm, MessageType type, byte[] message) throws GeneralSecurityException {
    Signature s = signature(algorithm, type);
    s.initSign(pair.getPrivate());
    s.update(prepare(algorithm, type, message));
    return s.sign();
  }

  /** Whether {@code signature} is valid; malformed signatures are simply invalid. */
  public boolean verify(SigningAlgorithm algorithm, MessageType type, byte[] message, byte[] signature) {
    try {
      Signature s = signature(algorithm, type);
      s.initVerify(pair.getPublic());
      s.update(prepare(algorithm, type, message));
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private byte[] prepare(SigningAlgorithm algorithm, MessageType type, byte[] message) {
    if (type == MessageType.DIGEST && message.length != algorithm.digestLength()) {
      throw new IllegalArgumentException("digest must be " + algorithm.digestLength() + " bytes");
    }
    if (type == MessageType.DIGEST && algorithm.kind() == SigningAlgorithm.Kind.PKCS1) {
      byte[] prefix = algorithm.digestLength() == 32 ? DIGEST_INFO_256
          : algorithm.digestLength() == 48 ? DIGEST_INFO_384 : DIGEST_INFO_512;
      byte[] out = new byte[prefix.length + message.length];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      System.arraycopy(message, 0, out, prefix.length, message.length);
      return out;
    }
    return message;
  }

  private Signature signature(SigningAlgorithm algorithm, MessageType type) throws GeneralSecurityException {
    if (!algorithm.worksWith(spec)) {
      throw new IllegalArgumentException("signing algorithm does not fit the key spec");
    }
    String h = algorithm.hash().replace("-", "");
    switch (algorithm.kind()) {
      case PSS: {
        PSSParameterSpec p = new PSSParameterSpec(algorithm.hash(), "MGF1",
            new MGF1ParameterSpec(algorithm.hash()), algorithm.digestLength(), 1);
        Signature s = type == MessageType.RAW ? Signature.getInstance("RSASSA-PSS")
            : Signature.getInstance("NONEwithRSASSA-PSS", BC);
        s.setParameter(p);
        return s;
      }
      case PKCS1:
        return type == MessageType.RAW ? Signature.getInstance(h + "withRSA") : Signature.getInstance("NONEwithRSA");
      default:
        return Signature.getInstance(type == MessageType.RAW ? h + "withECDSA" : "NONEwithECDSA", BC);
    }
  }

  @Override
  public String toString() {
    return "AsymmetricKey[" + spec + ", " + id + "]";
  }
}
