package dev.keyward.eval;

import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * One condition that a symbolic authorization could not decide because it reads request-context keys
 * the caller left open, together with the truth value an allowing request needs.
 *
 * <p>Grant constraints are reported the same way: {@code policy} is {@code grant <id>}, {@code operator}
 * is {@code EncryptionContextEquals} or {@code EncryptionContextSubset}, {@code key} is
 * {@code kms:EncryptionContext} and {@code values} are the {@code key=value} pairs.
 *
 * @param policy the policy's name (file or world path), or {@code grant <id>}
 * @param statement the statement's Sid or {@code #index} ("" for grants)
 * @param effect the statement's effect word ({@code allow}, {@code deny}) or {@code grant}
 * @param operator the operator exactly as written, e.g. {@code StringEquals} or
 *     {@code ForAnyValue:StringLikeIfExists}
 * @param key the condition key as written
 * @param values the policy values as written
 * @param mustHold true when an allowing request must make this condition true, false when it must make it
 *     false (typically to stay out of a Deny statement)
 */
public record ResidualCondition(
    String policy,
    String statement,
    String effect,
    String operator,
    String key,
    List<String> values,
    boolean mustHold,
    SourceRef source) {

  public ResidualCondition {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(key, "key");
    values = List.copyOf(values);
    Objects.requireNonNull(source, "source");
  }

  /** One line for people, e.g. {@code StringEquals kms:ViaService [s3.us-east-1.amazonaws.com]}. */
  public String display() {
    String text = operator + " " + key + " " + values;
    return (mustHold ? "" : "not ") + text + " (" + policy + (statement.isEmpty() ? "" : " " + statement) + ")";
  }
}
