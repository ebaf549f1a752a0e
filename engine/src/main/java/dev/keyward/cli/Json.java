package dev.keyward.cli;

/** The little JSON the CLI writes: strings escaped per RFC 8259, nothing else. */
final class Json {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** Appends {@code s} as a JSON string literal (null as {@code null}). */
  static StringBuilder string(StringBuilder b, String s) {
    if (s == null) {
      return b.append("null");
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"');
  }

  /** Appends {@code "name":} to an object under construction, with a comma when needed. */
  static StringBuilder field(StringBuilder b, String name) {
    char last = b.length() == 0 ? '{' : b.charAt(b.length() - 1);
    if (last != '{' && last != '[') {
      b.append(',');
    }
    return string(b, name).append(':');
  }
}
