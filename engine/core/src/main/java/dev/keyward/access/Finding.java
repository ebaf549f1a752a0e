package dev.keyward.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One class of principals outside the zone that can do something with the key.
 *
 * @param kind what {@code principal} names
 * @param principal {@code *} (any AWS account not otherwise named), an account id, an organization id, a
 *     principal ARN (a role covers its sessions), or a service principal name ({@code *} for any service)
 * @param actions the actions it can perform (canonical names, sorted)
 * @param conditions the conditions of the responsible statements that still have to hold, as written
 * @param statements the statements (or grants) that allow it
 * @param restrictedBy Deny statements that take part of this access away (for some requests)
 * @param exact false when the finding rests on a part of the model that allows more than AWS does (an
 *     over-approximation: the access may not exist in AWS)
 * @param notes what else must be true for the access to work, and why the finding is approximate
 * @param example a concrete request of this class that the key allows
 */
public record Finding(Kind kind, String principal, List<String> actions, List<String> conditions,
    List<String> statements, List<String> restrictedBy, boolean exact, List<String> notes,
    ExampleRequest example) {

  /** The kinds of principal class. */
  public enum Kind {
    /** Any principal of any AWS account the policy does not name. */
    ANY_PRINCIPAL("any AWS principal"),
    /** Any principal of one account. */
    ACCOUNT("any principal of account"),
    /** Principals whose account is in one organization (aws:PrincipalOrgID), account otherwise unnamed. */
    ORGANIZATION("principals of organization"),
    /** One role (and its sessions), user or session. */
    PRINCIPAL("principal"),
    /** An AWS service principal. */
    SERVICE("service principal");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(principal, "principal");
    actions = List.copyOf(actions);
    conditions = List.copyOf(conditions);
    statements = List.copyOf(statements);
    restrictedBy = List.copyOf(restrictedBy);
    notes = List.copyOf(notes);
    Objects.requireNonNull(example, "example");
  }

  /** {@code any principal of account 222222222222}, {@code any AWS principal}, ... */
  public String who() {
    return kind == Kind.ANY_PRINCIPAL ? kind.text() : kind.text() + " " + principal;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    m.put("principal", principal);
    m.put("actions", actions);
    m.put("conditions", conditions);
    m.put("statements", statements);
    m.put("restrictedBy", restrictedBy);
    m.put("exact", exact);
    m.put("notes", notes);
    m.put("example", example.toMap());
    return m;
  }
}
