package dev.keyward.analysis;

import dev.keyward.model.Glob;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

  /**
   * False only when the principal of {@code p} cannot have any access to the key (see the class comment). The
   * profile is read once and serves every key.
   */
  public boolean mayReach(Profile p) {
    return mayCall(p, null);
  }

  /**
   * False only when the principal of {@code p} cannot call {@code action} (for example {@code kms:Decrypt}) on
   * the key; null for any action. For a principal that only its account's trust and its own IAM policies could
   * let in, one of those policies must have an Allow whose Action matches the action and whose Resource the key.
   */
  public boolean mayCall(Profile p, String action) {
    String account = p.principal.account();
    if (anyGrantee || grantAccounts.contains(account)) {
      return true;
    }
    if (accounts != null && !accounts.contains(account)) {
      return false;
    }
    if (accounts == null || wildcardAccounts.contains(account)
        || (p.identity != null && named.contains(p.identity))) {
      return true;
    }
    for (Allow a : p.allows) {
      if ((action == null ? a.mayBeKms : a.mayMatch(action)) && a.mayBeKey(keyArn)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What this test reads of one principal, read once: its identity (as {@link #identity} gives it) and,
   * for each Allow statement of its identity policies, what its Action and Resource could match. An analysis
   * over every key makes one per principal and asks every key with it.
   */
  public static final class Profile {
    private final IamPrincipal principal;
    private final String identity;
    private final List<Allow> allows;

    private Profile(IamPrincipal principal) {
      this.principal = principal;
      this.identity = identity(principal.arn());
      List<Allow> out = new ArrayList<>();
      for (PolicyDocument d : principal.policies()) {
        for (Statement s : d.statements()) {
          if (s.effect() == Effect.ALLOW) {
            out.add(new Allow(s));
          }
        }
      }
      this.allows = List.copyOf(out);
    }

    /** The profile of {@code p}. */
    public static Profile of(IamPrincipal p) {
      return new Profile(p);
    }

    /** The principal. */
    public IamPrincipal principal() {
      return principal;
    }
  }

  /**
   * One Allow statement of an identity policy, compiled: everything it cannot read exactly (NotAction,
   * NotResource, policy variables) may match.
   */
  private static final class Allow {
    /** The Action element could name some KMS action. */
    final boolean mayBeKms;
    /** Action is absent, NotAction, or holds a variable: any action may match. */
    final boolean anyAction;
    final List<String> actions = new ArrayList<>();
    final List<Glob> actionGlobs = new ArrayList<>();
    /** Resource is absent, NotResource, or holds a variable: any key may match. */
    final boolean anyResource;
    final Set<String> resources = new HashSet<>();
    final List<Glob> resourceGlobs = new ArrayList<>();

    Allow(Statement s) {
      this.mayBeKms = actionMayBeKms(s);
      boolean any = s.action() == null || s.action().negated();
      if (!any) {
        for (Located a : s.action().patterns()) {
          String v = a.value();
          if (v.contains("$")) {
            any = true;
          } else if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
            actionGlobs.add(Glob.action(v));
          } else {
            actions.add(v);
          }
        }
      }
      this.anyAction = any;
      any = s.resource() == null || s.resource().negated();
      if (!any) {
        for (Located r : s.resource().patterns()) {
          String v = r.value();
          if (v.contains("${")) {
            any = true;
          } else if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
            resourceGlobs.add(Glob.arn(v));
          } else {
            // an alias ARN in Resource does not match a key ARN; KMS matches the key ARN only
            resources.add(v);
          }
        }
      }
      this.anyResource = any;
    }

    boolean mayMatch(String action) {
      if (anyAction) {
        return true;
      }
      for (String a : actions) {
        if (a.equalsIgnoreCase(action)) {
          return true;
        }
      }
      for (Glob g : actionGlobs) {
        if (g.matches(action)) {
          return true;
        }
      }
      return false;
    }

    boolean mayBeKey(String keyArn) {
      if (anyResource || resources.contains(keyArn)) {
        return true;
      }
      for (Glob g : resourceGlobs) {
        if (g.matches(keyArn)) {
          return true;
        }
      }
      return false;
    }
  }

  private static boolean actionMayBeKms(Statement s) {
    if (s.action() == null || s.action().negated()) {
      return true;
    }
    for (Located a : s.action().patterns()) {
      String v = a.value();
      int colon = v.indexOf(':');
      String service = colon < 0 ? v : v.substring(0, colon);
      if (service.equalsIgnoreCase("kms") || service.contains("$") || Glob.action(service).matches("kms")) {
        return true;
      }
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
