package dev.keyward.server;

/**
 * An error answered on the wire before or around a KMS operation: the AWS error name ({@code __type}), the
 * HTTP status AWS gives it, and a message. No stack trace is captured: these are answers, not bugs.
 */
final class WireException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final String type;
  private final int status;

  WireException(String type, int status, String message) {
    super(message, null, false, false);
    this.type = type;
    this.status = status;
  }

  static WireException serialization(String message) {
    return new WireException("SerializationException", 400, message);
  }

  static WireException validation(String message) {
    return new WireException("ValidationException", 400, message);
  }

  String type() {
    return type;
  }

  int status() {
    return status;
  }
}
