package dev.keyward.runtime;

/**
 * An error of a KMS operation, named as AWS names it ({@link #errorCode()} is the {@code __type} a KMS
 * client sees). Messages never contain key material or plaintext. No stack trace is captured: these are
 * answers, not bugs.
 */
public abstract class KmsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected KmsException(String message) {
    super(message, null, false, false);
  }

  /** AWS's name of the error, e.g. {@code NotFoundException}. */
  public String errorCode() {
    return getClass().getSimpleName();
  }
}
