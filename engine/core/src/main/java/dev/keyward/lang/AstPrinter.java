package dev.keyward.lang;

import java.util.List;

/**
 * Prints ASTs as indented S-expressions, one node per line with its position: the format of the golden
 * parse tests, and a debugging aid. Output is deterministic.
 */
public final class AstPrinter {

  private final StringBuilder out = new StringBuilder();

  private AstPrinter() {}

  public static String print(CheckProgram program) {
    AstPrinter p = new AstPrinter();
    p.line(0, "(check");
    for (CheckProgram.Definition d : program.definitions()) {
      p.line(1, "(def " + d.name() + " @" + d.pos());
      p.expr(2, d.value());
      p.close();
    }
    for (CheckProgram.ReportBlock b : program.blocks()) {
      p.line(1, "(block @" + b.pos());
      for (CheckProgram.Step s : b.steps()) {
        if (s instanceof CheckProgram.ForStep) {
          CheckProgram.ForStep f = (CheckProgram.ForStep) s;
          p.line(2, "(for " + f.var() + " @" + f.pos());
          p.expr(3, f.collection());
        } else if (s instanceof CheckProgram.WhereStep) {
          p.line(2, "(where @" + s.pos());
          p.expr(3, ((CheckProgram.WhereStep) s).condition());
        } else {
          CheckProgram.LetStep l = (CheckProgram.LetStep) s;
          p.line(2, "(let " + l.name() + " @" + l.pos());
          p.expr(3, l.value());
        }
        p.close();
      }
      p.line(2, "(report");
      p.expr(3, b.target());
      p.template(3, b.message());
      p.close();
      p.close();
    }
    p.close();
    return p.out.toString();
  }

  public static String print(Query query) {
    AstPrinter p = new AstPrinter();
    if (query instanceof Query.Can) {
      Query.Can c = (Query.Can) query;
      p.line(0, "(can " + term(c.principal()) + " " + term(c.action()) + " " + term(c.resource()) + " @" + c.pos());
      p.context(1, c.context());
    } else {
      Query.WhoCan w = (Query.WhoCan) query;
      p.line(0, "(who-can " + term(w.action()) + " " + term(w.resource()) + " @" + w.pos());
      p.context(1, w.context());
    }
    p.close();
    return p.out.toString();
  }

  public static String print(TestFile file) {
    AstPrinter p = new AstPrinter();
    p.line(0, "(tests" + (file.world() == null ? "" : " world=" + quote(file.world())));
    for (TestFile.TestCase t : file.tests()) {
      p.line(1, "(test " + quote(t.name()) + " @" + t.pos());
      for (TestFile.Expectation e : t.expectations()) {
        if (e instanceof TestFile.Decision) {
          TestFile.Decision d = (TestFile.Decision) e;
          p.line(2, "(expect " + d.decision().keyword() + " " + term(d.principal()) + " " + term(d.action()) + " "
              + term(d.resource()) + " @" + d.pos());
          p.context(3, d.context());
        } else if (e instanceof TestFile.Only) {
          TestFile.Only o = (TestFile.Only) e;
          StringBuilder ps = new StringBuilder();
          for (Query.Term t2 : o.principals()) {
            ps.append(ps.length() == 0 ? "" : " ").append(term(t2));
          }
          p.line(2, "(expect-only [" + ps + "] " + term(o.action()) + " " + term(o.resource()) + " @" + o.pos());
          p.context(3, o.context());
        } else if (e instanceof TestFile.NobodyOutside) {
          TestFile.NobodyOutside n = (TestFile.NobodyOutside) e;
          p.line(2, "(expect-nobody-outside " + n.scope() + " " + term(n.id()) + " " + term(n.action()) + " "
              + term(n.resource()) + " @" + n.pos());
          p.context(3, n.context());
        } else {
          TestFile.CheckClean c = (TestFile.CheckClean) e;
          p.line(2, "(expect-check-clean " + term(c.analysis()) + " @" + c.pos());
        }
        p.close();
      }
      p.close();
    }
    p.close();
    return p.out.toString();
  }

