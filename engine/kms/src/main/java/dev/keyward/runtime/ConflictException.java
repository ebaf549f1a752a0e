package dev.keyward.runtime;

/** A conflicting change is in progress. */
public final class ConflictException extends KmsException {

  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }
}
