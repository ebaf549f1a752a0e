package dev.keyward.eval;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A compiled policy with its action index.
 *
 * <p>The index holds, for each action (by its {@link ActionTable} id), the statements whose Action element
 * covers it. It is filled on first use of each action by testing every statement's action globs, so it never
 * drops a candidate: a statement with a wildcard or NotAction is tested like any other. Statements without a
 * valid Effect are left out of every candidate list (they are reported when compiled). An action without an
 * id (past the table's bound) has its candidates computed per request.
 */
final class CompiledPolicy {

  private static final AtomicReferenceArray<CompiledStatement[]> EMPTY = new AtomicReferenceArray<>(0);

  final PolicyDocument document;
  final CompiledStatement[] statements;
  /** Candidates by action id; replaced by a larger copy when an id does not fit (under the lock). */
  private volatile AtomicReferenceArray<CompiledStatement[]> byAction = EMPTY;

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

  /** The statements that can apply to this action (their Action element covers it). */
  CompiledStatement[] candidates(ActionTable.Action action) {
    int id = action.id;
    AtomicReferenceArray<CompiledStatement[]> table = byAction;
    if (id >= 0 && id < table.length()) {
      CompiledStatement[] c = table.get(id);
      if (c != null) {
        return c;
      }
    }
    CompiledStatement[] c = compute(action.lower);
    if (id >= 0) {
      store(id, c);
    }
    return c;
  }

  private CompiledStatement[] compute(String lowerAction) {
    List<CompiledStatement> out = new ArrayList<>();
    for (CompiledStatement s : statements) {
      if (s.effect != null && s.matchesAction(lowerAction)) {
        out.add(s);
      }
    }
    return out.toArray(new CompiledStatement[0]);
  }

  private synchronized void store(int id, CompiledStatement[] c) {
    AtomicReferenceArray<CompiledStatement[]> table = byAction;
    if (id >= table.length()) {
      int n = Math.min(ActionTable.MAX_IDS, Math.max(id + 1, Math.max(8, table.length() * 2)));
      AtomicReferenceArray<CompiledStatement[]> bigger = new AtomicReferenceArray<>(n);
      for (int i = 0; i < table.length(); i++) {
        bigger.set(i, table.get(i));
      }
      table = bigger;
    }
    table.set(id, c);
    byAction = table;
  }
}
