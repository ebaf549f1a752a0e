package dev.keyward.runtime.crypto;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** AES-256 material of a SYMMETRIC_DEFAULT key; see {@link Envelope} for how it encrypts. */
public final class SymmetricKey implements KeyMaterial {

  private final String id;
  private final SecretBytes key;
  /** HKDF-Extract(salt = zeros, ikm = material): computed once; every call only expands. */
  private final SecretBytes prk;
  private final ThreadLocal<Mac> expand;
  private final byte[] idBytes;

  private SymmetricKey(String id, SecretBytes key) {
    this.id = Objects.requireNonNull(id, "id");
    this.key = key;
    this.idBytes = java.util.HexFormat.of().parseHex(id);
    this.prk = SecretBytes.adopt(Hkdf.extract(null, key.unsafeBytes()));
    this.expand = ThreadLocal.withInitial(() -> {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(prk.unsafeBytes(), "HmacSHA256"));
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK lacks HmacSHA256", e);
      }
    });
  }

  /** HKDF-Expand(prk, info, 32): one HMAC on a per-thread instance keyed once. */
  byte[] expand32(byte[] info) {
    Mac m = expand.get();
    m.update(info);
    m.update((byte) 1);
    return m.doFinal();
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

  /** The material id as the 32 bytes the ciphertext header carries. */
  byte[] idBytes() {
    return idBytes;
  }

  byte[] keyBytes() {
    return key.unsafeBytes();
  }

  @Override
  public String toString() {
    return "SymmetricKey[" + id + "]";
  }
}
