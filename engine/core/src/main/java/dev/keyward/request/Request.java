package dev.keyward.request;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One authorization request: who, what, on which resource, with which context.
 *
 * @param id the caller's id for the request, echoed in the decision ("" when none)
 * @param principal the calling principal's ARN: a role, a user, a role session
 *     ({@code arn:aws:sts::ACCT:assumed-role/ROLE/SESSION}, which acts as its role) or an account root
 * @param action the action, e.g. {@code kms:Decrypt} (case-insensitive)
 * @param resource the resource ARN (case-sensitive); for KMS, a key ARN
 * @param context condition keys given by the caller, each with one or more string values. Keys the
 *     engine derives from the principal and resource (aws:PrincipalArn, kms:CallerAccount, ...) are
 *     added by the authorizer and need not be given
 * @param session the session tags, session policies and source identity of a role-session caller
 *     ({@link Session#NONE} when none); ignored for other callers
 */
public record Request(String id, String principal, String action, String resource,
    Map<String, List<String>> context, Session session) {

  public Request {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    context = Map.copyOf(context);
    session = session == null ? Session.NONE : session;
  }

  /** A request without session data. */
  public Request(String id, String principal, String action, String resource, Map<String, List<String>> context) {
    this(id, principal, action, resource, context, Session.NONE);
  }

  public static Request of(String principal, String action, String resource) {
    return new Request("", principal, action, resource, Map.of());
  }
}
