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
  private static final Automaton WORD = Automaton.makeCharRange('a', 'z').concatenate(
      ranges("az09", "-_.").repeat());
  private static final Automaton NICE = ranges("azAZ09", "-_.").repeat();
  static final Automaton DIGITS12 = Automaton.makeCharRange('0', '9').repeat(12, 12);
  private static final Automaton ANY = Automaton.makeAnyString();

  private Patterns() {}

  /**
   * One character from the ranges (pairs of bounds, e.g. {@code "az09"}) or from {@code singles}, built
   * from ranges rather than one transition per character (much cheaper to determinize).
   */
  static Automaton ranges(String bounds, String singles) {
    Automaton a = Automaton.makeCharSet(singles);
    for (int i = 0; i + 1 < bounds.length(); i += 2) {
      a = a.union(Automaton.makeCharRange(bounds.charAt(i), bounds.charAt(i + 1)));
    }
    a.minimize();
    return a;
  }

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
    return a.concatenate(literal(lit.toString(), ignoreCase));
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
    return representatives(List.of(domain), languages, cap);
  }

  /**
   * The same over a domain given as disjoint parts (cheaper: each part is split only by the languages
   * that meet it).
   */
  static List<String> representatives(List<Automaton> domains, List<Automaton> languages, int cap) {
    // Literal strings need no splitting: each is a region of its own (a single string), and every other
    // region only needs a representative that is none of them.
    java.util.Set<String> literals = new java.util.TreeSet<>();
    Map<String, Automaton> unique = new LinkedHashMap<>();
    for (Automaton l : languages) {
      String single = l.getSingleton();
      if (single != null) {
        for (Automaton d : domains) {
          if (d.run(single)) {
            literals.add(single);
            break;
          }
        }
      } else {
        unique.putIfAbsent(l.toString(), l);
      }
    }
    List<Automaton> ls = new ArrayList<>();
    List<Automaton> complements = new ArrayList<>();
    for (Automaton l : unique.values()) {
      Automaton m = l.clone();
      m.determinize();
      ls.add(m);
      complements.add(m.complement()); // once per language: each split is then a product, no subset construction
    }
    List<String> out = new ArrayList<>(literals);
    Automaton notLiteral = literals.isEmpty() ? null : Automaton.makeStringUnion(literals.toArray(new String[0]))
        .complement();
    for (Automaton d : domains) {
      if (!split(d, ls, complements, 0, out, literals, notLiteral, cap + literals.size())) {
        return null;
      }
    }
    return out;
  }

  private static boolean split(Automaton current, List<Automaton> ls, List<Automaton> complements, int i,
      List<String> out, java.util.Set<String> literals, Automaton notLiteral, int cap) {
    if (current.isEmpty()) {
      return true;
    }
    if (i == ls.size()) {
      String ex = example(current);
      if (literals.contains(ex)) {
        Automaton rest = current.intersection(notLiteral);
        if (rest.isEmpty()) {
          return true; // the region holds only literals, each already a representative
        }
        ex = example(rest);
      }
      if (out.size() >= cap) {
        return false;
      }
      out.add(ex);
      return true;
    }
    Automaton in = current.intersection(ls.get(i));
    if (in.isEmpty()) {
      return split(current, ls, complements, i + 1, out, literals, notLiteral, cap);
    }
    Automaton rest = current.intersection(complements.get(i));
    return split(in, ls, complements, i + 1, out, literals, notLiteral, cap)
        && split(rest, ls, complements, i + 1, out, literals, notLiteral, cap);
  }

  /** A short member of a non-empty language, preferring plain characters. */
  static String example(Automaton a) {
    String plain = a.getShortestExample(true);
    if (plain != null && WORD.run(plain)) {
      return plain;
    }
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
