package dev.keyward.model;

import java.util.List;
import java.util.Objects;

/**
 * A statement's Action or NotAction element: the patterns as written (for example {@code kms:Decrypt},
 * {@code kms:ReEncrypt*}, {@code *}). Matching is case-insensitive and is the evaluator's business.
 */
public record ActionElement(boolean negated, List<Located> patterns, SourceRef source) {

  public ActionElement {
    patterns = List.copyOf(patterns);
    Objects.requireNonNull(source, "source");
  }

  public String elementName() {
    return negated ? "NotAction" : "Action";
  }
}
