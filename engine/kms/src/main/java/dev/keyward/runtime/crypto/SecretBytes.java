package dev.keyward.runtime.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Secret bytes (key material, plaintext data keys): never prints itself, compares in constant time, and can
 * be wiped. The only way out is {@link #toByteArray()}, a copy the caller is responsible for.
 */
public final class SecretBytes {

  private final byte[] bytes;
  private volatile boolean wiped;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}; the caller may wipe its own array afterwards. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /** Takes ownership of {@code bytes} (no copy): for arrays nobody else holds. */
  static SecretBytes adopt(byte[] bytes) {
    return new SecretBytes(bytes);
  }

  /** {@code length} bytes from {@code random}. */
  public static SecretBytes random(int length, SecureRandom random) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return new SecretBytes(b);
  }

  public int length() {
    return bytes.length;
  }

  /** A copy of the secret. */
  public byte[] toByteArray() {
    check();
    return bytes.clone();
  }

  /** The secret itself, without a copy, for this package's crypto calls only. */
  byte[] unsafeBytes() {
    check();
    return bytes;
  }

  /** Overwrites the secret with zeros; later reads throw. */
  public void wipe() {
    Arrays.fill(bytes, (byte) 0);
    wiped = true;
  }

  public boolean isWiped() {
    return wiped;
  }

  private void check() {
    if (wiped) {
      throw new IllegalStateException("secret was wiped");
    }
  }

  /** Constant-time comparison (the time depends on the lengths only). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SecretBytes)) {
      return false;
    }
    SecretBytes other = (SecretBytes) o;
    return MessageDigest.isEqual(unsafeBytes(), other.unsafeBytes());
  }

  /** Depends on the length only, so that hashing leaks nothing about the content. */
  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes]";
  }
}
