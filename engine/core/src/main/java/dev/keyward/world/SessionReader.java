package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import dev.keyward.parse.NodeReader;
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
 * "sourceIdentity": "...", "transitiveTagKeys": ["k"], "chain": [{"role": ..., "tags": {...},
 * "transitiveTagKeys": [...]}], "federatedBy": "arn:aws:iam::A:user/NAME"}}. Session policies are parsed as identity policies, so one with a
 * {@code Principal} (a resource policy) is an error; at most 10 managed policy ARNs, as AssumeRole's
 * {@code PolicyArns} takes (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 */
final class SessionReader {

  private static final List<String> FIELDS = List.of("tags", "policies", "sourceIdentity", "transitiveTagKeys",
      "chain", "federatedBy");
  private static final List<String> LINK_FIELDS = List.of("role", "tags", "transitiveTagKeys");
  /** AssumeRole: "If you pass a session tag with the same key as an inherited tag, the operation fails." */
  static final String ASSUME_ROLE_URL = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html";
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
    Node.ObjectNode o = in.object(n, "`session`", "an object with `tags`, `policies`, `sourceIdentity`,"
        + " `transitiveTagKeys`, `chain` or `federatedBy`");
    if (o == null) {
      return new Result(null, problems);
    }
    in.unknownFields(o, FIELDS, key -> {
      String hint = Suggest.didYouMean(key, FIELDS);
      return "unknown field `" + key + "` in a session"
          + (hint.isEmpty() ? "; expected `tags`, `policies`, `sourceIdentity`, `transitiveTagKeys`, `chain` or"
          + " `federatedBy`" : hint);
    });
    // the chain first: its transitive tags are inherited, and no later session may set them again
    List<Session.Link> chain = new ArrayList<>();
    Map<String, String> inherited = new LinkedHashMap<>();
    Node ch = o.get("chain");
    if (ch != null) {
      if (!(ch instanceof Node.ArrayNode)) {
        problems.add(Problem.error("session.wrong-type", "session `chain` must be an array of the earlier sessions"
            + " (`{role, tags, transitiveTagKeys}`), first first, not " + ch.typeName(), ch.source()));
      } else {
        List<Node> links = ((Node.ArrayNode) ch).items();
        for (int i = 0; i < links.size(); i++) {
          Session.Link l = link(links.get(i), i, inherited, problems);
          if (l != null) {
            chain.add(l);
          }
        }
      }
    }
    Map<String, String> tags = tags(o.get("tags"), inherited, "this session", problems);
    Set<String> transitive = transitiveKeys(o.get("transitiveTagKeys"), tags, problems);
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
    String federatedBy = null;
    Node fb = o.get("federatedBy");
    if (fb != null) {
      if (!NodeReader.isString(fb) || ((Node.ScalarNode) fb).text().isEmpty()) {
        in.error("session.wrong-type", "`federatedBy` must be the ARN of the IAM user that called"
            + " GetFederationToken", fb.source());
      } else {
        federatedBy = ((Node.ScalarNode) fb).text();
      }
    }
    return new Result(problems.isEmpty()
        ? new Session(tags, policies, sourceIdentity, transitive, chain, federatedBy) : null, problems);
  }

  /** One earlier session of a chain; adds its transitive tags to {@code inherited}. */
  private static Session.Link link(Node n, int i, Map<String, String> inherited, List<Problem> problems) {
    if (!(n instanceof Node.ObjectNode)) {
      problems.add(Problem.error("session.wrong-type", "a session of a `chain` is `{role: ROLE-ARN, tags: {...},"
          + " transitiveTagKeys: [...]}`, not " + n.typeName(), n.source()));
      return null;
    }
    Node.ObjectNode o = (Node.ObjectNode) n;
    for (Node.Field f : o.fields()) {
      if (!LINK_FIELDS.contains(f.key())) {
        String hint = Suggest.didYouMean(f.key(), LINK_FIELDS);
        problems.add(Problem.error("session.unknown-field", "unknown field `" + f.key() + "` in a session of the"
            + " chain" + (hint.isEmpty() ? "; expected `role`, `tags` or `transitiveTagKeys`" : hint),
            f.keySource()));
      }
    }
    String role = null;
    Node r = o.get("role");
    if (r != null) {
      String text = r instanceof Node.ScalarNode && ((Node.ScalarNode) r).isString()
          ? ((Node.ScalarNode) r).text() : null;
      dev.keyward.model.Arn a = text == null ? null : dev.keyward.model.Arn.parse(text).orElse(null);
      if (a == null || !a.service().equals("iam") || !a.resource().startsWith("role/")
          || !dev.keyward.model.Arn.isAccountId(a.account())) {
        problems.add(Problem.error("session.invalid-chain-role", "`role` of a session in the chain must be the"
            + " ARN of the role it assumed (`arn:aws:iam::ACCOUNT:role/NAME`)", r.source()));
      } else {
        role = text;
      }
    }
    String who = "session " + i + " of the chain" + (role == null ? "" : " (" + role + ")");
    Map<String, String> tags = tags(o.get("tags"), inherited, who, problems);
    Set<String> transitive = transitiveKeys(o.get("transitiveTagKeys"), tags, problems);
    for (String k : transitive) {
      tags.forEach((tk, tv) -> {
        if (tk.equalsIgnoreCase(k)) {
          inherited.put(tk, "chain/" + i);
        }
      });
    }
    return new Session.Link(role, tags, transitive);
  }

  /**
   * Session tags (an object of strings); a key that an earlier session of the chain passed as transitive is
   * refused, as AssumeRole refuses it.
   */
  private static Map<String, String> tags(Node t, Map<String, String> inherited, String who,
      List<Problem> problems) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (t == null) {
      return tags;
    }
    if (!(t instanceof Node.ObjectNode)) {
      problems.add(Problem.error("session.wrong-type", "session `tags` must be an object of strings, not "
          + t.typeName(), t.source()));
      return tags;
    }
    for (Node.Field f : ((Node.ObjectNode) t).fields()) {
      if (!(f.value() instanceof Node.ScalarNode) || !((Node.ScalarNode) f.value()).isString()) {
        problems.add(Problem.error("session.wrong-type", "session tag `" + f.key() + "` must have a string"
            + " value, not " + f.value().typeName(), f.value().source()));
        continue;
      }
      for (Map.Entry<String, String> in : inherited.entrySet()) {
        if (in.getKey().equalsIgnoreCase(f.key())) {
          problems.add(Problem.error("session.transitive-tag-overridden", who + " sets tag `" + f.key()
              + "`, which an earlier session of its chain (" + in.getValue() + ") passed as transitive: AssumeRole"
              + " fails when a session tag has the same key as an inherited transitive tag, so no such session"
              + " exists (" + ASSUME_ROLE_URL + ")", f.keySource()));
        }
      }
      tags.put(f.key(), ((Node.ScalarNode) f.value()).text());
    }
    return tags;
  }

  /** {@code transitiveTagKeys}: an array of keys of the session's own tags (compared ignoring case). */
  private static Set<String> transitiveKeys(Node n, Map<String, String> tags, List<Problem> problems) {
    Set<String> out = new java.util.LinkedHashSet<>();
    if (n == null) {
      return out;
    }
    if (!(n instanceof Node.ArrayNode)) {
      problems.add(Problem.error("session.wrong-type", "`transitiveTagKeys` must be an array of tag keys, not "
          + n.typeName(), n.source()));
      return out;
    }
    for (Node item : ((Node.ArrayNode) n).items()) {
      if (!(item instanceof Node.ScalarNode) || !((Node.ScalarNode) item).isString()) {
        problems.add(Problem.error("session.wrong-type", "a transitive tag key must be a string, not "
            + item.typeName(), item.source()));
        continue;
      }
      String k = ((Node.ScalarNode) item).text();
      if (tags.keySet().stream().noneMatch(t -> t.equalsIgnoreCase(k))) {
        problems.add(Problem.error("session.transitive-key-not-a-tag", "transitive tag key `" + k + "` is not one"
            + " of the session tags passed with it: only a session tag can be set as transitive ("
            + ASSUME_ROLE_URL + ")", item.source()));
        continue;
      }
      out.add(k);
    }
    return out;
  }

  /**
   * The problems of a session on {@code principal} (already a valid principal): session data belongs to role
   * sessions and federated users; a federated user needs the IAM user of its account that federated it, and
   * GetFederationToken takes neither transitive tags nor a source identity; only a role session has a chain.
   *
   * @param where how to locate a problem with the whole session
   * @param field the node of each field, for locating problems with one of them
   */
  static List<Problem> checkFor(String principal, Session s, SourceRef where,
      java.util.function.Function<String, SourceRef> field) {
    List<Problem> out = new ArrayList<>();
    boolean roleSession = principal.contains(":assumed-role/");
    boolean federated = principal.contains(":federated-user/");
    if (!roleSession && !federated) {
      out.add(Problem.error("session.without-session-principal", "`session` belongs to a role session"
          + " (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) or a federated user"
          + " (`arn:aws:sts::ACCOUNT:federated-user/NAME`), not to `" + principal + "`", where));
      return out;
    }
    if (roleSession) {
      if (s.federatedBy() != null) {
        out.add(Problem.error("session.federated-by-on-role-session", "`federatedBy` belongs to a federated user"
            + " (`arn:aws:sts::ACCOUNT:federated-user/NAME`); a role session acts as its role", field.apply(
            "federatedBy")));
      }
      return out;
    }
    String account = dev.keyward.model.Arn.parse(principal).map(dev.keyward.model.Arn::account).orElse("");
    String by = s.federatedBy();
    dev.keyward.model.Arn a = by == null ? null : dev.keyward.model.Arn.parse(by).orElse(null);
    if (by == null) {
      out.add(Problem.error("session.federated-user-without-user", "a federated user's `session` needs"
          + " `federatedBy`: the ARN of the IAM user of account " + account + " that called GetFederationToken"
          + " (its identity policies bound the session's permissions)", where));
    } else if (a == null || !a.service().equals("iam") || !a.resource().startsWith("user/")
        || !a.account().equals(account)) {
      out.add(Problem.error("session.invalid-federated-by", "`federatedBy` must be the ARN of an IAM user of"
          + " account " + account + " (`arn:aws:iam::" + account + ":user/NAME`), the account of `" + principal
          + "`, not `" + by + "`", field.apply("federatedBy")));
    }
    if (!s.chain().isEmpty() || !s.transitiveTagKeys().isEmpty()) {
      out.add(Problem.error("session.federated-user-chain", "GetFederationToken sets no transitive tags and a"
          + " federated user cannot assume a role, so its session has no `chain` or `transitiveTagKeys`"
          + " (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html)",
          field.apply(s.chain().isEmpty() ? "transitiveTagKeys" : "chain")));
    }
    if (s.sourceIdentity() != null) {
      out.add(Problem.error("session.federated-user-source-identity", "GetFederationToken takes no source"
          + " identity; `sourceIdentity` belongs to role sessions"
          + " (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html)",
          field.apply("sourceIdentity")));
    }
    return out;
  }
}
