package dev.keyward.eval;

import java.util.List;
import java.util.Objects;

/**
 * The answer of a partial (symbolic) authorization, in which some request-context keys were left open.
 *
 * <ul>
 *   <li>{@link Outcome#ALLOW}: allowed whatever values the open keys take (including absent);
 *   <li>{@link Outcome#DENY}: denied whatever values the open keys take;
 *   <li>{@link Outcome#CONDITIONAL}: allowed exactly when one of the {@code alternatives} holds; each
 *       alternative is a conjunction of {@link ResidualCondition}s.
 * </ul>
 *
 * <p>Soundness: DENY is reported only when every assignment of truth values to the open conditions
 * denies (or when the only allowing combinations are proven impossible), so no context allows; ALLOW only
 * when every assignment allows. CONDITIONAL alternatives are combinations of open conditions under which
 * the authorizer allows; {@code witnessed} is true when for every alternative a concrete context was built
 * and confirmed by {@link Authorizer#authorize}, so the alternative is really reachable (false when no
 * witness could be constructed, e.g. for numeric ranges or wildcard patterns). A CONDITIONAL answer with
 * no alternatives means Keyward could not enumerate what it depends on (too many open conditions, or a
 * Resource element with a policy variable of an open key); a reason says which.
 *
 * @param verdict for ALLOW and DENY, the verdict that every context gets (for DENY, EXPLICIT_DENY only
 *     when every context is explicitly denied); for CONDITIONAL, the verdict of the "no open key present"
 *     context
 * @param reasons the reasons of the decision taken with every open key absent, or of the shared verdict
 */
public record ConditionalDecision(
    String requestId,
    Outcome outcome,
    Verdict verdict,
    List<List<ResidualCondition>> alternatives,
    boolean witnessed,
    List<Reason> reasons) {

  /** The three answers of a partial authorization. */
  public enum Outcome {
    ALLOW,
    CONDITIONAL,
    DENY
  }

  public ConditionalDecision {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(verdict, "verdict");
    alternatives = alternatives.stream().map(List::copyOf).toList();
    reasons = List.copyOf(reasons);
  }
}
