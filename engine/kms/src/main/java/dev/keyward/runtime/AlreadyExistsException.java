package dev.keyward.runtime;

/** The alias or replica already exists. */
public final class AlreadyExistsException extends KmsException {

  private static final long serialVersionUID = 1L;

  public AlreadyExistsException(String message) {
    super(message);
  }
}
