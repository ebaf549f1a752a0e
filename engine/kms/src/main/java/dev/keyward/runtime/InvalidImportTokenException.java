package dev.keyward.runtime;

/** The import token is not one GetParametersForImport issued for this key. */
public final class InvalidImportTokenException extends KmsException {

  private static final long serialVersionUID = 1L;

  public InvalidImportTokenException(String message) {
    super(message);
  }
}
