package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;

class KmsServerSmokeTest {

  @Test
  void encrypt_thenDecrypt_roundTrips(@TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    try (KmsServer s = TestServer.start(dir, log); KmsClient c = TestServer.dev(s)) {
      EncryptResponse e = c.encrypt(r -> r.keyId("alias/finance").plaintext(SdkBytes.fromUtf8String("hello"))
          .encryptionContext(Map.of("Dept", "Finance")));
      assertThat(e.keyId()).isEqualTo(TestServer.FINANCE_KEY);
      DecryptResponse d = c.decrypt(r -> r.ciphertextBlob(e.ciphertextBlob()).encryptionContext(Map.of("Dept",
          "Finance")));
      assertThat(d.plaintext().asUtf8String()).isEqualTo("hello");
    }
    assertThat(log.toString()).isEmpty();
  }
}
