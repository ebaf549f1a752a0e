package dev.keyward.model;

import java.util.Objects;

/** A string value as written in a document, with where it was written. */
public record Located(String value, SourceRef source) {

  public Located {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  public static Located of(String value) {
    return new Located(value, SourceRef.none());
  }

  @Override
  public String toString() {
    return value;
  }
}
