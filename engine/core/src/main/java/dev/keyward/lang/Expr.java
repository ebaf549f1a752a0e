package dev.keyward.lang;

import java.util.List;
import java.util.Objects;

/**
 * An expression of the Keyward language. Immutable; every node knows where it was written.
 * Evaluation is not this package's business: the linter (and later the test runner) interpret it.
 */
public sealed interface Expr
    permits Expr.StringLit, Expr.NumberLit, Expr.BoolLit, Expr.NullLit, Expr.ListExpr, Expr.MapExpr,
        Expr.Comprehension,
        Expr.Var, Expr.Field, Expr.Index, Expr.Call, Expr.Not, Expr.Binary, Expr.Quantifier {

  Pos pos();

  /** A string literal, already unescaped. */
  record StringLit(String value, Pos pos) implements Expr {
    public StringLit {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A number literal as written (integers and decimals). */
  record NumberLit(String text, Pos pos) implements Expr {
    public double value() {
      return Double.parseDouble(text);
    }
  }

  record BoolLit(boolean value, Pos pos) implements Expr {}

  record NullLit(Pos pos) implements Expr {}

  record ListExpr(List<Expr> items, Pos pos) implements Expr {
    public ListExpr {
      items = List.copyOf(items);
    }
  }

  /**
   * {@code [element for v in xs where cond for w in ys ...]}: the element for every binding that the
   * clauses produce, in order.
   */
  record Comprehension(Expr element, List<Clause> clauses, Pos pos) implements Expr {
    public Comprehension {
      clauses = List.copyOf(clauses);
    }
  }

  /** {@code for var in collection [where condition]}; condition is null when absent. */
  record Clause(String var, Expr collection, Expr condition) {}

  /** A map literal; keys are strings, in the order written. */
  record MapExpr(List<Entry> entries, Pos pos) implements Expr {
    public MapExpr {
      entries = List.copyOf(entries);
    }
  }

  record Entry(String key, Expr value) {}

  /** A variable or a definition, by name. */
  record Var(String name, Pos pos) implements Expr {}

  /** {@code target.name}. */
  record Field(Expr target, String name, Pos pos) implements Expr {}

  /** {@code target[index]}. */
  record Index(Expr target, Expr index, Pos pos) implements Expr {}

  /** {@code function(args...)}. */
  record Call(String function, List<Expr> args, Pos pos) implements Expr {
    public Call {
      args = List.copyOf(args);
    }
  }

  record Not(Expr operand, Pos pos) implements Expr {}

  record Binary(BinaryOp op, Expr left, Expr right, Pos pos) implements Expr {}

  /** {@code any|all|none var in collection: body}. */
  record Quantifier(QuantifierKind kind, String var, Expr collection, Expr body, Pos pos) implements Expr {}

  /** The binary operators; {@code NOT_*} are the negated relations ({@code x not in xs}). */
  enum BinaryOp {
    AND("and"), OR("or"),
    EQ("=="), NEQ("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    IN("in"), NOT_IN("not in"),
    COVERS("covers"), NOT_COVERS("not covers"),
    WITHIN("within"), NOT_WITHIN("not within"),
    OVERLAPS("overlaps"), NOT_OVERLAPS("not overlaps"),
    MATCHES("matches"), NOT_MATCHES("not matches");

    private final String symbol;

    BinaryOp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  enum QuantifierKind {
    ANY, ALL, NONE;

    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
