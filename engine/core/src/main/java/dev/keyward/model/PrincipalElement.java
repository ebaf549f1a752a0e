package dev.keyward.model;

import java.util.List;
import java.util.Objects;

/**
 * A statement's Principal or NotPrincipal element.
 *
 * <p>{@code anyone} is true for the bare string {@code "*"} (every principal, including anonymous
 * callers); then {@code values} is empty. {@code {"AWS": "*"}} is kept as a value of type AWS with value
 * {@code "*"}: it matches every AWS principal (IAM treats it like {@code "*"} for signed requests).
 */
public record PrincipalElement(boolean negated, boolean anyone, List<PrincipalValue> values, SourceRef source) {

  public PrincipalElement {
    values = List.copyOf(values);
    Objects.requireNonNull(source, "source");
  }

  /** The AWS element name: {@code Principal} or {@code NotPrincipal}. */
  public String elementName() {
    return negated ? "NotPrincipal" : "Principal";
  }

  /** True when this element names every principal, by {@code "*"} or {@code {"AWS": "*"}}. */
  public boolean matchesEveryAwsPrincipal() {
    if (anyone) {
      return true;
    }
    for (PrincipalValue v : values) {
      if (v.type() == PrincipalType.AWS && v.isWildcard()) {
        return true;
      }
    }
    return false;
  }
}
