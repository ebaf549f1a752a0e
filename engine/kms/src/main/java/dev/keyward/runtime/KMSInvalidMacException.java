package dev.keyward.runtime;

/** The MAC did not verify (VerifyMac never answers false). */
public final class KMSInvalidMacException extends KmsException {

  private static final long serialVersionUID = 1L;

  public KMSInvalidMacException(String message) {
    super(message);
  }
}
