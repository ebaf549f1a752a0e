package dev.keyward.model;

/**
 * The optimal-string-alignment distance between two names (insertions, deletions, substitutions and swaps of
 * neighbours), the measure behind every "did you mean" suggestion: misspelt world fields and names, and
 * misspelt actions in policies.
 */
public final class EditDistance {

  private EditDistance() {}

  /** The distance between {@code a} and {@code b}. */
  public static int of(String a, String b) {
    return of(a, b, Integer.MAX_VALUE);
  }

  /** The distance between {@code a} and {@code b}, or {@code limit} as soon as it cannot be below it. */
  public static int of(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) {
      return limit;
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int rowMin = Integer.MAX_VALUE;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin >= limit) {
        return limit;
      }
    }
    return Math.min(limit, d[a.length()][b.length()]);
  }
}
