package dev.keyward.lint;

import dev.keyward.lang.CheckProgram;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Severity;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One lint rule, as read from its file under rules/: metadata, docs, the check, and its cases.
 *
 * @param id stable forever, e.g. {@code KW101}
 * @param name kebab-case, e.g. {@code key-policy-resource-not-star}
 * @param summary one line, in message style
 * @param category the folder the file is in (structure, vocabulary, condition, principal, kms, identity)
 * @param appliesTo the policy types the rule runs on
 * @param since the Keyward version that introduced it
 * @param docs Markdown: why it matters, how to fix, references
 * @param check the check in the Keyward language, or null for a Java check
 * @param javaCheck the name of the Java check, or null
 * @param problemCodes parser problem codes this rule accounts for (they are not reported again by KW000)
 * @param origin the rule file, as shown in messages
 */
public record Rule(
    String id,
    String name,
    String summary,
    Severity severity,
    String category,
    Set<PolicyType> appliesTo,
    String since,
    String docs,
    CheckProgram check,
    String javaCheck,
    List<String> problemCodes,
    List<RuleCase> flagged,
    List<RuleCase> clean,
    String origin) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(severity, "severity");
    appliesTo = Set.copyOf(appliesTo);
    problemCodes = List.copyOf(problemCodes);
    flagged = List.copyOf(flagged);
    clean = List.copyOf(clean);
  }

  /** True when the rule runs on policies of this type. */
  public boolean appliesTo(PolicyType type) {
    return appliesTo.contains(type);
  }

  /** The URL of the rule's documentation page. */
  public String helpUri() {
    return "https://keyward.dev/rules/" + id + "-" + name;
  }
}
