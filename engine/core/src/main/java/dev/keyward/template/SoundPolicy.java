package dev.keyward.template;

import dev.keyward.model.ActionElement;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Problem;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a policy that holds values unknown until deployment safe to evaluate: the evaluator then never
 * answers ALLOW because of a value nobody knows, and never misses a Deny because of one.
 *
 * <p>The rules (docs/templates.md, "Unknowns"), per statement that holds an unknown:
 * <ul>
 *   <li>an <b>Allow</b> loses the unknown entries of {@code Principal}, {@code Action} and {@code Resource}
 *       (an entry that might name anything is counted as naming nothing); when an element is left empty, or
 *       the unknown sits in {@code NotPrincipal}/{@code NotAction}/{@code NotResource}, a {@code Condition},
 *       the {@code Effect} or where a whole element belongs, the statement allows nothing at all;
 *   <li>a <b>Deny</b> (and a statement whose {@code Effect} is unknown) is widened: an unknown
 *       {@code Principal} entry makes it apply to everyone, an unknown {@code Action} or {@code Resource}
 *       entry to every action or resource, an unknown entry of a {@code Not...} element is dropped (it
 *       excludes nothing), and a condition with an unknown key or value is dropped (it always holds);
 *   <li>an unknown in the place of a whole statement or of the {@code Statement} list adds a statement
 *       that denies everything.
 * </ul>
 * Each such statement gets one warning {@code template.unknown} at its first unknown, saying what Keyward
 * did; the parser's complaints about the placeholders themselves are dropped.
 */
final class SoundPolicy {

  static final String CODE = "template.unknown";

  private SoundPolicy() {}

  record Result(PolicyDocument policy, List<Problem> problems) {}

  /**
   * @param doc the policy parsed from the resolved tree
   * @param parseProblems the parser's problems
   * @param unknowns pointer of each unknown value to what it stands for
   * @param unknownAt pointer of each unknown to where it was written
   * @param hint what would fill the unknowns (for messages)
   */
  static Result apply(PolicyDocument doc, List<Problem> parseProblems, Map<String, String> unknowns,
      Map<String, SourceRef> unknownAt, String hint) {
    List<Problem> problems = new ArrayList<>();
    for (Problem p : parseProblems) {
      if (!atUnknown(p.where().pointer(), unknowns)) {
        problems.add(p);
      }
    }
    if (unknowns.isEmpty()) {
      return new Result(doc, problems);
    }
    Map<String, String> unattributed = new LinkedHashMap<>(unknowns);
    List<Statement> out = new ArrayList<>();
    for (Statement s : doc.statements()) {
      String sp = s.source().pointer();
      Map<String, String> mine = new LinkedHashMap<>();
      for (Map.Entry<String, String> u : unknowns.entrySet()) {
        if (under(u.getKey(), sp)) {
          mine.put(u.getKey(), u.getValue());
          unattributed.remove(u.getKey());
        }
      }
      if (mine.isEmpty()) {
        out.add(s);
        continue;
      }
      String first = mine.keySet().iterator().next();
      SourceRef where = unknownAt.getOrDefault(first, s.source());
      boolean sidOnly = true;
      for (String u : mine.keySet()) {
        if (!under(u, sp + "/Sid")) {
          sidOnly = false;
        }
      }
      if (sidOnly) {
        out.add(s);
        continue;
      }
      Statement rewritten;
      String message;
      if (s.effect() == Effect.ALLOW) {
        rewritten = narrowAllow(s, mine.keySet());
        boolean inert = rewritten.action() != null && rewritten.action().patterns().isEmpty()
            && !rewritten.action().negated();
        message = "allow statement `" + s.label() + "` holds `" + mine.get(first) + "`, unknown until deployment: "
            + (inert ? "it allows nothing here" : "its unknown entries allow nothing here") + hint;
      } else {
        rewritten = widenDeny(s, mine.keySet());
        message = (s.effect() == null ? "statement `" + s.label() + "` has an unknown effect and is read as a deny"
            : "deny statement `" + s.label() + "`") + " holds `" + mine.get(first) + "`, unknown until deployment: "
            + "it is read as denying everything it might" + hint;
      }
      out.add(rewritten);
      problems.add(Problem.warning(CODE, message, where));
    }
    for (Map.Entry<String, String> u : unattributed.entrySet()) {
      String rel = u.getKey();
      if (rel.endsWith("/Version") || rel.endsWith("/Id")) {
        continue;
      }
      SourceRef where = unknownAt.getOrDefault(u.getKey(), doc.source());
      out.add(denyAll(out.size(), where));
      problems.add(Problem.warning(CODE, "a statement of the policy is `" + u.getValue() + "`, unknown until "
          + "deployment: it is read as denying everything" + hint, where));
    }
    return new Result(new PolicyDocument(doc.name(), doc.type(), doc.version(), doc.id(), out, doc.source()),
        problems);
  }

