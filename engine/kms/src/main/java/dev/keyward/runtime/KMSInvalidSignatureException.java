package dev.keyward.runtime;

/** The signature did not verify (Verify never answers false). */
public final class KMSInvalidSignatureException extends KmsException {

  private static final long serialVersionUID = 1L;

  public KMSInvalidSignatureException(String message) {
    super(message);
  }
}
