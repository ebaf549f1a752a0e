package dev.keyward.access;

import static dev.keyward.model.KmsOperationFacts.CONSTRAINTS_IGNORED_ACTIONS;
import static dev.keyward.model.KmsOperationFacts.GRANT_ACTIONS;
import static dev.keyward.model.KmsOperationFacts.RETIRE_GRANT_ACTION;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.iam.IamReference;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import dev.keyward.model.ValueKind;
import dev.keyward.world.Grant;
import dev.keyward.world.KmsKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the analysis reasons about: one KMS key, its key policy and its grants, turned into {@link Rule}s.
 * Identity policies, permissions boundaries and SCPs are not part of it: for principals the analysis does
 * not know (every principal of every other account) they are unknown, so the analysis assumes they may
 * allow. They can only take access away, so leaving them out keeps the answer sound.
 */
public final class KeyTarget {

  private final KmsKey kmsKey;
  private final Arn key;
  private final String keyArn;
  private final PolicyDocument policy;
  private final List<Grant> grants;
  private final List<Rule> rules;
  /** Every KMS action, lower-case, to its canonical name. */
  private final Map<String, String> actions;
  /** The world around the key (RCPs, SCPs, VPC endpoints, organizations), or {@link Guards#NONE}. */
  private final Guards guards;

  private KeyTarget(KmsKey kmsKey, IamReference reference, dev.keyward.world.World world) {
    this.kmsKey = kmsKey;
    Arn key = kmsKey.arn();
    PolicyDocument policy = kmsKey.policy();
    List<Grant> grants = kmsKey.grants();
    this.key = key;
    this.keyArn = key.toString();
    this.policy = policy;
    this.grants = List.copyOf(grants);
    Map<String, String> acts = new LinkedHashMap<>();
    for (String a : reference.expand("kms:*")) {
      acts.put(a.toLowerCase(Locale.ROOT), a);
    }
    this.actions = Map.copyOf(acts);
    List<Rule> rs = new ArrayList<>();
    for (Statement s : policy.statements()) {
      Rule r = statementRule(policy, s, actions.keySet(), keyArn, true);
      if (r != null) {
        rs.add(r);
      }
    }
    for (Grant g : grants) {
      rs.addAll(grantRules(g));
    }
    this.rules = List.copyOf(rs);
    this.guards = world == null ? Guards.NONE : Guards.of(world, kmsKey, actions.keySet());
  }

  /** A key policy alone, for the key {@code keyArn}. */
  public static KeyTarget of(String keyArn, PolicyDocument keyPolicy, IamReference reference) {
    Arn arn = Arn.parse(keyArn).orElseThrow(() -> new IllegalArgumentException("not an ARN: `" + keyArn + "`"));
    return new KeyTarget(new KmsKey(arn, keyPolicy, false, List.of(), dev.keyward.world.KeyMetadata.defaults(),
        keyPolicy.source()), reference, null);
  }

  /**
   * The account a key policy most likely belongs to, for a policy read without its key: the account whose
   * principal ({@code arn:aws:iam::ACCOUNT:root}) its first Allow statement names, as the default key
   * policy's "Enable IAM policies" statement does. Empty when no Allow names an account principal.
   */
  public static java.util.Optional<String> accountOf(PolicyDocument keyPolicy) {
    return java.util.Optional.ofNullable(Inputs.inferAccount(keyPolicy));
  }

  /** A key of a world, with its key policy (the default one when the world gave none) and its grants. */
  public static KeyTarget of(KmsKey key, IamReference reference) {
    return new KeyTarget(key, reference, null);
  }

  /**
   * A key of a world with what the world says around it: the RCPs of the key's account, the SCPs of the
   * callers' accounts (root, units, account), the VPC endpoints and their policies, and where each account
   * sits in the organizations. They can only take access away, and the analysis applies them as the
   * authorizer does (docs/access-analysis.md, section 1).
   */
  public static KeyTarget of(KmsKey key, dev.keyward.world.World world, IamReference reference) {
    return new KeyTarget(key, reference, world);
  }

  /** What the world around the key adds (none for a key policy alone). */
  Guards guards() {
    return guards;
  }

  public String keyArn() {
    return keyArn;
  }

  /** The key as a world key (for a policy alone: the key with that policy, no grants, default metadata). */
  public KmsKey key() {
    return kmsKey;
  }

  public String account() {
    return key.account();
  }

  String partition() {
    return key.partition();
  }

  public PolicyDocument policy() {
    return policy;
  }

  public List<Grant> grants() {
    return grants;
  }

  List<Rule> rules() {
    return rules;
  }

  /** Every KMS action, lower-case to canonical name. */
  Map<String, String> actions() {
    return actions;
  }

  String canonical(String lowerAction) {
    return actions.getOrDefault(lowerAction, lowerAction);
  }

