package dev.keyward.runtime;

/** The grant id does not name a grant of the key. */
public final class InvalidGrantIdException extends KmsException {

  private static final long serialVersionUID = 1L;

  public InvalidGrantIdException(String message) {
    super(message);
  }
}
