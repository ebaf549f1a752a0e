package dev.keyward.runtime;

/** The import token is more than 24 hours old. */
public final class ExpiredImportTokenException extends KmsException {

  private static final long serialVersionUID = 1L;

  public ExpiredImportTokenException(String message) {
    super(message);
  }
}
