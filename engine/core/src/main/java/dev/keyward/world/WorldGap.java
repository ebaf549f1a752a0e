package dev.keyward.world;

import dev.keyward.model.SourceRef;
import java.util.Objects;

/**
 * Something the world does not know because a snapshot could not read it, so that answers depending on it
 * can say so instead of silently allowing or denying.
 *
 * @param scope what the gap is about: {@code key} (a key ARN), {@code account} (an account id: its IAM),
 *     {@code scps} (an account id whose SCPs and RCPs are unknown), {@code principal} (a role or user ARN) or {@code region} ({@code ACCOUNT/REGION})
 * @param subject the key ARN, account id, principal ARN or account/Region it is about
 * @param message what is missing and which permission would fill it, one line
 */
public record WorldGap(String scope, String subject, String message, SourceRef source) {

  public WorldGap {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(source, "source");
  }
}
