package dev.keyward.lang;

/** A 1-based line and column in Keyward source text. */
public record Pos(int line, int column) {

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
