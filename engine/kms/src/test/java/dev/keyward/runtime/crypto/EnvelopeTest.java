package dev.keyward.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  private static final HexFormat HEX = HexFormat.of();
  private final SecureRandom random = new SecureRandom();
  private final SymmetricKey key = (SymmetricKey) KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT,
      "a".repeat(64), random);
  private final byte[] plaintext = "attack at dawn".getBytes(StandardCharsets.UTF_8);

  @Test
  void seal_thenOpen_roundTripsWithContext() throws Exception {
    Map<String, String> ctx = Map.of("Dept", "Finance", "Quarter", "Q3");
    byte[] blob = Envelope.seal(key, "1234abcd-12ab-34cd-56ef-1234567890ab", plaintext, ctx, random);
    assertThat(Envelope.header(blob).keyId()).isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
    assertThat(Envelope.header(blob).materialId()).isEqualTo(key.id());
    assertThat(Envelope.open(key, blob, new LinkedHashMap<>(ctx))).isEqualTo(plaintext);
  }

  @Test
  void seal_twice_givesDifferentCiphertexts() {
    byte[] a = Envelope.seal(key, "k", plaintext, Map.of(), random);
    byte[] b = Envelope.seal(key, "k", plaintext, Map.of(), random);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void open_anyByteFlipped_fails() {
    byte[] blob = Envelope.seal(key, "key-1", plaintext, Map.of("a", "b"), random);
    for (int i = 0; i < blob.length; i++) {
      byte[] bad = blob.clone();
      bad[i] ^= 0x01;
      assertThatThrownBy(() -> Envelope.open(key, bad, Map.of("a", "b")))
          .as("byte %d", i).isInstanceOf(CiphertextException.class);
    }
  }

  @Test
  void open_truncatedOrExtended_fails() {
    byte[] blob = Envelope.seal(key, "key-1", plaintext, Map.of(), random);
    for (int n = 0; n < blob.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(blob, n);
      assertThatThrownBy(() -> Envelope.open(key, cut, Map.of())).isInstanceOf(CiphertextException.class);
    }
    byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 1);
    assertThatThrownBy(() -> Envelope.open(key, longer, Map.of())).isInstanceOf(CiphertextException.class);
  }

  @Test
  void open_contextDiffersInAnyWay_fails() {
    Map<String, String> ctx = Map.of("Dept", "Finance");
    byte[] blob = Envelope.seal(key, "key-1", plaintext, ctx, random);
    for (Map<String, String> other : java.util.List.<Map<String, String>>of(Map.of(), Map.of("dept", "Finance"),
        Map.of("Dept", "finance"), Map.of("Dept", "Finance", "x", ""), Map.of("Dept", "Finance "))) {
      assertThatThrownBy(() -> Envelope.open(key, blob, other)).as("%s", other)
          .isInstanceOf(CiphertextException.class);
    }
  }

  @Test
  void open_otherMaterial_fails() {
    SymmetricKey other = (SymmetricKey) KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT, "a".repeat(64), random);
    byte[] blob = Envelope.seal(key, "key-1", plaintext, Map.of(), random);
    assertThatThrownBy(() -> Envelope.open(other, blob, Map.of())).isInstanceOf(CiphertextException.class);
  }

  @Test
  void canonicalContext_isPinnedByteForByte_sortedByUnsignedUtf8Keys() {
    // the version-1 ciphertext format depends on these exact bytes: changing them breaks every old ciphertext
    java.util.Map<String, String> ctx = new java.util.LinkedHashMap<>();
    ctx.put("\u00e9", "x");
    ctx.put("b", "2");
    ctx.put("a", "1");
    assertThat(java.util.HexFormat.of().formatHex(Envelope.canonicalContext(ctx))).isEqualTo("00000003"
        + "00000001" + "61" + "00000001" + "31"
        + "00000001" + "62" + "00000001" + "32"
        + "00000002" + "c3a9" + "00000001" + "78");
    assertThat(Envelope.canonicalContext(Map.of())).containsExactly(0, 0, 0, 0);
    assertThat(Envelope.canonicalContext(null)).containsExactly(0, 0, 0, 0);
  }

  @Test
  void canonicalContext_pairsThatConcatenateAlike_encodeDifferently() {
    // "ab"="c" and "a"="bc" are the same naive concatenation
    assertThat(Envelope.canonicalContext(Map.of("ab", "c")))
        .isNotEqualTo(Envelope.canonicalContext(Map.of("a", "bc")));
    assertThat(Envelope.canonicalContext(Map.of("a", "b", "c", "d")))
        .isNotEqualTo(Envelope.canonicalContext(Map.of("a", "b\u0000\u0000\u0000\u0001c")));
    assertThat(HEX.formatHex(Envelope.canonicalContext(Map.of("b", "2", "a", "1"))))
        .isEqualTo("00000002" + "00000001" + "61" + "00000001" + "31" + "00000001" + "62" + "00000001" + "32");
    assertThat(Envelope.canonicalContext(null)).isEqualTo(Envelope.canonicalContext(Map.of()));
  }

  /** The per-call key is plain RFC 5869 HKDF-SHA256 (no salt; the nonce in the info), checked by decrypting by hand. */
  @Test
  void dataKey_isHkdfOfMaterialWithNonceInInfo() throws Exception {
    byte[] blob = Envelope.seal(key, "key-1", plaintext, Map.of("a", "b"), random);
    Envelope.Header h = Envelope.header(blob);
    int idLength = blob[3];
    byte[] info = Envelope.info(blob, 4, idLength, 4 + idLength + 32);
    byte[] dataKey = Hkdf.derive(key.encoded().toByteArray(), null, info, 32);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"),
        new GCMParameterSpec(128, blob, 4 + idLength + 64, 12));
    c.updateAAD(blob, 0, h.length());
    c.updateAAD(Envelope.canonicalContext(Map.of("a", "b")));
    assertThat(c.doFinal(blob, h.length(), blob.length - h.length())).isEqualTo(plaintext);
  }

  @Test
  void header_notOurs_fails() {
    assertThatThrownBy(() -> Envelope.header(new byte[] {1, 2, 3})).isInstanceOf(CiphertextException.class);
    assertThatThrownBy(() -> Envelope.header(null)).isInstanceOf(CiphertextException.class);
  }

  /**
   * The primitive under the format: AES-256-GCM known answers from McGrew and Viega, "The Galois/Counter
   * Mode of Operation (GCM)", appendix B, test cases 13 and 14 (the vectors NIST's GCM validation reuses).
   */
  @Test
  void jdkAesGcm_gcmSpecTestCases13And14_givePublishedTags() throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
    assertThat(HEX.formatHex(c.doFinal(new byte[0]))).isEqualTo("530f8afbc74536b9a963b4f1c4cb738b");
    c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
    assertThat(HEX.formatHex(c.doFinal(new byte[16])))
        .isEqualTo("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");
  }
}
