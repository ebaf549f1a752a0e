package dev.keyward.condition;

import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.Glob;
import dev.keyward.model.SetQualifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One compiled condition entry (operator, key, values). Semantics, from the IAM User Guide
 * (reference_policies_elements_condition_operators, reference_policies_condition-single-vs-multi-valued-context-keys):
 *
 * <ul>
 *   <li>several policy values are OR-ed for positive operators; for negated operators the request value
 *       must match none of them (the negated operator is the negation of the positive one);
 *   <li>a missing key (or an empty list): positive operators are false, negated operators true,
 *       {@code ...IfExists} true, {@code ForAllValues} true, {@code ForAnyValue} false;
 *   <li>without a set qualifier, a request key with several values cannot be decided (ERROR): IAM says
 *       multivalued keys require a set operator and does not document the behaviour without one;
 *   <li>{@code ForAllValues}: every request value must satisfy the operator; {@code ForAnyValue}: at least
 *       one;
 *   <li>{@code Null}: true means the key is absent;
 *   <li>for {@code Null} and the set operators, a value that is only empty strings is a "null dataset",
 *       like an absent key (IAM: "resolves to a null dataset, such as an empty string").
 * </ul>
 *
 * <p>{@link #evaluate} answers {@link #TRUE}, {@link #FALSE} or {@link #ERROR}. ERROR means the condition
 * cannot be decided soundly (invalid operator, a policy value that does not parse, a request value that
 * does not parse as a number, date or IP address); the authorizer then never lets an Allow with it apply,
 * and always lets a Deny with it apply. Immutable and thread-safe.
 */
public final class ConditionMatcher {

  public static final int FALSE = 0;
  public static final int TRUE = 1;
  public static final int ERROR = 2;

  private final Condition condition;
  private final ConditionOperator op;
  private final SetQualifier qualifier;
  private final boolean ifExists;
  private final boolean negated;
  private final String key;
  private final String problem;
  private final Set<String> readKeys;

  // compiled policy values, by family (only one array is used)
  private final Template[] templates;
  private final Template[][] arnSegments;
  private final BigDecimal[] numbers;
  private final long[] dates;
  private final boolean[] booleans;
  private final byte[][] binaries;
  private final Cidr[] cidrs;

  private ConditionMatcher(Condition c, boolean variables) {
    this.condition = c;
    this.op = c.operator();
    this.qualifier = c.qualifier();
    this.ifExists = c.ifExists();
    this.key = c.keyLowerCase();
    this.negated = op != null && op.negated();
    int n = c.values().size();
    Template[] t = null;
    Template[][] arns = null;
    BigDecimal[] nums = null;
    long[] ds = null;
    boolean[] bs = null;
    byte[][] bins = null;
    Cidr[] cs = null;
    String err = null;
    Set<String> reads = new HashSet<>();
    reads.add(key);
    if (op == null) {
      err = "unknown condition operator `" + c.operatorText() + "`";
    } else if (n == 0) {
      err = "condition `" + c.operatorText() + "` on `" + c.key() + "` has no value";
    } else {
      switch (op.family()) {
        case STRING -> {
          t = new Template[n];
          boolean like = op == ConditionOperator.STRING_LIKE || op == ConditionOperator.STRING_NOT_LIKE;
          boolean ic = op == ConditionOperator.STRING_EQUALS_IGNORE_CASE
              || op == ConditionOperator.STRING_NOT_EQUALS_IGNORE_CASE;
          for (int i = 0; i < n; i++) {
            t[i] = Template.compile(c.values().get(i).text(), variables, like, ic);
            reads.addAll(t[i].variableKeys());
          }
        }
        case ARN -> {
          arns = new Template[n][];
          for (int i = 0; i < n; i++) {
            String v = c.values().get(i).text();
            String[] segs = splitArn(v);
            if (segs == null) {
              // IAM: a value that is not an ARN can only match as a whole; keep it as one wildcard segment
              // list that no six-part ARN matches unless it is "*".
              segs = v.equals("*") ? new String[] {"*", "*", "*", "*", "*", "*"} : null;
            }
            if (segs == null) {
              arns[i] = null;
              continue;
            }
            arns[i] = new Template[6];
            for (int s = 0; s < 6; s++) {
              arns[i][s] = Template.compile(segs[s], variables, true, false);
              reads.addAll(arns[i][s].variableKeys());
            }
          }
        }
        case NUMERIC -> {
          nums = new BigDecimal[n];
          for (int i = 0; i < n && err == null; i++) {
            nums[i] = parseNumber(c.values().get(i).text());
            if (nums[i] == null) {
              err = "`" + c.values().get(i).text() + "` is not a number";
            }
          }
        }
        case DATE -> {
          ds = new long[n];
          for (int i = 0; i < n && err == null; i++) {
            Long d = parseDate(c.values().get(i).text());
            if (d == null) {
              err = "`" + c.values().get(i).text() + "` is not a date";
            } else {
              ds[i] = d;
            }
          }
        }
        case BOOL, NULL -> {
          bs = new boolean[n];
          for (int i = 0; i < n && err == null; i++) {
            String v = c.values().get(i).text();
            if (v.equalsIgnoreCase("true")) {
              bs[i] = true;
            } else if (!v.equalsIgnoreCase("false")) {
              err = "`" + v + "` is not `true` or `false`";
            }
          }
          if (op == ConditionOperator.NULL && (ifExists || qualifier != SetQualifier.NONE) && err == null) {
            err = "`" + c.operatorText() + "` is not a valid operator: Null takes no IfExists or set qualifier";
          }
        }
        case BINARY -> {
          bins = new byte[n][];
          for (int i = 0; i < n && err == null; i++) {
            bins[i] = decodeBase64(c.values().get(i).text());
            if (bins[i] == null) {
              err = "`" + c.values().get(i).text() + "` is not base64";
            }
          }
        }
        case IP_ADDRESS -> {
          cs = new Cidr[n];
          for (int i = 0; i < n && err == null; i++) {
            cs[i] = Cidr.parse(c.values().get(i).text());
            if (cs[i] == null) {
              err = "`" + c.values().get(i).text() + "` is not an IP address or CIDR block";
            }
          }
        }
        default -> err = "unsupported operator `" + c.operatorText() + "`";
      }
    }
    this.templates = t;
    this.arnSegments = arns;
    this.numbers = nums;
    this.dates = ds;
    this.booleans = bs;
    this.binaries = bins;
    this.cidrs = cs;
    this.problem = err;
    this.readKeys = Set.copyOf(reads);
  }

  /**
   * Compiles a condition entry.
   *
   * @param variables whether the policy substitutes policy variables (Version 2012-10-17)
   */
  public static ConditionMatcher compile(Condition c, boolean variables) {
    return new ConditionMatcher(c, variables);
  }

  public Condition condition() {
    return condition;
  }

  /** The lower-case condition key. */
  public String key() {
    return key;
  }

  /** Every lower-case context key this condition reads: its key and the keys of its policy variables. */
  public Set<String> readKeys() {
    return readKeys;
  }

  /** Why the condition can never be decided (then {@link #evaluate} is always ERROR), or null. */
  public String problem() {
    return problem;
  }

  /** TRUE, FALSE or ERROR for this request. */
  public int evaluate(ContextValues ctx) {
    if (problem != null) {
      return ERROR;
    }
    String[] vals = ctx.get(key);
    boolean present = vals != null && vals.length > 0;
    if (present && (op == ConditionOperator.NULL || qualifier != SetQualifier.NONE) && isNullDataset(vals)) {
      // "the context key value resolves to a null dataset, such as an empty string": for Null and the set
      // operators an empty value is no value (plain operators still compare it as "")
      present = false;
    }
    if (op == ConditionOperator.NULL) {
      for (boolean b : booleans) {
        if (b != present) {
          return TRUE;
        }
      }
      return FALSE;
    }
    if (!present) {
      if (ifExists) {
        return TRUE;
      }
      if (qualifier == SetQualifier.FOR_ALL_VALUES) {
        return TRUE;
      }
      if (qualifier == SetQualifier.FOR_ANY_VALUE) {
        return FALSE;
      }
      return negated ? TRUE : FALSE;
    }
    if (qualifier == SetQualifier.NONE) {
      if (vals.length > 1) {
        // IAM: "multivalued context keys require a condition set operator"; what AWS does without one is
        // not documented, so the condition is undecidable (an Allow does not apply, a Deny does)
        return ERROR;
      }
      int m = matchesAny(vals[0], ctx);
      if (m == ERROR) {
        return ERROR;
      }
      return ((m == TRUE) != negated) ? TRUE : FALSE;
    }
    boolean all = qualifier == SetQualifier.FOR_ALL_VALUES;
    for (String r : vals) {
      int m = matchesAny(r, ctx);
      if (m == ERROR) {
        return ERROR;
      }
      boolean ok = (m == TRUE) != negated;
      if (all && !ok) {
        return FALSE;
      }
      if (!all && ok) {
        return TRUE;
      }
    }
    return all ? TRUE : FALSE;
  }

  private static boolean isNullDataset(String[] vals) {
    for (String v : vals) {
      if (!v.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Whether request value {@code r} matches some policy value under the positive form of the operator. */
  private int matchesAny(String r, ContextValues ctx) {
    switch (op.family()) {
      case STRING: {
        for (Template t : templates) {
          if (t.matches(r, ctx)) {
            return TRUE;
          }
        }
        return FALSE;
      }
      case ARN: {
        String[] rs = splitArn(r);
        if (rs == null) {
          return FALSE;
        }
        outer:
        for (Template[] segs : arnSegments) {
          if (segs == null) {
            continue;
          }
          for (int s = 0; s < 6; s++) {
            Glob g = segs[s].glob(ctx);
            if (g == null || !g.matches(rs[s])) {
              continue outer;
            }
          }
          return TRUE;
        }
        return FALSE;
      }
      case NUMERIC: {
        BigDecimal v = parseNumber(r);
        if (v == null) {
          return ERROR;
        }
        for (BigDecimal p : numbers) {
          if (compare(op, v.compareTo(p))) {
            return TRUE;
          }
        }
        return FALSE;
      }
      case DATE: {
        Long v = parseDate(r);
        if (v == null) {
          return ERROR;
        }
        for (long p : dates) {
          if (compare(op, Long.compare(v, p))) {
            return TRUE;
          }
        }
        return FALSE;
      }
      case BOOL: {
        for (boolean b : booleans) {
          if (r.equalsIgnoreCase(b ? "true" : "false")) {
            return TRUE;
          }
        }
        return FALSE;
      }
      case BINARY: {
        byte[] v = decodeBase64(r);
        if (v == null) {
          return FALSE;
        }
        for (byte[] p : binaries) {
          if (Arrays.equals(v, p)) {
            return TRUE;
          }
        }
        return FALSE;
      }
      case IP_ADDRESS: {
        byte[] ip = Cidr.parseAddress(r);
        if (ip == null) {
          return ERROR;
        }
        for (Cidr c : cidrs) {
          if (c.contains(ip)) {
            return TRUE;
          }
        }
        return FALSE;
      }
      default:
        return ERROR;
    }
  }

  /** The comparison of the positive operator; negated operators use EQUALS here and negate outside. */
  private static boolean compare(ConditionOperator op, int cmp) {
    switch (op) {
      case NUMERIC_EQUALS:
      case NUMERIC_NOT_EQUALS:
      case DATE_EQUALS:
      case DATE_NOT_EQUALS:
        return cmp == 0;
      case NUMERIC_LESS_THAN:
      case DATE_LESS_THAN:
        return cmp < 0;
      case NUMERIC_LESS_THAN_EQUALS:
      case DATE_LESS_THAN_EQUALS:
        return cmp <= 0;
      case NUMERIC_GREATER_THAN:
      case DATE_GREATER_THAN:
        return cmp > 0;
      case NUMERIC_GREATER_THAN_EQUALS:
      case DATE_GREATER_THAN_EQUALS:
        return cmp >= 0;
      default:
        return false;
    }
  }

  /** Splits an ARN into its six parts (the last may hold colons); null when it has fewer. */
  public static String[] splitArn(String s) {
    String[] out = new String[6];
    int start = 0;
    for (int i = 0; i < 5; i++) {
      int c = s.indexOf(':', start);
      if (c < 0) {
        return null;
      }
      out[i] = s.substring(start, c);
      start = c + 1;
    }
    out[5] = s.substring(start);
    return out;
  }

  static BigDecimal parseNumber(String s) {
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Epoch milliseconds of an ISO 8601 date or date-time, or of epoch seconds; null when neither. */
  public static Long parseDate(String s) {
    String t = s.trim();
    if (t.isEmpty()) {
      return null;
    }
    boolean digits = true;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-') && c != '.') {
        digits = false;
        break;
      }
    }
    if (digits && t.indexOf('-', 1) < 0) {
      try {
        return new BigDecimal(t).movePointRight(3).longValue();
      } catch (NumberFormatException | ArithmeticException e) {
        return null;
      }
    }
    try {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static byte[] decodeBase64(String s) {
    try {
      return Base64.getDecoder().decode(s.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The policy values as written, for reasons and residual conditions. */
  public List<String> writtenValues() {
    List<String> out = new ArrayList<>();
    for (var v : condition.values()) {
      out.add(v.text());
    }
    return out;
  }

  @Override
  public String toString() {
    return condition.operatorText() + " " + condition.key() + " " + writtenValues();
  }
}
