package dev.keyward.runtime;

/** The ciphertext was not encrypted under the key the request named. */
public final class IncorrectKeyException extends KmsException {

  private static final long serialVersionUID = 1L;

  public IncorrectKeyException(String message) {
    super(message);
  }
}
