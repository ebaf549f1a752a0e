package dev.keyward.runtime;

import dev.keyward.eval.Decision;

/**
 * The authorizer refused the call. The message names the statements that decided (an explicit Deny, or
 * what was missing); {@link #decision()} carries them all.
 */
public final class AccessDeniedException extends KmsException {

  private static final long serialVersionUID = 1L;
  private final transient Decision decision;

  public AccessDeniedException(String message, Decision decision) {
    super(message);
    this.decision = decision;
  }

  /** The authorizer's decision, or null when the refusal did not come from it. */
  public Decision decision() {
    return decision;
  }
}
