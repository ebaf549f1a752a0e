package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.request.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    List<Problem> problems = new ArrayList<>();
    if (!(n instanceof Node.ObjectNode)) {
      problems.add(Problem.error("session.wrong-type", "`session` must be an object with `tags`, `policies` or"
          + " `sourceIdentity`, not " + n.typeName(), n.source()));
      return new Result(null, problems);
    }
    Node.ObjectNode o = (Node.ObjectNode) n;
    for (Node.Field f : o.fields()) {
      if (!FIELDS.contains(f.key())) {
        String hint = Suggest.didYouMean(f.key(), FIELDS);
        problems.add(Problem.error("session.unknown-field", "unknown field `" + f.key() + "` in a session"
            + (hint.isEmpty() ? "; expected `tags`, `policies` or `sourceIdentity`" : hint), f.keySource()));
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    Node t = o.get("tags");
    if (t != null) {
      if (!(t instanceof Node.ObjectNode)) {
        problems.add(Problem.error("session.wrong-type", "session `tags` must be an object of strings, not "
            + t.typeName(), t.source()));
      } else {
        for (Node.Field f : ((Node.ObjectNode) t).fields()) {
          if (!(f.value() instanceof Node.ScalarNode) || !((Node.ScalarNode) f.value()).isString()) {
            problems.add(Problem.error("session.wrong-type", "session tag `" + f.key() + "` must have a string"
                + " value, not " + f.value().typeName(), f.value().source()));
          } else {
            tags.put(f.key(), ((Node.ScalarNode) f.value()).text());
          }
        }
      }
    }
    String sourceIdentity = null;
    Node si = o.get("sourceIdentity");
    if (si != null) {
      if (!(si instanceof Node.ScalarNode) || !((Node.ScalarNode) si).isString()
          || ((Node.ScalarNode) si).text().isEmpty()) {
        problems.add(Problem.error("session.wrong-type", "`sourceIdentity` must be a non-empty string",
            si.source()));
      } else {
        sourceIdentity = ((Node.ScalarNode) si).text();
      }
    }
    List<PolicyDocument> policies = new ArrayList<>();
    Node ps = o.get("policies");
    int managed = 0;
    if (ps != null) {
      if (!(ps instanceof Node.ArrayNode)) {
        problems.add(Problem.error("session.wrong-type", "session `policies` must be an array, not "
            + ps.typeName(), ps.source()));
      } else {
        List<Node> items = ((Node.ArrayNode) ps).items();
        for (int i = 0; i < items.size(); i++) {
          Node item = items.get(i);
          String pname = name + "/policies/" + i;
          if (!(item instanceof Node.ObjectNode)) {
            problems.add(Problem.error("session.wrong-type", "a session policy is `{document: {...}}` or"
                + " `{arn: arn:aws:iam::aws:policy/NAME}`, not " + item.typeName(), item.source()));
            continue;
          }
          Node.ObjectNode po = (Node.ObjectNode) item;
          for (Node.Field f : po.fields()) {
            if (!POLICY_FIELDS.contains(f.key())) {
              String hint = Suggest.didYouMean(f.key(), POLICY_FIELDS);
              problems.add(Problem.error("session.unknown-field", "unknown field `" + f.key() + "` in a session"
                  + " policy" + (hint.isEmpty() ? "; expected `document` or `arn`" : hint), f.keySource()));
            }
          }
          Node doc = po.get("document");
          Node arn = po.get("arn");
          if ((doc == null) == (arn == null)) {
            problems.add(Problem.error("session.policy-source", "a session policy has exactly one of `document`"
                + " and `arn`", po.source()));
            continue;
          }
          if (arn != null) {
            String a = arn instanceof Node.ScalarNode ? ((Node.ScalarNode) arn).text() : null;
            PolicyDocument d = a == null ? null : AwsManagedPolicies.bundled().policy(a).orElse(null);
            if (d == null) {
              problems.add(Problem.error("session.unknown-policy-arn", "`" + a + "` is not an AWS managed policy"
                  + " ARN Keyward knows; write the policy as `document`", arn.source()));
              continue;
            }
            if (++managed > MAX_MANAGED) {
              problems.add(Problem.error("session.too-many-policies", "a session takes at most " + MAX_MANAGED
                  + " managed policy ARNs", arn.source()));
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
      }
    }
    return new Result(problems.isEmpty() ? new Session(tags, policies, sourceIdentity) : null, problems);
  }

  /** Unused helper kept private: the source of a whole session node. */
  static SourceRef where(Node n) {
    return n.source();
  }
}
