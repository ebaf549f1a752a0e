package dev.keyward.access;

import dev.keyward.iam.IamReference;
import dev.keyward.model.PolicyDocument;
import dev.keyward.world.KmsKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * External access of a KMS key: over every principal and every request context (not only those a world
 * lists), which principals outside a zone of trust can perform which actions on the key, under which
 * conditions. Sound: an access that the key policy and grants give is never missed; where the model
 * cannot be exact the finding says so ({@link Finding#exact()} false). The other accounts' IAM policies are
 * unknown, so they are assumed to allow (every cross-account finding says so).
 *
 * <pre>{@code
 * AccessReport r = ExternalAccess.analyze(KeyTarget.of(keyArn, policy, IamReference.bundled()),
 *     Zone.ofAccount("111111111111"));
 * Optional<ExampleRequest> leak = ExternalAccess.of(target)
 *     .canAnyoneOutside(Zone.ofOrganization("o-abc"), "kms:Decrypt", keyArn);
 * }</pre>
 */
public final class ExternalAccess {

  static final String IAM_NOTE = "the caller's own IAM policies must allow it too; they are not known to"
      + " the analysis and are assumed to allow";

  static final String GRANT_NOTE = "a grant needs no IAM policy in the grantee's account (docs/evaluation.md,"
      + " section 5); explicit denies still apply";

  static final String SERVICE_LINKED_NOTE = "only through service-linked roles (path /aws-service-role/), which"
      + " SCPs and RCPs do not restrict (docs/evaluation.md, sections 4 and 4b)";

  /** Marks the builder of the cells of service-linked roles, apart from the other callers of the same class. */
  static final String SLR_SUFFIX = " \u0000service-linked";

  private final KeyTarget target;
  /** The request space per zone, built once (immutable once built; the analysis of one key reuses it). */
  private final java.util.concurrent.ConcurrentHashMap<Zone, Space> spaces = new java.util.concurrent.ConcurrentHashMap<>();

  private ExternalAccess(KeyTarget target) {
    this.target = target;
  }

  private Space space(Zone zone) {
    return spaces.computeIfAbsent(zone, z -> Space.build(List.of(target), z));
  }

  public static ExternalAccess of(KeyTarget target) {
    return new ExternalAccess(target);
  }

  /** The key policy alone, for {@code keyArn}. */
  public static ExternalAccess of(String keyArn, PolicyDocument keyPolicy) {
    return new ExternalAccess(KeyTarget.of(keyArn, keyPolicy, IamReference.bundled()));
  }

  /** A key of a world, with its grants. */
  public static ExternalAccess of(KmsKey key) {
    return new ExternalAccess(KeyTarget.of(key, IamReference.bundled()));
  }

  /**
   * A key of a world, with its grants and what the world says around it: RCPs, SCPs, VPC endpoint policies
   * and where each account sits in the organizations ({@link KeyTarget#of(KmsKey, dev.keyward.world.World,
   * IamReference)}).
   */
  public static ExternalAccess of(KmsKey key, dev.keyward.world.World world) {
    return new ExternalAccess(KeyTarget.of(key, world, IamReference.bundled()));
  }

  /** Shorthand for {@code of(target).analyze(zone)}. */
  public static AccessReport analyze(KeyTarget target, Zone zone) {
    return of(target).analyze(zone);
  }

  public KeyTarget target() {
    return target;
  }

  /**
   * Every class of principal outside {@code zone} that can use the key.
   *
   * @throws IllegalStateException when the policies name more distinct principal, service or organization
   *     patterns than the analysis enumerates (hundreds of regions); never for typical key policies
   */
  public AccessReport analyze(Zone zone) {
    Space space = space(zone);
    Cells cells = new Cells(space);
    Map<String, Builder> builders = new LinkedHashMap<>();
    Map<String, Set<String>> denied = new LinkedHashMap<>();
    new Explorer(space).walk(outside(zone), space.actionClasses, (who, org, actions, ctx, outcomes) -> {
      Space.Outcome o = outcomes[0];
      Finding.Kind kind = cells.kind(who, org);
      String principal = cells.principal(who, org);
      String id = kind + " " + principal;
      // a service-linked role escapes the SCPs and RCPs: what only such roles get is a finding of its own, so
      // the finding for the other principals of the same class lists only what they get
      String slr = who.serviceLinked() ? SLR_SUFFIX : "";
      if (!o.allowed()) {
        for (Rule a : o.allows()) {
          for (Rule d : o.denies()) {
            denied.computeIfAbsent(id + " " + a.source() + slr, x -> new LinkedHashSet<>()).add(d.source());
          }
        }
        return true;
      }
      for (Rule r : o.allows()) {
        Builder b = builders.computeIfAbsent(id + " " + r.source() + slr, x -> new Builder(kind, principal, id,
            cells.example(target, who, org, actions.get(0), ctx)));
        b.add(actions, o, r, who);
        if (!slr.isEmpty() && !b.byAction.containsKey(actions.get(0))) {
          ExampleRequest ex = cells.example(target, who, org, actions.get(0), ctx);
          for (String a : actions) {
            b.byAction.putIfAbsent(a, ex);
          }
        }
        int score = (o.approximate() ? 0 : 10) + preference(who);
        if (score > b.exampleScore) {
          b.example = cells.example(target, who, org, actions.get(0), ctx);
          b.exampleScore = score;
        }
      }
      return true;
    });
    List<Finding> findings = new ArrayList<>();
    for (Map.Entry<String, Builder> e : builders.entrySet()) {
      String key = e.getKey();
      Builder b = e.getValue();
      Set<String> deniedBy = new LinkedHashSet<>(denied.getOrDefault(key, Set.of()));
      if (key.endsWith(SLR_SUFFIX)) {
        String othersKey = key.substring(0, key.length() - SLR_SUFFIX.length());
        // what keeps the other principals of the class out is what the service-linked roles escape
        deniedBy.addAll(denied.getOrDefault(othersKey, Set.of()));
        Builder others = builders.get(othersKey);
        if (others != null) {
          b.actions.removeAll(others.actions);
          if (b.actions.isEmpty()) {
            continue;
          }
          b.example = b.byAction.get(b.actions.iterator().next());
        }
      }
      findings.add(b.build(target, deniedBy));
    }
    findings = dropSubsumed(findings);
    findings.sort(Comparator.comparing(Finding::kind).thenComparing(Finding::principal)
        .thenComparing(f -> String.join(",", f.statements())));
    return new AccessReport(target.keyArn(), zone, findings, space.notes, cells);
  }

  /**
   * A request by a principal outside {@code zone} that the key allows for {@code action} (an action name
   * or pattern, e.g. {@code kms:Decrypt} or {@code kms:ReEncrypt*}) on {@code resource} (the key's ARN or
   * {@code *}; any other resource is not this key, and the answer is empty). An example the model reached
   * only through an approximation is returned when no exact one exists: a sound check treats it as a leak.
   */
  public Optional<ExampleRequest> canAnyoneOutside(Zone zone, String action, String resource) {
    if (!resource.equals("*") && !resource.equals(target.keyArn())) {
      return Optional.empty();
    }
    Space space = space(zone);
    List<List<String>> classes = new ArrayList<>();
    for (List<String> c : space.actionClasses) {
      List<String> keep = new ArrayList<>();
      for (String a : c) {
        if (Rule.globMatches(action, a, true)) {
          keep.add(a);
        }
      }
      if (!keep.isEmpty()) {
        classes.add(keep);
      }
    }
    Cells cells = new Cells(space);
    ExampleRequest[] found = new ExampleRequest[2];
    new Explorer(space).walk(outside(zone), classes, (who, org, actions, ctx, outcomes) -> {
      Space.Outcome o = outcomes[0];
      if (!o.allowed()) {
        return true;
      }
      ExampleRequest ex = cells.example(target, who, org, actions.get(0), ctx);
      if (!o.approximate()) {
        found[0] = ex;
        return false;
      }
      if (found[1] == null) {
        found[1] = ex;
      }
      return true;
    });
    return Optional.ofNullable(found[0] != null ? found[0] : found[1]);
  }

  /**
   * Which caller makes the most telling example: a role session, then a role, a user, a root, a service-linked
   * role, a service.
   */
  static int preference(Who who) {
    if (who.serviceLinked()) {
      return 1; // a service-linked role: only when no other caller makes the example
    }
    return switch (who.kind()) {
      case SESSION -> 5;
      case FEDERATED -> 3;
      case ROLE -> 4;
      case USER -> 3;
      case ROOT -> 2;
      case SERVICE -> 0;
    };
  }

  private static Explorer.Filter outside(Zone zone) {
    return (who, org) -> who.kind() == Who.Kind.SERVICE || !zone.contains(who.account(), org);
  }

  /**
   * Drops a finding that another finding of a wider class (an account over its principals, any principal
   * over an organization, any service over one service) already states: same statements, at least the
   * same actions.
   */
  private static List<Finding> dropSubsumed(List<Finding> fs) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : fs) {
      boolean subsumed = false;
      for (Finding g : fs) {
        if (g != f && wider(g.kind(), g.principal(), f.kind(), f.principal()) && g.actions().containsAll(f.actions())
            && new TreeSet<>(g.statements()).equals(new TreeSet<>(f.statements())) && (g.exact() || !f.exact())) {
          subsumed = true;
          break;
        }
      }
      if (!subsumed) {
        out.add(f);
      }
    }
    return out;
  }

  /** Whether class (gk, gp) contains class (fk, fp) as far as one statement can tell them apart. */
  static boolean wider(Finding.Kind gk, String gp, Finding.Kind fk, String fp) {
    if (fk == Finding.Kind.SERVICE || gk == Finding.Kind.SERVICE) {
      return gk == fk && gp.equals("*") && !fp.equals("*");
    }
    if (gk == Finding.Kind.ACCOUNT && fk == Finding.Kind.PRINCIPAL) {
      return gp.equals(Cells.accountOf(fp));
    }
    return rank(gk) < rank(fk) && gk != Finding.Kind.ACCOUNT;
  }

  private static int rank(Finding.Kind k) {
    return switch (k) {
      case ANY_PRINCIPAL -> 0;
      case ORGANIZATION -> 1;
      case ACCOUNT -> 2;
      case PRINCIPAL -> 3;
      case SERVICE -> 4;
    };
  }

  private static final class Builder {
    final Finding.Kind kind;
    final String principal;
    final String classId;
    final Set<String> actions = new TreeSet<>();
    final Set<String> conditions = new LinkedHashSet<>();
    final Set<String> statements = new LinkedHashSet<>();
    final Set<String> notes = new LinkedHashSet<>();
    /** For the service-linked roles' finding: an example per (lower-case) action. */
    final Map<String, ExampleRequest> byAction = new java.util.HashMap<>();
    boolean exact = true;
    /** Whether every caller seen is a service-linked role (or its session). */
    boolean onlyServiceLinked = true;
    int exampleScore = -1;
    ExampleRequest example;

    Builder(Finding.Kind kind, String principal, String classId, ExampleRequest example) {
      this.kind = kind;
      this.principal = principal;
      this.classId = classId;
      this.example = example;
    }

    void add(List<String> acts, Space.Outcome o, Rule r, Who who) {
      actions.addAll(acts);
      onlyServiceLinked &= who.serviceLinked();
      statements.add(r.source());
      conditions.addAll(Cells.texts(r.conditions()));
      if (r.approximate()) {
        notes.add(r.source().startsWith("grant") ? "a grant's EncryptionContextEquals constraint is modelled"
            + " as a subset constraint (other context pairs are not ruled out)"
            : "a policy variable in the Resource element is assumed to match the key");
      }
      if (o.approximate()) {
        exact = false;
      }
      if (who.kind() != Who.Kind.SERVICE && !r.label().startsWith("grant ")) {
        notes.add(IAM_NOTE);
      }
      if (r.label().startsWith("grant ")) {
        notes.add(GRANT_NOTE);
      }
    }

    Finding build(KeyTarget target, Set<String> deniedBy) {
      List<String> names = new ArrayList<>();
      for (String a : actions) {
        names.add(target.canonical(a));
      }
      names.sort(String.CASE_INSENSITIVE_ORDER);
      List<String> ns = new ArrayList<>(notes);
      if (onlyServiceLinked) {
        ns.add(SERVICE_LINKED_NOTE);
      }
      if (!exact) {
        ns.add("over-approximation: some conditions were modelled as unknown (see the notes below the"
            + " findings); the access may not exist");
      }
      return new Finding(kind, principal, names, new ArrayList<>(conditions), new ArrayList<>(statements),
          new ArrayList<>(deniedBy), exact, ns, example);
    }
  }
}
