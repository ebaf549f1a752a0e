package dev.keyward.lang;

import java.util.List;

/**
 * The result of parsing Keyward source: the AST when there were no syntax errors (null otherwise), and
 * every syntax error found.
 */
public record Parsed<T>(T value, List<SyntaxError> errors) {

  public Parsed {
    errors = List.copyOf(errors);
  }

  public boolean ok() {
    return errors.isEmpty() && value != null;
  }
}
