package dev.keyward.model;

import java.util.List;
import java.util.Objects;

/**
 * One (operator, key, values) entry of a Condition block. Entries of one block are AND-ed.
 *
 * @param operatorText the operator exactly as written, e.g. {@code ForAnyValue:StringLikeIfExists}
 * @param operator the base operator, or null when {@code operatorText} is not a valid operator (the
 *     parser reports that; evaluators must treat such a condition soundly: an Allow with it never
 *     applies, a Deny with it always does)
 * @param qualifier ForAllValues / ForAnyValue, or NONE
 * @param ifExists whether the operator had the {@code IfExists} suffix
 * @param key the condition key as written (keys are case-insensitive; compare with
 *     {@link #keyLowerCase()})
 * @param values one or more values, OR-ed for positive operators and AND-ed for negated ones
 */
public record Condition(
    String operatorText,
    ConditionOperator operator,
    SetQualifier qualifier,
    boolean ifExists,
    String key,
    List<ConditionValue> values,
    SourceRef source) {

  public Condition {
    Objects.requireNonNull(operatorText, "operatorText");
    Objects.requireNonNull(qualifier, "qualifier");
    Objects.requireNonNull(key, "key");
    values = List.copyOf(values);
    Objects.requireNonNull(source, "source");
  }

  public String keyLowerCase() {
    return key.toLowerCase(java.util.Locale.ROOT);
  }

  public boolean isValidOperator() {
    return operator != null;
  }
}
