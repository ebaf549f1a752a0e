package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Damaged policies never make a rule fail or the linter throw: every rule case policy, mutated at random
 * places (a value replaced by another JSON type, a field dropped, a list emptied), is linted as every
 * policy type.
 */
class LinterRobustnessProperties {

  private static final List<Rule> RULES = RuleLoader.create().builtIn().rules();
  private static final Linter LINTER = Linter.create(RULES);
  private static final List<String> POLICIES = new ArrayList<>();

  static {
    for (Rule r : RULES) {
      r.flagged().forEach(c -> POLICIES.add(c.policyText()));
      r.clean().forEach(c -> POLICIES.add(c.policyText()));
    }
  }

  @Property(tries = 300)
  void lint_mutatedPolicy_neverFailsARule(@ForAll @IntRange(min = 0, max = 100_000) int which,
      @ForAll long seed) {
    String text = POLICIES.get(which % POLICIES.size());
    Node root = DocumentReader.create().read(text.getBytes(StandardCharsets.UTF_8), "p.json", DocumentFormat.JSON).root();
    Random random = new Random(seed);
    Node mutated = root == null ? null : mutate(root, random, 0);
    byte[] bytes = (mutated == null ? text : NodeJson.write(mutated)).getBytes(StandardCharsets.UTF_8);
    for (PolicyType t : PolicyType.values()) {
      Linter.FileResult r = LINTER.lint(bytes, "p.json", t);
      assertThat(r.ruleFailures()).as("type %s, policy %s", t, new String(bytes, StandardCharsets.UTF_8)).isEmpty();
    }
  }

  private static Node mutate(Node n, Random random, int depth) {
    if (random.nextInt(6) == 0 && depth > 0) {
      return replacement(random);
    }
    if (n instanceof Node.ObjectNode) {
      List<Node.Field> fields = new ArrayList<>();
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        if (random.nextInt(12) == 0) {
          continue; // drop the field
        }
        fields.add(new Node.Field(f.key(), f.keySource(), mutate(f.value(), random, depth + 1)));
      }
      return new Node.ObjectNode(fields, n.source());
    }
    if (n instanceof Node.ArrayNode) {
      if (random.nextInt(10) == 0) {
        return new Node.ArrayNode(List.of(), n.source());
      }
      List<Node> items = new ArrayList<>();
      for (Node i : ((Node.ArrayNode) n).items()) {
        items.add(mutate(i, random, depth + 1));
      }
      return new Node.ArrayNode(items, n.source());
    }
    return n;
  }

  private static Node replacement(Random random) {
    SourceRef at = SourceRef.none();
    switch (random.nextInt(7)) {
      case 0: return new Node.ScalarNode(Node.ScalarType.NUMBER, "42", null, at);
      case 1: return new Node.ScalarNode(Node.ScalarType.BOOLEAN, "true", null, at);
      case 2: return new Node.ScalarNode(Node.ScalarType.NULL, "", null, at);
      case 3: return new Node.ScalarNode(Node.ScalarType.STRING, "*", null, at);
      case 4: return new Node.ArrayNode(List.of(new Node.ScalarNode(Node.ScalarType.STRING, "arn:aws:kms:*:*:key/*",
          null, at)), at);
      case 5: return new Node.ObjectNode(List.of(new Node.Field("AWS", at,
          new Node.ScalarNode(Node.ScalarType.STRING, "*", null, at))), at);
      default: return new Node.ObjectNode(List.of(), at);
    }
  }
}
