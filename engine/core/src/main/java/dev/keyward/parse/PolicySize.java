package dev.keyward.parse;

/**
 * The size of a policy document as AWS counts it, computed from the located tree so that JSON files,
 * YAML files and policies embedded in other documents are measured alike: as the minified JSON text that
 * a deployment tool would send.
 *
 * @param minifiedChars characters of the minified JSON text (JSON escapes counted as written)
 * @param minifiedBytes UTF-8 bytes of the minified JSON text
 * @param nonWhitespaceChars characters of the minified JSON text that are not white space (IAM's measure:
 *     "IAM does not count white space")
 */
record PolicySize(long minifiedChars, long minifiedBytes, long nonWhitespaceChars) {

  /** Measures {@code root} as minified JSON. */
  static PolicySize of(Node root) {
    Counter c = new Counter();
    c.node(root);
    return new PolicySize(c.chars, c.bytes, c.chars - c.whitespaceInStrings);
  }

  private static final class Counter {
    long chars;
    long bytes;
    long whitespaceInStrings;

    void node(Node n) {
      if (n instanceof Node.ObjectNode) {
        Node.ObjectNode o = (Node.ObjectNode) n;
        punct(2); // { }
        int i = 0;
        for (Node.Field f : o.fields()) {
          if (i++ > 0) {
            punct(1); // ,
          }
          string(f.key());
          punct(1); // :
          node(f.value());
        }
      } else if (n instanceof Node.ArrayNode) {
        Node.ArrayNode a = (Node.ArrayNode) n;
        punct(2);
        int i = 0;
        for (Node item : a.items()) {
          if (i++ > 0) {
            punct(1);
          }
          node(item);
        }
      } else {
        Node.ScalarNode s = (Node.ScalarNode) n;
        switch (s.type()) {
          case STRING:
            string(s.text());
            break;
          case NULL:
            punct(4);
            break;
          default:
            punct(s.text().length());
            break;
        }
      }
    }

    private void punct(int n) {
      chars += n;
      bytes += n;
    }

    private void string(String s) {
      punct(2); // quotes
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch == '"' || ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\b' || ch == '\f') {
          punct(2);
        } else if (ch < 0x20) {
          punct(6); // \\u00XX
        } else if (ch < 0x80) {
          punct(1);
          if (ch == ' ') {
            whitespaceInStrings++;
          }
        } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          chars += 1; // a code point is one character
          bytes += 4;
          i++;
        } else {
          chars += 1;
          bytes += ch < 0x800 ? 2 : 3;
          if (Character.isWhitespace(ch)) {
            whitespaceInStrings++;
          }
        }
      }
    }
  }
}
