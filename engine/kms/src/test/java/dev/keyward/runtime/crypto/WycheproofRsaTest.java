package dev.keyward.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Published RSA-PSS and RSA-OAEP vectors (a committed subset of Project Wycheproof; provenance in the
 * resource file) through the runtime's own RSA code: verification with RSASSA_PSS_SHA_256 (MGF1-SHA-256,
 * 32-byte salt, as AWS documents) and decryption with RSAES_OAEP_SHA_256 (MGF1-SHA-256, empty label).
 */
class WycheproofRsaTest {

  private static final HexFormat HEX = HexFormat.of();
  private static JsonNode vectors;
  private static AsymmetricKey key;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = WycheproofRsaTest.class.getResourceAsStream("wycheproof-rsa-2048-subset.json")) {
      vectors = new ObjectMapper().readTree(in);
    }
    byte[] pkcs8 = HEX.parseHex(vectors.get("privateKeyPkcs8").asText());
    byte[] spki = HEX.parseHex(vectors.get("keyDer").asText());
    ByteBuffer b = ByteBuffer.allocate(4 + pkcs8.length + spki.length).putInt(pkcs8.length).put(pkcs8).put(spki);
    key = (AsymmetricKey) KeyMaterial.decode(KeySpec.RSA_2048, "d".repeat(64), SecretBytes.copyOf(b.array()));
  }

  @Test
  void verify_wycheproofPssVectors_valid_andChangedSignatureInvalid() {
    for (JsonNode t : vectors.get("pss_sha256_mgf1_32")) {
      byte[] msg = HEX.parseHex(t.get("msg").asText());
      byte[] sig = HEX.parseHex(t.get("sig").asText());
      assertThat(key.verify(SigningAlgorithm.RSASSA_PSS_SHA_256, MessageType.RAW, msg, sig))
          .as("tcId %s", t.get("tcId")).isTrue();
      sig[sig.length / 2] ^= 1;
      assertThat(key.verify(SigningAlgorithm.RSASSA_PSS_SHA_256, MessageType.RAW, msg, sig)).isFalse();
      assertThat(key.verify(SigningAlgorithm.RSASSA_PSS_SHA_384, MessageType.RAW, msg,
          HEX.parseHex(t.get("sig").asText()))).isFalse();
    }
  }

  @Test
  void decrypt_wycheproofOaepVectors_givePublishedMessages() throws Exception {
    for (JsonNode t : vectors.get("oaep_sha256_mgf1sha256")) {
      byte[] ct = HEX.parseHex(t.get("ct").asText());
      assertThat(HEX.formatHex(key.decrypt(EncryptionAlgorithm.RSAES_OAEP_SHA_256, ct)))
          .as("tcId %s", t.get("tcId")).isEqualTo(t.get("msg").asText());
      assertThatThrownBy(() -> key.decrypt(EncryptionAlgorithm.RSAES_OAEP_SHA_1, ct))
          .isInstanceOf(CiphertextException.class);
    }
  }
}
