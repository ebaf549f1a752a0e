package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;

/** 100 SDK clients at once: every answer right, every grant and tag kept, the audit chain intact. */
class KmsServerConcurrencyTest {

  @Test
  void hundredClients_encryptDecryptGrantTag_allAnswersRight(@TempDir Path dir) throws Exception {
    StringWriter log = new StringWriter();
    int clients = 100;
    try (KmsServer server = TestServer.start(dir, log); KmsClient setup = TestServer.dev(server)) {
      String key = setup.createKey(r -> r.description("busy")).keyMetadata().arn();
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int n = i;
        results.add(pool.submit((Callable<Integer>) () -> {
          try (KmsClient c = n % 2 == 0 ? TestServer.dev(server) : TestServer.admin(server)) {
            go.await();
            int ok = 0;
            for (int j = 0; j < 10; j++) {
              String text = "client " + n + " call " + j;
              Map<String, String> ctx = Map.of("client", Integer.toString(n));
              SdkBytes ct = c.encrypt(r -> r.keyId(key).plaintext(SdkBytes.fromUtf8String(text))
                  .encryptionContext(ctx)).ciphertextBlob();
              if (c.decrypt(r -> r.ciphertextBlob(ct).encryptionContext(ctx)).plaintext().asUtf8String()
                  .equals(text)) {
                ok++;
              }
            }
            c.createGrant(r -> r.keyId(key).granteePrincipal("arn:aws:iam::111111111111:role/BatchJob")
                .operations(GrantOperation.DECRYPT).name("client-" + n));
            if (n % 2 == 0) {
              c.tagResource(r -> r.keyId(key).tags(t -> t.tagKey("client-" + n).tagValue("x"))); // AWS: 50 tags
            }
            return ok;
          }
        }));
      }
      go.countDown();
      int ok = 0;
      for (Future<Integer> f : results) {
        ok += f.get();
      }
      pool.shutdown();
      assertThat(ok).isEqualTo(clients * 10);
      // every grant, through the SDK's paginator (a page holds 50 grants, as on AWS)
      assertThat(setup.listGrantsPaginator(r -> r.keyId(key)).grants().stream().count()).isEqualTo(clients);
      assertThat(setup.listResourceTags(r -> r.keyId(key)).tags()).hasSize(clients / 2);
    }
    assertThat(log.toString()).isEmpty();
    var v = dev.keyward.runtime.audit.FileAuditLog.verify(dir.resolve("audit.jsonl"));
    assertThat(v.problems()).isEmpty();
    assertThat(v.ok()).isTrue();
    assertThat(v.lines()).isGreaterThanOrEqualTo(clients * 21L);
  }
}
