package dev.keyward.runtime.crypto;

/**
 * KMS encryption algorithms. RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256 use the same hash for OAEP and MGF1,
 * as AWS documents (https://docs.aws.amazon.com/kms/latest/cryptographic-details/asymmetric-rsa-encryption.html).
 */
public enum EncryptionAlgorithm {
  SYMMETRIC_DEFAULT(null, 0), RSAES_OAEP_SHA_1("SHA-1", 20), RSAES_OAEP_SHA_256("SHA-256", 32);

  private final String hash;
  private final int hashLength;

  EncryptionAlgorithm(String hash, int hashLength) {
    this.hash = hash;
    this.hashLength = hashLength;
  }

  public String hash() {
    return hash;
  }

  /** The largest plaintext RSA-OAEP takes with a modulus of {@code bits}: k - 2 hLen - 2 (RFC 8017 7.1.1). */
  public int maxPlaintext(int bits) {
    return bits / 8 - 2 * hashLength - 2;
  }

  /** The algorithm named {@code name}, or null. */
  public static EncryptionAlgorithm parse(String name) {
    for (EncryptionAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
