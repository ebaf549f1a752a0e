package dev.keyward.parse;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * JSON string literals for the few places that write JSON text by hand (decision lines in batch mode,
 * compact policy text, suggested fix statements): one escaper, Jackson's, so that escaping rules live in a
 * well-kept library rather than in copies of our own.
 */
public final class JsonStrings {

  private JsonStrings() {}

  /**
   * Appends {@code s} as a quoted, escaped JSON string (RFC 8259); null as {@code null}. U+2028 and U+2029,
   * valid in JSON but line ends in JavaScript, are escaped too, so that JSON Lines output is safe to embed.
   */
  public static StringBuilder quote(StringBuilder b, String s) {
    if (s == null) {
      return b.append("null");
    }
    b.append('"');
    int from = b.length();
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    for (int i = from; i < b.length(); i++) {
      char c = b.charAt(i);
      if (c == '\u2028' || c == '\u2029') {
        b.replace(i, i + 1, c == '\u2028' ? "\\u2028" : "\\u2029");
        i += 5;
      }
    }
    return b.append('"');
  }
}
