package dev.keyward.template;

import dev.keyward.parse.Node;

/** Compact JSON text of a located tree (for {@code Fn::ToJsonString}). */
final class Json {

  private Json() {}

  static String compact(Node n) {
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
      for (Node i : ((Node.ArrayNode) n).items()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        write(i, b);
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
      }
    }
  }

  static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }
}
