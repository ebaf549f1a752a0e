package dev.keyward.lint;

import dev.keyward.iam.ConditionKeyInfo;
import dev.keyward.iam.ConditionKeyType;
import dev.keyward.iam.IamReference;
import dev.keyward.iam.ResourceTypeInfo;
import dev.keyward.lang.Pos;
import dev.keyward.model.ActionElement;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.Glob;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
      new Spec("known_service", 1, 1, "true when the service prefix (of an action, or given alone) is in the IAM "
          + "reference data; true for prefixes with wildcards"),
      new Spec("known_action", 1, 1, "true when the action pattern matches at least one action of the IAM "
          + "reference data (wildcards expanded)"),
      new Spec("expand", 1, 1, "the actions an action pattern matches, by their canonical names"),
      new Spec("aws_ships", 1, 1, "true when AWS's own managed policies (the bundled copy) use the action, "
          + "condition key or service prefix (case ignored): a name AWS ships is retired or newer than the IAM "
          + "reference data, not a mistake of the user's"),
      new Spec("aws_documents", 1, 1, "the AWS page that documents an action the IAM reference data does not "
          + "list (the bundled list of actions AWS documents outside the Service Authorization Reference, case "
          + "ignored), or null"),
      new Spec("iam_data_date", 0, 0, "the date of the bundled IAM reference data, as YYYY-MM-DD"),
      new Spec("did_you_mean", 1, 1, "a suggestion to append to a message: \"; did you mean `X`?\" for a value X, "
          + "and nothing for null"),
      new Spec("closest_action", 1, 1, "for an action name its service does not have, the action of that service "
          + "it most likely means (at most two letters added, removed, changed or swapped, ignoring case, or the "
          + "same name in another case), as service:Name; null when none is that close or the name has a wildcard"),
      new Spec("access_level", 1, 1, "the access level of an action (List, Read, Write, Permissions management, "
          + "Tagging), or null when unknown"),
      new Spec("condition_key", 1, 1, "what the IAM reference data knows of a condition key (name, type, types, "
          + "multivalued, global, pattern), matching key patterns such as kms:EncryptionContext:<key>; null "
          + "when unknown"),
      new Spec("key_applicable", 2, 2, "true when the condition key can apply to the action (or to some action "
          + "a pattern matches)"),
      new Spec("resource_types", 1, 1, "the resource types an action takes, as service:type; empty when it "
          + "takes only \"*\""),
      new Spec("arn_types", 1, 1, "the resource types whose ARN format matches an ARN, as service:type"),
      new Spec("takes_resource", 2, 2, "true when the action can act on some resource the ARN pattern matches: "
          + "one of its resource types' ARN formats overlaps the pattern (placeholders and policy variables count "
          + "as wildcards), or, for an action that takes no resource type, the pattern is \"*\""),
      new Spec("take", 2, 2, "the first n elements of a list"),
      new Spec("join", 2, 2, "the elements of a list as a message shows them, with the separator between them"),
      new Spec("coalesce", 1, 8, "the first argument that is neither null nor an empty list"),
      new Spec("flatten", 1, 1, "a list of lists as one list"),
      new Spec("count", 1, 1, "the number of true values in a list"));

  /** Wildcard patterns expanding to more actions than this are taken to accept any condition key. */
  private static final int APPLICABLE_SCAN_LIMIT = 400;

  private final IamReference iam;
  /** ARN templates with their placeholders as wildcards, by template. */
  private final Map<String, String> templates = new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * Answers of the IAM-data functions, by function and arguments. Policies repeat the same actions and
   * keys endlessly (the corpus names 1,594 policies' worth of `s3:GetObject`); the answers depend only on
   * the immutable reference data. Bounded: cleared when it grows past {@link #CACHE_LIMIT} entries.
   */
  private final Map<String, Object> cache = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int CACHE_LIMIT = 100_000;
  private static final Object NONE = new Object();

  Functions(IamReference iam) {
    this.iam = iam;
  }

  private static Map<String, Spec> specs(Spec... specs) {
    Map<String, Spec> m = new LinkedHashMap<>();
    for (Spec s : specs) {
      m.put(s.name(), s);
    }
    return Map.copyOf(m);
  }

  private static final java.util.Set<String> CACHED = java.util.Set.of("known_service", "known_action",
      "condition_key", "key_applicable", "resource_types", "arn_types", "takes_resource", "access_level",
      "closest_action");

  /** The action a misspelt name most likely means: see the {@code closest_action} spec. */
  private Text closestAction(String action) {
    int colon = action.indexOf(':');
    if (colon < 0 || Glob.hasWildcard(action)) {
      return null;
    }
    String prefix = action.substring(0, colon);
    String wanted = action.substring(colon + 1).toLowerCase(java.util.Locale.ROOT);
    java.util.Optional<dev.keyward.iam.ServiceInfo> service = iam.service(prefix);
    if (service.isEmpty()) {
      return null;
    }
    String best = null;
    int bestDistance = Math.min(2, Math.max(1, wanted.length() / 4)) + 1;
    for (dev.keyward.iam.ActionInfo a : service.get().actions()) {
      int d = dev.keyward.model.EditDistance.of(wanted, a.name().toLowerCase(java.util.Locale.ROOT), bestDistance);
      if (d < bestDistance) {
        bestDistance = d;
        best = a.name();
      }
    }
    return best == null ? null : Text.literal(service.get().prefix() + ":" + best);
  }


  /**
   * An ARN's parts, with the colons inside a policy variable ({@code ${aws:PrincipalAccount}}) kept in the
   * part that holds the variable: IAM replaces the variable before it reads the ARN.
   */
  static Arn arnOf(String text) {
    if (!text.contains("${")) {
      return Arn.parse(text).orElse(null);
    }
    StringBuilder masked = new StringBuilder(text.length());
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
      }
      masked.append(c == ':' && depth > 0 ? '\u0000' : c);
    }
    Arn a = Arn.parse(masked.toString()).orElse(null);
    if (a == null) {
      return null;
    }
    return new Arn(back(a.partition()), back(a.service()), back(a.region()), back(a.account()), back(a.resource()));
  }

  private static String back(String part) {
    return part.replace('\u0000', ':');
  }

  Object call(String name, List<Object> args, Pos pos) {
    if (CACHED.contains(name)) {
      StringBuilder key = new StringBuilder(name);
      for (Object a : args) {
        if (a != null && !(a instanceof Text)) {
          return compute(name, args, pos); // only string arguments are cached; others report their errors
        }
        key.append('\u0000').append(a == null ? "\u0001" : ((Text) a).value());
      }
      String k = key.toString();
      Object v = cache.get(k);
      if (v == null) {
        v = compute(name, args, pos);
        if (cache.size() > CACHE_LIMIT) {
          cache.clear();
        }
        cache.put(k, v == null ? NONE : v);
      }
      if (v == NONE) {
        return null;
      }
      // NOTE: cached lists and maps are shared between calls; checks cannot mutate values, so this is safe.
      return v;
    }
    return compute(name, args, pos);
  }

  private Object compute(String name, List<Object> args, Pos pos) {
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
        return t == null ? null : arnOf(t.value());
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
      case "known_service": {
        Text t = text(args.get(0), name, pos);
        if (t == null) {
          return false;
        }
        int colon = t.value().indexOf(':');
        String prefix = colon < 0 ? t.value() : t.value().substring(0, colon);
        return Glob.hasWildcard(prefix) || iam.isKnownService(prefix);
      }
      case "known_action": {
        Text t = text(args.get(0), name, pos);
        return t != null && (Glob.hasWildcard(t.value()) ? !iam.expand(t.value()).isEmpty() : iam.isKnownAction(t.value()));
      }
      case "aws_ships": {
        Text t = text(args.get(0), name, pos);
        return t != null && dev.keyward.world.AwsManagedPolicies.bundled().vocabulary()
            .contains(t.value().toLowerCase(java.util.Locale.ROOT));
      }
      case "aws_documents": {
        Text t = text(args.get(0), name, pos);
        return t == null ? null : dev.keyward.iam.DocumentedActions.source(t.value()).map(Text::literal).orElse(null);
      }
      case "iam_data_date":
        return Text.literal(String.valueOf(iam.dataDate()));
      case "did_you_mean": {
        Object v = args.get(0);
        return v == null ? Text.literal("") : Text.literal("; did you mean `" + Evaluator.display(v) + "`?");
      }
      case "closest_action": {
        Text t = text(args.get(0), name, pos);
        return t == null ? null : closestAction(t.value());
      }
      case "expand": {
        Text t = text(args.get(0), name, pos);
        if (t == null) {
          return List.of();
        }
        List<Object> out = new ArrayList<>();
        for (String a : iam.expand(t.value())) {
          out.add(Text.caseInsensitive(a, t.source()));
        }
        return out;
      }
      case "access_level": {
        Text t = text(args.get(0), name, pos);
        return t == null ? null : iam.action(t.value()).map(a -> (Object) Text.literal(a.accessLevel().awsName()))
            .orElse(null);
      }
      case "condition_key": {
        Text t = text(args.get(0), name, pos);
        if (t == null) {
          return null;
        }
        Optional<ConditionKeyInfo> k = iam.conditionKey(t.value());
        if (k.isEmpty()) {
          return null;
        }
        ConditionKeyInfo info = k.get();
        List<Object> types = new ArrayList<>();
        types.add(Text.literal(info.type().elementType().awsName()));
        for (ConditionKeyType alt : info.alternativeTypes()) {
          types.add(Text.literal(alt.elementType().awsName()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", Text.literal(info.name()));
        m.put("type", Text.literal(info.type().awsName()));
        m.put("types", types);
        m.put("multivalued", info.multiValued());
        m.put("global", info.global());
        m.put("pattern", info.pattern());
        return m;
      }
      case "key_applicable": {
        Text a = text(args.get(0), name, pos);
        Text k = text(args.get(1), name, pos);
        if (a == null || k == null) {
          return false;
        }
        if (!Glob.hasWildcard(a.value())) {
          return iam.isConditionKeyApplicable(a.value(), k.value());
        }
        List<String> actions = iam.expand(a.value());
        if (actions.size() > APPLICABLE_SCAN_LIMIT) {
          // NOTE: a pattern this wide (`*`, `ec2:*`) is taken to accept the key; scanning every action for
          // every condition would cost more than the answer is worth to a linter.
          return true;
        }
        for (String action : actions) {
          if (iam.isConditionKeyApplicable(action, k.value())) {
            return true;
          }
        }
        return false;
      }
      case "resource_types": {
        Text t = text(args.get(0), name, pos);
        return t == null ? new ArrayList<>() : typeNames(iam.resourceTypesOf(t.value()));
      }
      case "arn_types": {
        Text t = text(args.get(0), name, pos);
        return t == null ? new ArrayList<>() : typeNames(iam.matchResourceType(t.value()));
      }
      case "takes_resource": {
        Text a = text(args.get(0), name, pos);
        Text r = text(args.get(1), name, pos);
        if (a == null || r == null) {
          return false;
        }
        List<ResourceTypeInfo> types = iam.resourceTypesOf(a.value());
        String pattern = variablesAsWildcards(r.value());
        if (types.isEmpty() || pattern.equals("*")) {
          // a resource that is wholly a variable (a template value known only at deployment) may be "*"
          return pattern.equals("*");
        }
        for (ResourceTypeInfo t : types) {
          String template = templates.computeIfAbsent(t.arnTemplate(), Functions::variablesAsWildcards);
          if (!partsDiffer(template, pattern) && Glob.overlaps(template, pattern, false)) {
            return true;
          }
        }
        return false;
      }
      case "take": {
        List<?> l = Evaluator.iterable(args.get(0));
        Object n = args.get(1);
        if (!(n instanceof Double)) {
          throw new CheckError("`take` needs a number as its second argument", pos);
        }
        int k = (int) Math.max(0, Math.min(l.size(), (Double) n));
        return new ArrayList<Object>(l.subList(0, k));
      }
      case "join": {
        if (!(args.get(1) instanceof Text)) {
          throw new CheckError("`join` needs a string as its second argument", pos);
        }
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (Object o : Evaluator.iterable(args.get(0))) {
          b.append(first ? "" : ((Text) args.get(1)).value()).append(Evaluator.display(o));
          first = false;
        }
        return Text.literal(b.toString());
      }
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

  /**
   * A quick rejection for two ARN patterns: they match no common real ARN when their service parts
   * differ before a wildcard. Real ARNs have no colon in their partition or service, so when both
   * patterns write out the separating colons, a match must align the service parts.
   */
  static boolean partsDiffer(String template, String pattern) {
    int[] t = colons(template);
    int[] p = colons(pattern);
    if (t == null || p == null) {
      return false;
    }
    // NOTE: only the service part is compared. Comparing resource parts too would be exact for real ARNs,
    // but the reference data lists some actions under one of two services sharing a prefix (ELB and
    // ELBv2 both use elasticloadbalancing), and the plain glob overlap keeps such cases quiet.
    return prefixesDiffer(template.substring(t[1] + 1, t[2]), pattern.substring(p[1] + 1, p[2]));
  }

  /** The positions of the first five colons, or null when there are fewer. */
  private static int[] colons(String s) {
    int[] out = new int[5];
    int found = 0;
    for (int i = 0; i < s.length() && found < 5; i++) {
      if (s.charAt(i) == ':') {
        out[found++] = i;
      }
    }
    return found == 5 ? out : null;
  }

  /**
   * A quick, exact rejection: two patterns cannot overlap when their texts differ at a position before
   * either one's first wildcard.
   */
  static boolean prefixesDiffer(String a, String b) {
    return Glob.differBeforeWildcard(a, b, false);
  }

  /** {@code ${...}} placeholders and policy variables replaced by {@code *}. */
  static String variablesAsWildcards(String s) {
    if (s.indexOf("${") < 0) {
      return s;
    }
    return s.replaceAll("\\$\\{[^}]*\\}", "*");
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

  /** Resource types as the language's text values, {@code service:name} each. */
  private static List<Object> typeNames(List<ResourceTypeInfo> types) {
    List<Object> out = new ArrayList<>();
    for (ResourceTypeInfo r : types) {
      out.add(Text.literal(r.service() + ":" + r.name()));
    }
    return out;
  }
}
