package dev.keyward.lint;

import dev.keyward.lang.CheckProgram;
import dev.keyward.lang.Expr;
import dev.keyward.lang.Pos;
import dev.keyward.lang.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs a check over one policy. A tree-walking interpreter over the immutable AST: the checks are small
 * and the policies smaller, so compiling them would not pay. Stateless apart from the regex cache;
 * thread-safe.
 *
 * <p>Semantics in brief (the full description is docs/keyward-language.md): null propagates through
 * fields and makes comparisons false; {@code where} needs a boolean (null counts as false);
 * quantifiers and {@code for} treat null as an empty list and a single value as a one-element list;
 * string comparisons ignore case when either side is an IAM case-insensitive string (actions, condition
 * keys, service principals).
 */
final class Evaluator {

  /** One hit of a report block: where and what. */
  record Hit(Object target, String message) {}

  private final Functions functions;
  private final Map<String, Pattern> regexes = new ConcurrentHashMap<>();

  Evaluator(Functions functions) {
    this.functions = functions;
  }

  List<Hit> run(CheckProgram program, Subject subject) {
    Env env = Env.EMPTY.bind("policy", subject)
        .bind("statements", subject.policy() == null ? List.of() : subject.policy().statements())
        .bind("problems", subject.problems());
    for (CheckProgram.Definition d : program.definitions()) {
      env = env.bind(d.name(), eval(d.value(), env));
    }
    List<Hit> hits = new ArrayList<>();
    for (CheckProgram.ReportBlock b : program.blocks()) {
      block(b, 0, env, hits);
    }
    return hits;
  }

  private void block(CheckProgram.ReportBlock b, int step, Env env, List<Hit> hits) {
    if (step == b.steps().size()) {
      Object target = eval(b.target(), env);
      String message = render(b.message(), env);
      if (target instanceof List) {
        for (Object t : (List<?>) target) {
          hits.add(new Hit(t, message));
        }
      } else {
        hits.add(new Hit(target, message));
      }
      return;
    }
    CheckProgram.Step s = b.steps().get(step);
    if (s instanceof CheckProgram.ForStep) {
      CheckProgram.ForStep f = (CheckProgram.ForStep) s;
      for (Object item : iterable(eval(f.collection(), env))) {
        block(b, step + 1, env.bind(f.var(), item), hits);
      }
    } else if (s instanceof CheckProgram.WhereStep) {
      if (truth(eval(((CheckProgram.WhereStep) s).condition(), env), s.pos())) {
        block(b, step + 1, env, hits);
      }
    } else {
      CheckProgram.LetStep l = (CheckProgram.LetStep) s;
      block(b, step + 1, env.bind(l.name(), eval(l.value(), env)), hits);
    }
  }

  String render(Template t, Env env) {
    StringBuilder b = new StringBuilder();
    for (Template.Part p : t.parts()) {
      if (p instanceof Template.Text) {
        b.append(((Template.Text) p).text());
      } else {
        b.append(display(eval(((Template.Hole) p).expr(), env)));
      }
    }
    return b.toString();
  }

  static String display(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double) {
      double d = (Double) v;
      return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
    if (v instanceof List) {
      StringBuilder b = new StringBuilder();
      for (Object o : (List<?>) v) {
        b.append(b.length() == 0 ? "" : ", ").append(display(o));
      }
      return b.toString();
    }
    if (v instanceof dev.keyward.model.Statement) {
      return ((dev.keyward.model.Statement) v).label();
    }
    if (v instanceof dev.keyward.model.PrincipalValue) {
      return ((dev.keyward.model.PrincipalValue) v).written();
    }
    if (v instanceof dev.keyward.model.Condition) {
      dev.keyward.model.Condition c = (dev.keyward.model.Condition) v;
      return c.operatorText() + " " + c.key();
    }
    // Policy elements as a policy writes them, never as a Java record.
    if (v instanceof dev.keyward.model.PrincipalElement) {
      dev.keyward.model.PrincipalElement p = (dev.keyward.model.PrincipalElement) v;
      if (p.anyone()) {
        return "*";
      }
      return display(p.values());
    }
    if (v instanceof dev.keyward.model.ActionElement) {
      return located(((dev.keyward.model.ActionElement) v).patterns());
    }
    if (v instanceof dev.keyward.model.ResourceElement) {
      return located(((dev.keyward.model.ResourceElement) v).patterns());
    }
    if (v instanceof dev.keyward.model.Problem) {
      return ((dev.keyward.model.Problem) v).message();
    }
    if (v instanceof dev.keyward.model.PolicyDocument) {
      return "the policy";
    }
    return String.valueOf(v);
  }

