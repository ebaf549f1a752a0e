package dev.keyward.lint;

import dev.keyward.parse.Node;

/**
 * Writes a located tree back out as JSON text, two-space indented, keeping key order. Used for the
 * policies of rule cases, which are written as YAML in rule files but linted as JSON documents so that
 * their pointers, lines and columns are those of a real policy file.
 */
final class NodeJson {

  private NodeJson() {}

  static String write(Node node) {
    StringBuilder b = new StringBuilder();
    write(node, b, 0);
    return b.append('\n').toString();
  }

  private static void write(Node node, StringBuilder b, int depth) {
    if (node instanceof Node.ObjectNode) {
      Node.ObjectNode o = (Node.ObjectNode) node;
      if (o.fields().isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      for (int i = 0; i < o.fields().size(); i++) {
        Node.Field f = o.fields().get(i);
        indent(b, depth + 1);
        string(f.key(), b);
        b.append(": ");
        write(f.value(), b, depth + 1);
        b.append(i + 1 < o.fields().size() ? ",\n" : "\n");
      }
      indent(b, depth);
      b.append('}');
    } else if (node instanceof Node.ArrayNode) {
      Node.ArrayNode a = (Node.ArrayNode) node;
      if (a.items().isEmpty()) {
        b.append("[]");
        return;
      }
      b.append("[\n");
      for (int i = 0; i < a.items().size(); i++) {
        indent(b, depth + 1);
        write(a.items().get(i), b, depth + 1);
        b.append(i + 1 < a.items().size() ? ",\n" : "\n");
      }
      indent(b, depth);
      b.append(']');
    } else {
      Node.ScalarNode s = (Node.ScalarNode) node;
      switch (s.type()) {
        case STRING: string(s.text(), b); break;
        case NULL: b.append("null"); break;
        default: b.append(s.text()); break;
      }
    }
  }

  private static void indent(StringBuilder b, int depth) {
    for (int i = 0; i < depth; i++) {
      b.append("  ");
    }
  }

  static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
