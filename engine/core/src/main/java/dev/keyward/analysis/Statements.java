package dev.keyward.analysis;

import dev.keyward.model.Condition;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Located;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the policy statements that fixes suggest, as JSON text in AWS's element order. */
public final class Statements {

  private Statements() {}

  /**
   * An Allow statement.
   *
   * @param principal the AWS principal for a resource policy, or null for an identity policy
   * @param conditions operator → key → values, in the order to write them (may be empty)
   */
  static String allow(String sid, String principal, List<String> actions, List<String> resources,
      Map<String, Map<String, List<String>>> conditions) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Sid", sid);
    s.put("Effect", "Allow");
    if (principal != null) {
      s.put("Principal", Map.of("AWS", principal));
    }
    s.put("Action", List.copyOf(actions));
    s.put("Resource", List.copyOf(resources));
    if (!conditions.isEmpty()) {
      s.put("Condition", conditions);
    }
    return JsonText.of(s);
  }

  /** A statement of a parsed policy written back as JSON, with its elements as written. */
  public static Map<String, Object> toMap(Statement st) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (st.sid() != null) {
      s.put("Sid", st.sid());
    }
    s.put("Effect", st.effect() == null ? "Allow" : st.effect() == dev.keyward.model.Effect.ALLOW ? "Allow" : "Deny");
    if (st.principal() != null) {
      Object p;
      if (st.principal().anyone()) {
        p = "*";
      } else {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (PrincipalValue v : st.principal().values()) {
          byType.computeIfAbsent(typeName(v), k -> new ArrayList<>()).add(v.written());
        }
        p = byType;
      }
      s.put(st.principal().elementName(), p);
    }
    if (st.action() != null) {
      s.put(st.action().elementName(), values(st.action().patterns()));
    }
    if (st.resource() != null) {
      s.put(st.resource().elementName(), values(st.resource().patterns()));
    }
    if (!st.conditions().isEmpty()) {
      s.put("Condition", conditions(st.conditions()));
    }
    return s;
  }

  static Map<String, Map<String, List<String>>> conditions(List<Condition> cs) {
    Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
    for (Condition c : cs) {
      List<String> vals = new ArrayList<>();
      for (ConditionValue v : c.values()) {
        vals.add(v.text());
      }
      out.computeIfAbsent(c.operatorText(), k -> new LinkedHashMap<>()).put(c.key(), vals);
    }
    return out;
  }

  private static String typeName(PrincipalValue v) {
    return v.type().awsName();
  }

  private static List<String> values(List<Located> ls) {
    List<String> out = new ArrayList<>();
    for (Located l : ls) {
      out.add(l.value());
    }
    return out;
  }

  /** A Sid made of the words given: letters and digits only, each word capitalised. */
  static String sid(String... words) {
    StringBuilder b = new StringBuilder();
    for (String w : words) {
      for (String part : w.split("[^A-Za-z0-9]+")) {
        if (!part.isEmpty()) {
          b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
      }
    }
    return b.toString();
  }

  /** Ordered condition map builder. */
  static final class Conditions {
    private final Map<String, Map<String, List<String>>> map = new LinkedHashMap<>();

    Conditions add(String operator, String key, String... values) {
      map.computeIfAbsent(operator, k -> new LinkedHashMap<>()).put(key, List.of(values));
      return this;
    }

    Map<String, Map<String, List<String>>> build() {
      return map;
    }
  }
}
