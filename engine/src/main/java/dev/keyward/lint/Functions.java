package dev.keyward.lint;

import dev.keyward.lang.Pos;
import dev.keyward.model.ActionElement;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in functions of rule checks. Each is pure; the IAM-aware ones answer from the bundled IAM
 * reference data. The table {@link #SPECS} is what check validation and docs/keyward-language.md use.
 */
final class Functions {

  /** A function's name, arity and one-line description. */
  record Spec(String name, int minArgs, int maxArgs, String summary) {}

  static final Map<String, Spec> SPECS = specs(
      new Spec("len", 1, 1, "length of a string or list; 0 for null"),
      new Spec("lower", 1, 1, "a string in lower case, keeping its location"),
      new Spec("starts_with", 2, 2, "true when the string starts with the prefix (case as the string)"),
      new Spec("ends_with", 2, 2, "true when the string ends with the suffix"),
      new Spec("has_wildcard", 1, 1, "true when the string (or any string of a list) holds `*` or `?`"),
      new Spec("is_account_id", 1, 1, "true for a 12-digit AWS account id"),
      new Spec("arn", 1, 1, "the ARN's parts (partition, service, region, account, resource, resourceType, "
          + "resourceId), or null when the string is not an ARN"),
      new Spec("service", 1, 1, "the service prefix of an action (`kms` for `kms:Decrypt`), lower case; null "
          + "without a colon"),
      new Spec("applies_to", 2, 2, "true when the statement's Action (or NotAction) covers some action matched "
          + "by the pattern or list of patterns"),
      new Spec("conditions", 2, 2, "the statement's conditions whose key matches the glob (ignoring case)"),
      new Spec("has_condition", 2, 2, "true when the statement has a condition whose key matches the glob"),
      new Spec("coalesce", 1, 8, "the first argument that is neither null nor an empty list"),
      new Spec("flatten", 1, 1, "a list of lists as one list"),
      new Spec("count", 1, 1, "the number of true values in a list"));

  Functions() {}

  private static Map<String, Spec> specs(Spec... specs) {
    Map<String, Spec> m = new LinkedHashMap<>();
    for (Spec s : specs) {
      m.put(s.name(), s);
    }
    return Map.copyOf(m);
  }

  Object call(String name, List<Object> args, Pos pos) {
    switch (name) {
      case "len": {
        Object v = args.get(0);
        if (v == null) {
          return 0.0;
        }
        if (v instanceof Text) {
          return (double) ((Text) v).value().length();
        }
        if (v instanceof List) {
          return (double) ((List<?>) v).size();
        }
        throw new CheckError("`len` needs a string or a list, not a " + Fields.typeName(v), pos);
      }
      case "lower": {
        Text t = text(args.get(0), name, pos);
        return t == null ? null : new Text(t.lower(), t.source(), t.ignoreCase());
      }
      case "starts_with": {
        Text t = text(args.get(0), name, pos);
        Text p = text(args.get(1), name, pos);
        return t != null && p != null && (t.ignoreCase() ? t.lower().startsWith(p.lower()) : t.value().startsWith(p.value()));
      }
      case "ends_with": {
        Text t = text(args.get(0), name, pos);
        Text p = text(args.get(1), name, pos);
        return t != null && p != null && (t.ignoreCase() ? t.lower().endsWith(p.lower()) : t.value().endsWith(p.value()));
      }
      case "has_wildcard": {
        for (Object o : Evaluator.iterable(args.get(0))) {
          Text t = text(o, name, pos);
          if (t != null && Glob.hasWildcard(t.value())) {
            return true;
          }
        }
        return false;
      }
      case "is_account_id": {
        Text t = text(args.get(0), name, pos);
        return t != null && Arn.isAccountId(t.value());
      }
      case "arn": {
        Text t = text(args.get(0), name, pos);
        return t == null ? null : Arn.parse(t.value()).orElse(null);
      }
      case "service": {
        Text t = text(args.get(0), name, pos);
        if (t == null) {
          return null;
        }
        int colon = t.value().indexOf(':');
        return colon < 0 ? null : new Text(t.value().substring(0, colon).toLowerCase(Locale.ROOT), t.source(), true);
      }
      case "applies_to":
        return appliesTo(statement(args.get(0), name, pos), args.get(1), pos);
      case "conditions":
        return conditions(statement(args.get(0), name, pos), args.get(1), pos);
      case "has_condition":
        return !conditions(statement(args.get(0), name, pos), args.get(1), pos).isEmpty();
      case "coalesce": {
        for (Object o : args) {
          if (o != null && !(o instanceof List && ((List<?>) o).isEmpty())) {
            return o;
          }
        }
        return null;
      }
      case "flatten": {
        List<Object> out = new ArrayList<>();
        for (Object o : Evaluator.iterable(args.get(0))) {
          out.addAll(Evaluator.iterable(o));
        }
        return out;
      }
      case "count": {
        double n = 0;
        for (Object o : Evaluator.iterable(args.get(0))) {
          if (Boolean.TRUE.equals(o)) {
            n++;
          }
        }
        return n;
      }
      default:
        throw new CheckError("unknown function `" + name + "`", pos);
    }
  }

  /**
   * True when the statement's action element applies to some action the pattern matches. For Action:
   * some listed pattern overlaps it. For NotAction: no listed pattern covers it entirely (so some action
   * it matches is left over).
   */
  static boolean appliesTo(Statement s, Object patterns, Pos pos) {
    if (s == null || s.action() == null) {
      return false;
    }
    ActionElement a = s.action();
    for (Object p : Evaluator.iterable(patterns)) {
      if (!(p instanceof Text)) {
        throw new CheckError("`applies_to` needs action patterns, not a " + Fields.typeName(p), pos);
      }
      String pattern = ((Text) p).value();
      boolean hit = false;
      for (dev.keyward.model.Located l : a.patterns()) {
        if (a.negated() ? Glob.covers(l.value(), pattern, true) : Glob.overlaps(l.value(), pattern, true)) {
          hit = true;
          break;
        }
      }
      if (a.negated() != hit) {
        return true;
      }
    }
    return false;
  }

  private static List<Object> conditions(Statement s, Object keyGlob, Pos pos) {
    if (s == null) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    for (Condition c : s.conditions()) {
      for (Object k : Evaluator.iterable(keyGlob)) {
        Text t = text(k, "conditions", pos);
        if (t != null && Glob.matches(t.value(), c.key(), true)) {
          out.add(c);
          break;
        }
      }
    }
    return out;
  }

  private static Text text(Object v, String fn, Pos pos) {
    if (v == null || v instanceof Text) {
      return (Text) v;
    }
    throw new CheckError("`" + fn + "` needs a string, not a " + Fields.typeName(v), pos);
  }

  private static Statement statement(Object v, String fn, Pos pos) {
    if (v == null || v instanceof Statement) {
      return (Statement) v;
    }
    throw new CheckError("`" + fn + "` needs a statement, not a " + Fields.typeName(v), pos);
  }
}
