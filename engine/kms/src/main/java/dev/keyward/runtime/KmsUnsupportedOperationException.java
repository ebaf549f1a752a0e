package dev.keyward.runtime;

/** AWS's {@code UnsupportedOperationException}: the operation is not supported for this key. */
public final class KmsUnsupportedOperationException extends KmsException {

  private static final long serialVersionUID = 1L;

  public KmsUnsupportedOperationException(String message) {
    super(message);
  }

  @Override
  public String errorCode() {
    return "UnsupportedOperationException";
  }
}
