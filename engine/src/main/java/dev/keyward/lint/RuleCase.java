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
 * @param line the line of the case in its rule file
 */
public record RuleCase(String name, String policyText, PolicyType type, List<String> pointers, int line) {

  public RuleCase {
    pointers = List.copyOf(pointers);
  }
}
