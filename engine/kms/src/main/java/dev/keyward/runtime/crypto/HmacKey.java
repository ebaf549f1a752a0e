package dev.keyward.runtime.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC material (JDK HMAC; RFC 2104 with SHA-2). */
public final class HmacKey implements KeyMaterial {

  private final KeySpec spec;
  private final String id;
  private final SecretBytes key;

  private HmacKey(KeySpec spec, String id, SecretBytes key) {
    this.spec = spec;
    this.id = Objects.requireNonNull(id, "id");
    this.key = key;
  }

  static HmacKey create(KeySpec spec, String id, SecretBytes key) {
    return new HmacKey(spec, id, key);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KeySpec spec() {
    return spec;
  }

  @Override
  public SecretBytes encoded() {
    return SecretBytes.copyOf(key.unsafeBytes());
  }

  /** The MAC of {@code message}; {@code algorithm} must belong to this key's spec. */
  public byte[] mac(MacAlgorithm algorithm, byte[] message) {
    if (algorithm.spec() != spec) {
      throw new IllegalArgumentException("mac algorithm does not fit the key spec");
    }
    try {
      Mac m = Mac.getInstance(algorithm.jcaName());
      m.init(new SecretKeySpec(key.unsafeBytes(), algorithm.jcaName()));
      return m.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm.jcaName(), e);
    }
  }

  /** Whether {@code mac} is the MAC of {@code message}, compared in constant time. */
  public boolean verify(MacAlgorithm algorithm, byte[] message, byte[] mac) {
    return MessageDigest.isEqual(mac(algorithm, message), mac);
  }

  @Override
  public String toString() {
    return "HmacKey[" + spec + ", " + id + "]";
  }
}
