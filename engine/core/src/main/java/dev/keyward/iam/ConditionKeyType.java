package dev.keyward.iam;

import java.util.Optional;

/**
 * The value type of a condition key, as the AWS Service Authorization Reference names it. The
 * {@code ArrayOf...} types are multivalued keys: the request context can hold several values for them,
 * and only they make sense with the {@code ForAllValues:} and {@code ForAnyValue:} set operators.
 */
public enum ConditionKeyType {
  STRING("String", null),
  ARN("ARN", null),
  BOOL("Bool", null),
  NUMERIC("Numeric", null),
  DATE("Date", null),
  IP_ADDRESS("IPAddress", null),
  BINARY("Binary", null),
  ARRAY_OF_STRING("ArrayOfString", STRING),
  ARRAY_OF_ARN("ArrayOfARN", ARN),
  ARRAY_OF_BOOL("ArrayOfBool", BOOL),
  ARRAY_OF_NUMERIC("ArrayOfNumeric", NUMERIC),
  ARRAY_OF_DATE("ArrayOfDate", DATE),
  ARRAY_OF_IP_ADDRESS("ArrayOfIPAddress", IP_ADDRESS),
  ARRAY_OF_BINARY("ArrayOfBinary", BINARY);

  private final String awsName;
  private final ConditionKeyType element;

  ConditionKeyType(String awsName, ConditionKeyType element) {
    this.awsName = awsName;
    this.element = element;
  }

  /** The name AWS uses, for example {@code ArrayOfString}. */
  public String awsName() {
    return awsName;
  }

  /** True for the {@code ArrayOf...} types, whose keys are multivalued. */
  public boolean isArray() {
    return element != null;
  }

  /** The type of one value: the element type of an array type, else this type itself. */
  public ConditionKeyType elementType() {
    return element == null ? this : element;
  }

  /** The type with this AWS name, compared ignoring case; empty when AWS has no such type. */
  public static Optional<ConditionKeyType> fromAwsName(String name) {
    for (ConditionKeyType t : values()) {
      if (t.awsName.equalsIgnoreCase(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
