package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.parse.Node;
import dev.keyward.parse.NodeReader;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.request.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code session} object, the same shape in a request line and in a world's identity:
 * {@code {"tags": {"k": "v"}, "policies": [{"document": {...}} | {"arn": "arn:aws:iam::aws:policy/..."}],
 * "sourceIdentity": "..."}}. Session policies are parsed as identity policies, so one with a
 * {@code Principal} (a resource policy) is an error; at most 10 managed policy ARNs, as AssumeRole's
 * {@code PolicyArns} takes (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 */
final class SessionReader {

  private static final List<String> FIELDS = List.of("tags", "policies", "sourceIdentity");
  private static final List<String> POLICY_FIELDS = List.of("name", "document", "arn");
  private static final int MAX_MANAGED = 10;

  /** A read session and the problems found (locations inside the node's own document). */
  record Result(Session session, List<Problem> problems) {}

  private SessionReader() {}

  /**
   * Reads {@code n}; {@code name} is how reasons name the session's policies (a suffix {@code /policies/i} is
   * added).
   */
  static Result read(Node n, String name, PolicyParser parser) {
    NodeReader in = new NodeReader("session", true, new ArrayList<>());
    List<Problem> problems = in.problems();
    Node.ObjectNode o = in.object(n, "`session`", "an object with `tags`, `policies` or `sourceIdentity`");
    if (o == null) {
      return new Result(null, problems);
    }
    in.unknownFields(o, FIELDS, key -> {
      String hint = Suggest.didYouMean(key, FIELDS);
      return "unknown field `" + key + "` in a session"
          + (hint.isEmpty() ? "; expected `tags`, `policies` or `sourceIdentity`" : hint);
    });
    Map<String, String> tags = new LinkedHashMap<>();
    Node t = o.get("tags");
    if (t != null && in.object(t, "session `tags`", "an object of strings") != null) {
      for (Node.Field f : ((Node.ObjectNode) t).fields()) {
        if (!NodeReader.isString(f.value())) {
          in.wrongType(f.value(), "session tag `" + f.key() + "` must have a string value");
        } else {
          tags.put(f.key(), ((Node.ScalarNode) f.value()).text());
        }
      }
    }
    String sourceIdentity = null;
    Node si = o.get("sourceIdentity");
    if (si != null) {
      if (!NodeReader.isString(si) || ((Node.ScalarNode) si).text().isEmpty()) {
        in.error("session.wrong-type", "`sourceIdentity` must be a non-empty string", si.source());
      } else {
        sourceIdentity = ((Node.ScalarNode) si).text();
      }
    }
    List<PolicyDocument> policies = new ArrayList<>();
    int managed = 0;
    List<Node> items = in.list(o.get("policies"), "session `policies`", "an array");
    for (int i = 0; i < items.size(); i++) {
      String pname = name + "/policies/" + i;
      Node.ObjectNode po = in.object(items.get(i), "a session policy",
          "`{document: {...}}` or `{arn: arn:aws:iam::aws:policy/NAME}`");
      if (po == null) {
        continue;
      }
      in.unknownFields(po, POLICY_FIELDS, key -> {
        String hint = Suggest.didYouMean(key, POLICY_FIELDS);
        return "unknown field `" + key + "` in a session policy" + (hint.isEmpty() ? "; expected `document` or `arn`"
            : hint);
      });
      Node doc = po.get("document");
      Node arn = po.get("arn");
      if ((doc == null) == (arn == null)) {
        in.error("session.policy-source", "a session policy has exactly one of `document` and `arn`", po.source());
        continue;
      }
      if (arn != null) {
        String a = arn instanceof Node.ScalarNode ? ((Node.ScalarNode) arn).text() : null;
        PolicyDocument d = a == null ? null : AwsManagedPolicies.bundled().policy(a).orElse(null);
        if (d == null) {
          in.error("session.unknown-policy-arn", "`" + a + "` is not an AWS managed policy ARN Keyward knows; write"
              + " the policy as `document`", arn.source());
          continue;
        }
        if (++managed > MAX_MANAGED) {
          in.error("session.too-many-policies", "a session takes at most " + MAX_MANAGED + " managed policy ARNs",
              arn.source());
        }
        policies.add(d);
        continue;
      }
      ParseResult r = parser.parseNode(doc, pname, PolicyType.IDENTITY);
      boolean bad = false;
      for (Problem p : r.problems()) {
        if (p.isError()) {
          problems.add(new Problem(p.code(), p.severity(), "in session policy " + i + ": " + p.message(),
              p.where()));
          bad = true;
        }
      }
      if (!bad && r.policy() != null) {
        policies.add(r.policy());
      }
    }
    return new Result(problems.isEmpty() ? new Session(tags, policies, sourceIdentity) : null, problems);
  }
}
