package dev.keyward.analysis;

import dev.keyward.eval.Caller;
import dev.keyward.eval.ConditionalDecision;
import dev.keyward.request.Request;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.eval.StatementMatcher;
import dev.keyward.model.Arn;
import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Severity;
import dev.keyward.model.Statement;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KeySpecs;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code cross-account}: who outside a key's account can use it.
 * <ol>
 *   <li>every role and user of the world in another account that may call a cross-account operation on
 *       the key, with the operations and the conditions (decided symbolically by the authorizer, every
 *       context key left open): a note inside the key's organization, a warning outside it;
 *   <li>key policies that admit every AWS account: an account root outside the world is asked (its IAM
 *       allows everything, so only the key policy decides); each statement that admits it gets a fix that
 *       adds {@code aws:PrincipalOrgID} (or {@code kms:CallerAccount} when the key's account is in no
 *       organization), verified by asking again;
 *   <li>key policy statements that give another account operations that never work across accounts
 *       (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html):
 *       the authorizer refuses those before reading the key policy, so the statement is matched here with
 *       the evaluator's statement semantics ({@link StatementMatcher}).
 * </ol>
 */
final class CrossAccountAnalysis implements Analysis {

  static final String NAME = "cross-account";
  static final List<String> COMMON = List.of("kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants",
      "kms:RevokeGrant", "kms:GetKeyRotationStatus");
  static final List<String> LOCAL_ONLY = List.of("kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias",
      "kms:DeleteImportedKeyMaterial", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey",
      "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetParametersForImport", "kms:ImportKeyMaterial",
      "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy",
      "kms:ReplicateKey", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource",
      "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription", "kms:UpdatePrimaryRegion");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Finding> run(CheckContext ctx) {
    List<Finding> out = new ArrayList<>();
    String outsider = outsider(ctx.world());
    // the world's roles and users by account (accounts in the order their first principal appears)
    Map<String, List<KeyReach.Profile>> byAccount = new LinkedHashMap<>();
    for (IamPrincipal p : ctx.world().principals()) {
      byAccount.computeIfAbsent(p.account(), x -> new ArrayList<>()).add(KeyReach.Profile.of(p));
    }
    for (KmsKey key : ctx.world().keys()) {
      if (key.metadata().awsManaged()) {
        continue;
      }
      List<String> actions = actionsFor(key);
      KeyReach reach = KeyReach.of(key);
      inventory(ctx, key, reach, byAccount, actions, out);
      openToEveryAccount(ctx, key, reach, actions, outsider, out);
      localOnlyGrants(ctx, key, reach, byAccount.keySet(), outsider, out);
    }
    return out;
  }

  /** The cross-account operations that a key of this spec and usage supports. */
  static List<String> actionsFor(KmsKey key) {
    List<String> out = new ArrayList<>();
    for (String op : KeySpecs.grantOperationsFor(key.metadata().spec(), key.metadata().usage())) {
      if (!op.equals("RetireGrant") && !op.equals("CreateGrant") && !op.equals("DescribeKey")) {
        out.add("kms:" + op);
      }
    }
    out.addAll(COMMON);
    return out;
  }

  private void inventory(CheckContext ctx, KmsKey key, KeyReach reach,
      Map<String, List<KeyReach.Profile>> byAccount,
      List<String> actions, List<Finding> out) {
    Set<String> accountsWithPrincipals = byAccount.keySet();
    for (Map.Entry<String, List<KeyReach.Profile>> e : byAccount.entrySet()) {
      // NOTE: a principal that KeyReach rules out would be refused every action; asking it costs time only.
      // An account it does not admit has no principal it lets through (the findings are sorted afterwards)
      if (e.getKey().equals(key.account()) || !reach.admitsAccount(e.getKey())) {
        continue;
      }
      for (KeyReach.Profile profile : e.getValue()) {
        IamPrincipal p = profile.principal();
        if (reach.mayReach(profile)) {
          report(ctx, key, p.arn(), p.account(), "`" + p.arn() + "` (account " + p.account(), actions, out);
        }
      }
    }
    // accounts the world declares or the key names, with no role or user in the world: ask their root,
    // whose IAM allows everything, so the answer is what the key policy and grants admit for the account
    for (String account : namedAccounts(ctx.world(), key)) {
      if (!account.equals(key.account()) && !accountsWithPrincipals.contains(account)) {
        report(ctx, key, Arn.accountRoot(account), account, "account " + account
            + " (those of its principals that its IAM policies allow", actions, out);
      }
    }
  }

  /**
   * The accounts of the world's organizations and account entries, and those the key's policy and grants
   * name (candidates to ask, not answers: each is then asked the authorizer).
   */
  static Set<String> namedAccounts(World world, KmsKey key) {
    Set<String> accounts = new TreeSet<>();
    world.organizations().forEach(o -> accounts.addAll(o.accounts()));
    world.accounts().forEach(a -> accounts.add(a.id()));
    for (Statement s : key.policy().statements()) {
      if (s.principal() == null) {
        continue;
      }
      for (dev.keyward.model.PrincipalValue v : s.principal().values()) {
        Arn.parse(v.value()).map(Arn::account).filter(Arn::isAccountId).ifPresent(accounts::add);
      }
    }
    for (dev.keyward.world.Grant g : key.grants()) {
      Arn.parse(g.grantee()).map(Arn::account).filter(Arn::isAccountId).ifPresent(accounts::add);
    }
    return accounts;
  }

