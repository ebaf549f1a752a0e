package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code keyward serve} as its own process: --any-credentials-as, slow clients cut off. */
class ServeProcessTest {

  @Test
  void anyCredentialsAs_warnsLoudly_andAcceptsAnySignatureAsThatPrincipal(@TempDir Path dir) throws Exception {
    try (ServeProcess p = ServeProcess.start(Map.of(), List.of(), "--world", TestServer.worldFile().toString(),
        "--store", dir.toString(), "--any-credentials-as", "arn:aws:iam::111111111111:user/dev");
        KmsClient c = KmsClient.builder().endpointOverride(URI.create(p.endpoint())).region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ANYTHING", "at all")))
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build()) {
      assertThat(p.stderr()).contains("WARNING").contains("WITHOUT checking its signature")
          .contains("arn:aws:iam::111111111111:user/dev");
      assertThat(c.describeKey(r -> r.keyId("alias/finance")).keyMetadata().arn()).isEqualTo(TestServer.EU_KEY);
    }
  }

  @Test
  void slowClient_isDisconnectedAfterTheRequestTimeout(@TempDir Path dir) throws Exception {
    try (ServeProcess p = ServeProcess.start(Map.of(), List.of(), "--world",
        TestServer.worldFile().toString(), "--store", dir.toString(), "--request-timeout", "1")) {
      URI u = URI.create(p.endpoint());
      try (Socket s = new Socket(u.getHost(), u.getPort())) {
        s.setSoTimeout(20_000);
        s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{".getBytes(
            StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        long t0 = System.nanoTime();
        InputStream in = s.getInputStream();
        byte[] rest = in.readAllBytes();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("cut off after the 1 s request timeout, not at the 20 s socket timeout").isLessThan(15_000);
        assertThat(new String(rest, StandardCharsets.US_ASCII)).doesNotContain("\tat ");
      }
      // The server keeps serving others. NOTE: on a loaded machine a first connect can time out (the client's
      // 5 s connect timeout); a few attempts tell a busy server from one that stopped accepting.
      RawKms ok = new RawKms(p.endpoint(), "AKIADEVUSER00000001", "dev-secret", "us-east-1");
      int status = -1;
      for (int attempt = 0; attempt < 5 && status != 200; attempt++) {
        try {
          status = ok.send("TrentService.ListKeys", "{}").statusCode();
        } catch (java.io.IOException e) {
          Thread.sleep(1000);
        }
      }
      assertThat(status).isEqualTo(200);
    }
  }

  @Test
  void sigterm_whenIdle_exitsWithinOneSecond_andRecordsTheAuditHead(@TempDir Path dir) throws Exception {
    try (ServeProcess p = ServeProcess.start(Map.of(), List.of(), "--world", TestServer.worldFile().toString(),
        "--store", dir.toString())) {
      RawKms ok = new RawKms(p.endpoint(), "AKIADEVUSER00000001", "dev-secret", "us-east-1");
      assertThat(ok.send("TrentService.ListKeys", "{}").statusCode()).isEqualTo(200);
      long t0 = System.nanoTime();
      int code = p.stop();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(code).isEqualTo(143);
      assertThat(ms).as("exit after SIGTERM, ms").isLessThan(1000);
    }
    assertThat(java.nio.file.Files.readString(dir.resolve("audit.jsonl.head"))).startsWith("{\"seq\":1,\"head\":\"");
  }
}
