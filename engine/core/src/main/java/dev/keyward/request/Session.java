package dev.keyward.request;

import dev.keyward.model.PolicyDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What STS gave a session beyond its role or user: session tags, session policies, a source identity, the
 * tags it set as transitive and the earlier sessions of its role chain (AssumeRole), or the IAM user that
 * federated it (GetFederationToken). A request by the session (or a {@code keyward serve} identity holding
 * its credentials) carries it. Immutable; compared by identity (an authorizer caches what it compiled from a
 * session by the object).
 */
public final class Session {

  /** No session data. */
  public static final Session NONE = new Session(Map.of(), List.of(), null);

  /**
   * One earlier session of a role chain: the role it assumed (or null when not said), the session tags passed
   * to that AssumeRole, and the keys of them it set as transitive.
   */
  public record Link(String role, Map<String, String> tags, Set<String> transitiveTagKeys) {
    public Link {
      tags = Map.copyOf(tags);
      transitiveTagKeys = Set.copyOf(transitiveTagKeys);
    }
  }

  private final Map<String, String> tags;
  private final List<PolicyDocument> policies;
  private final String sourceIdentity;
  private final Set<String> transitiveTagKeys;
  private final List<Link> chain;
  private final String federatedBy;

  /**
   * @param tags session tags; they win over the role's tags with the same key, whatever its case, for
   *     {@code aws:PrincipalTag/<k>}
   * @param policies session policies (inline or AWS managed by ARN), identity policies that only limit: the
   *     session's permissions are those its role's identity policies and every session policy allow
   * @param sourceIdentity the source identity ({@code aws:SourceIdentity}), or null
   */
  public Session(Map<String, String> tags, List<PolicyDocument> policies, String sourceIdentity) {
    this(tags, policies, sourceIdentity, Set.of(), List.of(), null);
  }

  /**
   * @param transitiveTagKeys the keys of {@code tags} this session passes on to the sessions it assumes
   * @param chain the earlier sessions of the role chain, first first (empty when the session was not made
   *     with another session's credentials); their transitive tags are this session's tags too
   * @param federatedBy for a federated user session ({@code arn:aws:sts::A:federated-user/NAME}), the ARN of
   *     the IAM user that called GetFederationToken, else null
   */
  public Session(Map<String, String> tags, List<PolicyDocument> policies, String sourceIdentity,
      Set<String> transitiveTagKeys, List<Link> chain, String federatedBy) {
    this.tags = Map.copyOf(Objects.requireNonNull(tags, "tags"));
    this.policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
    this.sourceIdentity = sourceIdentity;
    this.transitiveTagKeys = Set.copyOf(Objects.requireNonNull(transitiveTagKeys, "transitiveTagKeys"));
    this.chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
    this.federatedBy = federatedBy;
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

  public Set<String> transitiveTagKeys() {
    return transitiveTagKeys;
  }

  public List<Link> chain() {
    return chain;
  }

  /** The IAM user that federated this session (GetFederationToken), or null. */
  public String federatedBy() {
    return federatedBy;
  }

  /**
   * The tags the session carries: the transitive tags of every earlier session of its chain, then its own
   * session tags (a readable session never sets a key it inherited: AssumeRole refuses that).
   */
  public Map<String, String> effectiveTags() {
    if (chain.isEmpty()) {
      return tags;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Link l : chain) {
      for (String k : l.transitiveTagKeys()) {
        for (Map.Entry<String, String> t : l.tags().entrySet()) {
          if (t.getKey().toLowerCase(Locale.ROOT).equals(k.toLowerCase(Locale.ROOT))) {
            out.put(t.getKey(), t.getValue());
          }
        }
      }
    }
    out.putAll(tags);
    return out;
  }

  public boolean isEmpty() {
    return tags.isEmpty() && policies.isEmpty() && sourceIdentity == null && chain.isEmpty()
        && transitiveTagKeys.isEmpty() && federatedBy == null;
  }

  @Override
  public String toString() {
    return "session with " + tags.size() + " tags, " + policies.size() + " policies"
        + (sourceIdentity == null ? "" : ", source identity " + sourceIdentity)
        + (chain.isEmpty() ? "" : ", " + chain.size() + " earlier sessions in its chain")
        + (federatedBy == null ? "" : ", federated by " + federatedBy);
  }
}
