package dev.keyward.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * IAM's wildcard patterns, the one implementation everything shares: {@code *} matches any run of
 * characters (also none), {@code ?} exactly one, every other character matches itself.
 *
 * <p>Two uses, two shapes:
 * <ul>
 *   <li>A compiled glob ({@link #of}, {@link #builder}) matched against concrete values, as IAM does when it
 *       evaluates a policy. Parts that must be taken literally (the result of {@code ${*}} or of a
 *       substituted policy variable) are marked when the glob is built, so they never act as wildcards.
 *       Immutable and thread-safe.</li>
 *   <li>Patterns compared with patterns ({@link #covers}, {@link #overlaps}), which IAM itself never does but
 *       a linter needs: "does {@code kms:*} cover {@code kms:ReEncrypt*}?".</li>
 * </ul>
 *
 * <p>Case: IAM compares action names and condition key names ignoring case, and resource ARNs exactly
 * (IAM User Guide, reference_policies_elements_action.html and reference_policies_elements_resource.html).
 * Every method takes that choice as {@code ignoreCase}; {@link #action} and {@link #arn} name the two IAM
 * needs. The two shapes fold case differently, and this is pinned by tests: a compiled glob lower-cases
 * whole strings ({@link Locale#ROOT}), the pattern comparisons fold one character at a time. They agree on
 * every ASCII name; they can differ only where lower-casing changes a string's length (such as
 * {@code U+0130}).
 */
public final class Glob {

  private static final char LIT = 0;
  private static final char STAR = 1;
  private static final char ONE = 2;

  private final String chars;
  /** One entry per character of {@code chars}: LIT, STAR or ONE. */
  private final char[] kinds;
  private final boolean ignoreCase;
  private final boolean literalOnly;

  private Glob(String chars, char[] kinds, boolean ignoreCase) {
    this.chars = ignoreCase ? chars.toLowerCase(Locale.ROOT) : chars;
    this.kinds = kinds;
    this.ignoreCase = ignoreCase;
    boolean lit = true;
    for (char k : kinds) {
      if (k != LIT) {
        lit = false;
        break;
      }
    }
    this.literalOnly = lit;
  }

  /** A glob in which {@code *} and {@code ?} are wildcards. */
  public static Glob of(String pattern, boolean ignoreCase) {
    Builder b = new Builder();
    b.pattern(pattern);
    return b.build(ignoreCase);
  }

  /** A glob for action names (and condition key names), which IAM compares ignoring case. */
  public static Glob action(String pattern) {
    return of(pattern, true);
  }

  /** A glob for ARNs, which IAM compares with regard to case. */
  public static Glob arn(String pattern) {
    return of(pattern, false);
  }

  /** A builder that mixes wildcard pattern text and literal text. */
  public static Builder builder() {
    return new Builder();
  }

  /** True when the glob has no wildcard. */
  public boolean isLiteral() {
    return literalOnly;
  }

  /** The literal text when {@link #isLiteral()}. */
  public String literal() {
    return chars;
  }

  public boolean matches(String s) {
    if (ignoreCase) {
      s = s.toLowerCase(Locale.ROOT);
    }
    if (literalOnly) {
      return chars.equals(s);
    }
    return matchFrom(s, 0, 0, s.length());
  }

  /**
   * Matches the region {@code s[from, to)} without copying it. For a glob that ignores case the caller
   * must have folded {@code s} already.
   */
  public boolean matchRange(String s, int from, int to) {
    if (literalOnly) {
      return to - from == chars.length() && s.regionMatches(from, chars, 0, chars.length());
    }
    return matchFrom(s, from, 0, to);
  }

  /** Iterative wildcard matching with single backtracking point: linear in practice. */
  private boolean matchFrom(String s, int si, int pi, int end) {
    int n = kinds.length;
    int starP = -1;
    int starS = -1;
    while (si < end) {
      if (pi < n && kinds[pi] == STAR) {
        starP = pi++;
        starS = si;
      } else if (pi < n && (kinds[pi] == ONE || chars.charAt(pi) == s.charAt(si))) {
        pi++;
        si++;
      } else if (starP >= 0) {
        // INVARIANT: the last star absorbs one more character and the rest is matched again.
        pi = starP + 1;
        si = ++starS;
      } else {
        return false;
      }
    }
    while (pi < n && kinds[pi] == STAR) {
      pi++;
    }
    return pi == n;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      b.append(kinds[i] == STAR ? '*' : kinds[i] == ONE ? '?' : chars.charAt(i));
    }
    return b.toString();
  }

  /** Collects pattern and literal text. */
  public static final class Builder {
    private final StringBuilder chars = new StringBuilder();
    private final StringBuilder kinds = new StringBuilder();

    /** Appends text in which {@code *} and {@code ?} are wildcards. */
    public Builder pattern(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        chars.append(c);
        kinds.append(c == '*' ? STAR : c == '?' ? ONE : LIT);
      }
      return this;
    }

    /** Appends text that matches itself only. */
    public Builder literal(String text) {
      chars.append(text);
      for (int i = 0; i < text.length(); i++) {
        kinds.append(LIT);
      }
      return this;
    }

    public Glob build(boolean ignoreCase) {
      return new Glob(chars.toString(), kinds.toString().toCharArray(), ignoreCase);
    }
  }

  // ---- patterns compared with values and with patterns ----

  /**
   * True when {@code pattern} (with wildcards) matches the concrete {@code value}, folding case one character
   * at a time. The value's own {@code *} and {@code ?} are literal characters, which only a wildcard matches.
   */
  public static boolean matches(String pattern, String value, boolean ignoreCase) {
    return covers(pattern, escapeWildcards(value), ignoreCase);
  }

  /**
   * True when every string matched by {@code narrow} is matched by {@code wide}. Sound and nearly complete:
   * the wildcards of {@code narrow} are treated as symbols that only a {@code *} of {@code wide} can absorb
   * ({@code ?} in wide absorbs one {@code ?} of narrow), which decides every case that occurs in policies; a
   * few contrived containments (such as {@code ?*} covering {@code *?}) are answered false.
   */
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
      Arrays.fill(next, false);
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

  /** True when some string is matched by both patterns (exact). */
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

  /** The characters of {@code pattern} before its first wildcard. */
  public static String literalPrefix(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?') {
        return pattern.substring(0, i);
      }
    }
    return pattern;
  }

  /**
   * True when the two patterns differ at a position before either one's first wildcard (running out of
   * text is no difference): then no string matches both.
   */
  public static boolean differBeforeWildcard(String a, String b, boolean ignoreCase) {
    return scanLiterals(a, b, ignoreCase) == DIFFERENT;
  }

  /**
   * A fast, exact rejection used before the dynamic programs: when the patterns differ at a position
   * before either one's first wildcard, no string matches both (so neither covers the other).
   */
  static boolean literalPrefixesDiffer(String a, String b, boolean ignoreCase) {
    int n = scanLiterals(a, b, ignoreCase);
    if (n == DIFFERENT) {
      return true;
    }
    if (n == WILDCARD) {
      return false;
    }
    // The shorter one is all literal here and a prefix of the longer: they differ when the longer one goes on
    // with a literal character (a wildcard there could stand for nothing).
    if (a.length() != b.length()) {
      char next = (a.length() > b.length() ? a : b).charAt(n);
      return next != '*' && next != '?';
    }
    return false;
  }

  private static final int DIFFERENT = -1;
  private static final int WILDCARD = -2;

  /**
   * Compares the patterns position by position up to the shorter one's end: {@link #DIFFERENT} at the first
   * pair of literals that differ, {@link #WILDCARD} when a wildcard comes first, else the length compared.
   */
  private static int scanLiterals(String a, String b, boolean ignoreCase) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == '*' || x == '?' || y == '*' || y == '?') {
        return WILDCARD;
      }
      if (!same(x, y, ignoreCase)) {
        return DIFFERENT;
      }
    }
    return n;
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
