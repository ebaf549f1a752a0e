package dev.keyward.runtime.crypto;

/** KMS key usages (KEY_AGREEMENT is not implemented). */
public enum KeyUsage {
  ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC;

  /** The usage named {@code name}, or null. */
  public static KeyUsage parse(String name) {
    for (KeyUsage u : values()) {
      if (u.name().equals(name)) {
        return u;
      }
    }
    return null;
  }
}
