package dev.keyward.lint;

import dev.keyward.lang.CheckProgram;
import dev.keyward.lang.Expr;
import dev.keyward.lang.SyntaxError;
import dev.keyward.lang.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Static checks of a parsed check, so that a typo fails when the rule is loaded rather than when a
 * policy happens to reach it: every name must be bound (policy, statements, problems, a {@code def}, a
 * {@code for}/{@code let} step before it, or a quantifier's variable) and every function known and called
 * with the right number of arguments.
 */
final class CheckValidator {

  static final List<String> ROOT_NAMES = List.of("policy", "statements", "problems");

  private final List<SyntaxError> errors = new ArrayList<>();

  private CheckValidator() {}

  static List<SyntaxError> validate(CheckProgram program) {
    CheckValidator v = new CheckValidator();
    Set<String> scope = new HashSet<>(ROOT_NAMES);
    for (CheckProgram.Definition d : program.definitions()) {
      v.expr(d.value(), scope);
      scope.add(d.name());
    }
    for (CheckProgram.ReportBlock b : program.blocks()) {
      Set<String> local = new HashSet<>(scope);
      for (CheckProgram.Step s : b.steps()) {
        if (s instanceof CheckProgram.ForStep) {
          v.expr(((CheckProgram.ForStep) s).collection(), local);
          local.add(((CheckProgram.ForStep) s).var());
        } else if (s instanceof CheckProgram.WhereStep) {
          v.expr(((CheckProgram.WhereStep) s).condition(), local);
        } else {
          v.expr(((CheckProgram.LetStep) s).value(), local);
          local.add(((CheckProgram.LetStep) s).name());
        }
      }
      v.expr(b.target(), local);
      for (Template.Part p : b.message().parts()) {
        if (p instanceof Template.Hole) {
          // Hole positions are relative to the hole; report them at the message.
          int before = v.errors.size();
          v.expr(((Template.Hole) p).expr(), local);
          for (int i = before; i < v.errors.size(); i++) {
            SyntaxError e = v.errors.get(i);
            v.errors.set(i, new SyntaxError(b.message().pos().line(), b.message().pos().column(),
                "in message: " + e.message()));
          }
        }
      }
    }
    return List.copyOf(v.errors);
  }

  private void expr(Expr e, Set<String> scope) {
    if (e instanceof Expr.Var) {
      String n = ((Expr.Var) e).name();
      if (!scope.contains(n)) {
        error(e, "unknown name `" + n + "`");
      }
    } else if (e instanceof Expr.Field) {
      expr(((Expr.Field) e).target(), scope);
    } else if (e instanceof Expr.Index) {
      expr(((Expr.Index) e).target(), scope);
      expr(((Expr.Index) e).index(), scope);
    } else if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      Functions.Spec spec = Functions.SPECS.get(c.function());
      if (spec == null) {
        error(e, "unknown function `" + c.function() + "`");
      } else if (c.args().size() < spec.minArgs() || c.args().size() > spec.maxArgs()) {
        error(e, "`" + c.function() + "` takes " + (spec.minArgs() == spec.maxArgs() ? String.valueOf(spec.minArgs())
            : spec.minArgs() + " to " + spec.maxArgs()) + " argument" + (spec.maxArgs() == 1 ? "" : "s")
            + ", not " + c.args().size());
      }
      for (Expr a : c.args()) {
        expr(a, scope);
      }
    } else if (e instanceof Expr.Not) {
      expr(((Expr.Not) e).operand(), scope);
    } else if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      expr(b.left(), scope);
      expr(b.right(), scope);
      if ((b.op() == Expr.BinaryOp.MATCHES || b.op() == Expr.BinaryOp.NOT_MATCHES) && b.right() instanceof Expr.StringLit) {
        try {
          java.util.regex.Pattern.compile(((Expr.StringLit) b.right()).value());
        } catch (java.util.regex.PatternSyntaxException ex) {
          error(b.right(), "invalid regular expression: " + ex.getDescription());
        }
      }
    } else if (e instanceof Expr.Quantifier) {
      Expr.Quantifier q = (Expr.Quantifier) e;
      expr(q.collection(), scope);
      Set<String> inner = new HashSet<>(scope);
      inner.add(q.var());
      expr(q.body(), inner);
    } else if (e instanceof Expr.Comprehension) {
      Expr.Comprehension c = (Expr.Comprehension) e;
      Set<String> inner = new HashSet<>(scope);
      for (Expr.Clause cl : c.clauses()) {
        expr(cl.collection(), inner);
        inner.add(cl.var());
        if (cl.condition() != null) {
          expr(cl.condition(), inner);
        }
      }
      expr(c.element(), inner);
    } else if (e instanceof Expr.ListExpr) {
      for (Expr i : ((Expr.ListExpr) e).items()) {
        expr(i, scope);
      }
    } else if (e instanceof Expr.MapExpr) {
      for (Expr.Entry en : ((Expr.MapExpr) e).entries()) {
        expr(en.value(), scope);
      }
    }
  }

  private void error(Expr e, String message) {
    errors.add(new SyntaxError(e.pos().line(), e.pos().column(), message));
  }
}
