package dev.keyward.runtime;

/** The key, alias or grant does not exist (in the caller's account and Region). */
public final class NotFoundException extends KmsException {

  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
