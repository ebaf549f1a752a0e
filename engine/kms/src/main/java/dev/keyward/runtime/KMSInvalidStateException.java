package dev.keyward.runtime;

/** The key's state does not allow the operation (e.g. PendingDeletion). */
public final class KMSInvalidStateException extends KmsException {

  private static final long serialVersionUID = 1L;

  public KMSInvalidStateException(String message) {
    super(message);
  }
}
