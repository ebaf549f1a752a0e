package dev.keyward.lint;

import dev.keyward.access.AccessReport;
import dev.keyward.access.ExternalAccess;
import dev.keyward.access.Finding;
import dev.keyward.access.KeyTarget;
import dev.keyward.access.Zone;
import dev.keyward.iam.IamReference;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Problem;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Optional;
import java.util.Set;

/**
 * The checks the Keyward language cannot say, by the name rule files give them in {@code javaCheck}:
 * reporting the parser problems that no rule claims (it needs to know every other rule), and the exposure
 * of a key policy, which asks the external-access analysis (docs/access-analysis.md) over every principal
 * and every request context.
 */
final class JavaChecks {

  /** {@code unclaimed-problems}: every parser problem whose code no loaded rule lists in problemCodes. */
  static final String UNCLAIMED_PROBLEMS = "unclaimed-problems";

  /**
   * {@code wildcard-principal}: in a key policy, every statement through which any AWS principal outside
   * the key's account can use the key (the analysis' "any AWS principal" findings); in other resource and
   * trust policies, which the analysis does not cover, a wildcard principal in an Allow without a
   * restrictive condition (docs/linting.md, "Restrictive conditions").
   */
  static final String WILDCARD_PRINCIPAL = "wildcard-principal";

  /**
   * {@code other-account-key-use}: in a key policy whose account is known, every statement through which
   * any principal of one other account, or an organization's principals, can use the key for cryptography
   * (the analysis' findings of those classes) with no condition beyond which account the caller is in.
   * Named roles and users of another account are the advised fix, and are not reported.
   */
  static final String OTHER_ACCOUNT_KEY_USE = "other-account-key-use";

  static final List<String> NAMES = List.of(UNCLAIMED_PROBLEMS, WILDCARD_PRINCIPAL, OTHER_ACCOUNT_KEY_USE);

