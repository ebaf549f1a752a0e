package dev.keyward.analysis;

import dev.keyward.model.Severity;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One result of {@code keyward check}.
 *
 * @param analysis the analysis that found it: {@code cross-account}, {@code s3-replication},
 *     {@code ami-sharing}, {@code multi-region} or {@code rotation}
 * @param severity error (will fail or is unsafe), warning (likely a problem), note (for information)
 * @param subject the ARN or id of what the finding is about (a key, a bucket, an AMI)
 * @param message one line for people
 * @param missing the exact requests that were refused (empty when the finding is not about a refusal)
 * @param policy the policy or configuration that must change (a policy's file or world path, or e.g.
 *     {@code replication rule `r1` of bucket `src`}), or null when nothing is to change
 * @param fix a concrete JSON text that would repair the finding (a policy statement to add or to put in
 *     place of the named statement, or the AWS API request that changes the configuration), or null when
 *     the analysis cannot build one (e.g. an explicit Deny must be removed by hand)
 */
public record Finding(
    String analysis,
    Severity severity,
    String subject,
    String message,
    List<MissingRequest> missing,
    String policy,
    String fix) {

  /** The order of {@code check}'s output: analysis, subject, severity, message, then the rest. */
  public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::analysis)
      .thenComparing(Finding::subject)
      .thenComparing(Finding::severity)
      .thenComparing(Finding::message)
      .thenComparing(f -> f.policy() == null ? "" : f.policy())
      .thenComparing(f -> f.fix() == null ? "" : f.fix());

  public Finding {
    Objects.requireNonNull(analysis, "analysis");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    missing = List.copyOf(missing);
  }
}
