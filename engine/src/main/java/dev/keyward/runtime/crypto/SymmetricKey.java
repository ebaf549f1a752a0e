package dev.keyward.runtime.crypto;

import java.util.Objects;

/** AES-256 material of a SYMMETRIC_DEFAULT key; see {@link Envelope} for how it encrypts. */
public final class SymmetricKey implements KeyMaterial {

  private final String id;
  private final SecretBytes key;

  private SymmetricKey(String id, SecretBytes key) {
    this.id = Objects.requireNonNull(id, "id");
    this.key = key;
  }

  static SymmetricKey create(String id, SecretBytes key) {
    return new SymmetricKey(id, key);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KeySpec spec() {
    return KeySpec.SYMMETRIC_DEFAULT;
  }

  @Override
  public SecretBytes encoded() {
    return SecretBytes.copyOf(key.unsafeBytes());
  }

  byte[] keyBytes() {
    return key.unsafeBytes();
  }

  @Override
  public String toString() {
    return "SymmetricKey[" + id + "]";
  }
}
