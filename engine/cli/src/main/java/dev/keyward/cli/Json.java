package dev.keyward.cli;

/** The little JSON the CLI writes: strings escaped per RFC 8259, nothing else. */
final class Json {

  private Json() {}

  /** Appends {@code s} as a JSON string literal (null as {@code null}). */
  static StringBuilder string(StringBuilder b, String s) {
    return dev.keyward.parse.JsonStrings.quote(b, s);
  }

  /** Appends {@code "name":} to an object under construction, with a comma when needed. */
  static StringBuilder field(StringBuilder b, String name) {
    char last = b.length() == 0 ? '{' : b.charAt(b.length() - 1);
    if (last != '{' && last != '[') {
      b.append(',');
    }
    return string(b, name).append(':');
  }

  /**
   * Appends a request context as a JSON object with keys in sorted order: one value as a string, several
   * as an array of strings.
   */
  static StringBuilder context(StringBuilder b, java.util.Map<String, java.util.List<String>> context) {
    b.append('{');
    for (java.util.Map.Entry<String, java.util.List<String>> e : new java.util.TreeMap<>(context).entrySet()) {
      field(b, e.getKey());
      if (e.getValue().size() == 1) {
        string(b, e.getValue().get(0));
      } else {
        b.append('[');
        for (int i = 0; i < e.getValue().size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          string(b, e.getValue().get(i));
        }
        b.append(']');
      }
    }
    return b.append('}');
  }
}
