package dev.keyward.runtime;

/** The ciphertext is malformed, was changed, or its encryption context differs. */
public final class InvalidCiphertextException extends KmsException {

  private static final long serialVersionUID = 1L;

  public InvalidCiphertextException(String message) {
    super(message);
  }
}
