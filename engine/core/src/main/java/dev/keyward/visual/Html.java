package dev.keyward.visual;

/** Escaping for HTML and SVG text and attribute values. */
final class Html {

  private Html() {}

  /** {@code s} with {@code & < > " '} escaped; control characters other than line breaks dropped. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        case '\'':
          b.append("&#39;");
          break;
        default:
          if (c >= ' ' || c == '\n' || c == '\t') {
            b.append(c);
          }
      }
    }
    return b.toString();
  }
}
