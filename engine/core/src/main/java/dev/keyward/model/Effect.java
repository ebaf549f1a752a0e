package dev.keyward.model;

/** A statement's Effect. */
public enum Effect {
  ALLOW("Allow"),
  DENY("Deny");

  private final String awsName;

  Effect(String awsName) {
    this.awsName = awsName;
  }

  /** The spelling AWS uses in policy documents. */
  public String awsName() {
    return awsName;
  }
}
