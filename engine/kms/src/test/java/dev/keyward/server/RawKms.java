package dev.keyward.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Hand-made KMS requests, signed with the SDK's SigV4 signer (or not), for bad-input tests and the load
 * generator: whatever body, target and headers a test wants.
 */
final class RawKms {

  private final URI endpoint;
  private final String accessKeyId;
  private final String secret;
  private final String region;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  RawKms(String endpoint, String accessKeyId, String secret, String region) {
    this.endpoint = URI.create(endpoint + "/");
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.region = region;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The signed headers (Authorization, X-Amz-Date, Host, Content-Type, X-Amz-Target) of a request. */
  Map<String, List<String>> sign(String target, byte[] body, Instant when) {
    SdkHttpFullRequest req = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", target)
        .build();
    SignedRequest s = signer.sign(r -> r.identity(AwsCredentialsIdentity.create(accessKeyId, secret))
        .request(req).payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "kms")
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(when, ZoneOffset.UTC)));
    return s.request().headers();
  }

  /**
   * A signed Encrypt under the finance alias (with its encryption context) as raw HTTP/1.1 bytes, headers and
   * body, for clients that write to sockets themselves; valid for SigV4's 15 minutes.
   */
  byte[] rawEncrypt(byte[] plaintext) {
    byte[] body = ("{\"KeyId\":\"alias/finance\",\"Plaintext\":\"" + java.util.Base64.getEncoder()
        .encodeToString(plaintext) + "\",\"EncryptionContext\":{\"Dept\":\"Finance\"}}").getBytes(
        StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
    sign("TrentService.Encrypt", body, Instant.now()).forEach((k, vs) -> vs.forEach(v -> head.append(k).append(": ")
        .append(v).append("\r\n")));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  HttpResponse<String> send(String target, String body) throws IOException, InterruptedException {
    return send(target, body.getBytes(StandardCharsets.UTF_8), Instant.now());
  }

  HttpResponse<String> send(String target, byte[] body, Instant when) throws IOException, InterruptedException {
    return sendSigned(sign(target, body, when), body);
  }

  HttpResponse<String> sendSigned(Map<String, List<String>> headers, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((k, vs) -> {
      if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) {
        vs.forEach(v -> b.header(k, v));
      }
    });
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
