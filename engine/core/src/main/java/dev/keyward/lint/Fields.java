package dev.keyward.lint;

import dev.keyward.lang.Pos;
import dev.keyward.model.ActionElement;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Problem;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields a check can read from policy elements: {@code s.effect}, {@code p.account}, {@code c.key}.
 * The vocabulary is documented in docs/keyward-language.md; every name here appears there.
 * Null propagates: a field of null is null.
 */
final class Fields {

  private Fields() {}

  static Object get(Object target, String name, Pos pos) {
    if (target == null) {
      return null;
    }
    if (target instanceof Subject) {
      return subject((Subject) target, name, pos);
    }
    if (target instanceof Statement) {
      return statement((Statement) target, name, pos);
    }
    if (target instanceof Condition) {
      return condition((Condition) target, name, pos);
    }
    if (target instanceof PrincipalValue) {
      return principalValue((PrincipalValue) target, name, pos);
    }
    if (target instanceof PrincipalElement) {
      return principalElement((PrincipalElement) target, name, pos);
    }
    if (target instanceof ActionElement) {
      ActionElement a = (ActionElement) target;
      switch (name) {
        case "negated": return a.negated();
        case "name": return Text.literal(a.elementName());
        case "values": return actions(a);
        default: throw unknown(target, name, pos);
      }
    }
    if (target instanceof ResourceElement) {
      ResourceElement r = (ResourceElement) target;
      switch (name) {
        case "negated": return r.negated();
        case "name": return Text.literal(r.elementName());
        case "values": return resources(r);
        default: throw unknown(target, name, pos);
      }
    }
    if (target instanceof Problem) {
      Problem p = (Problem) target;
      switch (name) {
        case "code": return Text.located(p.code(), p.where());
        case "message": return Text.located(p.message(), p.where());
        case "severity": return Text.literal(p.severity().label());
        default: throw unknown(target, name, pos);
      }
    }
    if (target instanceof Arn) {
      Arn a = (Arn) target;
      switch (name) {
        case "partition": return Text.literal(a.partition());
        case "service": return Text.literal(a.service());
        case "region": return Text.literal(a.region());
        case "account": return Text.literal(a.account());
        case "resource": return Text.literal(a.resource());
        case "resourceType": return Text.literal(a.resourceType());
        case "resourceId": return Text.literal(a.resourceId());
        default: throw unknown(target, name, pos);
      }
    }
    if (target instanceof Text) {
      Text t = (Text) target;
      switch (name) {
        case "length": return (double) t.value().length();
        case "lower": return new Text(t.lower(), t.source(), t.ignoreCase());
        default: throw unknown(target, name, pos);
      }
    }
    if (target instanceof List) {
      List<?> l = (List<?>) target;
      switch (name) {
        case "length": return (double) l.size();
        case "first": return l.isEmpty() ? null : l.get(0);
        default: throw unknown(target, name, pos);
      }
    }
    if (target instanceof Map) {
      return ((Map<?, ?>) target).get(name);
    }
    throw unknown(target, name, pos);
  }

  private static Object subject(Subject s, String name, Pos pos) {
    PolicyDocument d = s.policy();
    switch (name) {
      case "statements": return d == null ? List.of() : d.statements();
      case "version": return d == null || d.version() == null ? null
          : Text.located(d.version(), d.source().child("Version"));
      case "id": return d == null || d.id() == null ? null : Text.located(d.id(), d.source().child("Id"));
      case "type": return Text.literal(s.type().label());
      case "problems": return s.problems();
      case "file": return Text.literal(s.file());
      default: throw unknown(s, name, pos);
    }
  }

  private static Object statement(Statement s, String name, Pos pos) {
    switch (name) {
      case "index": return (double) s.index();
      case "sid": return s.sid() == null ? null : Text.located(s.sid(), s.source().child("Sid"));
      case "label": return Text.literal(s.label());
      case "effect": return s.effect() == null ? null : Text.located(s.effect().awsName(), s.source().child("Effect"));
      case "principal": return s.principal() != null && !s.principal().negated() ? s.principal() : null;
      case "notPrincipal": return s.principal() != null && s.principal().negated() ? s.principal() : null;
      case "principals": return s.principal() != null && !s.principal().negated() ? s.principal().values() : List.of();
      case "action": return s.action() != null && !s.action().negated() ? s.action() : null;
      case "notAction": return s.action() != null && s.action().negated() ? s.action() : null;
      case "actions": return s.action() != null && !s.action().negated() ? actions(s.action()) : List.of();
      case "notActions": return s.action() != null && s.action().negated() ? actions(s.action()) : List.of();
      case "resource": return s.resource() != null && !s.resource().negated() ? s.resource() : null;
      case "notResource": return s.resource() != null && s.resource().negated() ? s.resource() : null;
      case "resources": return s.resource() != null && !s.resource().negated() ? resources(s.resource()) : List.of();
      case "notResources": return s.resource() != null && s.resource().negated() ? resources(s.resource()) : List.of();
      case "conditions": return s.conditions();
      case "conditionKeys": {
        List<Object> keys = new ArrayList<>();
        for (Condition c : s.conditions()) {
          keys.add(Text.caseInsensitive(c.key(), c.source()));
        }
        return keys;
      }
      default: throw unknown(s, name, pos);
    }
  }

