package dev.keyward.eval;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The actions an authorizer has been asked about, each with its lower-case name and a small dense id. A
 * decision looks its action up once here; every compiled policy then finds the statements that can apply to
 * it by that id, an array index, instead of a map lookup per policy. Actions differing only by case share an
 * id. Thread-safe; bounded: past {@link #MAX_IDS} distinct actions, new ones get no id (their candidates are
 * computed per request).
 */
final class ActionTable {

  /** An action as a decision uses it: lower-case, with its id ({@code -1}: none, past the bound). */
  static final class Action {
    final String lower;
    final int id;

    Action(String lower, int id) {
      this.lower = lower;
      this.id = id;
    }
  }

  // NOTE: the bounds only protect memory against batches of many distinct, invented actions.
  static final int MAX_IDS = 4096;
  private static final int MAX_SPELLINGS = 4 * MAX_IDS;

  private final ConcurrentHashMap<String, Action> byWritten = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Action> byLower = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  /** The action written {@code written} (any case). */
  Action of(String written) {
    Action a = byWritten.get(written);
    if (a != null) {
      return a;
    }
    String lower = written.toLowerCase(Locale.ROOT);
    a = byLower.get(lower);
    if (a == null) {
      if (byLower.size() < MAX_IDS) {
        a = byLower.computeIfAbsent(lower, l -> {
          int id = next.getAndIncrement();
          return new Action(l, id < MAX_IDS ? id : -1);
        });
      } else {
        a = new Action(lower, -1);
      }
    }
    if (byWritten.size() < MAX_SPELLINGS) {
      byWritten.putIfAbsent(written, a);
    }
    return a;
  }
}
