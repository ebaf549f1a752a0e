package dev.keyward.iam;

/**
 * IAM's wildcard match for action names: {@code *} matches any run of characters (also none), {@code ?}
 * exactly one. Both arguments must already be lower-cased; IAM compares action names ignoring case.
 */
final class Glob {

  private Glob() {}

  /** True when {@code text} matches {@code pattern} as a whole. */
  static boolean matches(String pattern, String text) {
    return matches(pattern, 0, pattern.length(), text, 0, text.length());
  }

  /** Matches {@code pattern[ps, pe)} against {@code text[ts, te)}; linear backtracking on the last star. */
  static boolean matches(String pattern, int ps, int pe, String text, int ts, int te) {
    int p = ps;
    int t = ts;
    int star = -1;
    int mark = -1;
    while (t < te) {
      if (p < pe) {
        char pc = pattern.charAt(p);
        if (pc == '*') {
          star = p++;
          mark = t;
          continue;
        }
        if (pc == '?' || pc == text.charAt(t)) {
          p++;
          t++;
          continue;
        }
      }
      if (star < 0) {
        return false;
      }
      // INVARIANT: the star at `star` absorbs one more character and the rest is matched again.
      p = star + 1;
      t = ++mark;
    }
    while (p < pe && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pe;
  }

  /** The characters of {@code pattern} before its first wildcard. */
  static String literalPrefix(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?') {
        return pattern.substring(0, i);
      }
    }
    return pattern;
  }

  static boolean hasWildcard(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }
}
