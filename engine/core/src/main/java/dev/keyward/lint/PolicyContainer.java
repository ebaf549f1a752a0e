package dev.keyward.lint;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A kind of document that holds policies rather than being one: a CloudFormation template, a Terraform
 * plan. The linter finds implementations with {@link java.util.ServiceLoader} (the template package provides
 * one), asks each whether a document is of its kind, and lints the policies inside instead of the document.
 */
public interface PolicyContainer {

  /**
   * The policies of a document of this kind, or null when the document is not one (this must be cheap for
   * documents that are plain policies).
   */
  Contents read(byte[] bytes, String file);

  /**
   * The policies found, and one subject (without a policy) holding the document's own problems.
   * {@code coveredFiles} names other files (as the linter names them) whose policies this document
   * already lints with their real type, such as the policy files a world file refers to: a lint run that
   * also meets them on their own skips them, so that each is linted once, as the type the world gives it.
   */
  record Contents(List<Part> parts, List<String> coveredFiles) {
    public Contents {
      parts = List.copyOf(parts);
      coveredFiles = List.copyOf(coveredFiles);
    }

    public Contents(List<Part> parts) {
      this(parts, List.of());
    }
  }

  /**
   * One policy to lint. Findings of the policy's rules at or below {@code ignoredPointers} are dropped:
   * those are values the document leaves unknown (they are reported once, by the container).
   * {@code wording} rewrites each finding's message before it is reported: the container may have linted
   * the policy with symbols standing for values it does not know (the stack's own account), and the user
   * should read them as written ({@code ${AWS::AccountId}}).
   */
  record Part(Subject subject, Set<String> ignoredPointers, UnaryOperator<String> wording) {
    public Part {
      Objects.requireNonNull(subject, "subject");
      ignoredPointers = Set.copyOf(ignoredPointers);
      Objects.requireNonNull(wording, "wording");
    }

    public Part(Subject subject, Set<String> ignoredPointers) {
      this(subject, ignoredPointers, UnaryOperator.identity());
    }
  }
}
