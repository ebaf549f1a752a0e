package dev.keyward.parse;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" suggestions for misspelled names, by case-insensitive optimal-string-alignment distance. */
final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate closest to {@code written}, or null when none is close enough: a case-insensitive
   * match always qualifies, otherwise the distance must be at most a third of the longer name (at least 1,
   * at most 3).
   */
  static String closest(String written, Collection<String> candidates) {
    String lower = written.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      String cl = c.toLowerCase(Locale.ROOT);
      if (cl.equals(lower)) {
        return c;
      }
      int limit = Math.min(3, Math.max(1, Math.max(cl.length(), lower.length()) / 3));
      if (Math.abs(cl.length() - lower.length()) > limit) {
        continue;
      }
      int d = distance(lower, cl, limit);
      if (d <= limit && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  /** {@code "; did you mean `X`?"}-style suffix, or "" when there is no suggestion. */
  static String didYouMean(String written, Collection<String> candidates) {
    String s = closest(written, candidates);
    return s == null ? "" : "; did you mean `" + s + "`?";
  }

  /**
   * Optimal string alignment distance (Levenshtein plus adjacent transposition), giving up early with
   * {@code limit + 1} once every alignment is over the limit.
   */
  static int distance(String a, String b, int limit) {
    int n = a.length();
    int m = b.length();
    int[] prev2 = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[m];
  }
}