  /** The policy with every Allow statement allowing nothing (for a resource that may not exist). */
  static PolicyDocument withoutAllows(PolicyDocument doc) {
    List<Statement> out = new ArrayList<>();
    for (Statement s : doc.statements()) {
      out.add(s.effect() == Effect.ALLOW ? inert(s) : s);
    }
    return new PolicyDocument(doc.name(), doc.type(), doc.version(), doc.id(), out, doc.source());
  }

  static boolean under(String pointer, String prefix) {
    return pointer.equals(prefix) || pointer.startsWith(prefix + "/");
  }

  private static boolean atUnknown(String pointer, Map<String, String> unknowns) {
    for (String u : unknowns.keySet()) {
      if (under(pointer, u)) {
        return true;
      }
    }
    return false;
  }

  private static boolean touches(SourceRef src, java.util.Set<String> unknowns) {
    for (String u : unknowns) {
      if (under(u, src.pointer())) {
        return true;
      }
    }
    return false;
  }

  private static boolean exactly(SourceRef src, java.util.Set<String> unknowns) {
    return unknowns.contains(src.pointer());
  }

  private static Statement inert(Statement s) {
    return new Statement(s.index(), s.sid(), Effect.ALLOW, s.principal(),
        new ActionElement(false, List.of(), s.action() != null ? s.action().source() : s.source()),
        s.resource(), s.conditions(), s.source());
  }

  private static Statement narrowAllow(Statement s, java.util.Set<String> u) {
    String sp = s.source().pointer();
    // Everything an Allow may hold that we can narrow entry by entry; anything else makes it inert.
    PrincipalElement principal = s.principal();
    ActionElement action = s.action();
    ResourceElement resource = s.resource();
    for (String p : u) {
      boolean handled = false;
      if (principal != null && !principal.negated() && under(p, principal.source().pointer())) {
        for (PrincipalValue v : principal.values()) {
          if (v.source().pointer().equals(p)) {
            handled = true;
          }
        }
      }
      if (action != null && !action.negated()) {
        for (Located l : action.patterns()) {
          if (l.source().pointer().equals(p)) {
            handled = true;
          }
        }
      }
      if (resource != null && !resource.negated()) {
        for (Located l : resource.patterns()) {
          if (l.source().pointer().equals(p)) {
            handled = true;
          }
        }
      }
      if (!handled && !under(p, sp + "/Sid")) {
        return inert(s);
      }
    }
    if (principal != null) {
      List<PrincipalValue> kept = new ArrayList<>();
      for (PrincipalValue v : principal.values()) {
        if (!exactly(v.source(), u)) {
          kept.add(v);
        }
      }
      if (kept.isEmpty() && !principal.anyone()) {
        return inert(s);
      }
      principal = new PrincipalElement(false, principal.anyone(), kept, principal.source());
    }
    if (action != null) {
      List<Located> kept = keep(action.patterns(), u);
      if (kept.isEmpty()) {
        return inert(s);
      }
      action = new ActionElement(false, kept, action.source());
    }
    if (resource != null) {
      List<Located> kept = keep(resource.patterns(), u);
      if (kept.isEmpty()) {
        return inert(s);
      }
      resource = new ResourceElement(false, kept, resource.source());
    }
    return new Statement(s.index(), s.sid(), Effect.ALLOW, principal, action, resource, s.conditions(), s.source());
  }

