package dev.keyward.request;

import dev.keyward.model.PolicyDocument;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What AssumeRole gave a role session beyond its role: session tags, session policies and a source
 * identity. A request by the session (or a {@code keyward serve} identity holding its credentials) carries it.
 * Immutable; compared by identity (an authorizer caches what it compiled from a session by the object).
 */
public final class Session {

  /** No session data. */
  public static final Session NONE = new Session(Map.of(), List.of(), null);

  private final Map<String, String> tags;
  private final List<PolicyDocument> policies;
  private final String sourceIdentity;

  /**
   * @param tags session tags; they win over the role's tags with the same key, whatever its case, for
   *     {@code aws:PrincipalTag/<k>} (transitive tags are session tags too; transitivity only matters when the
   *     session assumes another role)
   * @param policies session policies (inline or AWS managed by ARN), identity policies that only limit: the
   *     session's permissions are those its role's identity policies and every session policy allow
   * @param sourceIdentity the source identity ({@code aws:SourceIdentity}), or null
   */
  public Session(Map<String, String> tags, List<PolicyDocument> policies, String sourceIdentity) {
    this.tags = Map.copyOf(Objects.requireNonNull(tags, "tags"));
    this.policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
    this.sourceIdentity = sourceIdentity;
  }

  public Map<String, String> tags() {
    return tags;
  }

  public List<PolicyDocument> policies() {
    return policies;
  }

  /** The source identity, or null. */
  public String sourceIdentity() {
    return sourceIdentity;
  }

  public boolean isEmpty() {
    return tags.isEmpty() && policies.isEmpty() && sourceIdentity == null;
  }

  @Override
  public String toString() {
    return "session with " + tags.size() + " tags, " + policies.size() + " policies"
        + (sourceIdentity == null ? "" : ", source identity " + sourceIdentity);
  }
}
