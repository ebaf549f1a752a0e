package dev.keyward.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The ciphertext format's algebra over generated contexts and plaintexts. */
class EnvelopeProperties {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SymmetricKey KEY = (SymmetricKey) KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT,
      "e".repeat(64), RANDOM);

  @Property(tries = 300)
  void canonicalContext_isInjective(@ForAll @Size(max = 4) Map<@StringLength(max = 6) String,
      @StringLength(max = 6) String> a, @ForAll @Size(max = 4) Map<@StringLength(max = 6) String,
      @StringLength(max = 6) String> b) {
    Assume.that(!a.equals(b));
    assertThat(Envelope.canonicalContext(a)).isNotEqualTo(Envelope.canonicalContext(b));
  }

  @Property(tries = 200)
  void seal_thenOpen_roundTrips_andAnyOtherContextFails(@ForAll @Size(min = 1, max = 300) byte[] plaintext,
      @ForAll @Size(max = 3) Map<@StringLength(max = 8) String, @StringLength(max = 8) String> context,
      @ForAll @Size(max = 3) Map<@StringLength(max = 8) String, @StringLength(max = 8) String> other)
      throws Exception {
    byte[] blob = Envelope.seal(KEY, "key-id", plaintext, context, RANDOM);
    assertThat(Envelope.open(KEY, blob, context)).isEqualTo(plaintext);
    if (!other.equals(context)) {
      assertThatThrownBy(() -> Envelope.open(KEY, blob, other)).isInstanceOf(CiphertextException.class);
    }
  }
}
