package dev.keyward.model;

/** The set-operator prefix of a condition operator. */
public enum SetQualifier {
  NONE(""),
  FOR_ALL_VALUES("ForAllValues"),
  FOR_ANY_VALUE("ForAnyValue");

  private final String awsName;

  SetQualifier(String awsName) {
    this.awsName = awsName;
  }

  public String awsName() {
    return awsName;
  }
}