  private void report(CheckContext ctx, KmsKey key, String caller, String account, String who,
      List<String> actions, List<Finding> out) {
    Map<String, List<String>> actionsByCondition = new LinkedHashMap<>();
    for (String action : actions) {
      ConditionalDecision d = ctx.authorizer().authorizeSymbolic(
          new Request("", caller, action, key.arn().toString(), Map.of()), OpenKeys.forCaller(account, ctx.index()));
      if (d.outcome() == ConditionalDecision.Outcome.DENY) {
        continue;
      }
      Set<String> alternatives = new TreeSet<>();
      for (List<ResidualCondition> alt : d.alternatives()) {
        Set<String> parts = new TreeSet<>();
        for (ResidualCondition c : alt) {
          parts.add((c.mustHold() ? "" : "not ") + c.operator() + " " + c.key() + " " + c.values());
        }
        alternatives.add(String.join(" and ", parts));
      }
      String when = d.outcome() == ConditionalDecision.Outcome.ALLOW || alternatives.isEmpty()
          ? "without conditions" : "when " + String.join("; or ", alternatives);
      actionsByCondition.computeIfAbsent(when, x -> new ArrayList<>()).add(action);
    }
    if (actionsByCondition.isEmpty()) {
      return;
    }
    List<String> groups = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : actionsByCondition.entrySet()) {
      groups.add(String.join(", ", e.getValue()) + " " + e.getKey());
    }
    Organization keyOrg = ctx.index().organizationOf(key.account()).orElse(null);
    Organization pOrg = ctx.index().organizationOf(account).orElse(null);
    boolean sameOrg = keyOrg != null && pOrg != null && keyOrg.id().equals(pOrg.id());
    out.add(new Finding(NAME, sameOrg ? Severity.NOTE : Severity.WARNING, key.arn().toString(), who
        + (sameOrg ? ", same organization" : ", outside the key's organization") + ") can call "
        + String.join("; ", groups), List.of(), null, null));
  }

  private void openToEveryAccount(CheckContext ctx, KmsKey key, KeyReach reach, List<String> actions,
      String outsider, List<Finding> out) {
    String root = Arn.accountRoot(outsider);
    if (!reach.admitsAccount(outsider)) {
      return; // neither the key policy nor a grant lets the outside account in: every action is refused
    }
    List<String> admitted = admitted(ctx.authorizer(), key, actions, root);
    if (admitted.isEmpty()) {
      return;
    }
    Organization org = ctx.index().organizationOf(key.account()).orElse(null);
    World patched = ctx.world();
    PolicyDocument policy = key.policy();
    List<String> remaining = admitted;
    for (Statement s : policy.statements()) {
      if (s.effect() != Effect.ALLOW || s.principal() == null) {
        continue;
      }
      String fix = restricted(s, org, ctx.world(), key);
      World attempt = WorldPatch.keyStatement(patched, key.arn().toString(), fix, s.label());
      List<String> after = admitted(dev.keyward.eval.Authorizer.create(attempt), key, actions, root);
      if (after.size() < remaining.size()) {
        List<String> lost = new ArrayList<>(remaining);
        lost.removeAll(after);
        out.add(new Finding(NAME, Severity.ERROR, key.arn().toString(), "statement `" + s.label()
            + "` of the key policy lets every AWS account call " + String.join(", ", lost) + " on `" + key.arn()
            + "` (asked as `" + root + "`, an account outside the world)", missing(root, lost, key), policy.name(),
            fix));
        patched = attempt;
        remaining = after;
      }
      if (remaining.isEmpty()) {
        break;
      }
    }
    if (!remaining.isEmpty()) {
      out.add(new Finding(NAME, Severity.ERROR, key.arn().toString(), "every AWS account can call "
          + String.join(", ", remaining) + " on `" + key.arn() + "` (asked as `" + root + "`), through grants or"
          + " statements that an organization condition does not restrict", missing(root, remaining, key),
          policy.name(), null));
    }
  }

  private static List<MissingRequest> missing(String root, List<String> actions, KmsKey key) {
    List<MissingRequest> out = new ArrayList<>();
    for (String a : actions) {
      out.add(new MissingRequest(root, a, key.arn().toString(), Map.of()));
    }
    return out;
  }

  /** The actions an account root may call on the key in some context, by the authorizer. */
  private static List<String> admitted(dev.keyward.eval.Authorizer a, KmsKey key, List<String> actions,
      String root) {
    List<String> out = new ArrayList<>();
    for (String action : actions) {
      ConditionalDecision d = a.authorizeSymbolic(new Request("", root, action, key.arn().toString(), Map.of()),
          OpenKeys.forCaller(Repairs.accountOf(root), a.index()));
      if (d.outcome() != ConditionalDecision.Outcome.DENY) {
        out.add(action);
      }
    }
    return out;
  }

  /** The statement with a condition that keeps it inside the key's organization or the world's accounts. */
  private static String restricted(Statement s, Organization org, World world, KmsKey key) {
    Map<String, Object> m = Statements.toMap(s);
    Map<String, Map<String, List<String>>> cond = s.conditions().isEmpty() ? new LinkedHashMap<>()
        : Statements.conditions(s.conditions());
    Map<String, List<String>> eq = new LinkedHashMap<>(cond.getOrDefault("StringEquals", Map.of()));
    if (org != null) {
      eq.put("aws:PrincipalOrgID", List.of(org.id()));
    } else {
      Set<String> accounts = new TreeSet<>();
      accounts.add(key.account());
      for (IamPrincipal p : world.principals()) {
        accounts.add(p.account());
      }
      eq.put("kms:CallerAccount", List.copyOf(accounts));
    }
    cond.put("StringEquals", eq);
    m.put("Condition", cond);
    return JsonText.of(m);
  }

  private void localOnlyGrants(CheckContext ctx, KmsKey key, KeyReach reach, Set<String> principalAccounts,
      String outsider, List<Finding> out) {
    StatementMatcher matcher = StatementMatcher.create();
    Set<String> accounts = new LinkedHashSet<>(namedAccounts(ctx.world(), key));
    accounts.addAll(principalAccounts);
    accounts.add(outsider);
    accounts.remove(key.account());
    Map<Statement, Set<String>> opsByStatement = new LinkedHashMap<>();
    Map<Statement, Set<String>> accountsByStatement = new LinkedHashMap<>();
    for (String account : accounts) {
      // NOTE: only a key policy Allow that names the account (or everyone) can apply to its root, and
      // KeyReach admits every such account: the others would match no statement
      if (!reach.admitsAccount(account)) {
        continue;
      }
      Caller c = Caller.of(Arn.accountRoot(account), ctx.index());
      for (String op : LOCAL_ONLY) {
        for (Statement s : matcher.applying(key.policy(), Effect.ALLOW, c, op, key.arn().toString(),
            StatementMatcher.context(c, ctx.index(), key.account(), Map.of()), true, null)) {
          opsByStatement.computeIfAbsent(s, x -> new TreeSet<>()).add(op);
          accountsByStatement.computeIfAbsent(s, x -> new TreeSet<>()).add(account);
        }
      }
    }
    Caller owner = Caller.of(Arn.accountRoot(key.account()), ctx.index());
    for (Map.Entry<Statement, Set<String>> e : opsByStatement.entrySet()) {
      Statement s = e.getKey();
      boolean alsoOwner = !matcher.applying(new PolicyDocument("one", key.policy().type(), key.policy().version(),
          null, List.of(s), s.source()), Effect.ALLOW, owner, e.getValue().iterator().next(), key.arn().toString(),
          StatementMatcher.context(owner, ctx.index(), key.account(), Map.of()), true, null).isEmpty();
      List<String> kept = new ArrayList<>();
      for (String op : actionsFor(key)) {
        if (matcher.actionMatches(key.policy(), s, op)) {
          kept.add(op);
        }
      }
      String fix = null;
      if (!alsoOwner && !kept.isEmpty()) {
        Map<String, Object> m = Statements.toMap(s);
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Object> f : m.entrySet()) {
          ordered.put(f.getKey().equals("Action") || f.getKey().equals("NotAction") ? "Action" : f.getKey(),
              f.getKey().equals("Action") ? kept : f.getValue());
        }
        if (!ordered.containsKey("Action")) {
          ordered.put("Action", kept);
        }
        fix = JsonText.of(ordered);
      }
      out.add(new Finding(NAME, Severity.WARNING, key.arn().toString(), "statement `" + s.label()
          + "` of the key policy gives " + whom(accountsByStatement.get(s), outsider) + " "
          + String.join(", ", e.getValue()) + ", which cannot be used across accounts (the statement has no"
          + " effect there; " + (fix != null ? "grant only operations that work across accounts)"
          : "give other accounts only operations that work across accounts, in a statement of their own)"),
          List.of(), key.policy().name(), fix));
    }
  }

  /** "account 1", "accounts 1, 2", "every AWS account" (when the outsider is among them). */
  private static String whom(Set<String> accounts, String outsider) {
    if (accounts.contains(outsider)) {
      return "every AWS account";
    }
    return (accounts.size() == 1 ? "account " : "accounts ") + String.join(", ", accounts);
  }

  /** An account id that the world does not mention: how "any AWS account" is asked. */
  static String outsider(World world) {
    Set<String> used = new LinkedHashSet<>();
    world.organizations().forEach(o -> used.addAll(o.accounts()));
    world.accounts().forEach(a -> used.add(a.id()));
    world.principals().forEach(p -> used.add(p.account()));
    world.keys().forEach(k -> used.add(k.account()));
    long n = 999999999999L;
    while (used.contains(Long.toString(n))) {
      n--;
    }
    return Long.toString(n);
  }
}
