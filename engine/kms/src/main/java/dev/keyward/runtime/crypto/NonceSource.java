package dev.keyward.runtime.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Random bytes for values that are public once used: a ciphertext's nonce and IV, which stand in its
 * header. Drawn from a {@link SecureRandom} in blocks of {@value #BLOCK} bytes per thread, so an Encrypt
 * costs a copy instead of one DRBG request (a request of 44 bytes from the JDK's Hash_DRBG measured 330 ns,
 * a tenth of an authorized Encrypt; BENCHMARKS.md, "Local KMS runtime"). Never for secrets: key material and data keys
 * come from the {@link SecureRandom} itself, so no secret waits in a buffer.
 *
 * <p>Each thread has its own block, so no two callers ever get the same bytes.
 */
public final class NonceSource {

  static final int BLOCK = 4096;

  private final SecureRandom random;
  private final ThreadLocal<Block> blocks = ThreadLocal.withInitial(Block::new);

  private NonceSource(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  public static NonceSource of(SecureRandom random) {
    return new NonceSource(random);
  }

  /** Fills {@code out[offset, offset + length)} with fresh random bytes; {@code length} at most {@value #BLOCK}. */
  public void fill(byte[] out, int offset, int length) {
    if (length < 0 || length > BLOCK) {
      throw new IllegalArgumentException("nonce length out of range");
    }
    Block b = blocks.get();
    if (BLOCK - b.used < length) {
      random.nextBytes(b.bytes);
      b.used = 0;
    }
    System.arraycopy(b.bytes, b.used, out, offset, length);
    b.used += length;
  }

  private static final class Block {
    final byte[] bytes = new byte[BLOCK];
    /** Bytes already handed out; a new block starts exhausted so that its first use draws. */
    int used = BLOCK;
  }
}
