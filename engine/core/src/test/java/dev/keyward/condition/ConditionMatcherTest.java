package dev.keyward.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.SourceRef;
import dev.keyward.model.ValueKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionMatcherTest {

  private static final int T = ConditionMatcher.TRUE;
  private static final int F = ConditionMatcher.FALSE;
  private static final int E = ConditionMatcher.ERROR;

  /** Parses operator text like {@code ForAnyValue:StringLikeIfExists} the way the parser does. */
  static Condition cond(String operatorText, String key, String... values) {
    String rest = operatorText;
    SetQualifier q = SetQualifier.NONE;
    if (rest.startsWith("ForAllValues:")) {
      q = SetQualifier.FOR_ALL_VALUES;
      rest = rest.substring(13);
    } else if (rest.startsWith("ForAnyValue:")) {
      q = SetQualifier.FOR_ANY_VALUE;
      rest = rest.substring(12);
    }
    boolean ifExists = rest.endsWith("IfExists");
    if (ifExists) {
      rest = rest.substring(0, rest.length() - 8);
    }
    ConditionOperator op = ConditionOperator.fromAwsName(rest);
    List<ConditionValue> vs = new ArrayList<>();
    for (String v : values) {
      vs.add(new ConditionValue(v, ValueKind.STRING, SourceRef.none()));
    }
    return new Condition(operatorText, op, q, ifExists, key, vs, SourceRef.none());
  }

  static ContextValues ctx(String... kv) {
    Map<String, List<String>> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.computeIfAbsent(kv[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(kv[i + 1]);
    }
    return k -> {
      List<String> v = m.get(k);
      return v == null ? null : v.toArray(new String[0]);
    };
  }

  static int eval(Condition c, ContextValues ctx) {
    return ConditionMatcher.compile(c, true).evaluate(ctx);
  }

  @Test
  void stringEquals_multipleValuesOred_caseSensitive() {
    Condition c = cond("StringEquals", "kms:ViaService", "a", "b");
    assertThat(eval(c, ctx("kms:ViaService", "b"))).isEqualTo(T);
    assertThat(eval(c, ctx("kms:ViaService", "B"))).isEqualTo(F);
    assertThat(eval(c, ctx())).isEqualTo(F);
  }

  @Test
  void stringNotEquals_multipleValuesAnded_missingKeyTrue() {
    Condition c = cond("StringNotEquals", "k", "a", "b");
    assertThat(eval(c, ctx("k", "a"))).isEqualTo(F);
    assertThat(eval(c, ctx("k", "b"))).isEqualTo(F);
    assertThat(eval(c, ctx("k", "c"))).isEqualTo(T);
    assertThat(eval(c, ctx())).isEqualTo(T);
  }

  @Test
  void stringEqualsIgnoreCase_andNot() {
    assertThat(eval(cond("StringEqualsIgnoreCase", "k", "FiNaNcE"), ctx("k", "finance"))).isEqualTo(T);
    assertThat(eval(cond("StringNotEqualsIgnoreCase", "k", "FiNaNcE"), ctx("k", "FINANCE"))).isEqualTo(F);
  }

  @Test
  void stringLike_wildcards_andEqualsTreatsStarLiterally() {
    assertThat(eval(cond("StringLike", "k", "arn:aws:s3:::b/*"), ctx("k", "arn:aws:s3:::b/x/y"))).isEqualTo(T);
    assertThat(eval(cond("StringLike", "k", "a?c"), ctx("k", "abc"))).isEqualTo(T);
    assertThat(eval(cond("StringLike", "k", "a?c"), ctx("k", "ac"))).isEqualTo(F);
    assertThat(eval(cond("StringEquals", "k", "a*"), ctx("k", "abc"))).isEqualTo(F);
    assertThat(eval(cond("StringEquals", "k", "a*"), ctx("k", "a*"))).isEqualTo(T);
    assertThat(eval(cond("StringNotLike", "k", "a*", "b*"), ctx("k", "bx"))).isEqualTo(F);
    assertThat(eval(cond("StringNotLike", "k", "a*", "b*"), ctx("k", "cx"))).isEqualTo(T);
  }

  @Test
  void ifExists_absentKeyTrue_presentKeyEvaluated() {
    Condition c = cond("StringEqualsIfExists", "k", "a");
    assertThat(eval(c, ctx())).isEqualTo(T);
    assertThat(eval(c, ctx("k", "b"))).isEqualTo(F);
  }

  @Test
  void conditionKeyLookup_isCaseInsensitive() {
    assertThat(eval(cond("StringEquals", "KMS:CallerAccount", "1"), ctx("kms:calleraccount", "1"))).isEqualTo(T);
  }

  @Test
  void forAllValues_trueWhenMissingOrAllMatch() {
    Condition c = cond("ForAllValues:StringEquals", "kms:EncryptionContextKeys", "a", "b");
    assertThat(eval(c, ctx())).isEqualTo(T);
    assertThat(eval(c, ctx("kms:EncryptionContextKeys", "a", "kms:EncryptionContextKeys", "b"))).isEqualTo(T);
    assertThat(eval(c, ctx("kms:EncryptionContextKeys", "a", "kms:EncryptionContextKeys", "c"))).isEqualTo(F);
  }

  @Test
  void forAnyValue_falseWhenMissing_trueWhenOneMatches() {
    Condition c = cond("ForAnyValue:StringEquals", "k", "a");
    assertThat(eval(c, ctx())).isEqualTo(F);
    assertThat(eval(c, ctx("k", "x", "k", "a"))).isEqualTo(T);
    assertThat(eval(c, ctx("k", "x"))).isEqualTo(F);
  }

  @Test
  void forAllValuesNegated_everyValueMustMatchNone() {
    Condition c = cond("ForAllValues:StringNotEquals", "k", "a");
    assertThat(eval(c, ctx("k", "x", "k", "y"))).isEqualTo(T);
    assertThat(eval(c, ctx("k", "x", "k", "a"))).isEqualTo(F);
    Condition any = cond("ForAnyValue:StringNotEquals", "k", "a");
    assertThat(eval(any, ctx("k", "x", "k", "a"))).isEqualTo(T);
    assertThat(eval(any, ctx("k", "a"))).isEqualTo(F);
  }

  @Test
  void multiValuedRequestWithoutQualifier_isUndecidable() {
    assertThat(eval(cond("StringEquals", "k", "a"), ctx("k", "x", "k", "a"))).isEqualTo(E);
    assertThat(eval(cond("StringNotEquals", "k", "a"), ctx("k", "x", "k", "a"))).isEqualTo(E);
    assertThat(eval(cond("StringEquals", "k", "a"), ctx("k", "a"))).isEqualTo(T);
  }

  @Test
  void numeric_operators_andUnparsableRequestValueIsError() {
    assertThat(eval(cond("NumericLessThan", "n", "10"), ctx("n", "9.5"))).isEqualTo(T);
    assertThat(eval(cond("NumericLessThan", "n", "10"), ctx("n", "10"))).isEqualTo(F);
    assertThat(eval(cond("NumericLessThanEquals", "n", "10"), ctx("n", "10"))).isEqualTo(T);
    assertThat(eval(cond("NumericGreaterThan", "n", "10"), ctx("n", "11"))).isEqualTo(T);
    assertThat(eval(cond("NumericGreaterThanEquals", "n", "10"), ctx("n", "9"))).isEqualTo(F);
    assertThat(eval(cond("NumericEquals", "n", "10"), ctx("n", "10.0"))).isEqualTo(T);
    assertThat(eval(cond("NumericNotEquals", "n", "10", "11"), ctx("n", "11"))).isEqualTo(F);
    assertThat(eval(cond("NumericEquals", "n", "10"), ctx("n", "ten"))).isEqualTo(E);
  }

  @Test
  void numeric_invalidPolicyValue_isError() {
    ConditionMatcher m = ConditionMatcher.compile(cond("NumericEquals", "n", "abc"), true);
    assertThat(m.problem()).contains("not a number");
    assertThat(m.evaluate(ctx("n", "1"))).isEqualTo(E);
  }

  @Test
  void date_isoAndEpochSeconds() {
    Condition c = cond("DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z");
    assertThat(eval(c, ctx("aws:CurrentTime", "2019-12-31T23:59:59Z"))).isEqualTo(T);
    assertThat(eval(c, ctx("aws:CurrentTime", "1577836800"))).isEqualTo(F);
    assertThat(eval(c, ctx("aws:CurrentTime", "1577836799"))).isEqualTo(T);
    assertThat(eval(cond("DateEquals", "d", "2020-01-01"), ctx("d", "2020-01-01T00:00:00Z"))).isEqualTo(T);
    assertThat(eval(cond("DateGreaterThanEquals", "d", "1577836800"), ctx("d", "2020-01-01T01:00:00+01:00")))
        .isEqualTo(T);
    assertThat(eval(cond("DateNotEquals", "d", "2020-01-01"), ctx("d", "2020-01-02"))).isEqualTo(T);
    assertThat(eval(cond("DateEquals", "d", "2020-01-01"), ctx("d", "yesterday"))).isEqualTo(E);
  }

  @Test
  void bool_caseInsensitiveValues() {
    assertThat(eval(cond("Bool", "kms:GrantIsForAWSResource", "true"), ctx("kms:GrantIsForAWSResource", "TRUE")))
        .isEqualTo(T);
    assertThat(eval(cond("Bool", "kms:GrantIsForAWSResource", "true"), ctx())).isEqualTo(F);
    assertThat(eval(cond("Bool", "b", "false"), ctx("b", "true"))).isEqualTo(F);
    assertThat(ConditionMatcher.compile(cond("Bool", "b", "yes"), true).problem()).isNotNull();
  }

  @Test
  void binaryEquals_comparesDecodedBytes() {
    assertThat(eval(cond("BinaryEquals", "b", "QmluYXJ5"), ctx("b", "QmluYXJ5"))).isEqualTo(T);
    assertThat(eval(cond("BinaryEquals", "b", "QmluYXJ5"), ctx("b", "QmluYXJ6"))).isEqualTo(F);
    assertThat(ConditionMatcher.compile(cond("BinaryEquals", "b", "***"), true).problem()).isNotNull();
  }

  @Test
  void ipAddress_v4AndV6Cidr() {
    Condition c = cond("IpAddress", "aws:SourceIp", "203.0.113.0/24", "2001:db8::/32");
    assertThat(eval(c, ctx("aws:SourceIp", "203.0.113.7"))).isEqualTo(T);
    assertThat(eval(c, ctx("aws:SourceIp", "203.0.114.7"))).isEqualTo(F);
    assertThat(eval(c, ctx("aws:SourceIp", "2001:db8:1::5"))).isEqualTo(T);
    assertThat(eval(c, ctx("aws:SourceIp", "2001:db9::5"))).isEqualTo(F);
    assertThat(eval(cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"), ctx("aws:SourceIp", "10.1.2.3")))
        .isEqualTo(F);
    assertThat(eval(cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"), ctx())).isEqualTo(T);
    assertThat(eval(cond("IpAddress", "aws:SourceIp", "10.0.0.1"), ctx("aws:SourceIp", "10.0.0.1"))).isEqualTo(T);
    assertThat(eval(cond("IpAddress", "aws:SourceIp", "10.0.0.0/8"), ctx("aws:SourceIp", "nope"))).isEqualTo(E);
  }

  @Test
  void arnLike_segmentWise_caseSensitive() {
    Condition c = cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/Admin*");
    assertThat(eval(c, ctx("aws:PrincipalArn", "arn:aws:iam::111111111111:role/AdminX"))).isEqualTo(T);
    assertThat(eval(c, ctx("aws:PrincipalArn", "arn:aws:iam::111111111111:role/admin"))).isEqualTo(F);
    assertThat(eval(c, ctx("aws:PrincipalArn", "not-an-arn"))).isEqualTo(F);
    // a wildcard in the account segment does not reach across a colon
    assertThat(eval(cond("ArnEquals", "a", "arn:aws:iam::*:root"), ctx("a", "arn:aws:iam:x:1:root"))).isEqualTo(F);
    assertThat(eval(cond("ArnNotEquals", "a", "arn:aws:iam::1:root"), ctx("a", "arn:aws:iam::1:root"))).isEqualTo(F);
    assertThat(eval(cond("ArnNotLike", "a", "arn:aws:iam::1:*"), ctx())).isEqualTo(T);
  }

  @Test
  void nullOperator_trueMeansAbsent() {
    assertThat(eval(cond("Null", "k", "true"), ctx())).isEqualTo(T);
    assertThat(eval(cond("Null", "k", "true"), ctx("k", "v"))).isEqualTo(F);
    // an empty string is a null dataset
    assertThat(eval(cond("Null", "k", "true"), ctx("k", ""))).isEqualTo(T);
    assertThat(eval(cond("Null", "k", "false"), ctx("k", "v"))).isEqualTo(T);
    assertThat(eval(cond("Null", "k", "false"), ctx())).isEqualTo(F);
  }

  @Test
  void invalidOperator_isError() {
    ConditionMatcher m = ConditionMatcher.compile(cond("StringEqualz", "k", "a"), true);
    assertThat(m.problem()).contains("StringEqualz");
    assertThat(m.evaluate(ctx("k", "a"))).isEqualTo(E);
  }

  @Test
  void policyVariable_substitutedWithDefaultAndNullSemantics() {
    Condition c = cond("StringEquals", "k", "${aws:PrincipalTag/team}");
    assertThat(eval(c, ctx("k", "fin", "aws:principaltag/team", "fin"))).isEqualTo(T);
    assertThat(eval(c, ctx("k", "fin"))).isEqualTo(F);
    assertThat(eval(cond("StringNotEquals", "k", "${aws:PrincipalTag/team}"), ctx("k", "fin"))).isEqualTo(T);
    Condition d = cond("StringEquals", "k", "${aws:PrincipalTag/team, 'company-wide'}");
    assertThat(eval(d, ctx("k", "company-wide"))).isEqualTo(T);
    assertThat(eval(d, ctx("k", "x", "aws:principaltag/team", "x"))).isEqualTo(T);
  }

  @Test
  void policyVariable_specialLiterals_notWildcards() {
    Condition c = cond("StringLike", "k", "a${*}b");
    assertThat(eval(c, ctx("k", "a*b"))).isEqualTo(T);
    assertThat(eval(c, ctx("k", "axxb"))).isEqualTo(F);
    assertThat(eval(cond("StringEquals", "k", "${$}${?}"), ctx("k", "$?"))).isEqualTo(T);
  }

  @Test
  void policyVariable_substitutedValueIsLiteralInLike() {
    Condition c = cond("StringLike", "k", "${aws:username}/*");
    assertThat(eval(c, ctx("k", "a*/x", "aws:username", "a*"))).isEqualTo(T);
    assertThat(eval(c, ctx("k", "abc/x", "aws:username", "a*"))).isEqualTo(F);
  }

  @Test
  void policyVariables_notSubstitutedWithoutVersion2012() {
    Condition c = cond("StringEquals", "k", "${aws:username}");
    ConditionMatcher m = ConditionMatcher.compile(c, false);
    assertThat(m.evaluate(ctx("k", "${aws:username}", "aws:username", "bob"))).isEqualTo(T);
    assertThat(m.evaluate(ctx("k", "bob", "aws:username", "bob"))).isEqualTo(F);
  }

  @Test
  void emptyStringValue_isPresent() {
    assertThat(eval(cond("StringEquals", "k", ""), ctx("k", ""))).isEqualTo(T);
  }

  @Test
  void setOperators_emptyStringIsNullDataset() {
    assertThat(eval(cond("ForAllValues:StringEquals", "k", "a"), ctx("k", ""))).isEqualTo(T);
    assertThat(eval(cond("ForAnyValue:StringEquals", "k", ""), ctx("k", ""))).isEqualTo(F);
    assertThat(eval(cond("StringEquals", "k", ""), ctx("k", ""))).isEqualTo(T);
  }
}
