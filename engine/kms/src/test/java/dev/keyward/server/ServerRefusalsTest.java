package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * AWS's own refusals on the wire (keys are regional; session tokens only with temporary credentials; refused
 * authentications audited), the sealed store, and TLS.
 */
class ServerRefusalsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static KmsClient session(KmsServer s, String akid, String secret, String token) {
    return KmsClient.builder().endpointOverride(URI.create(s.endpoint())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(akid, secret, token)))
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  static String errorCode(Throwable t) {
    return ((KmsException) t).awsErrorDetails().errorCode();
  }

  @Test
  void keyArnOfAnotherRegion_isNotFound(@TempDir Path dir) throws Exception {
    try (KmsServer s = TestServer.start(dir, new StringWriter());
        KmsClient eu = TestServer.client(s, "AKIADEVUSER00000001", "dev-secret", "eu-west-1");
        KmsClient us = TestServer.dev(s)) {
      SdkBytes data = SdkBytes.fromUtf8String("x");
      assertThatThrownBy(() -> eu.encrypt(r -> r.keyId(TestServer.FINANCE_KEY).plaintext(data)
          .encryptionContext(java.util.Map.of("Dept", "Finance")))).isInstanceOf(NotFoundException.class)
          .hasMessageContaining("us-east-1").hasMessageContaining("eu-west-1");
      assertThatThrownBy(() -> eu.scheduleKeyDeletion(r -> r.keyId(TestServer.FINANCE_KEY).pendingWindowInDays(7)))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> eu.describeKey(r -> r.keyId("arn:aws:kms:us-east-1:111111111111:alias/finance")))
          .isInstanceOf(NotFoundException.class);
      // the same key in its own Region, and the eu-west-1 key from eu-west-1
      assertThat(us.describeKey(r -> r.keyId(TestServer.FINANCE_KEY)).keyMetadata().keyState().toString())
          .isEqualTo("Enabled");
      assertThat(eu.describeKey(r -> r.keyId(TestServer.EU_KEY)).keyMetadata().arn()).isEqualTo(TestServer.EU_KEY);
    }
  }

  @Test
  void sessionTokens_onlyWithTemporaryCredentials_andAudited(@TempDir Path dir) throws Exception {
    try (KmsServer s = TestServer.start(dir, new StringWriter())) {
      try (KmsClient longTermWithToken = session(s, "AKIADEVUSER00000001", "dev-secret", "some-token")) {
        assertThatThrownBy(longTermWithToken::listKeys).satisfies(e -> assertThat(errorCode(e))
            .isEqualTo("UnrecognizedClientException"));
      }
      try (KmsClient temp = session(s, "ASIATEMPDEV00000001", "temp-secret", "temp-session-token")) {
        assertThat(temp.listKeys().keys()).isNotEmpty();
      }
      try (KmsClient wrongToken = session(s, "ASIATEMPDEV00000001", "temp-secret", "another-token")) {
        assertThatThrownBy(wrongToken::listKeys).satisfies(e -> assertThat(errorCode(e))
            .isEqualTo("UnrecognizedClientException"));
      }
      try (KmsClient noToken = TestServer.client(s, "ASIATEMPDEV00000001", "temp-secret", "us-east-1")) {
        assertThatThrownBy(noToken::listKeys).satisfies(e -> assertThat(errorCode(e))
            .isEqualTo("UnrecognizedClientException"));
      }
      try (KmsClient expired = session(s, "ASIAEXPIRED00000001", "expired-secret", "expired-token")) {
        assertThatThrownBy(expired::listKeys).satisfies(e -> assertThat(errorCode(e))
            .isEqualTo("ExpiredTokenException"));
      }
      try (KmsClient unknown = TestServer.client(s, "AKIANOBODY000000001", "x", "us-east-1");
          KmsClient badSecret = TestServer.client(s, "AKIADEVUSER00000001", "wrong", "eu-west-1")) {
        assertThatThrownBy(unknown::listKeys).isInstanceOf(KmsException.class);
        assertThatThrownBy(badSecret::listKeys).isInstanceOf(KmsException.class);
      }
      HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.endpoint()))
          .header("X-Amz-Target", "TrentService.Decrypt").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(unsigned.statusCode()).isEqualTo(400);
    }
    List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
    List<JsonNode> refused = lines.stream().map(ServerRefusalsTest::json)
        .filter(n -> n.path("decision").isNull() && n.path("resources").isEmpty()
            && n.path("sourceIPAddress").isTextual()).toList();
    assertThat(refused).extracting(n -> n.path("errorCode").asText()).containsExactly(
        "UnrecognizedClientException", "UnrecognizedClientException", "UnrecognizedClientException",
        "ExpiredTokenException", "UnrecognizedClientException", "InvalidSignatureException",
        "MissingAuthenticationTokenException");
    assertThat(refused.get(0).path("userIdentity").path("arn").asText())
        .isEqualTo("arn:aws:iam::111111111111:user/dev");
    assertThat(refused.get(0).path("userIdentity").path("accessKeyId").asText()).isEqualTo("AKIADEVUSER00000001");
    assertThat(refused.get(0).path("eventName").asText()).isEqualTo("ListKeys");
    assertThat(refused.get(4).path("userIdentity").path("arn").asText()).isEqualTo("anonymous");
    assertThat(refused.get(5).path("awsRegion").asText()).isEqualTo("eu-west-1");
    assertThat(refused.get(6).path("eventName").asText()).isEqualTo("Decrypt");
    String all = String.join("\n", lines);
    assertThat(all).doesNotContain("dev-secret").doesNotContain("temp-session-token").doesNotContain("some-token")
        .doesNotContain("another-token").doesNotContain("Signature=");
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void store_isReadableByItsOwnerOnly(@TempDir Path parent) throws Exception {
    Assumptions.assumeTrue(parent.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions");
    Path dir = parent.resolve("store");
    try (KmsServer s = TestServer.start(dir, new StringWriter()); KmsClient dev = TestServer.dev(s)) {
      dev.createKey();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    List<Path> files;
    try (Stream<Path> l = Files.list(dir)) {
      files = l.toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("keyward.db", "root.key", "audit.jsonl",
        "audit.jsonl.head");
    for (Path f : files) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
          .isEqualTo("rw-------");
    }
  }

  @Test
  void auditLog_editedWhileStopped_refusesToStart(@TempDir Path dir) throws Exception {
    try (KmsServer s = TestServer.start(dir, new StringWriter()); KmsClient dev = TestServer.dev(s)) {
      dev.listKeys();
      dev.listAliases();
    }
    Path log = dir.resolve("audit.jsonl");
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, lines.size() - 1));
    assertThatThrownBy(() -> TestServer.start(dir, new StringWriter())).isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("no longer holds line " + lines.size());
    Files.write(log, lines);
    TestServer.start(dir, new StringWriter()).close();
  }

  @Test
  void tls_withAGivenCertificate_servesHttps(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p;
    try {
      p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
          "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("openssl is not installed: " + e.getMessage());
      return;
    }
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    KmsServer.Config c = KmsServer.Config.of(0, TestServer.world().identities())
        .withTls(new KmsServer.Tls(cert, key));
    StringWriter log = new StringWriter();
    try (KmsServer s = TestServer.start(dir.resolve("store").toString(), null, c, log)) {
      assertThat(s.endpoint()).startsWith("https://127.0.0.1:");
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (var in = Files.newInputStream(cert)) {
        trust.setCertificateEntry("local", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
      RawKms signer = new RawKms(s.endpoint(), "AKIADEVUSER00000001", "dev-secret", "us-east-1");
      byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.endpoint() + "/"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      signer.sign("TrentService.ListKeys", body, java.time.Instant.now()).forEach((k, vs) -> {
        if (!k.equalsIgnoreCase("host")) {
          vs.forEach(v -> b.header(k, v));
        }
      });
      HttpResponse<String> r = https.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("Keys").isArray()).isTrue();
      // plain HTTP on the TLS port: closed, no answer
      try (java.net.Socket plain = new java.net.Socket("127.0.0.1", s.port())) {
        plain.setSoTimeout(5000);
        plain.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII));
        byte[] back = plain.getInputStream().readAllBytes();
        assertThat(new String(back, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1 200");
      } catch (java.net.SocketException e) {
        // NOTE: a reset is a clean refusal too
      }
    }
    assertThat(log.toString()).isEmpty();
  }
}
