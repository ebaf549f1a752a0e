package dev.keyward.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class NonceSourceTest {

  @Test
  void fill_neverHandsOutTheSameBytesTwice_acrossBlocksAndThreads() throws Exception {
    NonceSource nonces = NonceSource.of(new SecureRandom());
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 2_000; i++) { // 2,000 x 44 bytes: about 21 blocks per thread
          byte[] b = new byte[44];
          nonces.fill(b, 0, 44);
          assertThat(seen.add(HexFormat.of().formatHex(b))).isTrue();
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(seen).hasSize(8_000);
  }

  @Test
  void fill_writesExactlyTheRange_andDrawsANewBlockWhenTheRestIsTooShort() {
    int[] draws = {0};
    SecureRandom counting = new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        draws[0]++;
        java.util.Arrays.fill(bytes, (byte) draws[0]);
      }
    };
    NonceSource nonces = NonceSource.of(counting);
    byte[] out = new byte[50];
    nonces.fill(out, 3, 44);
    assertThat(out[2]).isZero();
    assertThat(out[3]).isEqualTo((byte) 1);
    assertThat(out[46]).isEqualTo((byte) 1);
    assertThat(out[47]).isZero();
    for (int i = 1; i < NonceSource.BLOCK / 44; i++) {
      nonces.fill(out, 0, 44);
    }
    assertThat(draws[0]).isEqualTo(1);
    nonces.fill(out, 0, 44); // 93 * 44 = 4,092 bytes used: 4 left, too few
    assertThat(draws[0]).isEqualTo(2);
    assertThat(out[0]).isEqualTo((byte) 2);
    assertThat(new HashSet<>(List.of(out[0], out[43]))).containsExactly((byte) 2);
    assertThatThrownBy(() -> nonces.fill(out, 0, NonceSource.BLOCK + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
