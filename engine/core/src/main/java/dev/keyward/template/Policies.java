package dev.keyward.template;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the policies of one template, makes them sound and keeps each as a {@link Template.PolicySite}. */
final class Policies {

  private final PolicyParser parser = PolicyParser.create();
  private final List<Problem> problems;
  private final String hint;
  final List<Template.PolicySite> sites = new ArrayList<>();

  Policies(List<Problem> problems, String hint) {
    this.problems = problems;
    this.hint = hint;
  }

  /**
   * Reads one policy: an object, a JSON string, or an unknown (tagged {@link CfnResolver#UNKNOWN_TAG}).
   *
   * @param name how reasons name the policy
   * @param label how messages name it ({@code FinanceKey.KeyPolicy}, {@code aws_kms_key.finance})
   * @return the sound policy, or null when there is none or it could not be read
   */
  PolicyDocument read(String owner, String label, Node node, String name, PolicyType type) {
    return read(owner, label, node, name, type, false);
  }

  /**
   * Reads one policy as {@link #read(String, String, Node, String, PolicyType)} does.
   *
   * @param resourceImplied the policy's statements name no resource because the policy belongs to one
   *     (Amazon ECR repository policies): a statement without {@code Resource} is then not a problem
   */
  PolicyDocument read(String owner, String label, Node node, String name, PolicyType type,
      boolean resourceImplied) {
    if (node == null) {
      return null;
    }
    Map<String, String> unknowns = new LinkedHashMap<>();
    CfnResolver.unknownsIn(node, unknowns);
    if (CfnResolver.isUnknown(node)) {
      String what = brief(((Node.ScalarNode) node).text());
      List<Problem> ps = List.of(Problem.warning(SoundPolicy.CODE, "policy `" + label + "` is `" + what
          + "`, unknown until deployment: it is read as allowing nothing and denying everything" + hint,
          node.source()));
      problems.addAll(ps);
      PolicyDocument empty = new PolicyDocument(name, type, PolicyDocument.VERSION_2012, null, List.of(),
          node.source());
      // A key or bucket policy that allows nothing already denies every request on its resource; an identity
      // policy might hold a Deny, so it denies everything.
      PolicyDocument sound = type == PolicyType.KEY_POLICY || type == PolicyType.RESOURCE ? empty
          : SoundPolicy.apply(empty, List.of(), Map.of(node.source().pointer() + "/Statement", what),
              Map.of(), "").policy();
      sites.add(new Template.PolicySite(owner, type, null, sound, ps, unknowns, node.source()));
      return sound;
    }
    Map<String, SourceRef> at = new HashMap<>();
    collectAt(node, at);
    ParseResult pr = parser.parseNode(colonFree(node), name, type);
    if (resourceImplied) {
      pr = new ParseResult(pr.policy(), pr.problems().stream()
          .filter(p -> !p.code().equals("policy.missing-resource")).toList());
    }
    if (pr.policy() == null) {
      problems.addAll(pr.problems());
      sites.add(new Template.PolicySite(owner, type, null, null, pr.problems(), unknowns, node.source()));
      return null;
    }
    SoundPolicy.Result s = SoundPolicy.apply(pr.policy(), pr.problems(), unknowns, at, hint);
    problems.addAll(s.problems());
    sites.add(new Template.PolicySite(owner, type, pr.policy(), s.policy(), s.problems(), unknowns, node.source()));
    return s.policy();
  }

  /**
   * A value as messages quote it, on one line: a value written over several lines (a policy written as one
   * {@code !Sub} text is a whole JSON document) is shown with its spaces collapsed, cut at 80 characters.
   */
  static String brief(String value) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    String one = value.strip().replaceAll("\\s+", " ");
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }

  private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("\\$\\{([^}]*)\\}");

  /**
   * The tree with {@code ::} inside the {@code ${...}} of unknowns written {@code .}, so that an unknown
   * account in {@code arn:aws:iam::${AWS::AccountId}:root} does not break the ARN's six parts and lint rules
   * still see an account root; an unknown without {@code ${...}} ({@code !GetAtt Other.Attr}) is written
   * {@code ${!GetAtt Other.Attr}}. Messages keep the text as written.
   */
  static Node colonFree(Node n) {
    if (CfnResolver.isUnknown(n)) {
      Node.ScalarNode s = (Node.ScalarNode) n;
      if (!s.text().contains("${")) {
        // `!GetAtt Other.Attr`, `!ImportValue name`: written as a variable, so that rules read it as a value
        // they do not know (a wildcard where they match patterns) rather than as a malformed name or ARN
        return new Node.ScalarNode(s.type(), "${" + s.text().replace("::", ".") + "}", s.tag(), s.source());
      }
      java.util.regex.Matcher m = REFERENCE.matcher(s.text());
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement("${" + m.group(1).replace("::", ".") + "}"));
      }
      m.appendTail(b);
      return new Node.ScalarNode(s.type(), b.toString(), s.tag(), s.source());
    }
    if (n instanceof Node.ObjectNode) {
      List<Node.Field> fields = new ArrayList<>();
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        fields.add(new Node.Field(f.key(), f.keySource(), colonFree(f.value())));
      }
      return new Node.ObjectNode(fields, n.source());
    }
    if (n instanceof Node.ArrayNode) {
      List<Node> items = new ArrayList<>();
      for (Node i : ((Node.ArrayNode) n).items()) {
        items.add(colonFree(i));
      }
      return new Node.ArrayNode(items, n.source());
    }
    return n;
  }

  private static void collectAt(Node n, Map<String, SourceRef> out) {
    if (CfnResolver.isUnknown(n)) {
      out.putIfAbsent(n.source().pointer(), n.source());
    } else if (n instanceof Node.ObjectNode) {
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        collectAt(f.value(), out);
      }
    } else if (n instanceof Node.ArrayNode) {
      for (Node i : ((Node.ArrayNode) n).items()) {
        collectAt(i, out);
      }
    }
  }
}
