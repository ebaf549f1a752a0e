package dev.keyward.runtime.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * One version of a KMS key's material. Material is never printed and leaves this package only as
 * {@link #encoded()} (for the key store, which encrypts it under the root key).
 */
public sealed interface KeyMaterial permits SymmetricKey, AsymmetricKey, HmacKey {

  /** The material id: 64 lower-case hex digits, as AWS's KeyMaterialId. */
  String id();

  KeySpec spec();

  /** The material in the form {@link #decode} reads; the caller wipes it after use. */
  SecretBytes encoded();

  /** New random material for {@code spec}. */
  static KeyMaterial generate(KeySpec spec, String id, SecureRandom random) {
    switch (spec.family()) {
      case AES:
        return SymmetricKey.create(id, SecretBytes.random(32, random));
      case HMAC:
        return HmacKey.create(spec, id, SecretBytes.random(spec.bits() / 8, random));
      default:
        return AsymmetricKey.generate(spec, id, random);
    }
  }

  /**
   * Imported material: raw bytes for symmetric and HMAC specs, a PKCS#8 private key for RSA and EC specs. The
   * material id is {@link #importedId}, so importing the same material again gives the same id.
   */
  static KeyMaterial fromImport(KeySpec spec, SecretBytes material) throws GeneralSecurityException {
    String id = importedId(material);
    if (spec.isAsymmetric()) {
      return AsymmetricKey.fromPkcs8(spec, id, material.unsafeBytes());
    }
    return decode(spec, id, material);
  }

  /** HMAC-SHA256 keyed by the material over a fixed label: equal for equal material, revealing nothing of it. */
  static String importedId(SecretBytes material) {
    try {
      javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
      m.init(new javax.crypto.spec.SecretKeySpec(material.unsafeBytes(), "HmacSHA256"));
      return java.util.HexFormat.of().formatHex(
          m.doFinal("keyward imported material id".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  /**
   * Material given by the caller: raw key bytes for symmetric (32 bytes) and HMAC specs (the spec's size),
   * or the form {@link #encoded()} returns for asymmetric specs.
   */
  static KeyMaterial decode(KeySpec spec, String id, SecretBytes encoded) throws GeneralSecurityException {
    switch (spec.family()) {
      case AES:
        if (encoded.length() != 32) {
          throw new GeneralSecurityException("symmetric key material must be 32 bytes");
        }
        return SymmetricKey.create(id, encoded);
      case HMAC:
        if (encoded.length() != spec.bits() / 8) {
          throw new GeneralSecurityException("hmac key material must be " + spec.bits() / 8 + " bytes");
        }
        return HmacKey.create(spec, id, encoded);
      default:
        ByteBuffer b = ByteBuffer.wrap(encoded.unsafeBytes());
        try {
          int n = b.getInt();
          byte[] pkcs8 = new byte[n];
          b.get(pkcs8);
          byte[] spki = new byte[b.remaining()];
          b.get(spki);
          return AsymmetricKey.fromEncoded(spec, id, pkcs8, spki);
        } catch (RuntimeException e) {
          throw new GeneralSecurityException("malformed asymmetric key material");
        }
    }
  }
}
