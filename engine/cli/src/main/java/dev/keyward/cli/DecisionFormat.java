package dev.keyward.cli;

import dev.keyward.eval.ConditionalDecision;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Reason;
import dev.keyward.request.Request;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.eval.Verdict;
import dev.keyward.parse.JsonOut;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Renders decisions for people (text) and tools (JSON, JSON Lines). Pure functions, deterministic order. */
final class DecisionFormat {

  private DecisionFormat() {}

  /** The JSON Lines contract: {@code {"id","decision","reasons":[{"policy","statement","effect","message"}]}}. */
  static String jsonLine(Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.requestId());
    m.put("decision", d.verdict().name());
    m.put("reasons", reasons(d, false));
    return JsonOut.compact(m);
  }

  /** One decision with its request and reason locations, for {@code can --format json}. */
  static String json(Request q, Decision d, String givenResource) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.requestId());
    m.put("principal", q.principal());
    m.put("action", q.action());
    m.put("resource", q.resource());
    if (!givenResource.equals(q.resource())) {
      m.put("resourceAsGiven", givenResource);
    }
    m.put("context", context(q.context()));
    m.put("decision", d.verdict().name());
    m.put("reasons", reasons(d, true));
    return JsonOut.compact(m);
  }

  private static List<Map<String, Object>> reasons(Decision d, boolean withLocation) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Reason r : d.reasons()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("policy", r.policy());
      m.put("statement", r.statement());
      m.put("effect", r.effect());
      m.put("message", r.message());
      if (withLocation && r.source().hasPosition()) {
        m.put("location", r.source().display());
      }
      out.add(m);
    }
    return out;
  }

  /**
   * A request context for JSON, keys in sorted order: one value as a string, several (or none) as an array
   * of strings.
   */
  static Map<String, Object> context(Map<String, List<String>> context) {
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      out.put(e.getKey(), e.getValue().size() == 1 ? e.getValue().get(0) : e.getValue());
    }
    return out;
  }

  /** One decision explained for people: the verdict line, the request, then each reason. */
  static String text(Request q, Decision d, String givenResource) {
    StringBuilder b = new StringBuilder(512);
    b.append(headline(d.verdict())).append('\n');
    b.append("  principal  ").append(q.principal()).append('\n');
    b.append("  action     ").append(q.action()).append('\n');
    b.append("  resource   ").append(q.resource());
    if (!givenResource.equals(q.resource())) {
      b.append(" (").append(givenResource).append(')');
    }
    b.append('\n');
    for (Map.Entry<String, List<String>> e : new TreeMap<>(q.context()).entrySet()) {
      b.append("  context    ").append(e.getKey()).append(" = ");
      b.append(e.getValue().size() == 1 ? e.getValue().get(0) : String.valueOf(e.getValue())).append('\n');
    }
    b.append('\n');
    if (d.reasons().isEmpty()) {
      b.append("no statement, grant or guardrail applies\n");
      return b.toString();
    }
    b.append(d.reasons().size() == 1 ? "reason:\n" : "reasons:\n");
    int n = 1;
    for (Reason r : d.reasons()) {
      b.append("  ").append(n++).append(". ").append(r.effect()).append(": ").append(r.message()).append('\n');
      if (!r.policy().isEmpty()) {
        b.append("     ").append(r.policy());
        if (!r.statement().isEmpty()) {
          b.append(", statement ").append(r.statement());
        }
        b.append('\n');
      }
      if (r.source().hasPosition()) {
        b.append("     at ").append(r.source().display()).append('\n');
      }
    }
    return b.toString();
  }

  static String headline(Verdict v) {
    switch (v) {
      case ALLOW:
        return "ALLOW: the request is allowed";
      case EXPLICIT_DENY:
        return "EXPLICIT_DENY: a statement denies the request";
      default:
        return "IMPLICIT_DENY: nothing allows the request";
    }
  }

  /** One alternative of a conditional decision: its conditions joined with "and". */
  static String alternative(List<ResidualCondition> conditions) {
    StringBuilder b = new StringBuilder();
    for (ResidualCondition c : conditions) {
      if (b.length() > 0) {
        b.append(" and ");
      }
      b.append(c.display());
    }
    return b.length() == 0 ? "(no condition)" : b.toString();
  }

  private static Map<String, Object> condition(ResidualCondition c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", c.policy());
    m.put("statement", c.statement());
    m.put("effect", c.effect());
    m.put("operator", c.operator());
    m.put("key", c.key());
    m.put("values", c.values());
    m.put("mustHold", c.mustHold());
    if (c.source().hasPosition()) {
      m.put("location", c.source().display());
    }
    return m;
  }

  /** Conditional alternatives for JSON: a list of lists of conditions. */
  static List<List<Map<String, Object>>> alternatives(ConditionalDecision d) {
    List<List<Map<String, Object>>> out = new ArrayList<>();
    for (List<ResidualCondition> alt : d.alternatives()) {
      List<Map<String, Object>> conditions = new ArrayList<>();
      for (ResidualCondition c : alt) {
        conditions.add(condition(c));
      }
      out.add(conditions);
    }
    return out;
  }
}
