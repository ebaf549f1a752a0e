package dev.keyward.lang;

/** A syntax error in Keyward source: 1-based line and column, and a one-line message. */
public record SyntaxError(int line, int column, String message) {

  /** {@code line:column: message}. */
  public String display() {
    return line + ":" + column + ": " + message;
  }
}
