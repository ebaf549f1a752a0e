package dev.keyward.access;

import dev.keyward.eval.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * No new access: the requests that a new version of a key (its key policy and grants) allows and the old
 * one does not, over every principal (inside and outside the key's account) and every request context.
 * Each group of new access comes with a concrete example request that the concrete authorizer confirms:
 * ALLOW against the new key, a deny against the old one (in the world {@link Witness} builds).
 */
public final class PolicyDiff {

  /** Example cells kept per group to find one the authorizer confirms. */
  private static final int CANDIDATES = 8;

  private PolicyDiff() {}

  /**
   * One class of principal that gains actions.
   *
   * @param confirmed true when the authorizer confirmed the example (ALLOW under new, deny under old);
   *     false only where the model over-approximates (the new access may not exist)
   * @param note what the class holds when it is narrower than its heading (the service-linked roles of an
   *     account, which only they gain), or null
   */
  public record NewAccess(Finding.Kind kind, String principal, List<String> actions, List<String> conditions,
      List<String> statements, ExampleRequest example, boolean confirmed, Verdict oldVerdict, String note) {

    public NewAccess {
      actions = List.copyOf(actions);
      conditions = List.copyOf(conditions);
      statements = List.copyOf(statements);
    }

    public String who() {
      return kind == Finding.Kind.ANY_PRINCIPAL ? kind.text() : kind.text() + " " + principal;
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      m.put("principal", principal);
      m.put("actions", actions);
      m.put("conditions", conditions);
      m.put("statements", statements);
      m.put("confirmed", confirmed);
      m.put("oldDecision", oldVerdict.name());
      m.put("example", example.toMap());
      if (note != null) {
        m.put("note", note);
      }
      return m;
    }
  }

  /** What {@link #diff} found for one key. */
  public record Result(String keyArn, List<NewAccess> newAccess, List<String> notes) {

    public Result {
      newAccess = List.copyOf(newAccess);
      notes = List.copyOf(notes);
    }

    public boolean hasNewAccess() {
      return !newAccess.isEmpty();
    }

    /**
     * Whether some reported new access covers a request by {@code principal} (an ARN or service name) in
     * {@code organization} (or null) calling {@code action}.
     */
    public boolean covers(String principal, String organization, String action) {
      return covers(principal, null, organization, action);
    }

    /** Like {@link #covers(String, String, String)} for a federated user session made by {@code federatedBy}. */
    public boolean covers(String principal, String federatedBy, String organization, String action) {
      Who who = AccessReport.toWho(principal, federatedBy);
      if (who == null) {
        return false;
      }
      for (NewAccess n : newAccess) {
        if (n.actions().stream().noneMatch(a -> a.equalsIgnoreCase(action))) {
          continue;
        }
        boolean match = switch (n.kind()) {
          case SERVICE -> who.kind() == Who.Kind.SERVICE
              && (n.principal().equals("*") || n.principal().equals(who.service()));
          case ANY_PRINCIPAL -> who.kind() != Who.Kind.SERVICE;
          case ORGANIZATION -> who.kind() != Who.Kind.SERVICE && n.principal().equals(organization);
          case ACCOUNT -> n.principal().equals(who.account());
          case PRINCIPAL -> n.principal().equals(who.sessionArn()) || n.principal().equals(who.roleArn())
              || n.principal().equals(who.userArn()) || n.principal().equals(who.federatedBy());
        };
        if (match) {
          return true;
        }
      }
      return false;
    }

    public String text() {
      StringBuilder b = new StringBuilder();
      b.append("new access to ").append(keyArn).append('\n');
      if (newAccess.isEmpty()) {
        b.append("  none: the new version allows nothing that the old one does not\n");
      }
      for (NewAccess n : newAccess) {
        b.append('\n').append(n.who()).append(n.confirmed() ? "" : " (not confirmed: over-approximation)")
            .append('\n');
        b.append("  actions: ").append(String.join(", ", n.actions())).append('\n');
        if (!n.conditions().isEmpty()) {
          b.append("  conditions (of the allowing statements):\n");
          for (String c : n.conditions()) {
            b.append("    ").append(c).append('\n');
          }
        }
        b.append("  allowed by: ").append(String.join(", ", n.statements())).append('\n');
        if (n.note() != null) {
          b.append("  note: ").append(n.note()).append('\n');
        }
        b.append("  example: ").append(n.example().describe()).append('\n');
        b.append("    new: ALLOW, old: ").append(n.oldVerdict()).append('\n');
      }
      for (String n : notes) {
        b.append("\nnote: ").append(n).append('\n');
      }
      return b.toString();
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", keyArn);
      List<Object> ns = new ArrayList<>();
      for (NewAccess n : newAccess) {
        ns.add(n.toMap());
      }
      m.put("newAccess", ns);
      m.put("notes", notes);
      return m;
    }
  }

  /** The access {@code newer} gives that {@code older} does not. Both must be the same key. */
  public static Result diff(KeyTarget older, KeyTarget newer) {
    Space space = Space.build(List.of(older, newer), Zone.ofAccount(newer.account()));
    Cells cells = new Cells(space);
    Map<String, Group> groups = new LinkedHashMap<>();
    // the new policy read optimistically, the old one pessimistically: no new access is ever hidden
    new Explorer(space, new boolean[] {false, true}).walk((who, org) -> true, space.actionClasses, (who, org, actions, ctx, outcomes) -> {
      if (!outcomes[1].allowed() || outcomes[0].allowed()) {
        return true;
      }
      Finding.Kind kind = cells.kind(who, org);
      String principal = cells.principal(who, org);
      // a service-linked role escapes the SCPs and RCPs: what only such roles gain is a group of its own, so
      // that the group of the other principals of the same class lists only what they gain
      String slr = who.serviceLinked() ? ExternalAccess.SLR_SUFFIX : "";
      for (Rule r : outcomes[1].allows()) {
        Group g = groups.computeIfAbsent(kind + " " + principal + " " + r.source() + slr,
            x -> new Group(kind, principal, r));
        g.actions.addAll(actions);
        if (!slr.isEmpty() && !g.byAction.containsKey(actions.get(0))) {
          ExampleRequest ex = cells.example(newer, who, org, actions.get(0), ctx);
          for (String a : actions) {
            g.byAction.putIfAbsent(a, ex);
          }
        }
        if (g.candidates.size() < CANDIDATES || ExternalAccess.preference(who) > g.worst) {
          if (g.candidates.size() >= CANDIDATES) {
            g.candidates.remove(g.candidates.size() - 1);
          }
          g.candidates.add(cells.example(newer, who, org, actions.get(0), ctx));
          g.candidates.sort(java.util.Comparator.comparingInt(
              (ExampleRequest e) -> -ExternalAccess.preference(AccessReport.toWho(e.principal()))));
          g.worst = ExternalAccess.preference(AccessReport.toWho(g.candidates.get(g.candidates.size() - 1)
              .principal()));
        }
      }
      return true;
    });
    List<NewAccess> out = new ArrayList<>();
    for (Map.Entry<String, Group> e : groups.entrySet()) {
      Group g = e.getValue();
      String note = null;
      if (e.getKey().endsWith(ExternalAccess.SLR_SUFFIX)) {
        Group others = groups.get(e.getKey().substring(0, e.getKey().length() - ExternalAccess.SLR_SUFFIX.length()));
        if (others != null) {
          g.actions.removeAll(others.actions);
          if (g.actions.isEmpty()) {
            continue;
          }
          // NOTE: the examples must be of actions the group still holds
          g.candidates.clear();
          for (String a : g.actions) {
            ExampleRequest ex = g.byAction.get(a);
            if (ex != null && !g.candidates.contains(ex) && g.candidates.size() < CANDIDATES) {
              g.candidates.add(ex);
            }
          }
        }
        note = ExternalAccess.SERVICE_LINKED_NOTE;
      }
      ExampleRequest chosen = g.candidates.get(0);
      boolean confirmed = false;
      Verdict oldVerdict = null;
      for (ExampleRequest ex : g.candidates) {
        Verdict n = Witness.decide(newer, ex).verdict();
        Verdict o = Witness.decide(older, ex).verdict();
        if (n == Verdict.ALLOW && o != Verdict.ALLOW) {
          chosen = ex;
          confirmed = true;
          oldVerdict = o;
          break;
        }
        if (oldVerdict == null) {
          oldVerdict = o;
        }
      }
      List<String> names = new ArrayList<>();
      for (String a : g.actions) {
        names.add(newer.canonical(a));
      }
      names.sort(String.CASE_INSENSITIVE_ORDER);
      out.add(new NewAccess(g.kind, g.principal, names, Cells.texts(g.rule.conditions()),
          List.of(g.rule.source()), chosen, confirmed, oldVerdict, note));
    }
    List<NewAccess> kept = new ArrayList<>();
    for (NewAccess f : out) {
      boolean subsumed = false;
      for (NewAccess g : out) {
        if (g != f && ExternalAccess.wider(g.kind(), g.principal(), f.kind(), f.principal())
            && g.actions().containsAll(f.actions()) && g.statements().equals(f.statements())
            && (g.confirmed() || !f.confirmed())) {
          subsumed = true;
          break;
        }
      }
      if (!subsumed) {
        kept.add(f);
      }
    }
    out = kept;
    out.sort(Comparator.comparing(NewAccess::kind).thenComparing(NewAccess::principal)
        .thenComparing(n -> String.join(",", n.statements())));
    List<String> notes = new ArrayList<>(space.notes);
    if (older.guards().isNone() && newer.guards().isNone()) {
      notes.add("identity policies, permissions boundaries and SCPs are not compared: every principal's own IAM"
          + " policies are assumed to allow");
    } else {
      notes.add("the worlds' SCPs, RCPs and VPC endpoint policies are compared; identity policies, permissions"
          + " boundaries and session policies are not: every principal's own IAM policies are assumed to allow");
    }
    return new Result(newer.keyArn(), out, notes);
  }

  private static final class Group {
    final Finding.Kind kind;
    final String principal;
    final Rule rule;
    final Set<String> actions = new TreeSet<>();
    final List<ExampleRequest> candidates = new ArrayList<>();
    /** For a group of service-linked roles: an example per (lower-case) action. */
    final Map<String, ExampleRequest> byAction = new LinkedHashMap<>();
    int worst = Integer.MAX_VALUE;

    Group(Finding.Kind kind, String principal, Rule rule) {
      this.kind = kind;
      this.principal = principal;
      this.rule = rule;
    }
  }

}
