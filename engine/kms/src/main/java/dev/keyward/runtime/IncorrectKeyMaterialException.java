package dev.keyward.runtime;

/** The imported material differs from the key's material or does not fit its spec. */
public final class IncorrectKeyMaterialException extends KmsException {

  private static final long serialVersionUID = 1L;

  public IncorrectKeyMaterialException(String message) {
    super(message);
  }
}
