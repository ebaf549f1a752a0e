package dev.keyward.runtime.crypto;

/** A ciphertext that is malformed, tampered with, or does not open under the given key and context. */
public final class CiphertextException extends Exception {

  private static final long serialVersionUID = 1L;

  public CiphertextException(String message) {
    super(message, null, false, false);
  }
}
