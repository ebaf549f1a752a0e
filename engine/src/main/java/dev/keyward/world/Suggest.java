package dev.keyward.world;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" suggestions for misspelled names: the closest candidate by edit distance. */
final class Suggest {

  private Suggest() {}

  /** The candidate closest to {@code typed}, or null when none is close enough to be a likely typo. */
  static String closest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = typed.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = distance(lower, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best == null) {
      return null;
    }
    if (bestDistance > 0 && lower.length() >= 4) {
      // A shortened name (`period` for `periodDays`) is a likely slip too.
      for (String c : candidates) {
        if (c.toLowerCase(Locale.ROOT).startsWith(lower)) {
          return c;
        }
      }
    }
    // A typo changes a few characters; allow about a third of the word, at least 1 and at most 3.
    int limit = Math.max(1, Math.min(3, best.length() / 3));
    return bestDistance <= limit ? best : null;
  }

  /** {@code ; did you mean `x`?} or "" when nothing is close. */
  static String didYouMean(String typed, Collection<String> candidates) {
    String c = closest(typed, candidates);
    return c == null ? "" : "; did you mean `" + c + "`?";
  }

  /** Optimal string alignment distance (Levenshtein with transpositions). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }
}
