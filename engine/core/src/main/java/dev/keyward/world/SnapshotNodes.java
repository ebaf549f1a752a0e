package dev.keyward.world;

import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Small helpers that read and build the located trees of a snapshot, shared by its decoders. */
final class SnapshotNodes {

  static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private SnapshotNodes() {}

  /** The fields of a per-resource file by resource id (the last one of a repeated id, as JSON readers do). */
  static Map<String, Node> index(Node.ObjectNode o) {
    Map<String, Node> out = new HashMap<>();
    if (o != null) {
      for (Node.Field f : o.fields()) {
        out.put(f.key(), f.value());
      }
    }
    return out;
  }

  static String text(Node.ObjectNode o, String field) {
    if (o == null) {
      return null;
    }
    Node n = o.get(field);
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() != Node.ScalarType.NULL
        ? ((Node.ScalarNode) n).text() : null;
  }

  static Node objectOf(Map<String, Node> fields, SourceRef at) {
    List<Node.Field> f = new ArrayList<>();
    fields.forEach((k, v) -> f.add(new Node.Field(k, v.source(), v)));
    return new Node.ObjectNode(f, at);
  }

  static void copy(Node.ObjectNode from, String awsName, String worldName, List<Node.Field> into) {
    Node n = from.get(awsName);
    if (n != null) {
      into.add(field(worldName, n));
    }
  }

  static Node.Field field(String name, Node value) {
    return new Node.Field(name, value.source(), value);
  }

  static Node str(String text, SourceRef at) {
    return new Node.ScalarNode(Node.ScalarType.STRING, text, null, at);
  }

  static Node bool(boolean b, SourceRef at) {
    return new Node.ScalarNode(Node.ScalarType.BOOLEAN, Boolean.toString(b), null, at);
  }

  static String article(String type) {
    return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
  }

  /** {@code {document: DOC}} located at the policy's entry, so the policy is named after it. */
  static Node ref(Node doc, SourceRef entry) {
    if (doc instanceof Node.ScalarNode && ((Node.ScalarNode) doc).isString()
        && ((Node.ScalarNode) doc).text().startsWith("%7B")) {
      // IAM's API sends policies URL-encoded; the AWS CLI decodes them, a raw API answer does not
      String text = ((Node.ScalarNode) doc).text();
      doc = new Node.ScalarNode(Node.ScalarType.STRING, java.net.URLDecoder.decode(text.replace("+", "%2B"),
          java.nio.charset.StandardCharsets.UTF_8), null, doc.source());
    }
    return new Node.ObjectNode(List.of(new Node.Field("document", doc.source(), doc)), entry);
  }
}
