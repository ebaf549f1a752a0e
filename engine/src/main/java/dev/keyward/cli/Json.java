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
}
