package dev.keyward.runtime;

/** The runtime failed for a reason of its own (its key store, most likely); the message holds no secret. */
public final class KMSInternalException extends KmsException {

  private static final long serialVersionUID = 1L;

  public KMSInternalException(String message) {
    super(message);
  }
}
