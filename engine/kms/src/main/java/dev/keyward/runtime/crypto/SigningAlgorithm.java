package dev.keyward.runtime.crypto;

/**
 * KMS signing algorithms. PSS uses MGF1 with the same hash and a salt as long as the hash, as AWS documents
 * (https://docs.aws.amazon.com/kms/latest/cryptographic-details/asymmetric-rsa-sign.html); ECDSA signatures are
 * DER-encoded.
 */
public enum SigningAlgorithm {
  RSASSA_PSS_SHA_256(Kind.PSS, "SHA-256", 32),
  RSASSA_PSS_SHA_384(Kind.PSS, "SHA-384", 48),
  RSASSA_PSS_SHA_512(Kind.PSS, "SHA-512", 64),
  RSASSA_PKCS1_V1_5_SHA_256(Kind.PKCS1, "SHA-256", 32),
  RSASSA_PKCS1_V1_5_SHA_384(Kind.PKCS1, "SHA-384", 48),
  RSASSA_PKCS1_V1_5_SHA_512(Kind.PKCS1, "SHA-512", 64),
  ECDSA_SHA_256(Kind.ECDSA, "SHA-256", 32),
  ECDSA_SHA_384(Kind.ECDSA, "SHA-384", 48),
  ECDSA_SHA_512(Kind.ECDSA, "SHA-512", 64);

  /** The signature scheme. */
  public enum Kind { PSS, PKCS1, ECDSA }

  private final Kind kind;
  private final String hash;
  private final int digestLength;

  SigningAlgorithm(Kind kind, String hash, int digestLength) {
    this.kind = kind;
    this.hash = hash;
    this.digestLength = digestLength;
  }

  public Kind kind() {
    return kind;
  }

  public String hash() {
    return hash;
  }

  public int digestLength() {
    return digestLength;
  }

  /**
   * Whether a key of {@code spec} signs with this algorithm: PSS and PKCS1 for RSA; for EC, the hash AWS
   * pairs with the curve (P-256 and secp256k1: SHA-256, P-384: SHA-384, P-521: SHA-512).
   */
  public boolean worksWith(KeySpec spec) {
    switch (spec) {
      case RSA_2048: case RSA_3072: case RSA_4096: return kind != Kind.ECDSA;
      case ECC_NIST_P256: case ECC_SECG_P256K1: return this == ECDSA_SHA_256;
      case ECC_NIST_P384: return this == ECDSA_SHA_384;
      case ECC_NIST_P521: return this == ECDSA_SHA_512;
      default: return false;
    }
  }

  /** The algorithm named {@code name}, or null. */
  public static SigningAlgorithm parse(String name) {
    for (SigningAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