  private static List<Located> keep(List<Located> patterns, java.util.Set<String> u) {
    List<Located> kept = new ArrayList<>();
    for (Located l : patterns) {
      if (!exactly(l.source(), u)) {
        kept.add(l);
      }
    }
    return kept;
  }

  private static Statement widenDeny(Statement s, java.util.Set<String> u) {
    String sp = s.source().pointer();
    PrincipalElement principal = s.principal();
    if (principal != null && (touches(principal.source(), u) || anyUnder(u, sp + "/Principal")
        || anyUnder(u, sp + "/NotPrincipal"))) {
      if (principal.negated()) {
        List<PrincipalValue> kept = new ArrayList<>();
        for (PrincipalValue v : principal.values()) {
          if (!exactly(v.source(), u)) {
            kept.add(v);
          }
        }
        principal = new PrincipalElement(true, principal.anyone(), kept, principal.source());
      } else {
        principal = new PrincipalElement(false, true, List.of(), principal.source());
      }
    } else if (principal == null && (anyUnder(u, sp + "/Principal") || anyUnder(u, sp + "/NotPrincipal"))) {
      principal = new PrincipalElement(false, true, List.of(), s.source());
    }
    ActionElement action = s.action();
    if (action == null && (anyUnder(u, sp + "/Action") || anyUnder(u, sp + "/NotAction"))) {
      action = new ActionElement(false, List.of(new Located("*", s.source())), s.source());
    } else if (action != null && (touches(action.source(), u))) {
      action = action.negated() ? new ActionElement(true, keep(action.patterns(), u), action.source())
          : new ActionElement(false, List.of(new Located("*", action.source())), action.source());
    }
    ResourceElement resource = s.resource();
    if (resource == null && (anyUnder(u, sp + "/Resource") || anyUnder(u, sp + "/NotResource"))) {
      resource = new ResourceElement(false, List.of(new Located("*", s.source())), s.source());
    } else if (resource != null && touches(resource.source(), u)) {
      resource = resource.negated() ? new ResourceElement(true, keep(resource.patterns(), u), resource.source())
          : new ResourceElement(false, List.of(new Located("*", resource.source())), resource.source());
    }
    List<Condition> conditions = new ArrayList<>();
    boolean allConditions = false;
    for (String p : u) {
      if (under(p, sp + "/Condition")) {
        boolean attributed = false;
        for (Condition c : s.conditions()) {
          if (conditionTouched(c, p)) {
            attributed = true;
          }
        }
        allConditions |= !attributed;
      }
    }
    if (!allConditions) {
      for (Condition c : s.conditions()) {
        boolean touched = false;
        for (String p : u) {
          touched |= conditionTouched(c, p);
        }
        if (!touched) {
          conditions.add(c);
        }
      }
    }
    return new Statement(s.index(), s.sid(), Effect.DENY, principal, action, resource, conditions, s.source());
  }

  private static boolean conditionTouched(Condition c, String p) {
    if (under(p, c.source().pointer())) {
      return true;
    }
    for (ConditionValue v : c.values()) {
      if (under(p, v.source().pointer())) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyUnder(java.util.Set<String> u, String prefix) {
    for (String p : u) {
      if (under(p, prefix)) {
        return true;
      }
    }
    return false;
  }

  private static Statement denyAll(int index, SourceRef where) {
    return new Statement(index, "keyward-unknown-statement", Effect.DENY,
        new PrincipalElement(false, true, List.of(), where),
        new ActionElement(false, List.of(new Located("*", where)), where),
        new ResourceElement(false, List.of(new Located("*", where)), where), List.of(), where);
  }
}
