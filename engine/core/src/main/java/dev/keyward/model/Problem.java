package dev.keyward.model;

import java.util.Objects;

/**
 * One problem found while reading input: a stable code (for example {@code syntax.invalid} or
 * {@code policy.missing-effect}; docs/policy-parser.md lists the parser's), a one-line message in Keyward's message style, a severity and the
 * location it refers to. Problems are data: parsers collect all of them instead of throwing.
 */
public record Problem(String code, Severity severity, String message, SourceRef where) {

  public Problem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(where, "where");
  }

  public static Problem error(String code, String message, SourceRef where) {
    return new Problem(code, Severity.ERROR, message, where);
  }

  public static Problem warning(String code, String message, SourceRef where) {
    return new Problem(code, Severity.WARNING, message, where);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:column: error: message [code]}. */
  public String display() {
    return where.display() + ": " + severity.label() + ": " + message + " [" + code + "]";
  }
}
