package dev.keyward.lint;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import java.util.List;
import java.util.Objects;

/**
 * What a check runs over: one policy, the type it is linted as, and the problems the parser found in it.
 *
 * @param file the file as the user named it
 * @param policy the parsed policy, or null when the document could not be read at all
 * @param type the policy type the rules are chosen by
 * @param problems the parser's problems, in document order
 * @param ownerAccount the account that holds the policy when the document around it says so and the policy
 *     itself may not (a template's key policy belongs to the stack's own account), or null
 */
public record Subject(String file, PolicyDocument policy, PolicyType type, List<Problem> problems,
    String ownerAccount) {

  public Subject {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(type, "type");
    problems = List.copyOf(problems);
  }

  /** A policy whose account only the policy itself can tell. */
  public Subject(String file, PolicyDocument policy, PolicyType type, List<Problem> problems) {
    this(file, policy, type, problems, null);
  }
}
