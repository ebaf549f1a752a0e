package dev.keyward.parse;

import dev.keyward.model.SourceRef;

/**
 * The characters IAM accepts in policy documents: "horizontal tab (U+0009), linefeed (U+000A), carriage
 * return (U+000D), and characters in the range U+0020 to U+00FF" (IAM User Guide, "IAM and AWS STS
 * quotas"). Checked in keys and string values; each offending string is reported once.
 */
final class IamCharacters {

  /** Receives each string (key or value) holding a character IAM does not accept, with the first such. */
  interface Sink {
    void illegal(SourceRef where, int codePoint);
  }

  private IamCharacters() {}

  static void check(Node n, Sink sink) {
    if (n instanceof Node.ObjectNode) {
      Node.ObjectNode o = (Node.ObjectNode) n;
      for (Node.Field f : o.fields()) {
        int bad = firstIllegal(f.key());
        if (bad >= 0) {
          sink.illegal(f.keySource(), bad);
        }
        check(f.value(), sink);
      }
    } else if (n instanceof Node.ArrayNode) {
      for (Node item : ((Node.ArrayNode) n).items()) {
        check(item, sink);
      }
    } else {
      Node.ScalarNode s = (Node.ScalarNode) n;
      if (s.isString()) {
        int bad = firstIllegal(s.text());
        if (bad >= 0) {
          sink.illegal(n.source(), bad);
        }
      }
    }
  }

  /** The first code point outside IAM's set, or -1. */
  static int firstIllegal(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 0x20 && c <= 0xFF) || c == '\t' || c == '\n' || c == '\r') {
        continue;
      }
      return s.codePointAt(i);
    }
    return -1;
  }
}
