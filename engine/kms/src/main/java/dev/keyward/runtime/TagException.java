package dev.keyward.runtime;

/** A tag key or value is malformed. */
public final class TagException extends KmsException {

  private static final long serialVersionUID = 1L;

  public TagException(String message) {
    super(message);
  }
}
