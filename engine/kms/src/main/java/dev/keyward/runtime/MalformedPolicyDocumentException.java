package dev.keyward.runtime;

/** The key policy does not parse, breaks a KMS rule, or fails the lockout safety check. */
public final class MalformedPolicyDocumentException extends KmsException {

  private static final long serialVersionUID = 1L;

  public MalformedPolicyDocumentException(String message) {
    super(message);
  }
}
