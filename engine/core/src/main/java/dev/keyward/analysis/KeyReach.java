package dev.keyward.analysis;

import dev.keyward.condition.Glob;
import dev.keyward.model.Arn;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Statement;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import java.util.Set;
import java.util.TreeSet;

/**
 * A quick, conservative test of whether a principal of the world can have any access to a key: a necessary
 * condition, so that analyses over every principal and key ask the authorizer only about the pairs that pass
 * it. It never decides anything itself: a pair that passes is still asked, a pair that fails would have been
 * denied.
 *
 * <p>The rule it rests on: KMS refuses every request on a key that neither the key policy nor a grant lets
 * in; an IAM policy alone never gives access ("Key policies in AWS KMS",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html), and where the key policy lets in
 * the caller's account rather than the caller, an IAM policy of the caller must allow the request
 * ("Allowing users in other accounts to use a KMS key" and "Default key policy",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html). So a
 * principal passes when a grant of the key names its account, when a key policy Allow names it or everyone,
 * or when a key policy Allow names its account and one of its identity policies has an Allow whose Action
 * and Resource could match a KMS action on the key. Everything it cannot read exactly (NotPrincipal,
 * NotAction, NotResource, policy variables, principals it cannot place in an account) passes.
 */
public final class KeyReach {

  private final KmsKey key;
  private final String keyArn;
  /** The accounts the key policy names in Allow statements; null when it lets in anyone (or cannot tell). */
  private final Set<String> accounts;
  /** The roles and users an Allow names, as {@link #identity} gives them. */
  private final Set<String> named;
  /** Accounts whose principals an Allow names with a pattern: every principal of them passes. */
  private final Set<String> wildcardAccounts;
  /** Accounts a grant names. */
  private final Set<String> grantAccounts;
  private final boolean anyGrantee;

  private KeyReach(KmsKey key) {
    this.key = key;
    this.keyArn = key.arn().toString();
    Set<String> acc = new TreeSet<>();
    Set<String> arns = new TreeSet<>();
    Set<String> wild = new TreeSet<>();
    boolean anyone = false;
    for (Statement s : key.policy().statements()) {
      if (s.effect() != Effect.ALLOW || s.principal() == null) {
        continue;
      }
      if (s.principal().negated() || s.principal().anyone()) {
        anyone = true;
        continue;
      }
      for (PrincipalValue v : s.principal().values()) {
        if (v.type() != PrincipalType.AWS) {
          continue; // a service, federated or canonical-user principal is never a role or user of the world
        }
        String account = accountOf(v.value());
        if (account == null) {
          anyone = true;
        } else {
          acc.add(account);
          String id = identity(v.value());
          if (id == null || v.value().indexOf('*') >= 0 || v.value().indexOf('?') >= 0) {
            if (!v.value().endsWith(":root") && !Arn.isAccountId(v.value())) {
              wild.add(account);
            }
          } else {
            arns.add(id);
          }
        }
      }
    }
    Set<String> ga = new TreeSet<>();
    boolean anyG = false;
    for (Grant g : key.grants()) {
      String account = accountOf(g.grantee());
      if (account == null) {
        anyG = true;
      } else {
        ga.add(account);
      }
    }
    this.accounts = anyone ? null : acc;
    this.named = arns;
    this.wildcardAccounts = wild;
    this.grantAccounts = ga;
    this.anyGrantee = anyG;
  }

  /** The test for one key. */
  public static KeyReach of(KmsKey key) {
    return new KeyReach(key);
  }

  /** The key. */
  public KmsKey key() {
    return key;
  }

  /**
   * False only when no principal of {@code account} (its root included) can have any access to the key:
   * neither an Allow of the key policy nor a grant names the account, a principal of it or everyone.
   */
  public boolean admitsAccount(String account) {
    return anyGrantee || grantAccounts.contains(account) || accounts == null || accounts.contains(account);
  }

  /** False only when {@code p} cannot have any access to the key (see the class comment). */
  public boolean mayReach(IamPrincipal p) {
    return mayCall(p, null);
  }

  /**
   * False only when {@code p} cannot call {@code action} (for example {@code kms:Decrypt}) on the key; null
   * for any action. For a principal that only its account's trust and its own IAM policies could let in,
   * one of those policies must have an Allow whose Action matches the action and whose Resource the key.
   */
  public boolean mayCall(IamPrincipal p, String action) {
    if (anyGrantee || grantAccounts.contains(p.account())) {
      return true;
    }
    if (accounts != null && !accounts.contains(p.account())) {
      return false;
    }
    if (accounts == null || wildcardAccounts.contains(p.account()) || named.contains(identity(p.arn()))) {
      return true;
    }
    for (PolicyDocument d : p.policies()) {
      for (Statement s : d.statements()) {
        if (s.effect() == Effect.ALLOW && actionMayMatch(s, action) && resourceMayBeKey(s)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean actionMayMatch(Statement s, String action) {
    if (action == null) {
      return actionMayBeKms(s);
    }
    if (s.action() == null || s.action().negated()) {
      return true;
    }
    for (Located a : s.action().patterns()) {
      String v = a.value();
      boolean pattern = v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
      if (v.contains("$") || (pattern ? Glob.of(v, true).matches(action) : v.equalsIgnoreCase(action))) {
        return true;
      }
    }
    return false;
  }

  private static boolean actionMayBeKms(Statement s) {
    if (s.action() == null || s.action().negated()) {
      return true;
    }
    for (Located a : s.action().patterns()) {
      String v = a.value();
      int colon = v.indexOf(':');
      String service = colon < 0 ? v : v.substring(0, colon);
      if (service.equalsIgnoreCase("kms") || service.contains("$") || Glob.of(service, true).matches("kms")) {
        return true;
      }
    }
    return false;
  }

  private boolean resourceMayBeKey(Statement s) {
    if (s.resource() == null || s.resource().negated()) {
      return true;
    }
    for (Located r : s.resource().patterns()) {
      String v = r.value();
      boolean pattern = v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
      if (v.contains("${") || (pattern ? Glob.of(v, false).matches(keyArn) : v.equals(keyArn))) {
        return true;
      }
      // an alias ARN in Resource does not match a key ARN; KMS matches the key ARN only
    }
    return false;
  }

  /**
   * {@code ACCOUNT:role:NAME} for a role ARN (any path) or a session of it, {@code ACCOUNT:user:NAME} for a
   * user ARN (any path); null for anything else. Role names are unique in an account whatever their path.
   */
  static String identity(String arn) {
    Arn a = Arn.parse(arn).orElse(null);
    if (a == null) {
      return null;
    }
    String r = a.resource();
    if (a.service().equals("iam") && (r.startsWith("role/") || r.startsWith("user/"))) {
      return a.account() + ":" + r.substring(0, 4) + ":" + r.substring(r.lastIndexOf('/') + 1);
    }
    if (a.service().equals("sts") && r.startsWith("assumed-role/")) {
      String rest = r.substring("assumed-role/".length());
      int slash = rest.indexOf('/');
      return a.account() + ":role:" + (slash < 0 ? rest : rest.substring(0, slash));
    }
    return null;
  }

  private static String accountOf(String value) {
    if (value == null) {
      return null;
    }
    if (Arn.isAccountId(value)) {
      return value;
    }
    Arn a = Arn.parse(value).orElse(null);
    return a != null && Arn.isAccountId(a.account()) ? a.account() : null;
  }
}
