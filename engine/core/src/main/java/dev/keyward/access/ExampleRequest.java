package dev.keyward.access;

import dev.keyward.request.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A concrete request that the analysis found, with the facts about the caller that a request cannot
 * carry: its organization and (for a role or user) its tags. A role session's tags travel in the request
 * as {@code aws:PrincipalTag/<k>} keys, as session tags do.
 *
 * @param principal the caller's ARN (or a service principal name)
 * @param action the action, canonical case
 * @param resource the key ARN
 * @param context the request context the caller gives (never an engine-derived key)
 * @param organization the caller's organization id, or null when the caller's account is in none
 * @param principalTags the tags of the caller's role or user (empty for sessions, roots and services)
 * @param sessionRole for a role session, the ARN of its role (with the role's path); for a federated user
 *     session, the IAM user that made it; else null
 */
public record ExampleRequest(String principal, String action, String resource, Map<String, List<String>> context,
    String organization, Map<String, String> principalTags, String sessionRole) {

  public ExampleRequest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    context = Map.copyOf(context);
    principalTags = Map.copyOf(principalTags);
  }

  /**
   * The request to give the authorizer. A federated user session carries its user and a session policy that
   * allows everything: the analysis takes the session's permissions to be its user's (session policies can
   * only take some away).
   */
  public Request request() {
    if (sessionRole != null && principal.contains(":federated-user/")) {
      return new Request("", principal, action, resource, context, new dev.keyward.request.Session(Map.of(),
          List.of(Witness.ADMIN), null, java.util.Set.of(), List.of(), sessionRole));
    }
    return new Request("", principal, action, resource, context);
  }

  /** For text output: {@code principal action resource {k=[v], ...} (organization o-..., tags {...})}. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append(principal).append(' ').append(action).append(' ').append(resource);
    if (!context.isEmpty()) {
      b.append(" with context ").append(new TreeMap<>(context));
    }
    if (organization != null) {
      b.append(" (caller in organization ").append(organization).append(')');
    }
    if (!principalTags.isEmpty()) {
      b.append(" (caller tagged ").append(new TreeMap<>(principalTags)).append(')');
    }
    if (sessionRole != null && principal.contains(":federated-user/")) {
      b.append(" (federated by ").append(sessionRole).append(')');
    }
    return b.toString();
  }

  /** As a JSON-friendly map, in a stable order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("principal", principal);
    m.put("action", action);
    m.put("resource", resource);
    m.put("context", new TreeMap<>(context));
    if (organization != null) {
      m.put("organization", organization);
    }
    if (!principalTags.isEmpty()) {
      m.put("principalTags", new TreeMap<>(principalTags));
    }
    if (sessionRole != null && principal.contains(":federated-user/")) {
      m.put("federatedBy", sessionRole);
    }
    return m;
  }
}
