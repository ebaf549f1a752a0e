package dev.keyward.parse;

import dev.keyward.model.ActionElement;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;

/**
 * A complete, deterministic text rendering of a parsed policy: every element, value and location. The
 * golden files under policies/valid hold it, so a golden test compares the whole model.
 */
final class ModelDump {

  private ModelDump() {}

  static String dump(PolicyDocument p) {
    StringBuilder b = new StringBuilder();
    b.append("policy type=").append(p.type().label())
        .append(" version=").append(p.version())
        .append(" id=").append(q(p.id()))
        .append(' ').append(at(p.source())).append('\n');
    for (Statement s : p.statements()) {
      b.append("statement ").append(s.index())
          .append(" sid=").append(q(s.sid()))
          .append(" effect=").append(s.effect() == null ? "null" : s.effect().awsName())
          .append(' ').append(at(s.source())).append('\n');
      principal(b, s.principal());
      action(b, s.action());
      resource(b, s.resource());
      for (Condition c : s.conditions()) {
        b.append("  condition ").append(q(c.operatorText()))
            .append(" operator=").append(c.operator() == null ? "null" : c.operator().awsName())
            .append(" qualifier=").append(c.qualifier().name())
            .append(" ifExists=").append(c.ifExists())
            .append(" key=").append(q(c.key()))
            .append(' ').append(at(c.source())).append('\n');
        for (ConditionValue v : c.values()) {
          b.append("    ").append(v.kind().name()).append(' ').append(q(v.text()))
              .append(' ').append(at(v.source())).append('\n');
        }
      }
    }
    return b.toString();
  }

  private static void principal(StringBuilder b, PrincipalElement e) {
    if (e == null) {
      return;
    }
    b.append("  ").append(e.elementName()).append(" anyone=").append(e.anyone())
        .append(' ').append(at(e.source())).append('\n');
    for (PrincipalValue v : e.values()) {
      b.append("    ").append(v.type().awsName()).append(' ').append(q(v.value()));
      if (!v.written().equals(v.value())) {
        b.append(" written=").append(q(v.written()));
      }
      b.append(' ').append(at(v.source())).append('\n');
    }
  }

  private static void action(StringBuilder b, ActionElement e) {
    if (e == null) {
      return;
    }
    b.append("  ").append(e.elementName()).append(' ').append(at(e.source())).append('\n');
    located(b, e.patterns());
  }

  private static void resource(StringBuilder b, ResourceElement e) {
    if (e == null) {
      return;
    }
    b.append("  ").append(e.elementName()).append(' ').append(at(e.source())).append('\n');
    located(b, e.patterns());
  }

  private static void located(StringBuilder b, java.util.List<Located> values) {
    for (Located l : values) {
      b.append("    ").append(q(l.value())).append(' ').append(at(l.source())).append('\n');
    }
  }

  private static String q(String s) {
    return s == null ? "null" : '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static String at(SourceRef r) {
    return "@" + r.line() + ":" + r.column() + " " + (r.pointer().isEmpty() ? "/" : r.pointer());
  }
}
