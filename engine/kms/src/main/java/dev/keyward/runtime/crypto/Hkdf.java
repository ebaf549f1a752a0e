package dev.keyward.runtime.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869, https://www.rfc-editor.org/rfc/rfc5869), on the JDK's HMAC (faster than
 * Bouncy Castle's and intrinsified). Thread-safe: one {@link Mac} per thread.
 */
public final class Hkdf {

  private static final int HASH_LEN = 32;
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  });

  private Hkdf() {}

  /** HKDF-Extract: the pseudorandom key of {@code ikm} under {@code salt} (32 zero bytes when null or empty). */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt, "HmacSHA256"));
      return mac.doFinal(ikm);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("hmac rejected its key", e);
    }
  }

  /** HKDF-Extract then HKDF-Expand to {@code length} bytes (at most 255 * 32). */
  public static byte[] derive(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_LEN) {
      throw new IllegalArgumentException("hkdf output length out of range");
    }
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt, "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      byte[] out = new byte[length];
      byte[] t = new byte[0];
      int done = 0;
      for (int i = 1; done < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        t = mac.doFinal();
        int n = Math.min(t.length, length - done);
        System.arraycopy(t, 0, out, done, n);
        done += n;
      }
      java.util.Arrays.fill(prk, (byte) 0);
      return out;
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("hmac rejected its key", e);
    }
  }
}
