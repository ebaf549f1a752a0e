package dev.keyward.runtime;

/** A limit was reached (policy size, on-demand rotations, grants per key, ...). */
public final class LimitExceededException extends KmsException {

  private static final long serialVersionUID = 1L;

  public LimitExceededException(String message) {
    super(message);
  }
}
