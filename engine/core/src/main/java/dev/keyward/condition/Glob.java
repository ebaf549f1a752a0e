package dev.keyward.condition;

/**
 * A compiled glob: {@code *} matches any sequence (including none), {@code ?} exactly one character; every
 * other character matches itself. Parts that must be taken literally (for example the result of
 * {@code ${*}} or of a substituted policy variable) are marked when the glob is built, so they never act as
 * wildcards. Immutable and thread-safe.
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
    this.chars = ignoreCase ? chars.toLowerCase(java.util.Locale.ROOT) : chars;
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
      s = s.toLowerCase(java.util.Locale.ROOT);
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
}
