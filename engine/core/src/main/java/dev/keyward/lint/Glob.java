package dev.keyward.lint;

/**
 * IAM wildcard patterns ({@code *} any run of characters, {@code ?} one character) compared with each
 * other, both ways. IAM itself only ever matches a pattern against a concrete value; a linter also needs
 * to compare a pattern with a pattern ("does `kms:*` cover `kms:ReEncrypt*`?").
 *
 * <p>{@link #covers} is sound and nearly complete: when it answers true, every string {@code narrow}
 * matches is matched by {@code wide}. It treats the wildcards of {@code narrow} as symbols that only a
 * {@code *} of {@code wide} can absorb ({@code ?} in wide absorbs one {@code ?} of narrow), which decides
 * every case that occurs in policies; a few contrived containments (such as {@code ?*} covering
 * {@code *?}) are answered false.
 * {@link #overlaps} is exact: true when some string matches both.
 */
public final class Glob {

  private Glob() {}

  /** True when {@code pattern} (with wildcards) matches the concrete {@code value}. */
  public static boolean matches(String pattern, String value, boolean ignoreCase) {
    return covers(pattern, escapeWildcards(value), ignoreCase);
  }

  /** True when every string matched by {@code narrow} is matched by {@code wide}. */
  public static boolean covers(String wide, String narrow, boolean ignoreCase) {
    if (literalPrefixesDiffer(wide, narrow, ignoreCase)) {
      return false;
    }
    if (!hasWildcard(wide)) {
      return !hasWildcard(narrow) && (ignoreCase ? wide.equalsIgnoreCase(narrow) : wide.equals(narrow));
    }
    int n = wide.length();
    int m = narrow.length();
    // dp[j]: wide[0..i) can produce narrow[0..j)
    boolean[] dp = new boolean[m + 1];
    boolean[] next = new boolean[m + 1];
    dp[0] = true;
    for (int i = 0; i < n; i++) {
      char w = wide.charAt(i);
      java.util.Arrays.fill(next, false);
      if (w == '*') {
        boolean any = false;
        for (int j = 0; j <= m; j++) {
          any |= dp[j];
          next[j] = any;
        }
      } else {
        for (int j = 0; j < m; j++) {
          if (!dp[j]) {
            continue;
          }
          char c = narrow.charAt(j);
          boolean ok;
          if (w == '?') {
            ok = c != '*';
          } else {
            ok = c != '*' && c != '?' && same(w, c, ignoreCase);
          }
          if (ok) {
            next[j + 1] = true;
          }
        }
      }
      boolean[] t = dp;
      dp = next;
      next = t;
    }
    return dp[m];
  }

  /** True when some string is matched by both patterns. */
  public static boolean overlaps(String a, String b, boolean ignoreCase) {
    if (literalPrefixesDiffer(a, b, ignoreCase)) {
      return false;
    }
    int n = a.length();
    int m = b.length();
    // reach[i][j]: a[0..i) and b[0..j) can produce the same string.
    boolean[][] reach = new boolean[n + 1][m + 1];
    reach[0][0] = true;
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= m; j++) {
        if (!reach[i][j]) {
          continue;
        }
        char ca = i < n ? a.charAt(i) : 0;
        char cb = j < m ? b.charAt(j) : 0;
        if (i < n && ca == '*') {
          reach[i + 1][j] = true; // a's star produces nothing more
        }
        if (j < m && cb == '*') {
          reach[i][j + 1] = true;
        }
        if (i < n && j < m) {
          if (ca == '*' && cb == '*') {
            reach[i + 1][j + 1] = true;
          } else if (ca == '*') {
            reach[i][j + 1] = true; // a's star absorbs b's char (b's ? or literal)
          } else if (cb == '*') {
            reach[i + 1][j] = true;
          } else if (ca == '?' || cb == '?' || same(ca, cb, ignoreCase)) {
            reach[i + 1][j + 1] = true;
          }
        }
      }
    }
    return reach[n][m];
  }

  /** True when the text holds {@code *} or {@code ?}. */
  public static boolean hasWildcard(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }

  /**
   * A fast, exact rejection used before the dynamic programs: when the patterns differ at a position
   * before either one's first wildcard, no string matches both (so neither covers the other).
   */
  static boolean literalPrefixesDiffer(String a, String b, boolean ignoreCase) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == '*' || x == '?' || y == '*' || y == '?') {
        return false;
      }
      if (!same(x, y, ignoreCase)) {
        return true;
      }
    }
    // The shorter one is all literal here and a prefix of the longer: they differ when the longer one goes on
    // with a literal character (a wildcard there could stand for nothing).
    if (a.length() != b.length()) {
      char next = (a.length() > b.length() ? a : b).charAt(n);
      return next != '*' && next != '?';
    }
    return false;
  }

  private static boolean same(char a, char b, boolean ignoreCase) {
    return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
  }

  /**
   * A concrete value is compared as a pattern without wildcards; its own {@code *} and {@code ?} (which
   * IAM treats as literal characters in values) are mapped to private-use characters that only a
   * wildcard matches.
   */
  private static String escapeWildcards(String value) {
    if (!hasWildcard(value)) {
      return value;
    }
    return value.replace('*', '\uE000').replace('?', '\uE001');
  }
}
