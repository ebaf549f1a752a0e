package dev.keyward.template;

import dev.keyward.model.SourceRef;
import dev.keyward.parse.JsonOut;
import dev.keyward.parse.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates CloudFormation's intrinsic functions in a located tree, as far as the template and the
 * {@link TemplateInputs} allow. The reader has already turned the YAML short form ({@code !Sub}) into the
 * long form ({@code {"Fn::Sub": ...}}), so only the long form is handled here.
 *
 * <p>A value that cannot be known before deployment becomes an <em>unknown</em>: a string node tagged
 * {@link #UNKNOWN_TAG} whose text says what it stands for ({@code ${AWS::AccountId}},
 * {@code !GetAtt Other.Arn}, {@code arn:aws:iam::${AWS::AccountId}:root}). Every node keeps the location
 * of what was written, so an unknown points at the function call. {@code AWS::NoValue} removes the field or
 * list item holding it.
 *
 * <p>Names of resources that the template leaves to CloudFormation are deterministic: a role, user,
 * managed policy or key is named after its logical id, a bucket after its logical id in lower case; see
 * docs/templates.md. Not thread-safe (one per template).
 */
final class CfnResolver {

  /** The tag of an unknown value. */
  static final String UNKNOWN_TAG = "!keyward:unknown";

  private static final int MAX_DEPTH = 64;

  private final Node.ObjectNode resources;
  private final Node.ObjectNode parameters;
  private final Node.ObjectNode mappings;
  private final Node.ObjectNode conditions;
  private final TemplateInputs inputs;
  private final Map<String, Boolean> conditionValues = new HashMap<>();
  private final Set<String> evaluating = new HashSet<>();
  private int depth;

  CfnResolver(Node.ObjectNode template, TemplateInputs inputs) {
    this.resources = obj(template.get("Resources"));
    this.parameters = obj(template.get("Parameters"));
    this.mappings = obj(template.get("Mappings"));
    this.conditions = obj(template.get("Conditions"));
    this.inputs = inputs;
  }

  private static Node.ObjectNode obj(Node n) {
    return n instanceof Node.ObjectNode ? (Node.ObjectNode) n : new Node.ObjectNode(List.of(), SourceRef.none());
  }

  static boolean isUnknown(Node n) {
    return n instanceof Node.ScalarNode && UNKNOWN_TAG.equals(((Node.ScalarNode) n).tag());
  }

  static Node.ScalarNode unknown(String what, SourceRef at) {
    return new Node.ScalarNode(Node.ScalarType.STRING, what, UNKNOWN_TAG, at);
  }

  private static Node.ScalarNode string(String s, SourceRef at) {
    return new Node.ScalarNode(Node.ScalarType.STRING, s, null, at);
  }

  /** The known text of a scalar (strings, numbers, booleans), or null for unknowns and collections. */
  static String text(Node n) {
    if (n instanceof Node.ScalarNode && !isUnknown(n) && ((Node.ScalarNode) n).type() != Node.ScalarType.NULL) {
      return ((Node.ScalarNode) n).text();
    }
    return null;
  }

