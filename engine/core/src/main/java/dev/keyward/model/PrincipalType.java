package dev.keyward.model;

/** The keys of a Principal or NotPrincipal object. */
public enum PrincipalType {
  AWS("AWS"),
  SERVICE("Service"),
  FEDERATED("Federated"),
  CANONICAL_USER("CanonicalUser");

  private final String awsName;

  PrincipalType(String awsName) {
    this.awsName = awsName;
  }

  public String awsName() {
    return awsName;
  }

  /** Exact, case-sensitive lookup as IAM does it; null when not a principal type. */
  public static PrincipalType fromAwsName(String s) {
    for (PrincipalType t : values()) {
      if (t.awsName.equals(s)) {
        return t;
      }
    }
    return null;
  }
}
