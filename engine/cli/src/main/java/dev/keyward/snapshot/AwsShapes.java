package dev.keyward.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Turns the AWS SDK's response objects into JSON of the shape the AWS CLI prints: members by their API
 * names ({@code KeyMetadata}, {@code RoleDetailList}), absent members left out, timestamps as ISO-8601 text,
 * and IAM's URL-encoded policy documents decoded into JSON objects, as the CLI decodes them. The SDK's own
 * field metadata drives it, so every member the API returns is written, including ones Keyward does not read.
 */
final class AwsShapes {

  /** IAM members that hold URL-encoded policy JSON (the CLI prints them decoded). */
  private static final Set<String> ENCODED_POLICY_MEMBERS = Set.of("PolicyDocument", "AssumeRolePolicyDocument", "Document");
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AwsShapes() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** The response as the CLI prints it; {@code decodePolicies} for IAM responses. */
  static ObjectNode of(SdkPojo pojo, boolean decodePolicies) {
    ObjectNode out = NODES.objectNode();
    for (SdkField<?> f : pojo.sdkFields()) {
      Object v = f.getValueOrDefault(pojo);
      JsonNode j = value(v, decodePolicies);
      if (j == null) {
        continue;
      }
      if (decodePolicies && ENCODED_POLICY_MEMBERS.contains(f.memberName()) && j.isTextual()) {
        j = decodedPolicy(j.asText());
      }
      out.set(f.memberName(), j);
    }
    return out;
  }

  private static JsonNode value(Object v, boolean decodePolicies) {
    if (v == null || v instanceof SdkAutoConstructList || v instanceof SdkAutoConstructMap) {
      return null;
    }
    if (v instanceof SdkPojo) {
      return of((SdkPojo) v, decodePolicies);
    }
    if (v instanceof Collection) {
      ArrayNode a = NODES.arrayNode();
      for (Object item : (Collection<?>) v) {
        JsonNode j = value(item, decodePolicies);
        a.add(j == null ? NODES.nullNode() : j);
      }
      return a;
    }
    if (v instanceof Map) {
      ObjectNode o = NODES.objectNode();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        JsonNode j = value(e.getValue(), decodePolicies);
        o.set(String.valueOf(e.getKey()), j == null ? NODES.nullNode() : j);
      }
      return o;
    }
    if (v instanceof Instant) {
      return NODES.textNode(ISO.format((Instant) v));
    }
    if (v instanceof Boolean) {
      return NODES.booleanNode((Boolean) v);
    }
    if (v instanceof Integer || v instanceof Long) {
      return NODES.numberNode(((Number) v).longValue());
    }
    if (v instanceof Number) {
      return NODES.numberNode(((Number) v).doubleValue());
    }
    if (v instanceof SdkBytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(((SdkBytes) v).asByteArray()));
    }
    return NODES.textNode(String.valueOf(v));
  }

  /** IAM's URL-encoded policy as a JSON object; the text itself when it is not JSON after decoding. */
  static JsonNode decodedPolicy(String encoded) {
    String text = encoded;
    if (encoded.indexOf('%') >= 0) {
      // IAM percent-encodes (RFC 3986); a literal plus is sent as %2B, so '+' must stay a plus here.
      text = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return NODES.textNode(text);
    }
  }
}
