package dev.keyward.eval;

import dev.keyward.model.Arn;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.WorldIndex;
import java.util.Map;

/**
 * The calling principal of a request, resolved once: its kind, account, and every ARN a policy may name
 * it by. A role session acts as its role: {@code roleArn} is the role's ARN (with its path when the world
 * knows the role), {@code sessionArn} the session's own ARN.
 */
final class Caller {

  enum Kind {
    ROOT,
    USER,
    ROLE,
    SESSION,
    SERVICE
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
  /** The world's role or user, or null (root, service, or a principal the world does not declare). */
  final IamPrincipal principal;
  /** aws:PrincipalArn. */
  final String principalArn;
  private final boolean serviceLinked;

  private Caller(String written, Kind kind, String account, String roleArn, String sessionArn,
      String userArn, String service, IamPrincipal principal) {
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
    return null;
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
