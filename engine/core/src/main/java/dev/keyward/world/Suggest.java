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
    return dev.keyward.model.EditDistance.of(a, b);
  }
}
