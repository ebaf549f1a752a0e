package dev.keyward.runtime.crypto;

/** Sign/Verify message types: the message itself, or its digest already computed by the caller. */
public enum MessageType {
  RAW, DIGEST;

  /** The type named {@code name}, or null. */
  public static MessageType parse(String name) {
    for (MessageType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
