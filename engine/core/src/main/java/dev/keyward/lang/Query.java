package dev.keyward.lang;

import java.util.List;

/** A query: {@code can P A R [with context {...}]} or {@code who can A R [with context {...}]}. */
public sealed interface Query permits Query.Can, Query.WhoCan {

  Pos pos();

  /** A principal, action or resource as written: quoted or bare. */
  record Term(String text, boolean quoted, Pos pos) {}

  /** {@code can principal action resource [with context {...}]}; context is empty when absent. */
  record Can(Term principal, Term action, Term resource, List<Expr.Entry> context, Pos pos) implements Query {
    public Can {
      context = List.copyOf(context);
    }
  }

  /** {@code who can action resource [with context {...}]}. */
  record WhoCan(Term action, Term resource, List<Expr.Entry> context, Pos pos) implements Query {
    public WhoCan {
      context = List.copyOf(context);
    }
  }
}
