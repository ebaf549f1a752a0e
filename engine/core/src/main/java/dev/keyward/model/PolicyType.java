package dev.keyward.model;

/**
 * The kind of policy a document is. It decides which elements are required or forbidden (a key policy
 * needs Principal, an identity policy must not have one) and which lint rules apply.
 */
public enum PolicyType {
  /** A KMS key policy: a resource policy whose Resource must be {@code "*"}. */
  KEY_POLICY("key-policy"),
  /** An identity-based policy attached to a user, role or group (also used for permissions boundaries). */
  IDENTITY("identity-policy"),
  /** A resource-based policy other than a key policy, for example an S3 bucket policy. */
  RESOURCE("resource-policy"),
  /** An IAM role trust policy. */
  TRUST("trust-policy"),
  /** An AWS Organizations service control policy. */
  SCP("scp"),
  /** An AWS Organizations resource control policy. */
  RCP("rcp"),
  /** Not known: inferred from the document (a Principal means a resource policy). */
  UNKNOWN("unknown");

  private final String label;

  PolicyType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Parses a label such as {@code key-policy}; null when unknown. */
  public static PolicyType fromLabel(String s) {
    for (PolicyType t : values()) {
      if (t.label.equalsIgnoreCase(s) || t.name().equalsIgnoreCase(s)) {
        return t;
      }
    }
    return null;
  }

  /** True for policy types that name principals: key, resource and trust policies (and RCPs). */
  public boolean isResourceBased() {
    return this == KEY_POLICY || this == RESOURCE || this == TRUST || this == RCP;
  }
}
