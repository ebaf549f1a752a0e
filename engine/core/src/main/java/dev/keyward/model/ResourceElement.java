package dev.keyward.model;

import java.util.List;
import java.util.Objects;

/** A statement's Resource or NotResource element: ARN patterns or {@code "*"}, case-sensitive. */
public record ResourceElement(boolean negated, List<Located> patterns, SourceRef source) {

  public ResourceElement {
    patterns = List.copyOf(patterns);
    Objects.requireNonNull(source, "source");
  }

  public String elementName() {
    return negated ? "NotResource" : "Resource";
  }

  /** True when this is {@code Resource: "*"} (or a list holding {@code "*"}). */
  public boolean isWildcard() {
    if (negated) {
      return false;
    }
    for (Located p : patterns) {
      if (p.value().equals("*")) {
        return true;
      }
    }
    return false;
  }
}
