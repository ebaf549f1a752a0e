package dev.keyward.runtime;

import static dev.keyward.runtime.TestKms.ADMIN_CALLER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crypto calls on several threads while another thread rotates the key, changes its policy and grants: every
 * ciphertext decrypts, and no call fails for a reason other than the expected ones.
 */
class KmsRuntimeConcurrencyTest {

  @TempDir
  Path dir;

  @Test
  void encryptDecrypt_whileRotatingAndGranting_allRoundTrip() throws Exception {
    KmsRuntime kms = KmsRuntime.builder().world(TestKms.world(dir)).build();
    String key = kms.createKey(ADMIN_CALLER, Kms.CreateKeyRequest.symmetric()).arn();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        int id = t;
        workers.add(pool.submit(() -> {
          int n = 0;
          for (int i = 0; i < 300; i++) {
            byte[] data = ("t" + id + "-" + i).getBytes(StandardCharsets.UTF_8);
            Map<String, String> ctx = Map.of("i", Integer.toString(i));
            byte[] blob = kms.encrypt(ADMIN_CALLER, Kms.EncryptRequest.of(key, data, ctx)).ciphertextBlob();
            assertThat(kms.decrypt(ADMIN_CALLER, Kms.DecryptRequest.of(blob, ctx)).plaintext().toByteArray())
                .isEqualTo(data);
            n++;
          }
          return n;
        }));
      }
      Future<Integer> admin = pool.submit(() -> {
        for (int i = 0; i < 20; i++) {
          kms.rotateKeyOnDemand(ADMIN_CALLER, key);
          Kms.CreateGrantResponse g = kms.createGrant(ADMIN_CALLER, new Kms.CreateGrantRequest(key, TestKms.APP, null,
              List.of("Decrypt"), null, null, null));
          kms.revokeGrant(ADMIN_CALLER, key, g.grantId());
        }
        return 20;
      });
      for (Future<Integer> w : workers) {
        assertThat(w.get(2, TimeUnit.MINUTES)).isEqualTo(300);
      }
      assertThat(admin.get(2, TimeUnit.MINUTES)).isEqualTo(20);
      assertThat(kms.listKeyRotations(ADMIN_CALLER, key)).hasSize(20);
    } finally {
      pool.shutdownNow();
    }
  }
}
