package dev.keyward.world;

import dev.keyward.model.SourceRef;
import dev.keyward.request.Session;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * SigV4 credentials that {@code keyward serve} accepts, and the principal they authenticate as. The
 * secret never prints itself: {@link #toString} masks it.
 *
 * @param accessKeyId the access key id, e.g. {@code AKIAEXAMPLEAPP00001}
 * @param principal the principal ARN: a user, a role session or an account root
 *
 * <p>Temporary credentials (an {@code ASIA} access key id) may declare their session token, which requests must
 * then carry, and when they expire. Long-term credentials ({@code AKIA}) have neither.
 */
public final class Identity {

  private final String accessKeyId;
  private final String secretAccessKey;
  private final String principal;
  private final SourceRef source;
  private final String sessionToken;
  private final Instant expiration;
  private final Session session;

  public Identity(String accessKeyId, String secretAccessKey, String principal, SourceRef source) {
    this(accessKeyId, secretAccessKey, principal, null, null, Session.NONE, source);
  }

  /** Credentials of a role session that AssumeRole gave session tags, session policies or a source identity. */
  public Identity(String accessKeyId, String secretAccessKey, String principal, Session session, SourceRef source) {
    this(accessKeyId, secretAccessKey, principal, null, null, session, source);
  }

  /**
   * @param sessionToken the session token of temporary credentials, or null (any token is then accepted with an
   *     {@code ASIA} key, none with an {@code AKIA} key)
   * @param expiration when temporary credentials expire, or null for never
   */
  public Identity(String accessKeyId, String secretAccessKey, String principal, String sessionToken,
      Instant expiration, SourceRef source) {
    this(accessKeyId, secretAccessKey, principal, sessionToken, expiration, Session.NONE, source);
  }

  /** Every part: temporary credentials' token and expiry, and the session data they carry. */
  public Identity(String accessKeyId, String secretAccessKey, String principal, String sessionToken,
      Instant expiration, Session session, SourceRef source) {
    this.accessKeyId = Objects.requireNonNull(accessKeyId, "accessKeyId");
    this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    this.principal = Objects.requireNonNull(principal, "principal");
    this.session = session == null ? Session.NONE : session;
    this.source = Objects.requireNonNull(source, "source");
    this.sessionToken = sessionToken;
    this.expiration = expiration;
  }

  /** Whether these are temporary credentials (an access key id that starts with {@code ASIA}). */
  public boolean temporary() {
    return accessKeyId.startsWith("ASIA");
  }

  /** The session token, for signing only; null when none is declared. */
  public String sessionToken() {
    return sessionToken;
  }

  /** When the credentials expire, or null. */
  public Instant expiration() {
    return expiration;
  }

  /** Compares a session token with this identity's in constant time; false when none is declared. */
  public boolean sessionTokenMatches(String candidate) {
    return sessionToken != null && candidate != null && MessageDigest.isEqual(
        sessionToken.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
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
    return "Identity[accessKeyId=" + accessKeyId + ", secretAccessKey=****, principal=" + principal
        + (sessionToken == null ? "" : ", sessionToken=****") + (expiration == null ? "" : ", expiration="
        + expiration) + "]";
  }
}
