package dev.keyward.access;

import dev.keyward.model.Arn;

/**
 * A calling principal of the analysis: an account root, a user, a role, a role session (which acts as its
 * role), a federated user session (made by a user: {@code federatedBy}) or a service principal. The same identities the authorizer resolves a request's principal to.
 */
record Who(Kind kind, String arn, String account, String roleArn, String sessionArn, String userArn,
    String service, String federatedBy) {

  enum Kind { ROOT, USER, ROLE, SESSION, SERVICE, FEDERATED }

  static Who root(String partition, String account) {
    return new Who(Kind.ROOT, "arn:" + partition + ":iam::" + account + ":root", account, null, null, null, null, null);
  }

  static Who service(String name) {
    return new Who(Kind.SERVICE, name, null, null, null, null, name, null);
  }

  /** A principal from an IAM ARN (root, role or user); null for anything else. */
  static Who ofIamArn(String arn) {
    Arn a = Arn.parse(arn).orElse(null);
    if (a == null || !a.service().equals("iam") || !Arn.isAccountId(a.account())) {
      return null;
    }
    String r = a.resource();
    if (r.equals("root")) {
      return new Who(Kind.ROOT, arn, a.account(), null, null, null, null, null);
    }
    if (r.startsWith("role/")) {
      return new Who(Kind.ROLE, arn, a.account(), arn, null, null, null, null);
    }
    if (r.startsWith("user/")) {
      return new Who(Kind.USER, arn, a.account(), null, null, arn, null, null);
    }
    return null;
  }

  /** A session of {@code role} named {@code session}. */
  static Who session(Who role, String session) {
    Arn a = Arn.parse(role.roleArn).orElseThrow();
    String name = a.resource().substring(a.resource().lastIndexOf('/') + 1);
    String s = "arn:" + a.partition() + ":sts::" + a.account() + ":assumed-role/" + name + "/" + session;
    return new Who(Kind.SESSION, s, a.account(), role.roleArn, s, null, null, null);
  }

  /**
   * A federated user session ({@code arn:aws:sts::A:federated-user/NAME}) made by the IAM user {@code user}
   * (GetFederationToken): a key policy may name the session or (limited by its session policy) the user.
   */
  static Who federated(String arn, String user) {
    Arn a = Arn.parse(arn).orElseThrow();
    return new Who(Kind.FEDERATED, arn, a.account(), null, arn, null, null, user);
  }

  /** A federated user session from its ARN, or null for any other text. */
  static Who ofFederatedArn(String arn, String user) {
    Arn a = Arn.parse(arn).orElse(null);
    return a == null || !a.service().equals("sts") || !Arn.isAccountId(a.account())
        || !a.resource().startsWith("federated-user/") || a.resource().length() <= 15 ? null : federated(arn, user);
  }

  /**
   * A service-linked role or one of its sessions (path {@code /aws-service-role/}, or a name starting with
   * {@code AWSServiceRoleFor}), as the authorizer recognises them: SCPs and RCPs do not restrict them.
   */
  boolean serviceLinked() {
    return roleArn != null && (roleArn.contains(":role/aws-service-role/")
        || roleArn.substring(roleArn.lastIndexOf('/') + 1).startsWith("AWSServiceRoleFor"));
  }

  String accountRoot() {
    return account == null ? null : Arn.accountRoot(account);
  }

  /** aws:PrincipalArn: the role for a role or session, the user, the account root. */
  String principalArn() {
    return switch (kind) {
      case ROOT -> arn;
      case USER -> userArn;
      case ROLE, SESSION -> roleArn;
      case SERVICE -> service;
      case FEDERATED -> arn;
    };
  }

  String principalType() {
    return switch (kind) {
      case ROOT -> "Account";
      case USER -> "User";
      case ROLE, SESSION -> "AssumedRole";
      case SERVICE -> "Service";
      case FEDERATED -> "FederatedUser";
    };
  }
}
