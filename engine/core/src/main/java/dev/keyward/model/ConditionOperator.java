package dev.keyward.model;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The base IAM condition operators, without set qualifier or {@code IfExists}. Source: IAM User Guide,
 * "IAM JSON policy elements: Condition operators".
 */
public enum ConditionOperator {
  STRING_EQUALS("StringEquals", OperatorFamily.STRING, false),
  STRING_NOT_EQUALS("StringNotEquals", OperatorFamily.STRING, true),
  STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", OperatorFamily.STRING, false),
  STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", OperatorFamily.STRING, true),
  STRING_LIKE("StringLike", OperatorFamily.STRING, false),
  STRING_NOT_LIKE("StringNotLike", OperatorFamily.STRING, true),
  NUMERIC_EQUALS("NumericEquals", OperatorFamily.NUMERIC, false),
  NUMERIC_NOT_EQUALS("NumericNotEquals", OperatorFamily.NUMERIC, true),
  NUMERIC_LESS_THAN("NumericLessThan", OperatorFamily.NUMERIC, false),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", OperatorFamily.NUMERIC, false),
  NUMERIC_GREATER_THAN("NumericGreaterThan", OperatorFamily.NUMERIC, false),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", OperatorFamily.NUMERIC, false),
  DATE_EQUALS("DateEquals", OperatorFamily.DATE, false),
  DATE_NOT_EQUALS("DateNotEquals", OperatorFamily.DATE, true),
  DATE_LESS_THAN("DateLessThan", OperatorFamily.DATE, false),
  DATE_LESS_THAN_EQUALS("DateLessThanEquals", OperatorFamily.DATE, false),
  DATE_GREATER_THAN("DateGreaterThan", OperatorFamily.DATE, false),
  DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", OperatorFamily.DATE, false),
  BOOL("Bool", OperatorFamily.BOOL, false),
  BINARY_EQUALS("BinaryEquals", OperatorFamily.BINARY, false),
  IP_ADDRESS("IpAddress", OperatorFamily.IP_ADDRESS, false),
  NOT_IP_ADDRESS("NotIpAddress", OperatorFamily.IP_ADDRESS, true),
  ARN_EQUALS("ArnEquals", OperatorFamily.ARN, false),
  ARN_LIKE("ArnLike", OperatorFamily.ARN, false),
  ARN_NOT_EQUALS("ArnNotEquals", OperatorFamily.ARN, true),
  ARN_NOT_LIKE("ArnNotLike", OperatorFamily.ARN, true),
  NULL("Null", OperatorFamily.NULL, false);

  private static final Map<String, ConditionOperator> BY_NAME = new HashMap<>();
  private static final Map<String, ConditionOperator> BY_LOWER_NAME = new HashMap<>();

  static {
    for (ConditionOperator op : values()) {
      BY_NAME.put(op.awsName, op);
      BY_LOWER_NAME.put(op.awsName.toLowerCase(Locale.ROOT), op);
    }
  }

  private final String awsName;
  private final OperatorFamily family;
  private final boolean negated;

  ConditionOperator(String awsName, OperatorFamily family, boolean negated) {
    this.awsName = awsName;
    this.family = family;
    this.negated = negated;
  }

  public String awsName() {
    return awsName;
  }

  public OperatorFamily family() {
    return family;
  }

  /**
   * True for the negated operators (StringNotEquals, ArnNotLike, NotIpAddress, ...): several values are
   * AND-ed ("matches none"), and a missing key makes the condition true.
   */
  public boolean negated() {
    return negated;
  }

  /** True for operators whose values may hold {@code *} and {@code ?} wildcards. */
  public boolean allowsWildcards() {
    return this == STRING_LIKE || this == STRING_NOT_LIKE || family == OperatorFamily.ARN;
  }

  /** True for operators whose values may hold policy variables (String and ARN families only). */
  public boolean allowsPolicyVariables() {
    return family == OperatorFamily.STRING || family == OperatorFamily.ARN;
  }

  /** Exact lookup by AWS name; null when unknown. */
  public static ConditionOperator fromAwsName(String name) {
    return BY_NAME.get(name);
  }

  /** Lookup ignoring case, for suggestions in messages; null when unknown. */
  public static ConditionOperator fromAwsNameIgnoreCase(String name) {
    return BY_LOWER_NAME.get(name.toLowerCase(Locale.ROOT));
  }
}
