package dev.keyward.parse;

import dev.keyward.model.ActionElement;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Problem;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.Severity;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a located tree into a {@link PolicyDocument} in one pass, collecting every problem. One instance
 * per document; not shared between threads. See docs/policy-parser.md for every code and its AWS source.
 *
 * <p>INVARIANT: nothing here throws on any tree: every access checks the node's type first, and every
 * problem carries the location of the node it is about (or of the embedding string, see
 * {@link #at(SourceRef)}).
 */
final class PolicyBuilder {

  static final List<String> TOP_LEVEL = List.of("Version", "Id", "Statement");
  static final List<String> STATEMENT_ELEMENTS = List.of(
      "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
      "Condition");
  static final List<String> PRINCIPAL_TYPES = List.of("AWS", "Service", "Federated", "CanonicalUser");
  static final List<String> EFFECTS = List.of("Allow", "Deny");
  static final List<String> QUALIFIERS = List.of("ForAllValues", "ForAnyValue");

  /** The size limits AWS applies, per policy type: see docs/policy-parser.md "Size limits". */
  static final long KEY_POLICY_MAX_BYTES = 32_768;
  static final long ORGANIZATIONS_MAX_CHARS = 5_120;
  static final long MANAGED_POLICY_MAX_CHARS = 6_144;
  static final long TRUST_DEFAULT_MAX_CHARS = 2_048;
  static final long TRUST_MAX_CHARS = 8_192;

  private final String name;
  private final PolicyType requested;
  private final List<Problem> problems;
  /** Where the policy's JSON text was written as one string in the embedding document, or null. */
  private final SourceRef embeddedAt;
  private final Map<String, SourceRef> sids = new HashMap<>();
  /** Values that are CloudFormation functions, kept as their JSON text and not checked further. */
  private final Set<Located> computed = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The document being built, for the partition of bare account ids (found on first need). */
  private Node.ObjectNode root;
  private String partition;

  private PolicyBuilder(String name, PolicyType requested, List<Problem> problems, SourceRef embeddedAt) {
    this.name = name;
    this.requested = requested;
    this.problems = problems;
    this.embeddedAt = embeddedAt;
  }

  /**
   * Builds the policy of {@code root}.
   *
   * @param problems the list to add problems to (already holding the reader's)
   * @param embeddedAt the string scalar the policy's text came from, or null
   * @param rawSize the size of the text as written ({@code [chars, bytes]}), or null when unknown (YAML,
   *     embedded policies)
   */
  static PolicyDocument build(Node root, String name, PolicyType type, List<Problem> problems,
      SourceRef embeddedAt, long[] rawSize) {
    return new PolicyBuilder(name, type, problems, embeddedAt).document(root, rawSize);
  }

  // ---------------------------------------------------------------------------------------------
  // Locations and problems

  /**
   * The location to report for a node. For a policy embedded as one JSON string, every location is the
   * string's own (line and column in the embedding file) and the pointer continues past it into the
   * embedded document.
   */
  SourceRef at(SourceRef inner) {
    if (embeddedAt == null) {
      return inner;
    }
    return new SourceRef(embeddedAt.file(), embeddedAt.pointer() + inner.pointer(), embeddedAt.line(),
        embeddedAt.column());
  }

  void error(String code, String message, SourceRef where) {
    problems.add(new Problem(code, Severity.ERROR, message, at(where)));
  }

  private void warning(String code, String message, SourceRef where) {
    problems.add(new Problem(code, Severity.WARNING, message, at(where)));
  }

  private void report(Severity severity, String code, String message, SourceRef where) {
    problems.add(new Problem(code, severity, message, at(where)));
  }

  private static String article(Node n) {
    String t = n.typeName();
    if (t.equals("null")) {
      return "null";
    }
    return (t.equals("object") || t.equals("array") ? "an " : "a ") + t;
  }

  void wrongType(String what, String expected, Node got) {
    error("policy.wrong-type", what + " must be " + expected + ", not " + article(got), got.source());
  }

  // ---------------------------------------------------------------------------------------------
  // Document

  private PolicyDocument document(Node root, long[] rawSize) {
    if (!(root instanceof Node.ObjectNode)) {
      error("policy.not-object", "a policy must be a JSON object, not " + article(root), root.source());
      return null;
    }
    Node.ObjectNode obj = (Node.ObjectNode) root;
    this.root = obj;
    Node.Field versionField = null;
    Node.Field idField = null;
    Node.Field statementField = null;
    // A lone statement written as the whole document (Effect, Action, ... and no Statement) is one mistake,
    // reported once below, not once for each of its elements.
    boolean loneStatement = obj.get("Statement") == null && obj.get("Effect") != null;
    for (Node.Field f : obj.fields()) {
      if (loneStatement && STATEMENT_ELEMENTS.contains(f.key())) {
        continue;
      }
      switch (f.key()) {
        case "Version":
          versionField = f;
          break;
        case "Id":
          idField = f;
          break;
        case "Statement":
          statementField = f;
          break;
        default:
          unknownElement(f, TOP_LEVEL, "a policy");
          break;
      }
    }

    String version = version(versionField, obj);
    String id = null;
    if (idField != null) {
      id = string(idField.value(), "`Id`");
    }

    List<Statement> statements = new ArrayList<>();
    List<Node.ObjectNode> statementNodes = new ArrayList<>();
    if (statementField == null) {
      error("policy.missing-statement", loneStatement
          ? "the policy has no `Statement`: this is a single statement; a policy holds it in `Statement`, as in "
              + "`{\"Version\": \"2012-10-17\", \"Statement\": [ ... ]}`"
          : "the policy has no `Statement`", obj.source());
    } else {
      Node sv = statementField.value();
      if (isFunction(sv)) {
        function(sv, "`Statement`");
      } else if (sv instanceof Node.ObjectNode) {
        statementNodes.add((Node.ObjectNode) sv);
      } else if (sv instanceof Node.ArrayNode) {
        List<Node> items = ((Node.ArrayNode) sv).items();
        if (items.isEmpty()) {
          error("policy.empty-element", "`Statement` is an empty array; a policy needs at least one statement",
              sv.source());
        }
        for (Node item : items) {
          if (isFunction(item)) {
            function(item, "this statement");
            statementNodes.add(null);
          } else if (item instanceof Node.ObjectNode) {
            statementNodes.add((Node.ObjectNode) item);
          } else {
            wrongType("a statement", "an object", item);
            statementNodes.add(null);
          }
        }
      } else {
        wrongType("`Statement`", "an object or an array of objects", sv);
      }
    }

    PolicyType type = requested == PolicyType.UNKNOWN ? infer(statementNodes, obj) : requested;
    // NOTE: rules that depend on the policy type use the requested type; for UNKNOWN they would depend
    // only on our guess, so they are not checked (docs/policy-parser.md, "Policy types").
    PolicyType rules = requested;
    boolean single = statementField != null && statementField.value() instanceof Node.ObjectNode;
    for (int i = 0; i < statementNodes.size(); i++) {
      Node.ObjectNode s = statementNodes.get(i);
      if (s != null) {
        statements.add(statement(s, single ? 0 : i, rules));
      }
    }

    versionRules(versionField, version, obj, rules);
    if (rules == PolicyType.IDENTITY || rules == PolicyType.TRUST) {
      IamCharacters.check(root, this::illegalCharacter);
    }
    if (rules != PolicyType.RESOURCE && rules != PolicyType.UNKNOWN) {
      sizeLimits(PolicySize.of(root), rawSize, rules, obj.source());
    }
    return new PolicyDocument(name, type, version, id, statements, at(obj.source()));
  }

  private String version(Node.Field field, Node.ObjectNode obj) {
    if (field == null) {
      return null;
    }
    Node v = field.value();
    String text = string(v, "`Version`");
    if (text == null) {
      return null;
    }
    if (!text.equals(PolicyDocument.VERSION_2012) && !text.equals(PolicyDocument.VERSION_2008)) {
      error("policy.invalid-version", "`Version` is `" + text + "`; it must be `" + PolicyDocument.VERSION_2012
          + "` (or the older `" + PolicyDocument.VERSION_2008 + "`)", v.source());
      return null;
    }
    return text;
  }

  private void versionRules(Node.Field field, String version, Node.ObjectNode obj, PolicyType type) {
    boolean organizations = type == PolicyType.SCP || type == PolicyType.RCP;
    if (field == null) {
      if (organizations) {
        error("policy.missing-version", "the policy has no `Version`; " + plural(type) + " must have `Version: "
            + PolicyDocument.VERSION_2012 + "`", obj.source());
      } else {
        warning("policy.missing-version", "the policy has no `Version`, so policy variables such as "
            + "`${aws:username}` are taken literally; add `\"Version\": \"" + PolicyDocument.VERSION_2012 + "\"`",
            obj.source());
      }
    } else if (organizations && PolicyDocument.VERSION_2008.equals(version)) {
      error("policy.invalid-version", plural(type) + " must have `Version: " + PolicyDocument.VERSION_2012
          + "`, not `" + version + "`", field.value().source());
    }
  }

  /** Without a given type: a Principal or NotPrincipal anywhere means a resource-based policy. */
  private PolicyType infer(List<Node.ObjectNode> statements, Node.ObjectNode obj) {
    int with = 0;
    int without = 0;
    Node.ObjectNode firstWithout = null;
    for (Node.ObjectNode s : statements) {
      if (s == null) {
        continue;
      }
      if (s.field("Principal") != null || s.field("NotPrincipal") != null) {
        with++;
      } else {
        without++;
        if (firstWithout == null) {
          firstWithout = s;
        }
      }
    }
    if (with > 0 && without > 0) {
      error("policy.mixed-principal", "this statement has no `Principal` while others have one; a policy is "
          + "either resource-based (every statement names principals) or identity-based (none does)",
          firstWithout.source());
    }
    return with > 0 ? PolicyType.RESOURCE : PolicyType.IDENTITY;
  }

  // ---------------------------------------------------------------------------------------------
  // Statement

  private Statement statement(Node.ObjectNode s, int index, PolicyType type) {
    Node.Field sidF = null;
    Node.Field effectF = null;
    Node.Field principalF = null;
    Node.Field notPrincipalF = null;
    Node.Field actionF = null;
    Node.Field notActionF = null;
    Node.Field resourceF = null;
    Node.Field notResourceF = null;
    Node.Field conditionF = null;
    for (Node.Field f : s.fields()) {
      switch (f.key()) {
        case "Sid":
          sidF = f;
          break;
        case "Effect":
          effectF = f;
          break;
        case "Principal":
          principalF = f;
          break;
        case "NotPrincipal":
          notPrincipalF = f;
          break;
        case "Action":
          actionF = f;
          break;
        case "NotAction":
          notActionF = f;
          break;
        case "Resource":
          resourceF = f;
          break;
        case "NotResource":
          notResourceF = f;
          break;
        case "Condition":
          conditionF = f;
          break;
        default:
          unknownElement(f, STATEMENT_ELEMENTS, "a statement");
          break;
      }
    }

    String sid = sidF == null ? null : sid(sidF, type);
    Effect effect = effect(effectF, s);

    // Principal / NotPrincipal
    PrincipalElement principal = null;
    if (principalF != null && notPrincipalF != null) {
      conflict("Principal", "NotPrincipal", notPrincipalF);
    }
    if (principalF != null) {
      principal = principal(principalF.value(), false, type);
    } else if (notPrincipalF != null) {
      principal = principal(notPrincipalF.value(), true, type);
      if (effect == Effect.ALLOW) {
        error("policy.not-principal-allow", "`NotPrincipal` must be used with `\"Effect\": \"Deny\"`; AWS "
            + "does not support it with `Allow`", notPrincipalF.keySource());
      }
    }
    principalRules(type, principalF, notPrincipalF, s);

    // Action / NotAction
    ActionElement action = null;
    if (actionF != null && notActionF != null) {
      conflict("Action", "NotAction", notActionF);
    }
    if (actionF != null) {
      action = action(actionF.value(), false);
    } else if (notActionF != null) {
      action = action(notActionF.value(), true);
    } else {
      error("policy.missing-action", "the statement has neither `Action` nor `NotAction`", s.source());
    }
    if (notActionF != null && type == PolicyType.RCP) {
      error("policy.forbidden-element", "resource control policies do not support `NotAction`",
          notActionF.keySource());
    }

    // Resource / NotResource
    ResourceElement resource = null;
    if (resourceF != null && notResourceF != null) {
      conflict("Resource", "NotResource", notResourceF);
    }
    if (resourceF != null) {
      resource = resource(resourceF.value(), false, type);
    } else if (notResourceF != null) {
      resource = resource(notResourceF.value(), true, type);
    }
    resourceRules(type, resourceF, notResourceF, resource, s);

    List<Condition> conditions = conditionF == null ? List.of()
        : new ConditionReader(this).conditions(conditionF.value());

    if (type == PolicyType.RCP && effect == Effect.ALLOW && !isRcpFullAwsAccess(principal, action, resource,
        conditionF)) {
      error("policy.rcp-allow", "resource control policies allow `\"Effect\": \"Allow\"` only in the "
          + "AWS managed `RCPFullAWSAccess` policy; write `Deny` statements", effectF.value().source());
    }

    return new Statement(index, sid, effect, principal, action, resource, conditions, at(s.source()));
  }

  private void unknownElement(Node.Field f, List<String> known, String where) {
    String key = f.key();
    String suggestion = Suggestions.closest(key, known);
    if (suggestion != null && suggestion.equalsIgnoreCase(key)) {
      error("policy.element-case", "`" + key + "` is not an element of " + where + "; element names are "
          + "case-sensitive: write `" + suggestion + "`", f.keySource());
    } else {
      error("policy.unknown-element", "`" + key + "` is not an element of " + where
          + (suggestion != null ? "; did you mean `" + suggestion + "`?" : "; known elements are "
          + String.join(", ", known)), f.keySource());
    }
  }

  private void conflict(String a, String b, Node.Field second) {
    error("policy.conflicting-elements", "a statement may have `" + a + "` or `" + b + "`, not both",
        second.keySource());
  }

  private String sid(Node.Field f, PolicyType type) {
    String sid = string(f.value(), "`Sid`");
    if (sid == null) {
      return null;
    }
    if ((type == PolicyType.IDENTITY || type == PolicyType.TRUST) && !isAlphanumeric(sid)) {
      error("policy.invalid-sid", "`Sid` `" + sid + "` may hold only letters A-Z, a-z and digits 0-9 in an IAM "
          + "policy", f.value().source());
    }
    // An empty Sid names no statement: IAM accepts it on every statement of a policy.
    SourceRef first = sid.isEmpty() ? null : sids.putIfAbsent(sid, f.value().source());
    if (first != null) {
      Severity sev = type == PolicyType.IDENTITY || type == PolicyType.TRUST || type == PolicyType.SCP
          || type == PolicyType.RCP ? Severity.ERROR : Severity.WARNING;
      report(sev, "policy.duplicate-sid", "`Sid` `" + sid + "` is already used by the statement at line "
          + at(first).line() + "; statement ids must be unique within a policy", f.value().source());
    }
    return sid;
  }

  private static boolean isAlphanumeric(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  private Effect effect(Node.Field f, Node.ObjectNode s) {
    if (f == null) {
      error("policy.missing-effect", "the statement has no `Effect`; write `\"Effect\": \"Allow\"` or "
          + "`\"Effect\": \"Deny\"`", s.source());
      return null;
    }
    String text = string(f.value(), "`Effect`");
    if (text == null) {
      return null;
    }
    if (text.equals("Allow")) {
      return Effect.ALLOW;
    }
    if (text.equals("Deny")) {
      return Effect.DENY;
    }
    String suggestion = Suggestions.closest(text, EFFECTS);
    error("policy.invalid-effect", "`Effect` is `" + text + "`; it must be exactly `Allow` or `Deny`"
        + (suggestion != null ? " (did you mean `" + suggestion + "`?)" : ""), f.value().source());
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Principal

  private PrincipalElement principal(Node v, boolean negated, PolicyType type) {
    String element = negated ? "`NotPrincipal`" : "`Principal`";
    if (isFunction(v)) {
      function(v, element);
      return new PrincipalElement(negated, false, List.of(), at(v.source()));
    }
    if (v instanceof Node.ScalarNode && ((Node.ScalarNode) v).isString()) {
      String text = ((Node.ScalarNode) v).text();
      if (text.equals("*")) {
        return new PrincipalElement(negated, true, List.of(), at(v.source()));
      }
      error("policy.invalid-principal", element + " must be `\"*\"` or an object such as `{\"AWS\": \""
          + text + "\"}`, not the string `" + text + "`", v.source());
      return new PrincipalElement(negated, false, List.of(), at(v.source()));
    }
    if (!(v instanceof Node.ObjectNode)) {
      wrongType(element, "`\"*\"` or an object with `AWS`, `Service`, `Federated` or `CanonicalUser`", v);
      return new PrincipalElement(negated, false, List.of(), at(v.source()));
    }
    Node.ObjectNode obj = (Node.ObjectNode) v;
    if (obj.fields().isEmpty()) {
      error("policy.empty-element", element + " is an empty object; name at least one principal", v.source());
    }
    List<PrincipalValue> values = new ArrayList<>();
    for (Node.Field f : obj.fields()) {
      PrincipalType pt = PrincipalType.fromAwsName(f.key());
      if (pt == null) {
        String suggestion = Suggestions.closest(f.key(), PRINCIPAL_TYPES);
        error("policy.unknown-principal-type", "`" + f.key() + "` is not a principal type; use `AWS`, `Service`, "
            + "`Federated` or `CanonicalUser`" + (suggestion != null ? " (did you mean `" + suggestion + "`?)" : ""),
            f.keySource());
        continue;
      }
      Node pv = f.value();
      if (pv instanceof Node.ArrayNode) {
        List<Node> items = ((Node.ArrayNode) pv).items();
        if (items.isEmpty()) {
          error("policy.empty-element", element + " `" + f.key() + "` is an empty array; name at least one "
              + "principal", pv.source());
        }
        for (Node item : items) {
          principalValue(pt, item, values);
        }
      } else {
        principalValue(pt, pv, values);
      }
    }
    return new PrincipalElement(negated, false, values, at(v.source()));
  }

  private void principalValue(PrincipalType pt, Node n, List<PrincipalValue> out) {
    if (isFunction(n)) {
      String json = function(n, principalArticle(pt) + " principal");
      out.add(new PrincipalValue(pt, json, json, at(n.source())));
      return;
    }
    String text = scalarText(n, principalArticle(pt) + " principal", "a string");
    if (text == null) {
      return;
    }
    SourceRef where = n.source();
    if (text.isEmpty()) {
      error("policy.invalid-principal", principalArticle(pt) + " principal must not be empty", where);
      return;
    }
    String value = text;
    if (pt == PrincipalType.AWS) {
      if (Arn.isAccountId(text)) {
        value = "arn:" + partition() + ":iam::" + text + ":root";
      } else if (!text.equals("*")) {
        String why = awsPrincipalProblem(text);
        if (why != null) {
          error("policy.invalid-principal", "`" + text + "` is not a valid `AWS` principal: " + why, where);
        } else if (isUniqueId(text)) {
          warning("policy.principal-unique-id", "`" + text + "` is the unique id of an IAM user or role; AWS "
              + "writes it in place of a principal that was deleted, and it matches no principal created since",
              where);
        }
      }
    }
    out.add(new PrincipalValue(pt, value, text, at(where)));
  }

  private static String principalArticle(PrincipalType pt) {
    return (pt == PrincipalType.AWS ? "an `" : "a `") + pt.awsName() + "`";
  }

  /**
   * The partition a bare account id stands for: IAM makes {@code 111122223333} the account principal of
   * the partition the policy lives in. The document does not say which that is; the ARNs it holds do, so
   * the partition of the first ARN in a Principal, NotPrincipal, Resource or NotResource is taken, and
   * {@code aws} when there is none (docs/policy-parser.md, "Normalisation").
   */
  private String partition() {
    if (partition == null) {
      partition = PartitionScan.of(root);
    }
    return partition;
  }

  private void illegalCharacter(SourceRef where, int codePoint) {
    error("policy.invalid-character", String.format(java.util.Locale.ROOT, "character U+%04X is not allowed in "
        + "IAM policies, which accept only tab, line feed, carriage return and U+0020 to U+00FF", codePoint),
        where);
  }

  /** Null when {@code text} is a valid non-wildcard AWS principal, else why not. */
  private static String awsPrincipalProblem(String text) {
    if (isUniqueId(text)) {
      return null;
    }
    if (!text.startsWith("arn:")) {
      return "use `\"*\"`, a 12-digit account id or the ARN of an account, user, role, role session or "
          + "federated user";
    }
    Arn arn = Arn.parse(text).orElse(null);
    if (arn == null) {
      return "an ARN has six parts, `arn:partition:service:region:account:resource`";
    }
    if (text.indexOf('*') >= 0 || text.indexOf('?') >= 0) {
      return "wildcards are not allowed in principal ARNs; use `\"*\"` with a condition on `aws:PrincipalArn`";
    }
    if (!arn.partition().startsWith("aws")) {
      return "partition `" + arn.partition() + "` is not an AWS partition";
    }
    if (!arn.service().equals("iam") && !arn.service().equals("sts")) {
      return "a principal ARN is an `iam` or `sts` ARN, not `" + arn.service() + "`";
    }
    if (!arn.region().isEmpty()) {
      return "IAM and STS ARNs have no region";
    }
    // NOTE: `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL` is the one
    // principal ARN AWS documents without an account id (S3 bucket policies for CloudFront OAIs).
    if (!Arn.isAccountId(arn.account()) && !(arn.service().equals("iam") && arn.account().equals("cloudfront")
        && arn.resource().startsWith("user/CloudFront Origin Access Identity "))) {
      return "`" + arn.account() + "` is not a 12-digit account id";
    }
    if (arn.resource().isEmpty()) {
      return "the ARN names no principal";
    }
    return null;
  }

  /** An IAM unique id of a user (AIDA), role (AROA) or similar: four capital letters, then 17 or more. */
  private static boolean isUniqueId(String s) {
    if (s.length() < 16 || s.length() > 128 || !(s.startsWith("AIDA") || s.startsWith("AROA"))) {
      return false;
    }
    for (int i = 4; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  private void principalRules(PolicyType type, Node.Field principalF, Node.Field notPrincipalF,
      Node.ObjectNode s) {
    switch (type) {
      case IDENTITY:
      case SCP:
        if (principalF != null) {
          error("policy.forbidden-element", plural(type) + " must not have `Principal`: the principal is "
              + (type == PolicyType.SCP ? "every IAM user and role of the accounts the policy is attached to"
              : "the identity the policy is attached to"), principalF.keySource());
        }
        if (notPrincipalF != null) {
          error("policy.forbidden-element", plural(type) + " must not have `NotPrincipal`",
              notPrincipalF.keySource());
        }
        break;
      case TRUST:
      case RCP:
        if (notPrincipalF != null) {
          error("policy.forbidden-element", plural(type) + " must not have `NotPrincipal`",
              notPrincipalF.keySource());
        } else if (principalF == null) {
          error("policy.missing-principal", "the statement has no `Principal`; " + plural(type)
              + " must name the principals they apply to", s.source());
        }
        if (type == PolicyType.RCP && principalF != null && !isStar(principalF.value())
            && !isFunction(principalF.value())) {
          error("policy.rcp-principal", "resource control policies accept only `\"Principal\": \"*\"`; narrow "
              + "the principals with conditions such as `aws:PrincipalOrgID`", principalF.value().source());
        }
        break;
      case KEY_POLICY:
      case RESOURCE:
        if (principalF == null && notPrincipalF == null) {
          error("policy.missing-principal", "the statement has no `Principal`; " + plural(type)
              + " must name the principals they apply to", s.source());
        }
        break;
      default:
        // UNKNOWN: inferred from the Principal elements themselves, so nothing can be missing.
        break;
    }
  }

  private static boolean isStar(Node n) {
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).isString()
        && ((Node.ScalarNode) n).text().equals("*");
  }

  // ---------------------------------------------------------------------------------------------
  // Action and Resource

  private ActionElement action(Node v, boolean negated) {
    String element = negated ? "`NotAction`" : "`Action`";
    List<Located> patterns = patterns(v, element);
    for (Located p : patterns) {
      String why = computed.contains(p) ? null : actionProblem(p.value());
      if (why != null) {
        problems.add(new Problem("policy.invalid-action", Severity.ERROR, "`" + p.value() + "` is not a valid "
            + "action: " + why, p.source()));
      }
    }
    return new ActionElement(negated, patterns, at(v.source()));
  }

  /** Null when {@code a} has the form {@code *} or {@code service:action} (wildcards allowed). */
  private static String actionProblem(String a) {
    if (a.equals("*")) {
      return null;
    }
    int colon = a.indexOf(':');
    if (colon < 0) {
      return "write it as `service:action`, for example `kms:Decrypt`, or `*`";
    }
    if (colon == 0) {
      return "the service prefix is missing";
    }
    if (colon == a.length() - 1) {
      return "the action name after the colon is missing";
    }
    if (a.indexOf(':', colon + 1) >= 0) {
      return "it has more than one colon";
    }
    for (int i = 0; i < colon; i++) {
      char c = a.charAt(i);
      // NOTE: wildcards in the prefix (`*:Get*`) are accepted: IAM does not check that a prefix names a
      // service, and the evaluator matches the whole action text against the pattern.
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '*'
          || c == '?')) {
        return "the service prefix `" + a.substring(0, colon) + "` may hold only letters, digits, `-` and wildcards";
      }
    }
    for (int i = colon + 1; i < a.length(); i++) {
      char c = a.charAt(i);
      if (c <= ' ' || c == '"' || c == '/' || c == ':') {
        return "the action name may not hold white space or `" + c + "`";
      }
    }
    return null;
  }

  private ResourceElement resource(Node v, boolean negated, PolicyType type) {
    String element = negated ? "`NotResource`" : "`Resource`";
    List<Located> patterns = patterns(v, element);
    for (Located p : patterns) {
      String r = p.value();
      if (computed.contains(p)) {
        continue;
      }
      if (!r.equals("*") && !r.startsWith("arn:")) {
        // NOTE: some services accept shorthand in their own resource policies (API Gateway takes
        // `execute-api:/stage/GET/*`), so outside IAM and Organizations policies this is only a warning.
        boolean strict = type == PolicyType.IDENTITY || type == PolicyType.SCP || type == PolicyType.RCP;
        problems.add(new Problem("policy.invalid-resource", strict ? Severity.ERROR : Severity.WARNING, "`" + r
            + "` is not " + (strict ? "a valid resource" : "an ARN") + ": write an ARN "
            + "(`arn:partition:service:region:account:resource`) or `*`"
            + (strict ? "" : "; only a few services, such as API Gateway, accept a shorthand"), p.source()));
      } else if (!r.equals("*") && Arn.parse(r).isEmpty()) {
        problems.add(new Problem("policy.invalid-resource", Severity.ERROR, "`" + r + "` is not a valid "
            + "ARN: an ARN has six parts, `arn:partition:service:region:account:resource`", p.source()));
      }
    }
    return new ResourceElement(negated, patterns, at(v.source()));
  }

  private void resourceRules(PolicyType type, Node.Field resourceF, Node.Field notResourceF,
      ResourceElement resource, Node.ObjectNode s) {
    boolean has = resourceF != null || notResourceF != null;
    switch (type) {
      case IDENTITY:
      case SCP:
      case RCP:
        if (!has) {
          error("policy.missing-resource", "the statement has neither `Resource` nor `NotResource`", s.source());
        }
        break;
      case KEY_POLICY:
        if (notResourceF != null) {
          error("policy.forbidden-element", "key policies must use `\"Resource\": \"*\"`, not `NotResource`",
              notResourceF.keySource());
        } else if (resourceF == null) {
          error("policy.missing-resource", "the statement has no `Resource`; key policy statements must have "
              + "`\"Resource\": \"*\"` (AWS KMS rejects them without it since 2025)", s.source());
        } else if (resource != null) {
          for (Located p : resource.patterns()) {
            if (!p.value().equals("*") && !computed.contains(p)) {
              problems.add(new Problem("policy.key-policy-resource", Severity.ERROR, "`" + p.value() + "`: in a "
                  + "key policy `Resource` must be `\"*\"`, which means the key itself", p.source()));
            }
          }
        }
        break;
      case TRUST:
        if (resourceF != null) {
          error("policy.forbidden-element", "role trust policies must not have `Resource`: the resource is the "
              + "role itself", resourceF.keySource());
        }
        if (notResourceF != null) {
          error("policy.forbidden-element", "role trust policies must not have `NotResource`",
              notResourceF.keySource());
        }
        break;
      case RESOURCE:
        if (!has) {
          warning("policy.missing-resource", "the statement has neither `Resource` nor `NotResource`; most "
              + "services, Amazon S3 among them, require one in resource-based policies", s.source());
        }
        break;
      default:
        break;
    }
  }

  /** A string or a non-empty array of strings, as located values. */
  private List<Located> patterns(Node v, String element) {
    if (v instanceof Node.ArrayNode) {
      List<Node> items = ((Node.ArrayNode) v).items();
      if (items.isEmpty()) {
        error("policy.empty-element", element + " is an empty array; list at least one value", v.source());
        return List.of();
      }
      List<Located> out = new ArrayList<>(items.size());
      for (Node item : items) {
        if (isFunction(item)) {
          out.add(computedValue(item, "a value of " + element));
          continue;
        }
        String text = scalarText(item, "each value of " + element, "a string");
        if (text != null) {
          out.add(new Located(text, at(item.source())));
        }
      }
      return out;
    }
    if (isFunction(v)) {
      return List.of(computedValue(v, element));
    }
    String text = scalarText(v, element, "a string or an array of strings");
    return text == null ? List.of() : List.of(new Located(text, at(v.source())));
  }

  // ---------------------------------------------------------------------------------------------
  // Policy-type rules

  private static boolean isRcpFullAwsAccess(PrincipalElement principal, ActionElement action,
      ResourceElement resource, Node.Field conditionF) {
    return principal != null && principal.anyone() && !principal.negated()
        && action != null && !action.negated() && action.patterns().size() == 1
        && action.patterns().get(0).value().equals("*")
        && resource != null && !resource.negated() && resource.patterns().size() == 1
        && resource.patterns().get(0).value().equals("*")
        && conditionF == null;
  }

  private void sizeLimits(PolicySize size, long[] rawSize, PolicyType type, SourceRef where) {
    switch (type) {
      case KEY_POLICY:
        limit(size.minifiedBytes(), rawSize == null ? -1 : rawSize[1], KEY_POLICY_MAX_BYTES, "bytes",
            "the key policy limit of 32 KB (32,768 bytes)", where);
        break;
      case SCP:
      case RCP:
        limit(size.minifiedChars(), rawSize == null ? -1 : rawSize[0], ORGANIZATIONS_MAX_CHARS, "characters",
            "the " + singular(type) + " limit of 5,120 characters", where);
        break;
      case TRUST:
        if (size.nonWhitespaceChars() > TRUST_MAX_CHARS) {
          error("policy.size-limit", "the trust policy has " + size.nonWhitespaceChars() + " characters without "
              + "white space, over the role trust policy limit of 8,192 characters (the highest quota AWS grants)",
              where);
        } else if (size.nonWhitespaceChars() > TRUST_DEFAULT_MAX_CHARS) {
          warning("policy.size-limit", "the trust policy has " + size.nonWhitespaceChars() + " characters "
              + "without white space, over the default role trust policy quota of 2,048 characters; it needs "
              + "a quota increase (up to 8,192)", where);
        }
        break;
      case IDENTITY:
        if (size.nonWhitespaceChars() > MANAGED_POLICY_MAX_CHARS) {
          // NOTE: a warning, not an error: AWS managed policies have no such limit, and a role's inline
          // policies may hold 10,240 characters in total. Which applies is not known from the document.
          warning("policy.size-limit", "the policy has " + size.nonWhitespaceChars() + " characters without "
              + "white space, over the customer managed policy limit of 6,144 (inline policies share 2,048 per "
              + "user, 5,120 per group and 10,240 per role)", where);
        }
        break;
      default:
        // RESOURCE: the limit depends on the service (S3 20 KB, SQS 8 KB, ...); UNKNOWN: not known.
        break;
    }
  }

  private void limit(long minified, long raw, long max, String unit, String limitName, SourceRef where) {
    if (minified > max) {
      error("policy.size-limit", "the policy has " + minified + " " + unit + " even without white space, over "
          + limitName, where);
    } else if (raw > max) {
      warning("policy.size-limit", "the policy has " + raw + " " + unit + " as written, over " + limitName
          + "; AWS counts white space, so remove it before deploying (" + minified + " " + unit + " without)",
          where);
    }
  }

  static String plural(PolicyType type) {
    return singular(type).replace("policy", "policies");
  }

  static String singular(PolicyType type) {
    switch (type) {
      case KEY_POLICY:
        return "key policy";
      case IDENTITY:
        return "identity-based policy";
      case RESOURCE:
        return "resource-based policy";
      case TRUST:
        return "role trust policy";
      case SCP:
        return "service control policy";
      case RCP:
        return "resource control policy";
      default:
        return "policy";
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** The text of a string node, or null after reporting a wrong type. */
  private String string(Node n, String what) {
    if (isFunction(n)) {
      function(n, what);
      return null;
    }
    return scalarText(n, what, "a string");
  }

  // ---------------------------------------------------------------------------------------------
  // CloudFormation functions

  /**
   * True for a CloudFormation function in a template's policy: an object with the one key {@code Ref} or
   * {@code Fn::...} (the reader turns the YAML short form {@code !Sub} into this long form).
   */
  static boolean isFunction(Node n) {
    if (!(n instanceof Node.ObjectNode)) {
      return false;
    }
    List<Node.Field> fields = ((Node.ObjectNode) n).fields();
    return fields.size() == 1 && CloudFormationTags.isFunctionKey(fields.get(0).key());
  }

  /**
   * Notes a value that CloudFormation computes when the stack is deployed and returns its JSON text, the
   * value the model keeps for it (it matches no real action, ARN or principal).
   */
  String function(Node n, String what) {
    String name = ((Node.ObjectNode) n).fields().get(0).key();
    report(Severity.NOTE, "policy.cloudformation-function", what + " is computed by CloudFormation (`" + name
        + "`) when the stack is deployed, so it is not checked here", n.source());
    return JsonOut.compact(n);
  }

  private Located computedValue(Node n, String what) {
    Located l = new Located(function(n, what), at(n.source()));
    computed.add(l);
    return l;
  }

  /**
   * The text of a scalar where a string belongs. A number or boolean is read as its text, since the IAM
   * grammar makes quotes optional for numeric and boolean values, with a warning (tools may rewrite an
   * unquoted value: an account id loses its leading zeros); anything else is a wrong type and gives null.
   */
  private String scalarText(Node n, String what, String expected) {
    if (n instanceof Node.ScalarNode) {
      Node.ScalarNode s = (Node.ScalarNode) n;
      if (s.isString()) {
        return s.text();
      }
      if (s.type() == Node.ScalarType.NUMBER || s.type() == Node.ScalarType.BOOLEAN) {
        warning("policy.unquoted-value", "`" + s.text() + "` is written as " + article(n) + "; write it as a "
            + "string, `\"" + s.text() + "\"`, since tools may rewrite unquoted values (an account id loses its "
            + "leading zeros)", n.source());
        return s.text();
      }
    }
    wrongType(what, expected, n);
    return null;
  }
}