  /** Collects the pointers of every unknown in a resolved tree. */
  static void unknownsIn(Node n, Map<String, String> out) {
    if (isUnknown(n)) {
      out.putIfAbsent(n.source().pointer(), ((Node.ScalarNode) n).text());
    } else if (n instanceof Node.ObjectNode) {
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        unknownsIn(f.value(), out);
      }
    } else if (n instanceof Node.ArrayNode) {
      for (Node i : ((Node.ArrayNode) n).items()) {
        unknownsIn(i, out);
      }
    }
  }

  /** The resolved value; null for {@code AWS::NoValue}. */
  Node resolve(Node n) {
    if (n == null) {
      return null;
    }
    if (++depth > MAX_DEPTH) {
      depth--;
      return unknown("a value nested too deeply", n.source());
    }
    try {
      if (n instanceof Node.ObjectNode) {
        Node.ObjectNode o = (Node.ObjectNode) n;
        if (o.fields().size() == 1 && isFunctionKey(o.fields().get(0).key())) {
          return function(o.fields().get(0).key(), o.fields().get(0).value(), o.source());
        }
        List<Node.Field> fields = new ArrayList<>();
        for (Node.Field f : o.fields()) {
          Node v = resolve(f.value());
          if (v != null) {
            fields.add(new Node.Field(f.key(), f.keySource(), v));
          }
        }
        return new Node.ObjectNode(fields, o.source());
      }
      if (n instanceof Node.ArrayNode) {
        List<Node> items = new ArrayList<>();
        for (Node i : ((Node.ArrayNode) n).items()) {
          Node v = resolve(i);
          if (v != null) {
            items.add(v);
          }
        }
        return new Node.ArrayNode(items, n.source());
      }
      return n;
    } finally {
      depth--;
    }
  }

  static boolean isFunctionKey(String k) {
    return k.equals("Ref") || k.startsWith("Fn::") || k.equals("Condition");
  }

  private Node function(String name, Node arg, SourceRef at) {
    switch (name) {
      case "Ref": {
        String target = text(resolve(arg));
        return target == null ? unknown("!Ref", at) : ref(target, at);
      }
      case "Fn::GetAtt":
        return getAtt(arg, at);
      case "Fn::Sub":
        return sub(arg, at);
      case "Fn::Join":
        return join(arg, at);
      case "Fn::Select":
        return select(arg, at);
      case "Fn::Split":
        return split(arg, at);
      case "Fn::If":
        return ifFunction(arg, at);
      case "Fn::FindInMap":
        return findInMap(arg, at);
      case "Fn::Base64": {
        String s = text(resolve(arg));
        return s == null ? unknown("!Base64", at)
            : string(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)), at);
      }
      case "Fn::ToJsonString": {
        Node v = resolve(arg);
        Map<String, String> u = new HashMap<>();
        unknownsIn(v, u);
        return v == null || !u.isEmpty() ? unknown("!ToJsonString", at) : string(JsonOut.compact(v), at);
      }
      case "Fn::Length": {
        Node v = resolve(arg);
        return v instanceof Node.ArrayNode
            ? new Node.ScalarNode(Node.ScalarType.NUMBER, String.valueOf(((Node.ArrayNode) v).items().size()), null, at)
            : unknown("!Length", at);
      }
      case "Fn::ImportValue": {
        String s = text(resolve(arg));
        return unknown("!ImportValue " + (s == null ? "" : s), at);
      }
      case "Fn::GetAZs":
        return unknown("!GetAZs", at);
      case "Fn::Cidr":
        return unknown("!Cidr", at);
      case "Condition": {
        String c = text(arg);
        Boolean b = c == null ? null : condition(c);
        return b == null ? unknown("!Condition " + c, at)
            : new Node.ScalarNode(Node.ScalarType.BOOLEAN, b.toString(), null, at);
      }
      default:
        return unknown(name, at);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Ref and GetAtt

  Node ref(String target, SourceRef at) {
    switch (target) {
      case "AWS::AccountId":
        return known(inputs.accountId(), "${AWS::AccountId}", at);
      case "AWS::Region":
        return known(inputs.regionName(), "${AWS::Region}", at);
      case "AWS::Partition":
        return known(inputs.partition(), "${AWS::Partition}", at);
      case "AWS::URLSuffix": {
        String p = inputs.partition();
        return known(p == null ? null : p.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com",
            "${AWS::URLSuffix}", at);
      }
      case "AWS::NoValue":
        return null;
      default:
        break;
    }
    if (target.startsWith("AWS::")) {
      return known(inputs.parameters().get(target), "${" + target + "}", at);
    }
    if (parameters.get(target) instanceof Node.ObjectNode) {
      return parameter(target, (Node.ObjectNode) parameters.get(target), at);
    }
    Node.ObjectNode r = resource(target);
    if (r != null) {
      String id = physicalId(target, r);
      return known(id, "!Ref " + target, at);
    }
    return unknown("!Ref " + target, at);
  }

  private Node parameter(String name, Node.ObjectNode p, SourceRef at) {
    String value = inputs.parameters().get(name);
    if (value == null) {
      value = text(p.get("Default"));
    }
    if (value == null) {
      return unknown("${" + name + "}", at);
    }
    String type = text(p.get("Type"));
    if (type != null && (type.startsWith("List<") || type.equals("CommaDelimitedList"))) {
      List<Node> items = new ArrayList<>();
      for (String s : value.split(",", -1)) {
        items.add(string(s.trim(), at));
      }
      return new Node.ArrayNode(items, at);
    }
    return string(value, at);
  }

  private static Node known(String value, String what, SourceRef at) {
    return value == null ? unknown(what, at) : string(value, at);
  }

  Node.ObjectNode resource(String logicalId) {
    Node r = resources.get(logicalId);
    return r instanceof Node.ObjectNode ? (Node.ObjectNode) r : null;
  }

  static String typeOf(Node.ObjectNode r) {
    return text(r.get("Type"));
  }

  private Node.ObjectNode properties(Node.ObjectNode r) {
    Node p = r.get("Properties");
    return p instanceof Node.ObjectNode ? (Node.ObjectNode) p : new Node.ObjectNode(List.of(), r.source());
  }

  /** A resource property's known text, or null. Guards against properties that refer to themselves. */
  private String property(String logicalId, Node.ObjectNode r, String name) {
    String key = logicalId + "." + name;
    if (!evaluating.add(key)) {
      return null;
    }
    try {
      return text(resolve(properties(r).get(name)));
    } finally {
      evaluating.remove(key);
    }
  }

  /**
   * The physical id {@code !Ref} returns, or null when unknown: the declared name, or the deterministic
   * logical-id-based name (docs/templates.md).
   */
  String physicalId(String logicalId, Node.ObjectNode r) {
    String type = typeOf(r);
    if (type == null) {
      return null;
    }
    switch (type) {
      case "AWS::IAM::Role":
        return nameOr(property(logicalId, r, "RoleName"), logicalId, r, "RoleName");
      case "AWS::IAM::User":
        return nameOr(property(logicalId, r, "UserName"), logicalId, r, "UserName");
      case "AWS::IAM::ManagedPolicy":
        return arn(logicalId, r);
      case "AWS::IAM::Policy":
        return property(logicalId, r, "PolicyName");
      case "AWS::KMS::Key":
      case "AWS::KMS::ReplicaKey":
      case "AWS::EC2::VPCEndpoint":
        return logicalId;
      case "AWS::KMS::Alias":
        return property(logicalId, r, "AliasName");
      case "AWS::Organizations::Organization":
      case "AWS::Organizations::OrganizationalUnit":
      case "AWS::Organizations::Account":
        // ids Organizations assigns at deployment: known only when given with --parameter LOGICAL_ID=ID
        return inputs.parameters().get(logicalId);
      case "AWS::S3::Bucket":
        return nameOr(property(logicalId, r, "BucketName"), logicalId.toLowerCase(Locale.ROOT), r, "BucketName");
      default:
        return null;
    }
  }

  /** The declared name, the fallback when none is declared, null when it is declared but unknown. */
  private static String nameOr(String declared, String fallback, Node.ObjectNode r, String property) {
    if (declared != null) {
      return declared;
    }
    Node p = r.get("Properties");
    boolean isDeclared = p instanceof Node.ObjectNode && ((Node.ObjectNode) p).get(property) != null;
    return isDeclared ? null : fallback;
  }

  /** The ARN of a template resource, or null when it cannot be known. */
  String arn(String logicalId, Node.ObjectNode r) {
    String type = typeOf(r);
    String p = inputs.partition();
    String account = inputs.accountId();
    String region = inputs.regionName();
    if (type == null || p == null) {
      return null;
    }
    switch (type) {
      case "AWS::IAM::Role":
      case "AWS::IAM::User":
      case "AWS::IAM::ManagedPolicy": {
        String name = type.equals("AWS::IAM::ManagedPolicy")
            ? nameOr(property(logicalId, r, "ManagedPolicyName"), logicalId, r, "ManagedPolicyName")
            : physicalId(logicalId, r);
        String path = property(logicalId, r, "Path");
        if (name == null || account == null || (path == null && properties(r).get("Path") != null)) {
          return null;
        }
        String kind = type.equals("AWS::IAM::Role") ? "role" : type.equals("AWS::IAM::User") ? "user" : "policy";
        return "arn:" + p + ":iam::" + account + ":" + kind + (path == null ? "/" : path) + name;
      }
      case "AWS::KMS::Key":
      case "AWS::KMS::ReplicaKey":
        return account == null || region == null ? null
            : "arn:" + p + ":kms:" + region + ":" + account + ":key/" + logicalId;
      case "AWS::S3::Bucket": {
        String name = physicalId(logicalId, r);
        return name == null ? null : "arn:" + p + ":s3:::" + name;
      }
      default:
        return null;
    }
  }

  private Node getAtt(Node arg, SourceRef at) {
    String logical;
    String attr;
    Node a = resolve(arg);
    if (a instanceof Node.ArrayNode && ((Node.ArrayNode) a).items().size() == 2) {
      logical = text(((Node.ArrayNode) a).items().get(0));
      attr = text(((Node.ArrayNode) a).items().get(1));
    } else {
      String s = text(a);
      int dot = s == null ? -1 : s.indexOf('.');
      logical = dot < 0 ? s : s.substring(0, dot);
      attr = dot < 0 ? null : s.substring(dot + 1);
    }
    return getAtt(logical, attr, at);
  }

  private Node getAtt(String logical, String attr, SourceRef at) {
    String what = "!GetAtt " + logical + "." + attr;
    if (logical == null || attr == null) {
      return unknown(what, at);
    }
    Node.ObjectNode r = resource(logical);
    if (r == null) {
      return unknown(what, at);
    }
    String type = typeOf(r);
    String value = null;
    if ("Arn".equals(attr) || ("PolicyArn".equals(attr) && "AWS::IAM::ManagedPolicy".equals(type))) {
      value = arn(logical, r);
    } else if ("KeyId".equals(attr) && type != null && type.startsWith("AWS::KMS::")) {
      value = physicalId(logical, r);
    } else if (("Id".equals(attr) && "AWS::Organizations::OrganizationalUnit".equals(type))
        || ("AccountId".equals(attr) && "AWS::Organizations::Account".equals(type))
        || ("Id".equals(attr) && "AWS::Organizations::Organization".equals(type))) {
      value = physicalId(logical, r);
    }
    return known(value, what, at);
  }

  // -----------------------------------------------------------------------------------------------
  // Sub, Join, Select, Split, If, FindInMap

  private Node sub(Node arg, SourceRef at) {
    Node templateNode = arg;
    Map<String, Node> vars = new HashMap<>();
    if (arg instanceof Node.ArrayNode && !((Node.ArrayNode) arg).items().isEmpty()) {
      List<Node> items = ((Node.ArrayNode) arg).items();
      templateNode = items.get(0);
      if (items.size() > 1 && items.get(1) instanceof Node.ObjectNode) {
        for (Node.Field f : ((Node.ObjectNode) items.get(1)).fields()) {
          vars.put(f.key(), f.value());
        }
      }
    }
    String template = text(templateNode);
    if (template == null) {
      return unknown("!Sub", at);
    }
    StringBuilder out = new StringBuilder();
    boolean unknown = false;
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf("${", i);
      if (open < 0) {
        out.append(template, i, template.length());
        break;
      }
      out.append(template, i, open);
      int close = template.indexOf('}', open);
      if (close < 0) {
        out.append(template, open, template.length());
        break;
      }
      String var = template.substring(open + 2, close);
      if (var.startsWith("!")) {
        out.append("${").append(var, 1, var.length()).append('}');
      } else {
        Node v;
        if (vars.containsKey(var)) {
          v = resolve(vars.get(var));
        } else if (var.contains(".") && !var.startsWith("AWS::")) {
          int dot = var.indexOf('.');
          v = getAtt(var.substring(0, dot), var.substring(dot + 1), at);
        } else {
          v = ref(var, at);
        }
        String s = text(v);
        if (s == null) {
          unknown = true;
          out.append("${").append(var).append('}');
        } else {
          out.append(s);
        }
      }
      i = close + 1;
    }
    return unknown ? unknown(out.toString(), at) : string(out.toString(), at);
  }

  private Node join(Node arg, SourceRef at) {
    Node a = resolve(arg);
    if (!(a instanceof Node.ArrayNode) || ((Node.ArrayNode) a).items().size() != 2) {
      return unknown("!Join", at);
    }
    String delim = text(((Node.ArrayNode) a).items().get(0));
    Node list = ((Node.ArrayNode) a).items().get(1);
    if (delim == null || !(list instanceof Node.ArrayNode)) {
      return unknown("!Join", at);
    }
    StringBuilder b = new StringBuilder();
    boolean unknown = false;
    List<Node> items = ((Node.ArrayNode) list).items();
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(delim);
      }
      Node item = items.get(i);
      String s = text(item);
      if (s == null) {
        unknown = true;
        b.append(isUnknown(item) ? ((Node.ScalarNode) item).text() : "?");
      } else {
        b.append(s);
      }
    }
    return unknown ? unknown(b.toString(), at) : string(b.toString(), at);
  }

  private Node select(Node arg, SourceRef at) {
    Node a = resolve(arg);
    if (!(a instanceof Node.ArrayNode) || ((Node.ArrayNode) a).items().size() != 2) {
      return unknown("!Select", at);
    }
    String index = text(((Node.ArrayNode) a).items().get(0));
    Node list = ((Node.ArrayNode) a).items().get(1);
    if (index == null || !(list instanceof Node.ArrayNode)) {
      return unknown("!Select", at);
    }
    try {
      int i = Integer.parseInt(index.trim());
      List<Node> items = ((Node.ArrayNode) list).items();
      return i >= 0 && i < items.size() ? items.get(i) : unknown("!Select " + index, at);
    } catch (NumberFormatException e) {
      return unknown("!Select " + index, at);
    }
  }

  private Node split(Node arg, SourceRef at) {
    Node a = resolve(arg);
    if (!(a instanceof Node.ArrayNode) || ((Node.ArrayNode) a).items().size() != 2) {
      return unknown("!Split", at);
    }
    String delim = text(((Node.ArrayNode) a).items().get(0));
    String s = text(((Node.ArrayNode) a).items().get(1));
    if (delim == null || delim.isEmpty() || s == null) {
      return unknown("!Split", at);
    }
    List<Node> items = new ArrayList<>();
    int start = 0;
    while (true) {
      int k = s.indexOf(delim, start);
      if (k < 0) {
        items.add(string(s.substring(start), at));
        break;
      }
      items.add(string(s.substring(start, k), at));
      start = k + delim.length();
    }
    return new Node.ArrayNode(items, at);
  }

  private Node ifFunction(Node arg, SourceRef at) {
    if (!(arg instanceof Node.ArrayNode) || ((Node.ArrayNode) arg).items().size() != 3) {
      return unknown("!If", at);
    }
    List<Node> items = ((Node.ArrayNode) arg).items();
    String name = text(items.get(0));
    Boolean b = name == null ? null : condition(name);
    if (b == null) {
      return unknown("!If " + name, at);
    }
    return resolve(items.get(b ? 1 : 2));
  }

  private Node findInMap(Node arg, SourceRef at) {
    Node a = resolve(arg);
    if (!(a instanceof Node.ArrayNode) || ((Node.ArrayNode) a).items().size() < 3) {
      return unknown("!FindInMap", at);
    }
    List<Node> items = ((Node.ArrayNode) a).items();
    String map = text(items.get(0));
    String top = text(items.get(1));
    String second = text(items.get(2));
    if (map == null || top == null || second == null) {
      return unknown("!FindInMap", at);
    }
    Node m = mappings.get(map);
    Node t = m instanceof Node.ObjectNode ? ((Node.ObjectNode) m).get(top) : null;
    Node v = t instanceof Node.ObjectNode ? ((Node.ObjectNode) t).get(second) : null;
    return v == null ? unknown("!FindInMap " + map + "." + top + "." + second, at) : resolve(v);
  }

  // -----------------------------------------------------------------------------------------------
  // conditions (three-valued: null is unknown)

  /** The value of a named condition, or null when it cannot be known. */
  Boolean condition(String name) {
    if (conditionValues.containsKey(name)) {
      return conditionValues.get(name);
    }
    if (!evaluating.add("Conditions." + name)) {
      return null;
    }
    Boolean b;
    try {
      b = conditionValue(conditions.get(name));
    } finally {
      evaluating.remove("Conditions." + name);
    }
    conditionValues.put(name, b);
    return b;
  }

  /** True when s holds a value that stands for the stack's account, Region or name while linting. */
  private boolean holdsSymbol(String s) {
    return s.contains(TemplatePolicies.STACK_ACCOUNT) && TemplatePolicies.STACK_ACCOUNT.equals(inputs.accountId())
        || s.contains(TemplatePolicies.STACK_REGION) && TemplatePolicies.STACK_REGION.equals(inputs.regionName())
        || s.contains(TemplatePolicies.STACK_NAME)
            && TemplatePolicies.STACK_NAME.equals(inputs.parameters().get("AWS::StackName"));
  }

  private Boolean conditionValue(Node n) {
    if (!(n instanceof Node.ObjectNode) || ((Node.ObjectNode) n).fields().size() != 1) {
      String t = text(n);
      return t == null ? null : t.equalsIgnoreCase("true") ? Boolean.TRUE : t.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }
    Node.Field f = ((Node.ObjectNode) n).fields().get(0);
    List<Node> args = f.value() instanceof Node.ArrayNode ? ((Node.ArrayNode) f.value()).items() : List.of();
    switch (f.key()) {
      case "Fn::Equals": {
        if (args.size() != 2) {
          return null;
        }
        String a = text(resolve(args.get(0)));
        String b = text(resolve(args.get(1)));
        if (a == null || b == null) {
          return null;
        }
        // the linter's stand-ins for the stack's account, Region and name equal themselves, and nothing else
        // is known about them: `!Equals [!Ref AWS::Region, us-east-1]` may hold or not once deployed
        return a.equals(b) ? Boolean.TRUE : holdsSymbol(a) || holdsSymbol(b) ? null : Boolean.FALSE;
      }
      case "Fn::Not":
        if (args.size() != 1) {
          return null;
        }
        Boolean v = conditionValue(args.get(0));
        return v == null ? null : !v;
      case "Fn::And": {
        boolean unknown = false;
        for (Node x : args) {
          Boolean v2 = conditionValue(x);
          if (Boolean.FALSE.equals(v2)) {
            return false;
          }
          unknown |= v2 == null;
        }
        return unknown ? null : Boolean.TRUE;
      }
      case "Fn::Or": {
        boolean unknown = false;
        for (Node x : args) {
          Boolean v2 = conditionValue(x);
          if (Boolean.TRUE.equals(v2)) {
            return true;
          }
          unknown |= v2 == null;
        }
        return unknown ? null : Boolean.FALSE;
      }
      case "Condition": {
        String c = text(f.value());
        return c == null ? null : condition(c);
      }
      default:
        return null;
    }
  }

  /** Whether a resource is created: no Condition, or a condition that is known true (null: unknown). */
  Boolean created(Node.ObjectNode r) {
    String c = text(r.get("Condition"));
    return c == null ? Boolean.TRUE : condition(c);
  }
}
