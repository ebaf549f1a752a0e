package dev.keyward.eval;

import dev.keyward.model.Arn;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.WorldIndex;
import java.util.Map;

/**
 * The calling principal of a request, resolved once: its kind, account, and every ARN a policy may name
 * it by. A role session acts as its role: {@code roleArn} is the role's ARN (with its path when the world
 * knows the role), {@code sessionArn} the session's own ARN. The one caller type of the authorizer and of
 * the analyses that match statements through it.
 */
public final class Caller {

  enum Kind {
    ROOT,
    USER,
    ROLE,
    SESSION,
    SERVICE,
    /** A federated user session (GetFederationToken): {@code sessionArn} is its ARN, {@code federatedBy} its user. */
    FEDERATED,
    /** Principal text that is none of the above; only {@link #of} makes one, never the authorizer. */
    OTHER
  }

  final String written;
  final Kind kind;
  final String account;
  final String accountRoot;
  /** The role ARN for ROLE and SESSION callers, else null. */
  final String roleArn;
  /** The session ARN for SESSION callers, else null. */
  final String sessionArn;
  /** The user ARN for USER callers, else null. */
  final String userArn;
  /** The service principal name for SERVICE callers, else null. */
  final String service;
  /** For FEDERATED callers, the ARN of the IAM user that federated the session, or null when not said. */
  final String federatedBy;
  /** The world's role or user, or null (root, service, or a principal the world does not declare). */
  final IamPrincipal principal;
  /** aws:PrincipalArn. */
  final String principalArn;
  private final boolean serviceLinked;

  private Caller(String written, Kind kind, String account, String roleArn, String sessionArn,
      String userArn, String service, IamPrincipal principal) {
    this(written, kind, account, roleArn, sessionArn, userArn, service, principal, null);
  }

  private Caller(String written, Kind kind, String account, String roleArn, String sessionArn,
      String userArn, String service, IamPrincipal principal, String federatedBy) {
    this.federatedBy = federatedBy;
    this.written = written;
    this.kind = kind;
    this.account = account;
    this.accountRoot = account == null ? null : Arn.accountRoot(account);
    this.roleArn = roleArn;
    this.sessionArn = sessionArn;
    this.userArn = userArn;
    this.service = service;
    this.principal = principal;
    this.principalArn = kind == Kind.ROOT ? accountRoot
        : kind == Kind.USER ? userArn
        : kind == Kind.SERVICE ? service
        : kind == Kind.OTHER || kind == Kind.FEDERATED ? written
        : roleArn;
    this.serviceLinked = serviceLinked(roleArn);
  }

  /** Resolves a request's principal; null when it is not a principal ARN Keyward understands. */
  static Caller resolve(String text, WorldIndex index) {
    if (Arn.isAccountId(text)) {
      return new Caller(text, Kind.ROOT, text, null, null, null, null, null);
    }
    if (!text.startsWith("arn:")) {
      if (dev.keyward.world.WorldNames.isServicePrincipal(text)) {
        return new Caller(text, Kind.SERVICE, null, null, null, null, text, null);
      }
      return null;
    }
    Arn arn = Arn.parse(text).orElse(null);
    if (arn == null || !Arn.isAccountId(arn.account())) {
      return null;
    }
    String acct = arn.account();
    String res = arn.resource();
    if (arn.service().equals("iam")) {
      if (res.equals("root")) {
        return new Caller(text, Kind.ROOT, acct, null, null, null, null, null);
      }
      if (res.startsWith("role/") && res.length() > 5) {
        IamPrincipal p = index.principal(text).orElse(null);
        return new Caller(text, Kind.ROLE, acct, text, null, null, null, p);
      }
      if (res.startsWith("user/") && res.length() > 5) {
        IamPrincipal p = index.principal(text).orElse(null);
        return new Caller(text, Kind.USER, acct, null, null, text, null, p);
      }
      return null;
    }
    if (arn.service().equals("sts") && res.startsWith("assumed-role/")) {
      String rest = res.substring("assumed-role/".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        return null;
      }
      String roleName = rest.substring(0, slash);
      IamPrincipal role = index.roleByName(acct, roleName).orElse(null);
      String roleArn = role != null ? role.arn()
          : "arn:" + arn.partition() + ":iam::" + acct + ":role/" + roleName;
      return new Caller(text, Kind.SESSION, acct, roleArn, text, null, null, role);
    }
    if (arn.service().equals("sts") && res.startsWith("federated-user/") && res.length() > 15) {
      return new Caller(text, Kind.FEDERATED, acct, null, text, null, null, null);
    }
    return null;
  }

  /**
   * This federated user session as federated by the IAM user {@code userArn}: the user's identity policies,
   * boundary and tags are where the session's permissions and tags come from.
   */
  Caller federatedBy(String userArn, WorldIndex index) {
    IamPrincipal p = index.principal(userArn).orElse(null);
    return new Caller(written, Kind.FEDERATED, account, null, sessionArn, null, null, p, userArn);
  }

  /**
   * The caller named by {@code text}, as {@link #resolve} reads it; text it cannot read is kept as a caller
   * that statements name only by that exact text, {@code "*"} or its account's root (the account parsed from
   * an ARN, else empty).
   */
  public static Caller of(String text, WorldIndex index) {
    Caller c = resolve(text, index);
    if (c != null) {
      return c;
    }
    String account = Arn.parse(text).map(Arn::account).orElse("");
    return new Caller(text, Kind.OTHER, account, null, null, null, null, index.principal(text).orElse(null));
  }

  /** The caller's account ({@code ""} for a service principal). */
  public String account() {
    return account == null ? "" : account;
  }

  /** The world's role or user behind the caller, when the world declares it. */
  public java.util.Optional<IamPrincipal> principal() {
    return java.util.Optional.ofNullable(principal);
  }

  /** True for an account's root user. */
  public boolean isRoot() {
    return kind == Kind.ROOT;
  }

  /** Derived context keys, computed on first use (idempotent, so a benign race). */
  private volatile Map<String, String[]> derived;

  Map<String, String[]> derived(WorldIndex index) {
    Map<String, String[]> d = derived;
    if (d == null) {
      d = Authorizer.deriveKeys(this, index);
      derived = d;
    }
    return d;
  }

  boolean isRoleLike() {
    return kind == Kind.ROLE || kind == Kind.SESSION;
  }

  /** True for service-linked roles, which SCPs and RCPs do not restrict (path {@code /aws-service-role/}). */
  boolean isServiceLinkedRole() {
    return serviceLinked;
  }

  private static boolean serviceLinked(String roleArn) {
    return roleArn != null && (roleArn.contains(":role/aws-service-role/")
        || roleArn.substring(roleArn.lastIndexOf('/') + 1).startsWith("AWSServiceRoleFor"));
  }

  String display() {
    return written;
  }
}
