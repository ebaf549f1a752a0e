package dev.keyward.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretBytesTest {

  @Test
  void toString_anySecret_namesOnlyTheLength() {
    SecretBytes s = SecretBytes.copyOf(new byte[] {0x41, 0x42, 0x43});
    assertThat(s.toString()).isEqualTo("SecretBytes[3 bytes]").doesNotContain("ABC").doesNotContain("41");
  }

  @Test
  void equals_sameAndDifferentContent_comparesContent() {
    SecretBytes a = SecretBytes.copyOf(new byte[] {1, 2, 3});
    assertThat(a).isEqualTo(SecretBytes.copyOf(new byte[] {1, 2, 3}));
    assertThat(a).isNotEqualTo(SecretBytes.copyOf(new byte[] {1, 2, 4}));
    assertThat(a).isNotEqualTo(SecretBytes.copyOf(new byte[] {1, 2}));
    assertThat(a.hashCode()).isEqualTo(SecretBytes.copyOf(new byte[] {9, 9, 9}).hashCode());
  }

  @Test
  void copyOf_callerChangesItsArray_secretUnchanged() {
    byte[] raw = {1, 2, 3};
    SecretBytes s = SecretBytes.copyOf(raw);
    raw[0] = 9;
    assertThat(s.toByteArray()).containsExactly(1, 2, 3);
  }

  @Test
  void wipe_thenRead_throwsAndIsZeroed() {
    SecretBytes s = SecretBytes.random(16, new SecureRandom());
    byte[] inside = s.unsafeBytes();
    s.wipe();
    assertThat(inside).containsOnly(0);
    assertThat(s.isWiped()).isTrue();
    assertThatThrownBy(s::toByteArray).isInstanceOf(IllegalStateException.class);
  }
}
