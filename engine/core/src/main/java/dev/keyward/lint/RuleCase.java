package dev.keyward.lint;

import dev.keyward.model.PolicyType;
import java.util.List;

/**
 * A case of a rule file: a policy that must be flagged (at exactly the given JSON Pointers) or must stay
 * clean.
 *
 * @param name a short description, or {@code flagged #N} / {@code clean #N}
 * @param policyText the policy as JSON text
 * @param type the type it is linted as (the case's {@code type}, else the rule's first applicable type)
 * @param pointers where findings must point (flagged cases; empty for clean ones)
 * @param messages text that the rule's findings must say, each the whole message or a part of one (flagged
 *     cases), so that a case pins what the user reads and not only where
 * @param line the line of the case in its rule file
 */
public record RuleCase(String name, String policyText, PolicyType type, List<String> pointers, List<String> messages,
    int line) {

  public RuleCase {
    pointers = List.copyOf(pointers);
    messages = List.copyOf(messages);
  }

  public RuleCase(String name, String policyText, PolicyType type, List<String> pointers, int line) {
    this(name, policyText, type, pointers, List.of(), line);
  }
}
