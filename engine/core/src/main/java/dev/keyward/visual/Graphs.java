package dev.keyward.visual;

import dev.keyward.access.AccessReport;
import dev.keyward.access.Finding;
import dev.keyward.access.PolicyDiff;
import dev.keyward.analysis.CheckResult;
import dev.keyward.analysis.MissingRequest;
import dev.keyward.eval.ConditionalDecision;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.model.Arn;
import dev.keyward.world.IamPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers of {@code who-can}, {@code access}, {@code check} and {@code diff} as {@link Diagram}s, for
 * {@code --format dot} and {@code --format mermaid}. Each draws exactly what the command's text output says:
 * the same principals, keys, actions and conditions, nothing recomputed.
 */
public final class Graphs {

  private Graphs() {}

  /** Collects nodes and account groups in first-seen order. */
  private static final class Builder {
    final Map<String, Diagram.Group> groups = new LinkedHashMap<>();
    final Map<String, Diagram.Node> nodes = new LinkedHashMap<>();
    final List<Diagram.Link> links = new ArrayList<>();

    /** A principal or key node for an ARN, inside its account's group when the ARN names one. */
    void arn(String arn, String kind) {
      if (nodes.containsKey(arn)) {
        return;
      }
      String account = accountOf(arn);
      String group = null;
      if (account != null) {
        group = "account:" + account;
        groups.putIfAbsent(group, new Diagram.Group(group, "account " + account));
      }
      String label = kind.equals("key") ? shortKey(arn) : HtmlReport.principalLabel(arn);
      nodes.put(arn, new Diagram.Node(arn, label, group, kind, arn));
    }

    void external(String id, String label, String tooltip) {
      nodes.putIfAbsent(id, new Diagram.Node(id, label, null, "external", tooltip));
    }

    Diagram build(String title) {
      return new Diagram(title, new ArrayList<>(groups.values()), new ArrayList<>(nodes.values()), links);
    }
  }

  static String accountOf(String arn) {
    Arn a = Arn.parse(arn).orElse(null);
    return a != null && Arn.isAccountId(a.account()) ? a.account() : null;
  }

  static String shortKey(String arn) {
    Arn a = Arn.parse(arn).orElse(null);
    if (a == null) {
      return arn;
    }
    String r = a.resource();
    return r.length() > 20 ? r.substring(0, 20) + "…" : r;
  }

