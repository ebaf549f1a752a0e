package dev.keyward.runtime.crypto;

import java.util.List;

/**
 * The KMS key specs the runtime implements (names as AWS spells them), with the usages AWS allows for
 * each (https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html).
 */
public enum KeySpec {
  SYMMETRIC_DEFAULT(Family.AES, 256, List.of(KeyUsage.ENCRYPT_DECRYPT)),
  RSA_2048(Family.RSA, 2048, List.of(KeyUsage.ENCRYPT_DECRYPT, KeyUsage.SIGN_VERIFY)),
  RSA_3072(Family.RSA, 3072, List.of(KeyUsage.ENCRYPT_DECRYPT, KeyUsage.SIGN_VERIFY)),
  RSA_4096(Family.RSA, 4096, List.of(KeyUsage.ENCRYPT_DECRYPT, KeyUsage.SIGN_VERIFY)),
  ECC_NIST_P256(Family.EC, 256, List.of(KeyUsage.SIGN_VERIFY)),
  ECC_NIST_P384(Family.EC, 384, List.of(KeyUsage.SIGN_VERIFY)),
  ECC_NIST_P521(Family.EC, 521, List.of(KeyUsage.SIGN_VERIFY)),
  ECC_SECG_P256K1(Family.EC, 256, List.of(KeyUsage.SIGN_VERIFY)),
  HMAC_224(Family.HMAC, 224, List.of(KeyUsage.GENERATE_VERIFY_MAC)),
  HMAC_256(Family.HMAC, 256, List.of(KeyUsage.GENERATE_VERIFY_MAC)),
  HMAC_384(Family.HMAC, 384, List.of(KeyUsage.GENERATE_VERIFY_MAC)),
  HMAC_512(Family.HMAC, 512, List.of(KeyUsage.GENERATE_VERIFY_MAC));

  /** The kind of material behind a spec. */
  public enum Family { AES, RSA, EC, HMAC }

  private final Family family;
  private final int bits;
  private final List<KeyUsage> usages;

  KeySpec(Family family, int bits, List<KeyUsage> usages) {
    this.family = family;
    this.bits = bits;
    this.usages = usages;
  }

  public Family family() {
    return family;
  }

  /** Key size in bits (the curve size for EC). */
  public int bits() {
    return bits;
  }

  public List<KeyUsage> usages() {
    return usages;
  }

  public boolean isAsymmetric() {
    return family == Family.RSA || family == Family.EC;
  }

  /** The standard curve name for EC specs, else null. */
  public String curve() {
    switch (this) {
      case ECC_NIST_P256: return "secp256r1";
      case ECC_NIST_P384: return "secp384r1";
      case ECC_NIST_P521: return "secp521r1";
      case ECC_SECG_P256K1: return "secp256k1";
      default: return null;
    }
  }

  /** The spec named {@code name}, or null. */
  public static KeySpec parse(String name) {
    for (KeySpec s : values()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