  public static String print(Expr expr) {
    AstPrinter p = new AstPrinter();
    p.expr(0, expr);
    return p.out.toString();
  }

  private void context(int depth, List<Expr.Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    line(depth, "(context");
    for (Expr.Entry e : entries) {
      line(depth + 1, "(entry " + quote(e.key()));
      expr(depth + 2, e.value());
      close();
    }
    close();
  }

  private void template(int depth, Template t) {
    line(depth, "(message @" + t.pos());
    for (Template.Part part : t.parts()) {
      if (part instanceof Template.Text) {
        line(depth + 1, quote(((Template.Text) part).text()));
      } else {
        line(depth + 1, "(hole");
        expr(depth + 2, ((Template.Hole) part).expr());
        close();
      }
    }
    close();
  }

  private void expr(int depth, Expr e) {
    if (e instanceof Expr.StringLit) {
      line(depth, quote(((Expr.StringLit) e).value()));
    } else if (e instanceof Expr.NumberLit) {
      line(depth, ((Expr.NumberLit) e).text());
    } else if (e instanceof Expr.BoolLit) {
      line(depth, String.valueOf(((Expr.BoolLit) e).value()));
    } else if (e instanceof Expr.NullLit) {
      line(depth, "null");
    } else if (e instanceof Expr.Var) {
      line(depth, "(var " + ((Expr.Var) e).name() + " @" + e.pos() + ")");
    } else if (e instanceof Expr.ListExpr) {
      line(depth, "(list");
      for (Expr item : ((Expr.ListExpr) e).items()) {
        expr(depth + 1, item);
      }
      close();
    } else if (e instanceof Expr.Comprehension) {
      Expr.Comprehension c = (Expr.Comprehension) e;
      line(depth, "(comprehension @" + c.pos());
      expr(depth + 1, c.element());
      for (Expr.Clause cl : c.clauses()) {
        line(depth + 1, "(for " + cl.var());
        expr(depth + 2, cl.collection());
        if (cl.condition() != null) {
          line(depth + 2, "(where");
          expr(depth + 3, cl.condition());
          close();
        }
        close();
      }
      close();
    } else if (e instanceof Expr.MapExpr) {
      line(depth, "(map");
      for (Expr.Entry en : ((Expr.MapExpr) e).entries()) {
        line(depth + 1, "(entry " + quote(en.key()));
        expr(depth + 2, en.value());
        close();
      }
      close();
    } else if (e instanceof Expr.Field) {
      Expr.Field f = (Expr.Field) e;
      line(depth, "(field " + f.name() + " @" + f.pos());
      expr(depth + 1, f.target());
      close();
    } else if (e instanceof Expr.Index) {
      Expr.Index i = (Expr.Index) e;
      line(depth, "(index");
      expr(depth + 1, i.target());
      expr(depth + 1, i.index());
      close();
    } else if (e instanceof Expr.Call) {
      Expr.Call c = (Expr.Call) e;
      line(depth, "(call " + c.function() + " @" + c.pos());
      for (Expr a : c.args()) {
        expr(depth + 1, a);
      }
      close();
    } else if (e instanceof Expr.Not) {
      line(depth, "(not");
      expr(depth + 1, ((Expr.Not) e).operand());
      close();
    } else if (e instanceof Expr.Binary) {
      Expr.Binary b = (Expr.Binary) e;
      line(depth, "(" + b.op().symbol() + " @" + b.pos());
      expr(depth + 1, b.left());
      expr(depth + 1, b.right());
      close();
    } else {
      Expr.Quantifier q = (Expr.Quantifier) e;
      line(depth, "(" + q.kind().keyword() + " " + q.var() + " @" + q.pos());
      expr(depth + 1, q.collection());
      expr(depth + 1, q.body());
      close();
    }
  }

  private void line(int depth, String text) {
    out.append("  ".repeat(depth)).append(text).append('\n');
  }

  /** Appends ")" to the last line. */
  private void close() {
    out.insert(out.length() - 1, ')');
  }

  private static String term(Query.Term t) {
    return t.quoted() ? quote(t.text()) : t.text();
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + '"';
  }
}
