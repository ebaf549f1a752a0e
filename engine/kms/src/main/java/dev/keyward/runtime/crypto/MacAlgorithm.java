package dev.keyward.runtime.crypto;

/** KMS MAC algorithms; each HMAC key spec has exactly one. */
public enum MacAlgorithm {
  HMAC_SHA_224("HmacSHA224", KeySpec.HMAC_224), HMAC_SHA_256("HmacSHA256", KeySpec.HMAC_256),
  HMAC_SHA_384("HmacSHA384", KeySpec.HMAC_384), HMAC_SHA_512("HmacSHA512", KeySpec.HMAC_512);

  private final String jca;
  private final KeySpec spec;

  MacAlgorithm(String jca, KeySpec spec) {
    this.jca = jca;
    this.spec = spec;
  }

  public String jcaName() {
    return jca;
  }

  public KeySpec spec() {
    return spec;
  }

  /** The algorithm named {@code name}, or null. */
  public static MacAlgorithm parse(String name) {
    for (MacAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
