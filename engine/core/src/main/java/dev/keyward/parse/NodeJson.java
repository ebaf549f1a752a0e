package dev.keyward.parse;

/**
 * Compact JSON text of a located tree, for values kept as written (such as CloudFormation functions) and
 * for {@code Fn::ToJsonString} in the template package.
 */
public final class NodeJson {

  private NodeJson() {}

  public static String compact(Node n) {
    StringBuilder b = new StringBuilder();
    write(n, b);
    return b.toString();
  }

  private static void write(Node n, StringBuilder b) {
    if (n instanceof Node.ObjectNode) {
      b.append('{');
      boolean first = true;
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(f.key(), b);
        b.append(':');
        write(f.value(), b);
      }
      b.append('}');
    } else if (n instanceof Node.ArrayNode) {
      b.append('[');
      boolean first = true;
      for (Node item : ((Node.ArrayNode) n).items()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        write(item, b);
      }
      b.append(']');
    } else {
      Node.ScalarNode s = (Node.ScalarNode) n;
      switch (s.type()) {
        case STRING:
          string(s.text(), b);
          break;
        case NULL:
          b.append("null");
          break;
        default:
          b.append(s.text());
          break;
      }
    }
  }

  private static void string(String s, StringBuilder b) {
    JsonStrings.quote(b, s);
  }
}
