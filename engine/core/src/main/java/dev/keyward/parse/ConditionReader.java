package dev.keyward.parse;

import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.ValueKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a statement's {@code Condition} block for {@link PolicyBuilder}: the condition operators (with
 * their set qualifier and {@code IfExists} suffix), the condition keys and their values, reporting every
 * problem through the builder it belongs to. One instance per block; not shared between threads.
 */
final class ConditionReader {

  /** Every valid operator name after an optional set qualifier: each base name and its IfExists form. */
  private static final List<String> OPERATOR_SPELLINGS;

  static {
    List<String> names = new ArrayList<>();
    for (ConditionOperator op : ConditionOperator.values()) {
      names.add(op.awsName());
      if (op != ConditionOperator.NULL) {
        names.add(op.awsName() + "IfExists");
      }
    }
    OPERATOR_SPELLINGS = List.copyOf(names);
  }

  private final PolicyBuilder builder;

  ConditionReader(PolicyBuilder builder) {
    this.builder = builder;
  }

  List<Condition> conditions(Node v) {
    if (PolicyBuilder.isFunction(v)) {
      builder.function(v, "`Condition`");
      return List.of();
    }
    if (!(v instanceof Node.ObjectNode)) {
      builder.wrongType("`Condition`", "an object of condition operators", v);
      return List.of();
    }
    Node.ObjectNode block = (Node.ObjectNode) v;
    if (block.fields().isEmpty()) {
      builder.error("policy.empty-element", "`Condition` is an empty object; remove it or add a condition", v.source());
      return List.of();
    }
    List<Condition> out = new ArrayList<>();
    for (Node.Field opField : block.fields()) {
      ParsedOperator op = operator(opField);
      Node keys = opField.value();
      if (PolicyBuilder.isFunction(keys)) {
        builder.function(keys, "the value of `" + opField.key() + "`");
        continue;
      }
      if (!(keys instanceof Node.ObjectNode)) {
        builder.wrongType("the value of `" + opField.key() + "`", "an object of condition keys and values", keys);
        continue;
      }
      Node.ObjectNode keysObj = (Node.ObjectNode) keys;
      if (keysObj.fields().isEmpty()) {
        builder.error("policy.empty-element", "`" + opField.key() + "` is an empty object; give at least one "
            + "condition key", keys.source());
        continue;
      }
      for (Node.Field keyField : keysObj.fields()) {
        String key = keyField.key();
        String keyWhy = conditionKeyProblem(key);
        if (keyWhy != null) {
          builder.error("policy.invalid-condition-key", "`" + key + "` is not a valid condition key: " + keyWhy,
              keyField.keySource());
        }
        List<ConditionValue> values = conditionValues(keyField.value(), key);
        out.add(new Condition(opField.key(), op.operator, op.qualifier, op.ifExists, key, values,
            builder.at(keyField.keySource())));
      }
    }
    return out;
  }

  private static String conditionKeyProblem(String key) {
    if (key.isEmpty()) {
      return "it is empty";
    }
    int colon = key.indexOf(':');
    if (colon <= 0 || colon == key.length() - 1) {
      return "write it as `service:name`, for example `aws:SourceAccount` or `kms:ViaService`";
    }
    // White space is allowed after a `/` (tag keys such as `aws:RequestTag/Cost Center` may hold spaces),
    // not in the key's name before it.
    for (int i = 0; i < key.length() && key.charAt(i) != '/'; i++) {
      if (key.charAt(i) <= ' ') {
        return "its name holds white space";
      }
    }
    return null;
  }

  private List<ConditionValue> conditionValues(Node v, String key) {
    if (v instanceof Node.ArrayNode) {
      List<Node> items = ((Node.ArrayNode) v).items();
      if (items.isEmpty()) {
        builder.error("policy.empty-element", "condition key `" + key + "` has an empty array of values; give at least "
            + "one value", v.source());
        return List.of();
      }
      List<ConditionValue> out = new ArrayList<>(items.size());
      for (Node item : items) {
        ConditionValue cv = conditionValue(item, key);
        if (cv != null) {
          out.add(cv);
        }
      }
      return out;
    }
    ConditionValue cv = conditionValue(v, key);
    return cv == null ? List.of() : List.of(cv);
  }

  private ConditionValue conditionValue(Node n, String key) {
    if (PolicyBuilder.isFunction(n)) {
      return new ConditionValue(builder.function(n, "a value of condition key `" + key + "`"), ValueKind.STRING,
          builder.at(n.source()));
    }
    if (n instanceof Node.ScalarNode) {
      Node.ScalarNode s = (Node.ScalarNode) n;
      switch (s.type()) {
        case STRING:
          return new ConditionValue(s.text(), ValueKind.STRING, builder.at(n.source()));
        case BOOLEAN:
          return new ConditionValue(s.text(), ValueKind.BOOLEAN, builder.at(n.source()));
        case NUMBER:
          return new ConditionValue(s.text(), ValueKind.NUMBER, builder.at(n.source()));
        default:
          break;
      }
    }
    builder.wrongType("a value of condition key `" + key + "`", "a string, number or boolean", n);
    return null;
  }

  private static final class ParsedOperator {
    ConditionOperator operator;
    SetQualifier qualifier = SetQualifier.NONE;
    boolean ifExists;
  }

  private ParsedOperator operator(Node.Field f) {
    ParsedOperator p = new ParsedOperator();
    String text = f.key();
    String rest = text;
    int colon = text.indexOf(':');
    if (colon >= 0) {
      String q = text.substring(0, colon);
      rest = text.substring(colon + 1);
      if (q.equals("ForAllValues")) {
        p.qualifier = SetQualifier.FOR_ALL_VALUES;
      } else if (q.equals("ForAnyValue")) {
        p.qualifier = SetQualifier.FOR_ANY_VALUE;
      } else {
        String suggestion = Suggestions.closest(q, PolicyBuilder.QUALIFIERS);
        builder.error("policy.unknown-operator", "`" + text + "` is not a condition operator: `" + q + "` is not a set "
            + "operator; use `ForAllValues` or `ForAnyValue`"
            + (suggestion != null ? " (did you mean `" + suggestion + ":" + rest + "`?)" : ""), f.keySource());
        return p;
      }
    }
    String base = rest;
    if (rest.endsWith("IfExists") && rest.length() > "IfExists".length()) {
      base = rest.substring(0, rest.length() - "IfExists".length());
      p.ifExists = true;
    }
    ConditionOperator op = ConditionOperator.fromAwsName(base);
    if (op == null) {
      String suggestion = Suggestions.closest(rest, OPERATOR_SPELLINGS);
      String prefix = text.substring(0, text.length() - rest.length());
      boolean caseOnly = suggestion != null && suggestion.equalsIgnoreCase(rest);
      builder.error("policy.unknown-operator", "`" + text + "` is not a condition operator"
          + (suggestion == null ? "" : caseOnly ? "; operator names are case-sensitive: write `" + prefix
          + suggestion + "`" : "; did you mean `" + prefix + suggestion + "`?"), f.keySource());
      return p;
    }
    if (op == ConditionOperator.NULL && p.ifExists) {
      builder.error("policy.if-exists-on-null", "`" + text + "` is not a condition operator: `Null` takes no "
          + "`IfExists` suffix, since it already tests whether the key exists", f.keySource());
      return p;
    }
    p.operator = op;
    return p;
  }
}
