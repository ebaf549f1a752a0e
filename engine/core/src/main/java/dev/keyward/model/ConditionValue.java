package dev.keyward.model;

import java.util.Objects;

/** One value of a condition: its text (booleans and numbers as IAM sees them), its JSON kind and place. */
public record ConditionValue(String text, ValueKind kind, SourceRef source) {

  public ConditionValue {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
  }
}
