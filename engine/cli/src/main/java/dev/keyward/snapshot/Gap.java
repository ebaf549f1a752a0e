package dev.keyward.snapshot;

import java.util.Objects;

/**
 * Something a snapshot could not read: which call failed, for what, what is missing because of it and
 * which IAM permission would fill it.
 *
 * @param call the API call, e.g. {@code kms:GetKeyPolicy}
 * @param subject what it was called for (a key ARN, a bucket name, an account id or region)
 * @param missing what the snapshot lacks, in words
 * @param permission the IAM action the caller needs for it
 * @param error the error code and message AWS answered with
 */
public record Gap(String call, String subject, String missing, String permission, String error) {

  public Gap {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(missing, "missing");
    Objects.requireNonNull(permission, "permission");
    Objects.requireNonNull(error, "error");
  }

  /** One line for people. */
  public String display() {
    return missing + " (`" + call + "` on `" + subject + "` failed: " + error + "; `" + permission
        + "` fills it)";
  }
}
