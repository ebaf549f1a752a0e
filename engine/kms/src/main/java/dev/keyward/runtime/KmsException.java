package dev.keyward.runtime;

import dev.keyward.eval.Decision;
import java.util.Objects;

/**
 * An error of a KMS operation: one {@link KmsError} (which gives the name a KMS client sees and the HTTP status)
 * and a message. Messages never contain key material or plaintext. No stack trace is captured: these are
 * answers, not bugs.
 */
public final class KmsException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final KmsError error;
  private final transient Decision decision;

  /**
   * @param decision the authorizer's decision behind an {@link KmsError#ACCESS_DENIED}, or null
   */
  public KmsException(KmsError error, String message, Decision decision) {
    super(message, null, false, false);
    this.error = Objects.requireNonNull(error, "error");
    this.decision = decision;
  }

  public KmsError error() {
    return error;
  }

  /** AWS's name of the error, e.g. {@code NotFoundException}. */
  public String errorCode() {
    return error.wireName();
  }

  /** The authorizer's decision behind an access denial, or null when the error did not come from it. */
  public Decision decision() {
    return decision;
  }
}
