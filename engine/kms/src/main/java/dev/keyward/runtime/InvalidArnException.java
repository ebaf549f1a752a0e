package dev.keyward.runtime;

/** A key or alias ARN is malformed. */
public final class InvalidArnException extends KmsException {

  private static final long serialVersionUID = 1L;

  public InvalidArnException(String message) {
    super(message);
  }
}
