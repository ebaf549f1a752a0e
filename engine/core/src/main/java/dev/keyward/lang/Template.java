package dev.keyward.lang;

import java.util.List;

/**
 * A message with interpolations: {@code "unknown action `{a}`"} is the text part {@code unknown action `},
 * the expression {@code a}, and the text part {@code `}. Write {@code {{} and {@code }}} for literal braces.
 */
public record Template(List<Part> parts, Pos pos) {

  public Template {
    parts = List.copyOf(parts);
  }

  /** A part of a template: literal text or an expression whose value is printed. */
  public sealed interface Part permits Text, Hole {}

  public record Text(String text) implements Part {}

  public record Hole(Expr expr) implements Part {}
}
