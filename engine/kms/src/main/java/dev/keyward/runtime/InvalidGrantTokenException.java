package dev.keyward.runtime;

/** A grant token is not one this KMS issued, or too many were given. */
public final class InvalidGrantTokenException extends KmsException {

  private static final long serialVersionUID = 1L;

  public InvalidGrantTokenException(String message) {
    super(message);
  }
}
