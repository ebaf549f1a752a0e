package dev.keyward.eval;

import java.util.List;
import java.util.Set;

/** Partial evaluation for {@link Authorizer#authorizeSymbolic}. */
final class Symbolic {

  private Symbolic() {}

  static ConditionalDecision run(Authorizer a, Request request, Set<String> unknownKeys) {
    Decision d = a.authorize(request);
    throw new UnsupportedOperationException("symbolic evaluation not implemented yet " + d.verdict() + unknownKeys);
  }

  @SuppressWarnings("unused")
  private static List<Object> unused() {
    return List.of();
  }
}