  private static Object condition(Condition c, String name, Pos pos) {
    ConditionOperator op = c.operator();
    switch (name) {
      case "operator": return Text.located(c.operatorText(), c.source());
      case "base": return op == null ? null : Text.literal(op.awsName());
      case "family": return op == null ? null : Text.literal(op.family().name().toLowerCase(java.util.Locale.ROOT));
      case "qualifier": return c.qualifier().awsName().isEmpty() ? null : Text.literal(c.qualifier().awsName());
      case "ifExists": return c.ifExists();
      case "negated": return op != null && op.negated();
      case "valid": return op != null;
      case "allowsWildcards": return op != null && op.allowsWildcards();
      case "key": return Text.caseInsensitive(c.key(), c.source());
      case "values": {
        boolean ci = op == ConditionOperator.STRING_EQUALS_IGNORE_CASE
            || op == ConditionOperator.STRING_NOT_EQUALS_IGNORE_CASE;
        List<Object> out = new ArrayList<>(c.values().size());
        for (ConditionValue v : c.values()) {
          out.add(new Text(v.text(), v.source(), ci));
        }
        return out;
      }
      case "valueKinds": {
        List<Object> out = new ArrayList<>(c.values().size());
        for (ConditionValue v : c.values()) {
          out.add(Text.located(v.kind().name().toLowerCase(java.util.Locale.ROOT), v.source()));
        }
        return out;
      }
      default: throw unknown(c, name, pos);
    }
  }

  private static Object principalElement(PrincipalElement p, String name, Pos pos) {
    switch (name) {
      case "anyone": return p.anyone();
      case "everyone": return p.matchesEveryAwsPrincipal();
      case "negated": return p.negated();
      case "name": return Text.literal(p.elementName());
      case "values": return p.values();
      case "aws": return ofType(p, PrincipalType.AWS);
      case "services": return ofType(p, PrincipalType.SERVICE);
      case "federated": return ofType(p, PrincipalType.FEDERATED);
      case "canonicalUsers": return ofType(p, PrincipalType.CANONICAL_USER);
      default: throw unknown(p, name, pos);
    }
  }

  private static List<Object> ofType(PrincipalElement p, PrincipalType t) {
    List<Object> out = new ArrayList<>();
    for (PrincipalValue v : p.values()) {
      if (v.type() == t) {
        out.add(v);
      }
    }
    return out;
  }

  private static Object principalValue(PrincipalValue v, String name, Pos pos) {
    switch (name) {
      case "type": return Text.literal(v.type().awsName());
      case "value": return new Text(v.value(), v.source(), v.type() == PrincipalType.SERVICE);
      case "written": return Text.located(v.written(), v.source());
      case "wildcard": return v.isWildcard();
      case "arn": return Arn.parse(v.value()).orElse(null);
      case "account": {
        if (v.type() != PrincipalType.AWS) {
          return null;
        }
        if (Arn.isAccountId(v.value())) {
          return Text.located(v.value(), v.source());
        }
        return Arn.parse(v.value()).map(a -> a.account().isEmpty() ? null : Text.located(a.account(), v.source()))
            .orElse(null);
      }
      case "root": {
        return v.type() == PrincipalType.AWS && Arn.parse(v.value())
            .map(a -> a.service().equals("iam") && a.resource().equals("root")).orElse(false);
      }
      default: throw unknown(v, name, pos);
    }
  }

  static List<Object> actions(ActionElement a) {
    List<Object> out = new ArrayList<>(a.patterns().size());
    for (Located l : a.patterns()) {
      out.add(Text.caseInsensitive(l.value(), l.source()));
    }
    return out;
  }

  static List<Object> resources(ResourceElement r) {
    List<Object> out = new ArrayList<>(r.patterns().size());
    for (Located l : r.patterns()) {
      out.add(Text.located(l.value(), l.source()));
    }
    return out;
  }

  /** Where a value was written, for findings; null when it has no location of its own. */
  static SourceRef locate(Object v) {
    if (v instanceof Text) {
      return ((Text) v).source();
    }
    if (v instanceof Statement) {
      return ((Statement) v).source();
    }
    if (v instanceof Condition) {
      return ((Condition) v).source();
    }
    if (v instanceof PrincipalValue) {
      return ((PrincipalValue) v).source();
    }
    if (v instanceof PrincipalElement) {
      return ((PrincipalElement) v).source();
    }
    if (v instanceof ActionElement) {
      return ((ActionElement) v).source();
    }
    if (v instanceof ResourceElement) {
      return ((ResourceElement) v).source();
    }
    if (v instanceof Problem) {
      return ((Problem) v).where();
    }
    if (v instanceof Subject) {
      Subject s = (Subject) v;
      return s.policy() == null ? null : s.policy().source();
    }
    return null;
  }

  static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Text) {
      return "string";
    }
    if (v instanceof Double) {
      return "number";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof List) {
      return "list";
    }
    if (v instanceof Map) {
      return "map";
    }
    if (v instanceof Subject) {
      return "policy";
    }
    if (v instanceof Statement) {
      return "statement";
    }
    if (v instanceof Condition) {
      return "condition";
    }
    if (v instanceof PrincipalValue) {
      return "principal value";
    }
    if (v instanceof PrincipalElement) {
      return "principal element";
    }
    if (v instanceof ActionElement) {
      return "action element";
    }
    if (v instanceof ResourceElement) {
      return "resource element";
    }
    if (v instanceof Problem) {
      return "problem";
    }
    if (v instanceof Arn) {
      return "arn";
    }
    return v.getClass().getSimpleName();
  }

  private static CheckError unknown(Object target, String name, Pos pos) {
    return new CheckError("a " + typeName(target) + " has no field `" + name + "`", pos);
  }
}