  /** The cryptographic operations KW104 is about. */
  static final List<String> USAGE = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
      "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
      "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateMac", "kms:Sign", "kms:DeriveSharedSecret");

  /** Condition keys that only say who the caller is, not how or on which data it may use the key. */
  static final Set<String> WHO_KEYS = Set.of("kms:calleraccount", "aws:principalaccount", "aws:principalorgid",
      "aws:principalorgpaths", "aws:principaltype");

  /** The account a key policy is analysed for when no Allow statement names its account's root. */
  static final String PLACEHOLDER_ACCOUNT = "000000000000";

  /** Condition keys that say who the caller is (or on whose behalf a service calls). */
  static final Set<String> RESTRICTIVE = Set.of("kms:calleraccount", "kms:viaservice", "aws:principalorgid",
      "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn",
      "aws:sourceorgid", "aws:sourceorgpaths");

  private JavaChecks() {}

  /**
   * The last analysis on this thread: KW200 and KW104 ask the same question of the same key policy one after
   * the other (the linter runs every rule on a subject before the next subject), and the analysis is the
   * most expensive step of linting a key policy. Keyed by the policy's identity and the zone's account.
   */
  private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

  private static AccessReport analysis(PolicyDocument policy, String keyArn, String account) {
    Object[] last = LAST.get();
    if (last != null && last[0] == policy && last[1].equals(keyArn)) {
      return (AccessReport) last[2];
    }
    AccessReport report = ExternalAccess.analyze(KeyTarget.of(keyArn, policy, IamReference.bundled()),
        Zone.ofAccount(account));
    LAST.set(new Object[] {policy, keyArn, report});
    return report;
  }

  static List<Evaluator.Hit> run(String name, Subject subject, Set<String> claimedCodes) {
    switch (name) {
      case UNCLAIMED_PROBLEMS:
        return unclaimed(subject, claimedCodes);
      case WILDCARD_PRINCIPAL:
        if (subject.policy() == null) {
          return List.of();
        }
        return subject.type() == PolicyType.KEY_POLICY ? keyExposure(subject.policy(), subject.ownerAccount())
            : wildcardUnrestricted(subject.policy());
      case OTHER_ACCOUNT_KEY_USE:
        return subject.policy() == null ? List.of() : otherAccountUse(subject.policy());
      default:
        throw new IllegalArgumentException("unknown Java check " + name);
    }
  }

  private static List<Evaluator.Hit> unclaimed(Subject subject, Set<String> claimedCodes) {
    List<Evaluator.Hit> hits = new ArrayList<>();
    for (Problem p : subject.problems()) {
      if (!claimedCodes.contains(p.code())) {
        hits.add(new Evaluator.Hit(p, p.message() + " [" + p.code() + "]"));
      }
    }
    return hits;
  }

  /**
   * The "any AWS principal" findings of the external-access analysis of a key policy, with the zone = the
   * key's account ({@link KeyTarget#accountOf}; else the account of the document around the policy, such as
   * a template's stack; else {@link #PLACEHOLDER_ACCOUNT}),
   * one hit per allowing statement, at its Principal element. Runs only when an Allow statement has a
   * wildcard principal or a NotPrincipal: no other statement can give access to any principal.
   */
  static List<Evaluator.Hit> keyExposure(PolicyDocument policy, String ownerAccount) {
    boolean open = false;
    for (Statement s : policy.statements()) {
      if (s.effect() == Effect.ALLOW && s.principal() != null
          && (s.principal().negated() || s.principal().matchesEveryAwsPrincipal())) {
        open = true;
        break;
      }
    }
    if (!open) {
      return List.of();
    }
    Optional<String> named = KeyTarget.accountOf(policy);
    if (named.isEmpty() && ownerAccount != null) {
      named = Optional.of(ownerAccount);
    }
    String account = named.orElse(PLACEHOLDER_ACCOUNT);
    String keyArn = "arn:aws:kms:us-east-1:" + account + ":key/00000000-0000-0000-0000-000000000000";
    AccessReport report;
    try {
      report = analysis(policy, keyArn, account);
    } catch (IllegalStateException e) {
      // more distinct principal patterns than the analysis enumerates: fail safe, with the old reading
      return wildcardUnrestricted(policy);
    }
    Map<String, Statement> bySource = new HashMap<>();
    for (Statement s : policy.statements()) {
      bySource.put(policy.name() + " " + s.label(), s);
    }
    String zone = named.isPresent() ? "the key's account " + account
        : "the key's account (the policy names none; analysed as " + account + ")";
    List<Evaluator.Hit> hits = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (f.kind() != Finding.Kind.ANY_PRINCIPAL) {
        continue;
      }
      String conditions = f.conditions().isEmpty() ? "without any condition"
          : "when " + asWritten(f.conditions());
      for (String source : f.statements()) {
        Statement s = bySource.get(source);
        if (s == null) {
          continue;
        }
        hits.add(new Evaluator.Hit(s.principal() != null ? s.principal() : s, "statement " + s.label()
            + " lets any AWS principal outside " + zone + " call " + actions(f.actions()) + " " + conditions
            + (f.exact() ? "" : " (over-approximation: the access may not exist)")));
      }
    }
    return hits;
  }

  /**
   * The "other account" and "organization" findings of the analysis of a key policy whose
   * account {@link KeyTarget#accountOf} knows (zone = that account), for the cryptographic operations in
   * {@link #USAGE}, through statements whose conditions only say who the caller is. Quiet when the key's
   * account is unknown (every named account would be "other"). Runs only when an Allow names a principal
   * that is not of the key's account.
   */
  static List<Evaluator.Hit> otherAccountUse(PolicyDocument policy) {
    Optional<String> owner = KeyTarget.accountOf(policy);
    if (owner.isEmpty()) {
      return List.of();
    }
    String account = owner.get();
    boolean foreign = false;
    for (Statement s : policy.statements()) {
      if (s.effect() != Effect.ALLOW || s.principal() == null) {
        continue;
      }
      if (s.principal().negated() || s.principal().anyone()) {
        foreign = true;
      }
      for (PrincipalValue v : s.principal().values()) {
        if (!v.value().contains(":" + account + ":") && !v.value().equals(account)) {
          foreign = true;
        }
      }
    }
    if (!foreign) {
      return List.of();
    }
    String keyArn = "arn:aws:kms:us-east-1:" + account + ":key/00000000-0000-0000-0000-000000000000";
    AccessReport report;
    try {
      report = analysis(policy, keyArn, account);
    } catch (IllegalStateException e) {
      return List.of();
    }
    Map<String, Statement> bySource = new HashMap<>();
    for (Statement s : policy.statements()) {
      bySource.put(policy.name() + " " + s.label(), s);
    }
    List<Evaluator.Hit> hits = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (f.kind() != Finding.Kind.ACCOUNT && f.kind() != Finding.Kind.ORGANIZATION) {
        continue;
      }
      List<String> used = new ArrayList<>();
      for (String a : f.actions()) {
        if (USAGE.stream().anyMatch(u -> u.equalsIgnoreCase(a))) {
          used.add(a);
        }
      }
      if (used.isEmpty()) {
        continue;
      }
      for (String source : f.statements()) {
        Statement s = bySource.get(source);
        if (s == null || !onlyWho(s)) {
          continue;
        }
        String when = s.conditions().isEmpty() ? "without any condition"
            : "with no condition on how it is used (only " + asWritten(f.conditions()) + ")";
        hits.add(new Evaluator.Hit(where(s, f), "`" + f.who() + "` outside the key's account " + account
            + " may call " + actions(used) + " through statement " + s.label() + " " + when
            + (f.exact() ? "" : " (over-approximation: the access may not exist)")));
      }
    }
    return hits;
  }

  private static boolean onlyWho(Statement s) {
    for (Condition c : s.conditions()) {
      if (!WHO_KEYS.contains(c.key().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /** The Principal value that names the finding's principal or account, else the Principal, else the statement. */
  private static Object where(Statement s, Finding f) {
    if (s.principal() == null) {
      return s;
    }
    for (PrincipalValue v : s.principal().values()) {
      if (v.value().equals(f.principal()) || v.value().contains(":" + f.principal() + ":")) {
        return v;
      }
    }
    return s.principal();
  }

  private static String actions(List<String> actions) {
    if (actions.size() <= 4) {
      return String.join(", ", actions);
    }
    return String.join(", ", actions.subList(0, 4)) + " and " + (actions.size() - 4) + " more";
  }

  /**
   * A wildcard principal in an Allow without a condition on a key in {@link #RESTRICTIVE} that restricts
   * (not negated, not IfExists, not ForAllValues, no value {@code *}).
   */
  static List<Evaluator.Hit> wildcardUnrestricted(PolicyDocument policy) {
    List<Evaluator.Hit> hits = new ArrayList<>();
    for (Statement s : policy.statements()) {
      if (s.effect() != Effect.ALLOW || s.principal() == null || !s.principal().matchesEveryAwsPrincipal()) {
        continue;
      }
      boolean restricted = false;
      for (Condition c : s.conditions()) {
        if (RESTRICTIVE.contains(c.key().toLowerCase(Locale.ROOT)) && !(c.operator() != null && c.operator().negated())
            && !c.ifExists() && c.qualifier() != SetQualifier.FOR_ALL_VALUES
            && c.values().stream().map(ConditionValue::text).noneMatch("*"::equals)) {
          restricted = true;
          break;
        }
        // `Bool aws:PrincipalIsAWSService true`: only AWS services' own principals, which act for their
        // customers (confused-deputy protection is KW202's concern)
        if (c.key().equalsIgnoreCase("aws:PrincipalIsAWSService") && c.operator() != null
            && !c.operator().negated() && !c.ifExists() && c.operator().awsName().equals("Bool")
            && !c.values().isEmpty() && c.values().stream().map(ConditionValue::text).allMatch("true"::equalsIgnoreCase)) {
          restricted = true;
          break;
        }
        // aws:PrincipalServiceName is in the request only when a service principal calls, so requiring a
        // value of it (not "*") limits the callers to that service
        if (c.key().equalsIgnoreCase("aws:PrincipalServiceName") && c.operator() != null
            && !c.operator().negated() && !c.operator().awsName().equals("Null") && !c.ifExists() && c.qualifier() != SetQualifier.FOR_ALL_VALUES
            && !c.values().isEmpty() && c.values().stream().map(ConditionValue::text).noneMatch("*"::equals)) {
          restricted = true;
          break;
        }
      }
      if (!restricted) {
        hits.add(new Evaluator.Hit(s.principal(), "statement " + s.label() + " allows any principal without a"
            + " condition that limits who it is (such as `aws:PrincipalOrgID` or `kms:CallerAccount`)"));
      }
    }
    return hits;
  }

  private static final Pattern ANALYSED_CONDITION =
      Pattern.compile("(\\S+) (\\S+) \\[(.*)\\]");

  /**
   * The analysis' conditions ({@code StringEquals kms:CallerAccount [111122223333]}) as a policy writes them:
   * {@code "StringEquals": {"kms:CallerAccount": "111122223333"}}, joined by "and".
   */
  static String asWritten(List<String> conditions) {
    List<String> out = new ArrayList<>();
    for (String c : conditions) {
      Matcher m = ANALYSED_CONDITION.matcher(c);
      if (!m.matches()) {
        out.add(c);
        continue;
      }
      List<String> values = new ArrayList<>();
      for (String v : m.group(3).split(", ", -1)) {
        values.add("\"" + v + "\"");
      }
      String value = values.size() == 1 ? values.get(0) : "[" + String.join(", ", values) + "]";
      out.add("`\"" + m.group(1) + "\": {\"" + m.group(2) + "\": " + value + "}`");
    }
    return String.join(" and ", out);
  }
}
