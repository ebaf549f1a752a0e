package dev.keyward.cli;

import dev.keyward.eval.ConditionalDecision;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Reason;
import dev.keyward.request.Request;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.eval.Verdict;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Renders decisions for people (text) and tools (JSON, JSON Lines). Pure functions, deterministic order. */
final class DecisionFormat {

  private DecisionFormat() {}

  /** The JSON Lines contract: {@code {"id","decision","reasons":[{"policy","statement","effect","message"}]}}. */
  static String jsonLine(Decision d) {
    StringBuilder b = new StringBuilder(256);
    b.append('{');
    Json.field(b, "id");
    Json.string(b, d.requestId());
    Json.field(b, "decision");
    Json.string(b, d.verdict().name());
    Json.field(b, "reasons").append('[');
    for (Reason r : d.reasons()) {
      reasonJson(b, r, false);
    }
    return b.append("]}").toString();
  }

  /** One decision with its request and reason locations, for {@code can --format json}. */
  static String json(Request q, Decision d, String givenResource) {
    StringBuilder b = new StringBuilder(512);
    b.append('{');
    Json.field(b, "id");
    Json.string(b, d.requestId());
    Json.field(b, "principal");
    Json.string(b, q.principal());
    Json.field(b, "action");
    Json.string(b, q.action());
    Json.field(b, "resource");
    Json.string(b, q.resource());
    if (!givenResource.equals(q.resource())) {
      Json.field(b, "resourceAsGiven");
      Json.string(b, givenResource);
    }
    Json.field(b, "context");
    context(b, q.context());
    Json.field(b, "decision");
    Json.string(b, d.verdict().name());
    Json.field(b, "reasons").append('[');
    for (Reason r : d.reasons()) {
      reasonJson(b, r, true);
    }
    return b.append("]}").toString();
  }

  private static void reasonJson(StringBuilder b, Reason r, boolean withLocation) {
    if (b.charAt(b.length() - 1) != '[') {
      b.append(',');
    }
    b.append('{');
    Json.field(b, "policy");
    Json.string(b, r.policy());
    Json.field(b, "statement");
    Json.string(b, r.statement());
    Json.field(b, "effect");
    Json.string(b, r.effect());
    Json.field(b, "message");
    Json.string(b, r.message());
    if (withLocation && r.source().hasPosition()) {
      Json.field(b, "location");
      Json.string(b, r.source().display());
    }
    b.append('}');
  }

  private static void context(StringBuilder b, Map<String, List<String>> context) {
    Json.context(b, context);
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

  static void conditionJson(StringBuilder b, ResidualCondition c) {
    if (b.charAt(b.length() - 1) != '[') {
      b.append(',');
    }
    b.append('{');
    Json.field(b, "policy");
    Json.string(b, c.policy());
    Json.field(b, "statement");
    Json.string(b, c.statement());
    Json.field(b, "effect");
    Json.string(b, c.effect());
    Json.field(b, "operator");
    Json.string(b, c.operator());
    Json.field(b, "key");
    Json.string(b, c.key());
    Json.field(b, "values").append('[');
    for (int i = 0; i < c.values().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Json.string(b, c.values().get(i));
    }
    b.append(']');
    Json.field(b, "mustHold").append(c.mustHold());
    if (c.source().hasPosition()) {
      Json.field(b, "location");
      Json.string(b, c.source().display());
    }
    b.append('}');
  }

  /** Conditional alternatives as JSON: an array of arrays of conditions. */
  static void alternativesJson(StringBuilder b, ConditionalDecision d) {
    b.append('[');
    boolean first = true;
    for (List<ResidualCondition> alt : d.alternatives()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append('[');
      for (ResidualCondition c : alt) {
        conditionJson(b, c);
      }
      b.append(']');
    }
    b.append(']');
  }
}
