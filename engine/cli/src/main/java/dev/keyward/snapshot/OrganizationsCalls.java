package dev.keyward.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Read-only AWS Organizations calls over the service's JSON 1.1 protocol, signed with the SDK's SigV4
 * signer and sent with the SDK's HTTP client. The SDK's generated Organizations client is not published at
 * the SDK version this project pins, and the protocol is small: a POST whose {@code X-Amz-Target} names the
 * operation. Responses are already in the API's shape and are kept as they come (timestamps as epoch
 * seconds, as the API sends them).
 */
final class OrganizationsCalls {

  private static final String TARGET = "AWSOrganizationsV20161128.";

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final URI endpoint;
  private final String signingRegion;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  OrganizationsCalls(SdkHttpClient http, AwsCredentialsProvider credentials, URI endpoint, String signingRegion) {
    this.http = http;
    this.credentials = credentials;
    this.endpoint = endpoint;
    this.signingRegion = signingRegion;
  }

  /** The global endpoint of the aws partition (Organizations' control plane lives in us-east-1). */
  static URI defaultEndpoint() {
    return URI.create("https://organizations.us-east-1.amazonaws.com");
  }

  /** One call; AWS errors are thrown as the SDK's service exception, with the code AWS sent. */
  ObjectNode call(String operation, ObjectNode request) {
    byte[] body;
    try {
      body = AwsShapes.MAPPER.writeValueAsBytes(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint)
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", TARGET + operation)
        .build();
    SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
        .request(unsigned)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
        .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion));
    HttpExecuteResponse response;
    byte[] bytes;
    try {
      response = http.prepareRequest(HttpExecuteRequest.builder()
          .request(signed.request())
          .contentStreamProvider(signed.payload().orElse(null))
          .build()).call();
      InputStream body0 = response.responseBody().isPresent() ? response.responseBody().get() : null;
      bytes = new byte[0];
      if (body0 != null) {
        try (InputStream in = body0) {
          bytes = in.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw SdkClientException.create("cannot reach AWS Organizations at " + endpoint + ": " + e.getMessage(), e);
    }
    int status = response.httpResponse().statusCode();
    JsonNode json;
    try {
      json = bytes.length == 0 ? AwsShapes.object() : AwsShapes.MAPPER.readTree(bytes);
    } catch (IOException e) {
      json = null;
    }
    if (status / 100 == 2 && json instanceof ObjectNode) {
      return (ObjectNode) json;
    }
    String code = "HTTP " + status;
    String message = new String(bytes, StandardCharsets.UTF_8);
    if (json != null && json.hasNonNull("__type")) {
      code = json.get("__type").asText();
      code = code.substring(code.lastIndexOf('#') + 1);
      JsonNode m = json.has("Message") ? json.get("Message") : json.get("message");
      message = m == null ? "" : m.asText();
    }
    throw AwsServiceException.builder()
        .message(code + ": " + message)
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Organizations")
            .build())
        .build();
  }

  /** A list call through every page, its {@code member} arrays concatenated as the AWS CLI prints them. */
  ObjectNode all(String operation, ObjectNode request, String member, Backoff backoff) {
    ObjectNode merged = AwsShapes.object();
    ArrayNode items = merged.putArray(member);
    String token = null;
    do {
      ObjectNode r = request.deepCopy();
      if (token != null) {
        r.put("NextToken", token);
      }
      ObjectNode page = backoff.run(() -> call(operation, r));
      JsonNode list = page.get(member);
      if (list != null && list.isArray()) {
        items.addAll((ArrayNode) list);
      }
      JsonNode next = page.get("NextToken");
      token = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
    } while (token != null);
    return merged;
  }
}
