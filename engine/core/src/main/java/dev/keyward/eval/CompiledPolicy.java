package dev.keyward.eval;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled policy with its action index.
 *
 * <p>The index maps a lower-case action to the statements whose Action element covers it. It is filled
 * on first use of each action by testing every statement's action globs, so it never drops a candidate:
 * a statement with a wildcard or NotAction is tested like any other. Statements without a valid Effect are
 * left out of every candidate list (they are reported when compiled). The index is bounded; past
 * {@link #MAX_CACHED_ACTIONS} distinct actions, candidates are computed per request instead.
 */
final class CompiledPolicy {

  // NOTE: the bound only protects memory against batches of many distinct, invented actions.
  private static final int MAX_CACHED_ACTIONS = 4096;

  final PolicyDocument document;
  final CompiledStatement[] statements;
  private final ConcurrentHashMap<String, CompiledStatement[]> byAction = new ConcurrentHashMap<>();

  CompiledPolicy(PolicyDocument document, int[] nextId) {
    this.document = document;
    List<CompiledStatement> list = new ArrayList<>();
    for (Statement s : document.statements()) {
      list.add(new CompiledStatement(document, s, nextId));
    }
    this.statements = list.toArray(new CompiledStatement[0]);
  }

  String name() {
    return document.name();
  }

  /** The statements that can apply to this lower-case action (their Action element covers it). */
  CompiledStatement[] candidates(String lowerAction) {
    CompiledStatement[] c = byAction.get(lowerAction);
    if (c != null) {
      return c;
    }
    List<CompiledStatement> out = new ArrayList<>();
    for (CompiledStatement s : statements) {
      if (s.effect != null && s.matchesAction(lowerAction)) {
        out.add(s);
      }
    }
    c = out.toArray(new CompiledStatement[0]);
    if (byAction.size() < MAX_CACHED_ACTIONS) {
      byAction.putIfAbsent(lowerAction, c);
    }
    return c;
  }
}