  private static String located(List<dev.keyward.model.Located> patterns) {
    StringBuilder b = new StringBuilder();
    for (dev.keyward.model.Located l : patterns) {
      b.append(b.length() == 0 ? "" : ", ").append(l.value());
    }
    return b.toString();
  }

  Object eval(Expr e, Env env) {
    if (e instanceof Expr.StringLit) {
      return Text.literal(((Expr.StringLit) e).value());
    }
    if (e instanceof Expr.Var) {
      Object v = env.lookup(((Expr.Var) e).name());
      if (v == Env.UNBOUND) {
        throw new CheckError("unknown name `" + ((Expr.Var) e).name() + "`", e.pos());
      }
      return v;
    }
    if (e instanceof Expr.Field) {
      Expr.Field f = (Expr.Field) e;
      return Fields.get(eval(f.target(), env), f.name(), f.pos());
    }
    if (e instanceof Expr.Binary) {
      return binary((Expr.Binary) e, env);
    }
    if (e instanceof Expr.Not) {
      return !truth(eval(((Expr.Not) e).operand(), env), e.pos());
    }
    if (e instanceof Expr.Quantifier) {
      Expr.Quantifier q = (Expr.Quantifier) e;
      for (Object item : iterable(eval(q.collection(), env))) {
        boolean t = truth(eval(q.body(), env.bind(q.var(), item)), q.pos());
        switch (q.kind()) {
          case ANY:
            if (t) {
              return true;
            }
            break;
          case ALL:
            if (!t) {
              return false;
            }
            break;
          default:
            if (t) {
              return false;
            }
        }
      }
      return q.kind() != Expr.QuantifierKind.ANY;
    }
    if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      List<Object> args = new ArrayList<>(c.args().size());
      for (Expr a : c.args()) {
        args.add(eval(a, env));
      }
      return functions.call(c.function(), args, c.pos());
    }
    if (e instanceof Expr.Comprehension) {
      Expr.Comprehension c = (Expr.Comprehension) e;
      List<Object> out = new ArrayList<>();
      comprehend(c, 0, env, out);
      return out;
    }
    if (e instanceof Expr.ListExpr) {
      List<Object> out = new ArrayList<>();
      for (Expr i : ((Expr.ListExpr) e).items()) {
        out.add(eval(i, env));
      }
      return out;
    }
    if (e instanceof Expr.NumberLit) {
      return ((Expr.NumberLit) e).value();
    }
    if (e instanceof Expr.BoolLit) {
      return ((Expr.BoolLit) e).value();
    }
    if (e instanceof Expr.NullLit) {
      return null;
    }
    if (e instanceof Expr.Index) {
      Expr.Index i = (Expr.Index) e;
      Object target = eval(i.target(), env);
      Object index = eval(i.index(), env);
      if (target == null) {
        return null;
      }
      if (target instanceof List && index instanceof Double) {
        List<?> l = (List<?>) target;
        int k = (int) (double) (Double) index;
        return k >= 0 && k < l.size() ? l.get(k) : null;
      }
      if (target instanceof Map && index instanceof Text) {
        return ((Map<?, ?>) target).get(((Text) index).value());
      }
      throw new CheckError("cannot index a " + Fields.typeName(target) + " with a " + Fields.typeName(index), e.pos());
    }
    Expr.MapExpr m = (Expr.MapExpr) e;
    Map<String, Object> out = new LinkedHashMap<>();
    for (Expr.Entry en : m.entries()) {
      out.put(en.key(), eval(en.value(), env));
    }
    return out;
  }

  private void comprehend(Expr.Comprehension c, int clause, Env env, List<Object> out) {
    if (clause == c.clauses().size()) {
      out.add(eval(c.element(), env));
      return;
    }
    Expr.Clause cl = c.clauses().get(clause);
    for (Object item : iterable(eval(cl.collection(), env))) {
      Env inner = env.bind(cl.var(), item);
      if (cl.condition() == null || truth(eval(cl.condition(), inner), c.pos())) {
        comprehend(c, clause + 1, inner, out);
      }
    }
  }

  private Object binary(Expr.Binary b, Env env) {
    switch (b.op()) {
      case AND:
        return truth(eval(b.left(), env), b.pos()) && truth(eval(b.right(), env), b.pos());
      case OR:
        return truth(eval(b.left(), env), b.pos()) || truth(eval(b.right(), env), b.pos());
      default:
        break;
    }
    Object l = eval(b.left(), env);
    Object r = eval(b.right(), env);
    switch (b.op()) {
      case EQ: return Values.equal(l, r);
      case NEQ: return !Values.equal(l, r);
      case LT: return Values.compare(l, r, b.pos()) < 0;
      case LE: return Values.compare(l, r, b.pos()) <= 0;
      case GT: return Values.compare(l, r, b.pos()) > 0;
      case GE: return Values.compare(l, r, b.pos()) >= 0;
      case IN: return Values.in(l, r, b.pos());
      case NOT_IN: return !Values.in(l, r, b.pos());
      case COVERS: return Values.glob(l, r, Values.GlobOp.COVERS, b.pos());
      case NOT_COVERS: return !Values.glob(l, r, Values.GlobOp.COVERS, b.pos());
      case WITHIN: return Values.glob(r, l, Values.GlobOp.COVERS, b.pos());
      case NOT_WITHIN: return !Values.glob(r, l, Values.GlobOp.COVERS, b.pos());
      case OVERLAPS: return Values.glob(l, r, Values.GlobOp.OVERLAPS, b.pos());
      case NOT_OVERLAPS: return !Values.glob(l, r, Values.GlobOp.OVERLAPS, b.pos());
      case MATCHES: return regex(l, r, b.pos());
      case NOT_MATCHES: return !regex(l, r, b.pos());
      default: throw new IllegalStateException(b.op().name());
    }
  }

  /** {@code text matches "regex"}: true when the regular expression is found in the text. */
  private boolean regex(Object l, Object r, Pos pos) {
    if (l == null) {
      return false;
    }
    if (!(r instanceof Text)) {
      throw new CheckError("`matches` needs a regular expression string on its right", pos);
    }
    Pattern p = regexes.computeIfAbsent(((Text) r).value(), src -> {
      try {
        return Pattern.compile(src);
      } catch (PatternSyntaxException ex) {
        throw new CheckError("invalid regular expression `" + src + "`: " + ex.getDescription(), pos);
      }
    });
    if (l instanceof List) {
      for (Object o : (List<?>) l) {
        if (o instanceof Text && p.matcher(((Text) o).value()).find()) {
          return true;
        }
      }
      return false;
    }
    if (!(l instanceof Text)) {
      throw new CheckError("`matches` needs a string on its left, not a " + Fields.typeName(l), pos);
    }
    return p.matcher(((Text) l).value()).find();
  }

  static boolean truth(Object v, Pos pos) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    throw new CheckError("expected true or false, got a " + Fields.typeName(v), pos);
  }

  static List<?> iterable(Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof List) {
      return (List<?>) v;
    }
    return List.of(v);
  }
}
