package dev.keyward.world;

import dev.keyward.model.SourceRef;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * SigV4 credentials that {@code keyward serve} accepts, and the principal they authenticate as. The
 * secret never prints itself: {@link #toString} masks it.
 *
 * @param accessKeyId the access key id, e.g. {@code AKIAEXAMPLEAPP00001}
 * @param principal the principal ARN: a user, a role session or an account root
 */
public final class Identity {

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String principal;
  private final SourceRef source;
  private final Session session;

  public Identity(String accessKeyId, String secretAccessKey, String principal, SourceRef source) {
    this(accessKeyId, secretAccessKey, principal, Session.NONE, source);
  }

  /** Credentials of a role session that AssumeRole gave session tags, session policies or a source identity. */
  public Identity(String accessKeyId, String secretAccessKey, String principal, Session session, SourceRef source) {
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    this.principal = Objects.requireNonNull(principal, "principal");
    this.session = session == null ? Session.NONE : session;
    this.source = Objects.requireNonNull(source, "source");
  }

  /** The session data the credentials carry ({@link Session#NONE} when none). */
  public Session session() {
    return session;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  /** The secret access key; for signing only, never for output. */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  public String principal() {
    return principal;
  }

  public SourceRef source() {
    return source;
  }

  /** Compares a secret with this identity's in constant time. */
  public boolean secretMatches(String candidate) {
    return candidate != null && MessageDigest.isEqual(secretAccessKey.getBytes(StandardCharsets.UTF_8),
        candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Identity)) {
      return false;
    }
    Identity other = (Identity) o;
    return accessKeyId.equals(other.accessKeyId) && principal.equals(other.principal)
        && secretMatches(other.secretAccessKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accessKeyId, principal);
  }

  @Override
  public String toString() {
    return "Identity[accessKeyId=" + accessKeyId + ", secretAccessKey=****, principal=" + principal + "]";
  }
}