  /**
   * One statement as a rule. {@code keyPolicy}: a statement of the key policy (it needs a Principal, and
   * its Allow never covers kms:RetireGrant); otherwise a statement of an SCP, RCP or endpoint policy.
   */
  static Rule statementRule(PolicyDocument policy, Statement s, Set<String> actionNames, String keyArn,
      boolean keyPolicy) {
    if (s.effect() == null) {
      return null;
    }
    String src = policy.name() + " " + s.label();
    String problem = null;
    if (s.action() == null) {
      problem = "no Action or NotAction";
    } else if (s.resource() == null) {
      problem = "no Resource or NotResource";
    } else if (s.principal() == null && keyPolicy) {
      problem = "no Principal or NotPrincipal";
    }
    Set<String> acts = new HashSet<>();
    if (s.action() != null) {
      for (String a : actionNames) {
        boolean any = false;
        for (Located p : s.action().patterns()) {
          if (Rule.globMatches(p.value(), a, true)) {
            any = true;
            break;
          }
        }
        if (any != s.action().negated()) {
          acts.add(a);
        }
      }
      // kms:RetireGrant in a key policy has no effect: only grants authorize it (docs/evaluation.md, 5)
      if (s.effect() == Effect.ALLOW && keyPolicy) {
        acts.remove(RETIRE_GRANT_ACTION);
      }
    } else {
      acts.addAll(actionNames);
    }
    boolean approximate = false;
    boolean covers = true;
    boolean pessimistic = true;
    if (s.resource() != null) {
      boolean any = false;
      boolean anyPessimistic = false;
      for (Located p : s.resource().patterns()) {
        String v = p.value();
        if (policy.supportsPolicyVariables() && v.contains("${")) {
          // a variable in Resource makes coverage depend on the request: the optimistic reading gives more
          // access (an Allow covers the key, a Deny does not), the pessimistic one less
          approximate = true;
          if (s.effect() == Effect.ALLOW != s.resource().negated()) {
            any = true;
          } else {
            anyPessimistic = true;
          }
          continue;
        }
        if (v.equals("*") || resourceMatches(v, keyArn)) {
          any = true;
          anyPessimistic = true;
        }
      }
      covers = any != s.resource().negated();
      pessimistic = anyPessimistic != s.resource().negated();
    }
    List<ConditionMatcher> conds = new ArrayList<>();
    for (Condition c : s.conditions()) {
      conds.add(ConditionMatcher.compile(c, policy.supportsPolicyVariables()));
    }
    return new Rule(src, s.label(), s.effect(), s.principal(), acts, covers, conds, approximate, problem,
        pessimistic);
  }

  private static boolean resourceMatches(String pattern, String keyArn) {
    String[] segs = ConditionMatcher.splitArn(pattern);
    if (segs == null) {
      return Rule.globMatches(pattern, keyArn, false);
    }
    return Patterns.arnGlob(pattern).run(keyArn);
  }

  private List<Rule> grantRules(Grant g) {
    String label = "grant " + g.id();
    SourceRef where = g.source();
    String grantee = normalise(g.grantee());
    PrincipalElement who = new PrincipalElement(false, false,
        List.of(new PrincipalValue(PrincipalType.AWS, grantee, g.grantee(), where)), where);
    Set<String> plain = new HashSet<>();
    Set<String> constrained = new HashSet<>();
    for (String op : g.operations()) {
      String l = "kms:" + op.toLowerCase(Locale.ROOT);
      if (!GRANT_ACTIONS.contains(l)) {
        continue;
      }
      boolean hasConstraints = g.encryptionContextEquals() != null || g.encryptionContextSubset() != null;
      (hasConstraints && !CONSTRAINTS_IGNORED_ACTIONS.contains(l) ? constrained : plain).add(l);
    }
    List<Rule> out = new ArrayList<>();
    if (!plain.isEmpty()) {
      String src = constrained.isEmpty() ? label : label + " (operations its constraints do not apply to)";
      out.add(new Rule(src, label, Effect.ALLOW, who, plain, true, List.of(), false, null, true));
    }
    if (!constrained.isEmpty()) {
      List<ConditionMatcher> conds = new ArrayList<>();
      Map<String, String> pairs = new LinkedHashMap<>();
      if (g.encryptionContextSubset() != null) {
        pairs.putAll(g.encryptionContextSubset());
      }
      if (g.encryptionContextEquals() != null) {
        pairs.putAll(g.encryptionContextEquals());
      }
      for (Map.Entry<String, String> e : pairs.entrySet()) {
        Condition c = new Condition("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false,
            "kms:EncryptionContext:" + e.getKey(),
            List.of(new ConditionValue(e.getValue(), ValueKind.STRING, where)), where);
        conds.add(ConditionMatcher.compile(c, false));
      }
      // EncryptionContextEquals also forbids other pairs; modelled as a subset, which allows more
      out.add(new Rule(label, label, Effect.ALLOW, who, constrained, true, conds,
          g.encryptionContextEquals() != null, null, g.encryptionContextEquals() == null));
    }
    if (g.retiringPrincipal() != null && !g.retiringPrincipal().isEmpty()) {
      String rp = normalise(g.retiringPrincipal());
      PrincipalElement retiring = new PrincipalElement(false, false,
          List.of(new PrincipalValue(PrincipalType.AWS, rp, g.retiringPrincipal(), where)), where);
      out.add(new Rule(label + " (retiring principal)", label, Effect.ALLOW, retiring, Set.of(RETIRE_GRANT_ACTION),
          true, List.of(), false, null, true));
    }
    String issuing = g.issuingAccount() == null || g.issuingAccount().isEmpty() ? key.account()
        : Arn.parse(g.issuingAccount()).map(Arn::account).orElse(g.issuingAccount());
    if (Arn.isAccountId(issuing)) {
      String root = Arn.accountRoot(issuing);
      PrincipalElement acct = new PrincipalElement(false, false,
          List.of(new PrincipalValue(PrincipalType.AWS, root, issuing, where)), where);
      out.add(new Rule(label + " (issuing account)", label, Effect.ALLOW, acct, Set.of(RETIRE_GRANT_ACTION),
          true, List.of(), false, null, true));
    }
    return out;
  }

  private static String normalise(String principal) {
    return Arn.isAccountId(principal) ? Arn.accountRoot(principal) : principal;
  }
}
