package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeyPairSpec;

/** Malformed, mistyped, unsigned, badly signed, oversized and slow requests: KMS-shaped errors, no hang. */
class KmsServerBadInputTest {

  @TempDir
  static Path dir;
  static StringWriter log = new StringWriter();
  static KmsServer server;
  static RawKms dev;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(dir, log);
    dev = new RawKms(server.endpoint(), "AKIADEVUSER00000001", "dev-secret", "us-east-1");
  }

  @AfterAll
  static void stop() {
    server.close();
    assertThat(log.toString()).isEmpty();
  }

  static JsonNode body(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
    assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception:");
    return JSON.readTree(r.body());
  }

  static void assertError(HttpResponse<String> r, int status, String type) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode b = body(r);
    assertThat(b.get("__type").asText()).isEqualTo(type);
    assertThat(b.get("message").asText()).isNotEmpty();
  }

  @Test
  void wellFormedRequest_answers200() throws Exception {
    HttpResponse<String> r = dev.send("TrentService.ListKeys", "{}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body(r).get("Keys").isArray()).isTrue();
  }

  @Test
  void emptyBody_isAnEmptyRequest() throws Exception {
    assertThat(dev.send("TrentService.ListAliases", "").statusCode()).isEqualTo(200);
  }

  @Test
  void malformedJson_isSerializationException() throws Exception {
    assertError(dev.send("TrentService.DescribeKey", "{\"KeyId\": "), 400, "SerializationException");
    assertError(dev.send("TrentService.DescribeKey", "[1,2]"), 400, "SerializationException");
    assertError(dev.send("TrentService.DescribeKey", "{\"KeyId\":\"a\",\"KeyId\":\"b\"}"), 400,
        "SerializationException");
    assertError(dev.send("TrentService.DescribeKey", "{} {}"), 400, "SerializationException");
  }

  @Test
  void wrongTypes_areSerializationException() throws Exception {
    assertError(dev.send("TrentService.DescribeKey", "{\"KeyId\": 5}"), 400, "SerializationException");
    assertError(dev.send("TrentService.GenerateRandom", "{\"NumberOfBytes\": \"5\"}"), 400, "SerializationException");
    assertError(dev.send("TrentService.Encrypt", "{\"KeyId\": \"alias/finance\", \"Plaintext\": \"%%%\"}"), 400,
        "SerializationException");
    assertError(dev.send("TrentService.Encrypt", "{\"KeyId\": \"alias/finance\", \"Plaintext\": \"aGk=\","
        + " \"EncryptionContext\": [\"a\"]}"), 400, "SerializationException");
  }

  @Test
  void constraintViolations_areValidationException() throws Exception {
    HttpResponse<String> r = dev.send("TrentService.DescribeKey", "{}");
    assertError(r, 400, "ValidationException");
    assertThat(body(r).get("message").asText()).contains("'keyId'").contains("must not be null");
    assertError(dev.send("TrentService.GenerateRandom", "{\"NumberOfBytes\": 5000}"), 400, "ValidationException");
    assertError(dev.send("TrentService.CreateKey", "{\"KeySpec\": \"AES_999\"}"), 400, "ValidationException");
    String big = java.util.Base64.getEncoder().encodeToString(new byte[4097]);
    assertError(dev.send("TrentService.Encrypt", "{\"KeyId\": \"alias/finance\", \"Plaintext\": \"" + big + "\"}"),
        400, "ValidationException");
  }

  @Test
  void unknownTarget_isUnknownOperationException() throws Exception {
    assertError(dev.send("TrentService.MakeCoffee", "{}"), 400, "UnknownOperationException");
    assertError(dev.send("DynamoDB_20120810.ListTables", "{}"), 400, "UnknownOperationException");
  }

  @Test
  void unknownKeyId_isNotFound() throws Exception {
    assertError(dev.send("TrentService.DescribeKey", "{\"KeyId\": \"00000000-0000-0000-0000-000000000000\"}"), 400,
        "NotFoundException");
  }

  @Test
  void unknownAccessKey_isUnrecognizedClient() throws Exception {
    RawKms stranger = new RawKms(server.endpoint(), "AKIASTRANGER0000001", "x", "us-east-1");
    assertError(stranger.send("TrentService.ListKeys", "{}"), 400, "UnrecognizedClientException");
  }

  @Test
  void wrongSecret_isInvalidSignature() throws Exception {
    RawKms wrong = new RawKms(server.endpoint(), "AKIADEVUSER00000001", "not-the-secret", "us-east-1");
    assertError(wrong.send("TrentService.ListKeys", "{}"), 400, "InvalidSignatureException");
  }

  @Test
  void tamperedBody_isInvalidSignature() throws Exception {
    byte[] signed = "{}".getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> h = dev.sign("TrentService.ListKeys", signed, Instant.now());
    assertError(dev.sendSigned(h, "{ }".getBytes(StandardCharsets.UTF_8)), 400, "InvalidSignatureException");
  }

  @Test
  void tamperedTarget_isInvalidSignature() throws Exception {
    Map<String, List<String>> h = new HashMap<>(dev.sign("TrentService.ListKeys", new byte[0], Instant.now()));
    h.put("X-Amz-Target", List.of("TrentService.ListAliases"));
    assertError(dev.sendSigned(h, new byte[0]), 400, "InvalidSignatureException");
  }

  @Test
  void expiredOrFutureDate_isInvalidSignature() throws Exception {
    HttpResponse<String> old = dev.send("TrentService.ListKeys", new byte[0], Instant.now().minus(Duration.ofMinutes(16)));
    assertError(old, 400, "InvalidSignatureException");
    assertThat(body(old).get("message").asText()).startsWith("Signature expired");
    assertError(dev.send("TrentService.ListKeys", new byte[0], Instant.now().plus(Duration.ofMinutes(16))), 400,
        "InvalidSignatureException");
    assertThat(dev.send("TrentService.ListKeys", new byte[0], Instant.now().minus(Duration.ofMinutes(14)))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void missingAuthorization_isMissingAuthenticationToken() throws Exception {
    assertError(dev.sendSigned(Map.of("X-Amz-Target", List.of("TrentService.ListKeys")), new byte[0]), 400,
        "MissingAuthenticationTokenException");
  }

  @Test
  void oversizedBody_refusedBy413WithoutReadingIt() throws Exception {
    URI u = URI.create(server.endpoint());
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort() + "\r\nX-Amz-Target: TrentService"
          + ".ListKeys\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100000000\r\n\r\n{")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 413");
    }
  }

  @Test
  void oversizedChunkedBody_refusedBy413() throws Exception {
    byte[] big = new byte[KmsServer.DEFAULT_MAX_BODY + 10];
    java.util.Arrays.fill(big, (byte) ' ');
    URI u = URI.create(server.endpoint());
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length)
          + "\r\n").getBytes(StandardCharsets.US_ASCII));
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          out.write(big);
          out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
          // NOTE: the server may close before all is written
        }
      });
      String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 413");
      writer.cancel(true);
    }
  }

  @Test
  void slowClient_doesNotBlockOthers() throws Exception {
    URI u = URI.create(server.endpoint());
    try (Socket slow = new Socket(u.getHost(), u.getPort())) {
      slow.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{".getBytes(
          StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      for (int i = 0; i < 20; i++) {
        assertThat(dev.send("TrentService.ListKeys", "{}").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void gracefulStop_finishesTheRequestInFlight(@TempDir Path other) throws Exception {
    StringWriter l = new StringWriter();
    KmsServer s = TestServer.start(other, l);
    KmsClient c = TestServer.dev(s);
    CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> c.generateDataKeyPair(r -> r
        .keyId("alias/finance").keyPairSpec(DataKeyPairSpec.RSA_4096)).publicKey().asByteArray().length);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (s.inFlight() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(s.inFlight()).isEqualTo(1);
    s.stop(30);
    assertThat(slow.get()).isGreaterThan(500);
    c.close();
    assertThat(l.toString()).isEmpty();
  }
}