  /** The colour class of an action: use, grant or administer for the graph's actions, else other. */
  static String kindOfAction(String action) {
    for (AccessGraph.Access a : AccessGraph.Access.values()) {
      for (String x : a.actions()) {
        if (x.equalsIgnoreCase(action)) {
          return a.label();
        }
      }
    }
    String lower = action.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("grant")) {
      return "grant";
    }
    if (lower.startsWith("kms:encrypt") || lower.startsWith("kms:decrypt") || lower.startsWith("kms:generate")
        || lower.startsWith("kms:reencrypt") || lower.startsWith("kms:sign") || lower.startsWith("kms:verify")) {
      return "use";
    }
    return lower.startsWith("kms:describe") || lower.startsWith("kms:get") || lower.startsWith("kms:list")
        ? "other" : "administer";
  }

  private static String strongest(List<String> actions) {
    String best = "other";
    List<String> order = List.of("other", "use", "grant", "administer");
    for (String a : actions) {
      String k = kindOfAction(a);
      if (order.indexOf(k) > order.indexOf(best)) {
        best = k;
      }
    }
    return best;
  }

  /** {@code who-can}: a link from each allowed principal to the key; dashed, with the conditions, when conditional. */
  public static Diagram whoCan(String action, String keyArn, List<String> allowed, List<String> condWho,
      List<ConditionalDecision> cond) {
    Builder b = new Builder();
    b.arn(keyArn, "key");
    String keyAccount = accountOf(keyArn);
    for (String p : allowed) {
      b.arn(p, "principal");
      b.links.add(new Diagram.Link(p, keyArn, kindOfAction(action), false, crossAccount(p, keyAccount),
          false, action, p + " may call " + action));
    }
    for (int i = 0; i < condWho.size(); i++) {
      String p = condWho.get(i);
      b.arn(p, "principal");
      List<String> alts = new ArrayList<>();
      for (List<ResidualCondition> alt : cond.get(i).alternatives()) {
        List<String> parts = new ArrayList<>();
        for (ResidualCondition c : alt) {
          parts.add(c.display());
        }
        alts.add(String.join(" and ", parts));
      }
      b.links.add(new Diagram.Link(p, keyArn, kindOfAction(action), true, crossAccount(p, keyAccount),
          false, action + " if conditions hold", p + " may call " + action + " when "
              + String.join(" or when ", alts)));
    }
    return b.build("who can call " + action + " on " + keyArn);
  }

  /**
   * Whether a principal (an ARN, or an AWS service principal, which belongs to no account) is of another account
   * than the key's.
   */
  private static boolean crossAccount(String principal, String keyAccount) {
    String account = accountOf(principal);
    return account != null && !account.equals(keyAccount);
  }

  /** {@code access}: a node per class of principal outside the zone, linked to the key with its actions. */
  public static Diagram access(AccessReport report) {
    Builder b = new Builder();
    b.arn(report.keyArn(), "key");
    for (Finding f : report.findings()) {
      String id = "who:" + f.who();
      b.external(id, f.who(), f.who() + (f.exact() ? "" : " (over-approximation)"));
      boolean outsideOrg = report.zone().organizations().isEmpty() || f.kind() != Finding.Kind.ORGANIZATION;
      b.links.add(new Diagram.Link(id, report.keyArn(), strongest(f.actions()), !f.conditions().isEmpty(), true,
          outsideOrg && !report.zone().organizations().isEmpty(), label(f.actions()),
          String.join(", ", f.actions()) + (f.conditions().isEmpty() ? "" : "\nwhen " + String.join(" and ",
              f.conditions())) + "\nallowed by " + String.join(", ", f.statements())));
    }
    return b.build("access to " + report.keyArn() + " from outside " + report.zone().describe());
  }

  /** {@code check}: each refused request as a link from the principal to the resource; other findings as notes. */
  public static Diagram check(CheckResult result) {
    Builder b = new Builder();
    int n = 0;
    for (dev.keyward.analysis.Finding f : result.findings()) {
      if (f.missing().isEmpty()) {
        String id = "finding:" + n++;
        b.external(id, f.severity().label() + " [" + f.analysis() + "] " + shortSubject(f.subject()),
            f.subject() + ": " + f.message());
        if (f.subject() != null && f.subject().startsWith("arn:")) {
          b.arn(f.subject(), f.subject().contains(":key/") ? "key" : "principal");
          b.links.add(new Diagram.Link(id, f.subject(), "other", true, false, false, "", f.message()));
        }
        continue;
      }
      for (MissingRequest m : f.missing()) {
        b.arn(m.principal(), "principal");
        b.arn(m.resource(), m.resource().contains(":key/") ? "key" : "principal");
        String from = accountOf(m.principal());
        String to = accountOf(m.resource());
        b.links.add(new Diagram.Link(m.principal(), m.resource(), "missing", false, from != null && !from.equals(to),
            false, m.action() + " refused", f.severity().label() + " [" + f.analysis() + "] " + f.message()
                + (f.fix() == null ? "" : "\nfix: " + f.fix())));
      }
    }
    return b.build(result.findings().isEmpty() ? "no findings" : "requests that the checks found refused");
  }

  /** {@code diff}: for each key, the classes of principals that gain actions, as links marked new. */
  public static Diagram diff(List<PolicyDiff.Result> results) {
    Builder b = new Builder();
    for (PolicyDiff.Result r : results) {
      if (!r.hasNewAccess()) {
        continue;
      }
      b.arn(r.keyArn(), "key");
      for (PolicyDiff.NewAccess a : r.newAccess()) {
        String id = "who:" + a.who();
        b.external(id, a.who(), a.who());
        b.links.add(new Diagram.Link(id, r.keyArn(), "new", !a.conditions().isEmpty(), true, false,
            "+ " + label(a.actions()), "gains " + String.join(", ", a.actions()) + (a.conditions().isEmpty() ? ""
                : "\nwhen " + String.join(" and ", a.conditions())) + "\nby " + String.join(", ", a.statements())));
      }
    }
    return b.build("access the new version adds");
  }

  private static String label(List<String> actions) {
    return actions.size() <= 3 ? String.join(", ", actions) : String.join(", ", actions.subList(0, 2)) + " and "
        + (actions.size() - 2) + " more";
  }

  private static String shortSubject(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 48 ? "…" + s.substring(s.length() - 47) : s;
  }
}
