package dev.keyward.parse;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import java.util.ArrayList;
import java.util.List;

/** Turns a located tree into a {@link PolicyDocument}. First version: structure only. */
final class PolicyBuilder {

  private PolicyBuilder() {}

  static ParseResult build(Node root, String name, PolicyType type, DocumentReader reader) {
    List<Problem> problems = new ArrayList<>();
    if (!(root instanceof Node.ObjectNode)) {
      problems.add(Problem.error("policy.not-object", "a policy must be a JSON object, not "
          + root.typeName(), root.source()));
      return new ParseResult(null, problems);
    }
    Node.ObjectNode obj = (Node.ObjectNode) root;
    Node version = obj.get("Version");
    String v = version instanceof Node.ScalarNode ? ((Node.ScalarNode) version).text() : null;
    return new ParseResult(new PolicyDocument(name, type, v, null, List.of(), root.source()), problems);
  }
}
