package dev.keyward.eval;

import dev.keyward.model.SourceRef;
import java.util.Objects;

/**
 * One reason of a decision: which policy (its file or world path) and statement (Sid or {@code #index})
 * did what. For implicit denies, reasons say what was missing (then {@code statement} is "").
 *
 * @param policy the policy's name, e.g. {@code key-policies/finance.json} or
 *     {@code world.yaml#/principals/0/policies/1}
 * @param statement the statement's Sid or {@code #index}, or "" when the reason is about a whole policy
 * @param effect what it did: {@code allow}, {@code deny}, {@code delegate} (key policy lets the account's
 *     IAM policies decide), {@code grant}, {@code missing} (what would have been needed), {@code blocked}
 *     (a guardrail such as an SCP or boundary had no Allow), {@code error}
 * @param message one line for people
 */
public record Reason(String policy, String statement, String effect, String message, SourceRef source) {

  public Reason {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(source, "source");
  }
}
