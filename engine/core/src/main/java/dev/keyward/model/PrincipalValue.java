package dev.keyward.model;

import java.util.Objects;

/**
 * One entry of a Principal or NotPrincipal element. For {@link PrincipalType#AWS}, a bare 12-digit
 * account id has already been normalised by the parser to {@code arn:aws:iam::ID:root}; {@code value}
 * may be {@code "*"}. {@code written} keeps the text exactly as the document had it.
 */
public record PrincipalValue(PrincipalType type, String value, String written, SourceRef source) {

  public PrincipalValue {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(written, "written");
    Objects.requireNonNull(source, "source");
  }

  public boolean isWildcard() {
    return value.equals("*");
  }
}
