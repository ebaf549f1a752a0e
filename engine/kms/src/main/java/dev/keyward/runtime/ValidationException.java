package dev.keyward.runtime;

/** A parameter is missing, malformed or out of range. */
public final class ValidationException extends KmsException {

  private static final long serialVersionUID = 1L;

  public ValidationException(String message) {
    super(message);
  }
}
