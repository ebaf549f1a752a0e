package dev.keyward.access;

import dk.brics.automaton.Automaton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * String patterns of policies as finite automata (dk.brics.automaton), and the representatives of the
 * regions they cut a domain into. Two strings in the same region (inside exactly the same patterns) are
 * indistinguishable to every condition built from those patterns, so one value per non-empty region
 * covers every value of the domain.
 */
final class Patterns {

  /** Printable ASCII: every representative is drawn from it (see docs/access-analysis.md). */
  static final Automaton PRINTABLE = Automaton.makeCharRange(' ', '~').repeat();
  private static final Automaton WORD = Automaton.makeCharRange('a', 'z').concatenate(Automaton.makeCharSet(
      "abcdefghijklmnopqrstuvwxyz0123456789-_.").repeat());
  private static final Automaton NICE = Automaton.makeCharSet(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.").repeat();
  static final Automaton DIGITS12 = Automaton.makeCharRange('0', '9').repeat(12, 12);
  private static final Automaton ANY = Automaton.makeAnyString();

  private Patterns() {}

  /** The literal string, optionally ignoring case (per character, as Java's equalsIgnoreCase on ASCII). */
  static Automaton literal(String s, boolean ignoreCase) {
    if (!ignoreCase) {
      return Automaton.makeString(s);
    }
    Automaton a = Automaton.makeEmptyString();
    for (int i = 0; i < s.length(); i++) {
      a = a.concatenate(charIgnoreCase(s.charAt(i)));
    }
    return a;
  }

  private static Automaton charIgnoreCase(char c) {
    char lo = Character.toLowerCase(c);
    char up = Character.toUpperCase(c);
    return lo == up ? Automaton.makeChar(c) : Automaton.makeChar(lo).union(Automaton.makeChar(up));
  }

  /**
   * An IAM glob: {@code *} any run of characters, {@code ?} one character, everything else literal.
   * {@code exclude} (or 0) is a character the wildcards may not stand for (the colon in ARN segments).
   */
  static Automaton glob(String s, boolean ignoreCase, char exclude) {
    Automaton one = exclude == 0 ? Automaton.makeAnyChar()
        : Automaton.makeAnyChar().minus(Automaton.makeChar(exclude));
    Automaton star = one.repeat();
    Automaton a = Automaton.makeEmptyString();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?') {
        a = a.concatenate(literal(lit.toString(), ignoreCase));
        lit.setLength(0);
        a = a.concatenate(c == '*' ? star : one);
      } else {
        lit.append(c);
      }
    }
    a = a.concatenate(literal(lit.toString(), ignoreCase));
    a.minimize();
    return a;
  }

  /**
   * An ArnLike/ArnEquals pattern: six colon-separated segments, wildcards never cross a colon except in
   * the last (resource) segment. A pattern that is not an ARN matches only if it is {@code *}.
   */
  static Automaton arnGlob(String s) {
    if (s.equals("*")) {
      return arnShape();
    }
    String[] segs = dev.keyward.condition.ConditionMatcher.splitArn(s);
    if (segs == null) {
      return Automaton.makeEmpty();
    }
    Automaton a = Automaton.makeEmptyString();
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        a = a.concatenate(Automaton.makeChar(':'));
      }
      a = a.concatenate(glob(segs[i], false, i < 5 ? ':' : (char) 0));
    }
    a.minimize();
    return a;
  }

  private static Automaton arnShape() {
    Automaton seg = Automaton.makeAnyChar().minus(Automaton.makeChar(':')).repeat();
    Automaton a = Automaton.makeEmptyString();
    for (int i = 0; i < 5; i++) {
      a = a.concatenate(seg).concatenate(Automaton.makeChar(':'));
    }
    return a.concatenate(ANY);
  }

  static Automaton any() {
    return ANY.clone();
  }

  /**
   * One representative string per non-empty region that {@code languages} cut {@code domain} into, or
   * null when there would be more than {@code cap} regions. Representatives are short and, where the
   * region allows, made of letters, digits, {@code -_.} only.
   */
  static List<String> representatives(Automaton domain, List<Automaton> languages, int cap) {
    Map<String, Automaton> unique = new LinkedHashMap<>();
    for (Automaton l : languages) {
      unique.putIfAbsent(l.toString(), l);
    }
    List<Automaton> ls = new ArrayList<>(unique.values());
    List<String> out = new ArrayList<>();
    if (!split(domain, ls, 0, out, cap)) {
      return null;
    }
    return out;
  }

  private static boolean split(Automaton current, List<Automaton> ls, int i, List<String> out, int cap) {
    if (current.isEmpty()) {
      return true;
    }
    if (i == ls.size()) {
      if (out.size() >= cap) {
        return false;
      }
      out.add(example(current));
      return true;
    }
    Automaton l = ls.get(i);
    return split(current.intersection(l), ls, i + 1, out, cap)
        && split(current.minus(l), ls, i + 1, out, cap);
  }

  /** A short member of a non-empty language, preferring plain characters. */
  static String example(Automaton a) {
    String s = null;
    for (Automaton preferred : new Automaton[] {WORD, NICE}) {
      Automaton nice = a.intersection(preferred);
      if (!nice.isEmpty()) {
        s = nice.getShortestExample(true);
        break;
      }
    }
    if (s == null) {
      Automaton printable = a.intersection(PRINTABLE);
      s = printable.isEmpty() ? null : printable.getShortestExample(true);
    }
    return s != null ? s : a.getShortestExample(true);
  }
}
