package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * All 1,594 AWS managed policies (corpus/aws-managed-policies.json, MIT licence, see corpus/SOURCE.md)
 * parse as identity-based policies without an error-level problem.
 */
class ManagedPolicyCorpusTest {

  static final String CORPUS = "/corpus/aws-managed-policies.json";

  private static Node.ObjectNode corpus;

  /** The corpus as a located tree: one field per policy, each {arn, version, document}. */
  static Node.ObjectNode loadCorpus() throws IOException {
    byte[] bytes;
    try (InputStream in = ManagedPolicyCorpusTest.class.getResourceAsStream(CORPUS)) {
      assertThat(in).as("corpus resource").isNotNull();
      bytes = in.readAllBytes();
    }
    ReadResult read = DocumentReader.create().read(bytes, "aws-managed-policies.json", DocumentFormat.JSON);
    assertThat(read.problems()).isEmpty();
    return (Node.ObjectNode) read.root();
  }

  @BeforeAll
  static void load() throws IOException {
    corpus = loadCorpus();
  }

  @Test
  void corpus_everyManagedPolicy_parsesWithoutErrors() {
    PolicyParser parser = PolicyParser.create();
    List<String> failures = new ArrayList<>();
    Map<String, Integer> warnings = new TreeMap<>();
    int parsed = 0;
    int statements = 0;
    for (Node.Field f : corpus.fields()) {
      Node document = ((Node.ObjectNode) f.value()).get("document");
      ParseResult r = parser.parseNode(document, f.key(), PolicyType.IDENTITY);
      for (Problem p : r.problems()) {
        if (p.isError()) {
          failures.add(f.key() + ": " + p.display());
        } else {
          warnings.merge(p.code(), 1, Integer::sum);
        }
      }
      if (r.policy() != null) {
        parsed++;
        statements += r.policy().statements().size();
      }
    }
    assertThat(failures).as("error-level problems in AWS managed policies").isEmpty();
    assertThat(corpus.fields()).hasSize(1594);
    assertThat(parsed).isEqualTo(1594);
    // 8,853 statements in the corpus (counted independently with a JSON tool).
    assertThat(statements).isEqualTo(8853);
    // Only the size warnings of the 81 policies over the customer managed policy limit of 6,144.
    assertThat(warnings).containsOnlyKeys("policy.size-limit");
  }

  @Test
  void corpus_readOnlyAccess_keepsEveryActionInOrder() {
    Node document = ((Node.ObjectNode) corpus.get("ReadOnlyAccess")).get("document");
    PolicyDocument p = PolicyParser.create().parseNode(document, "ReadOnlyAccess", PolicyType.IDENTITY).policy();
    assertThat(p.version()).isEqualTo("2012-10-17");
    Statement first = p.statements().get(0);
    assertThat(first.action().patterns()).isNotEmpty();
    assertThat(first.source().pointer()).isEqualTo("/ReadOnlyAccess/document/Statement/0");
    assertThat(first.source().line()).isEqualTo(1);
  }
}
