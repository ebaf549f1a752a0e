package dev.keyward.access;

import dev.keyward.model.Arn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The external access of one key: every class of principal outside the zone that can do something with
 * it. Empty findings mean nobody outside the zone can use the key (within what the analysis models, see
 * {@code docs/access-analysis.md}).
 */
public final class AccessReport {

  private final String keyArn;
  private final Zone zone;
  private final List<Finding> findings;
  private final List<String> notes;
  private final Cells cells;

  AccessReport(String keyArn, Zone zone, List<Finding> findings, List<String> notes, Cells cells) {
    this.keyArn = keyArn;
    this.zone = zone;
    this.findings = List.copyOf(findings);
    this.notes = List.copyOf(notes);
    this.cells = cells;
  }

  public String keyArn() {
    return keyArn;
  }

  public Zone zone() {
    return zone;
  }

  public List<Finding> findings() {
    return findings;
  }

  /** Model-wide remarks: conditions modelled as unknown, and why. */
  public List<String> notes() {
    return notes;
  }

  /**
   * Whether some finding covers a request by {@code principal} (an ARN of a root, role, user or role
   * session, or a service principal name), whose account is in {@code organization} (or null), calling
   * {@code action}.
   */
  public boolean covers(String principal, String organization, String action) {
    return covers(principal, null, organization, action);
  }

  /** Like {@link #covers(String, String, String)} for a federated user session made by {@code federatedBy}. */
  public boolean covers(String principal, String federatedBy, String organization, String action) {
    Who who = toWho(principal, federatedBy);
    if (who == null) {
      return false;
    }
    for (Finding f : findings) {
      if (cells.covers(f.kind(), f.principal(), who, organization)) {
        for (String a : f.actions()) {
          if (a.equalsIgnoreCase(action)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  static Who toWho(String principal) {
    return toWho(principal, null);
  }

  static Who toWho(String principal, String federatedBy) {
    if (principal.contains(":federated-user/")) {
      return Who.ofFederatedArn(principal, federatedBy);
    }
    if (principal.endsWith(".amazonaws.com") && principal.indexOf(':') < 0) {
      return Who.service(principal);
    }
    Arn a = Arn.parse(principal).orElse(null);
    if (a == null) {
      return null;
    }
    if (a.service().equals("sts") && a.resource().startsWith("assumed-role/")) {
      String rest = a.resource().substring("assumed-role/".length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        return null;
      }
      Who role = Who.ofIamArn("arn:" + a.partition() + ":iam::" + a.account() + ":role/" + rest.substring(0, slash));
      return role == null ? null : Who.session(role, rest.substring(slash + 1));
    }
    return Who.ofIamArn(principal);
  }

  /** For people. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("external access to ").append(keyArn).append(" from outside ").append(zone.describe()).append('\n');
    if (findings.isEmpty()) {
      b.append("\nno principal outside the zone can use the key\n");
    }
    for (Finding f : findings) {
      b.append('\n').append(f.who()).append(f.exact() ? "" : " (over-approximation)").append('\n');
      b.append("  actions: ").append(String.join(", ", f.actions())).append('\n');
      if (!f.conditions().isEmpty()) {
        b.append("  conditions (of the allowing statements):\n");
        for (String c : f.conditions()) {
          b.append("    ").append(c).append('\n');
        }
      }
      b.append("  allowed by: ").append(String.join(", ", f.statements())).append('\n');
      if (!f.restrictedBy().isEmpty()) {
        b.append("  partly denied by: ").append(String.join(", ", f.restrictedBy())).append('\n');
      }
      for (String n : f.notes()) {
        b.append("  note: ").append(n).append('\n');
      }
      b.append("  example: ").append(f.example().describe()).append('\n');
    }
    for (String n : notes) {
      b.append("\nnote: ").append(n).append('\n');
    }
    b.append('\n').append(findings.size()).append(findings.size() == 1 ? " finding" : " findings").append('\n');
    return b.toString();
  }

  /** As a JSON-friendly map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", keyArn);
    Map<String, Object> z = new LinkedHashMap<>();
    z.put("accounts", new ArrayList<>(new java.util.TreeSet<>(zone.accounts())));
    z.put("organizations", new ArrayList<>(new java.util.TreeSet<>(zone.organizations())));
    m.put("zone", z);
    List<Object> fs = new ArrayList<>();
    for (Finding f : findings) {
      fs.add(f.toMap());
    }
    m.put("findings", fs);
    m.put("notes", notes);
    return m;
  }
}
