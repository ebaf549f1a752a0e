package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DocumentReaderTest {

  private final DocumentReader reader = DocumentReader.create();

  private ReadResult json(String text) {
    return reader.read(text.getBytes(StandardCharsets.UTF_8), "d.json", DocumentFormat.JSON);
  }

  private ReadResult yaml(String text) {
    return reader.read(text.getBytes(StandardCharsets.UTF_8), "d.yaml", DocumentFormat.YAML);
  }

  private static String where(Problem p) {
    return p.where().line() + ":" + p.where().column() + " " + p.code();
  }

  @Test
  void read_duplicateKey_reportedAtTheSecondKeyAndLastValueKept() {
    ReadResult r = json("{\n  \"Effect\": \"Allow\",\n  \"Effect\": \"Deny\"\n}");
    assertThat(r.problems()).extracting(DocumentReaderTest::where).containsExactly("3:3 syntax.duplicate-key");
    assertThat(r.problems().get(0).message()).contains("first at line 2");
    assertThat(r.problems().get(0).where().pointer()).isEqualTo("/Effect");
    Node.ObjectNode o = (Node.ObjectNode) r.root();
    assertThat(o.fields()).hasSize(2);
    assertThat(((Node.ScalarNode) o.get("Effect")).text()).isEqualTo("Deny");
  }

  @Test
  void read_keysDifferingOnlyInCase_reported() {
    ReadResult r = json("{\"Action\": \"s3:*\",\n \"action\": \"kms:*\"}");
    assertThat(r.problems()).extracting(DocumentReaderTest::where).containsExactly("2:2 syntax.case-duplicate-key");
    assertThat(r.root()).isNotNull();
  }

  @Test
  void read_repeatedKeysInALargeObject_reportedAsInASmallOne() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < 40; i++) {
      b.append("\"k").append(i).append("\": ").append(i).append(",\n");
    }
    b.append("\"k3\": 0,\n\"K5\": 0,\n\"Z\": 1,\n\"z\": 2}");
    ReadResult r = json(b.toString());
    assertThat(r.problems()).extracting(DocumentReaderTest::where)
        .containsExactly("41:1 syntax.duplicate-key", "42:1 syntax.case-duplicate-key",
            "44:1 syntax.case-duplicate-key");
    assertThat(r.problems().get(1).message()).contains("`K5` differs from `k5`");
  }

  @Test
  void read_invalidUtf8_isAnEncodingProblemAtTheBadByte() {
    byte[] bytes = "{\n \"Sid\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    for (DocumentFormat f : DocumentFormat.values()) {
      ReadResult r = reader.read(bytes, "d", f);
      assertThat(r.root()).isNull();
      assertThat(r.problems()).extracting(DocumentReaderTest::where).containsExactly("2:13 syntax.encoding");
    }
  }

  @Test
  void read_binaryGarbage_neverThrowsAndReportsOneProblem() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[1 + random.nextInt(300)];
      random.nextBytes(bytes);
      for (DocumentFormat f : DocumentFormat.values()) {
        ReadResult r = reader.read(bytes, "garbage", f);
        if (r.root() == null) {
          assertThat(r.problems()).hasSize(1);
          assertThat(r.problems().get(0).where().line()).isPositive();
        }
      }
    }
  }

  @Test
  void read_deepNesting_refusedWithLocation() {
    ReadResult r = json("[".repeat(DocumentReader.MAX_DEPTH + 1) + "1" + "]".repeat(DocumentReader.MAX_DEPTH + 1));
    assertThat(r.root()).isNull();
    assertThat(r.problems()).extracting(DocumentReaderTest::where)
        .containsExactly("1:" + (DocumentReader.MAX_DEPTH + 2) + " syntax.too-deep");
    ReadResult ok = json("[".repeat(DocumentReader.MAX_DEPTH) + "1" + "]".repeat(DocumentReader.MAX_DEPTH));
    assertThat(ok.problems()).isEmpty();
    ReadResult y = yaml("a: " + "[".repeat(200));
    assertThat(y.problems()).extracting(Problem::code).containsExactly("syntax.too-deep");
  }

  @Test
  void read_emptyOrBlankOrCommentOnly_isEmpty() {
    assertThat(json("").problems()).extracting(DocumentReaderTest::where).containsExactly("1:1 syntax.empty");
    assertThat(json(" \n\t\r\n").problems()).extracting(Problem::code).containsExactly("syntax.empty");
    assertThat(yaml("# only a comment\n").problems()).extracting(Problem::code).containsExactly("syntax.empty");
  }

  @Test
  void read_trailingContent_reported() {
    ReadResult r = json("{\"a\": 1}\n{\"b\": 2}");
    assertThat(r.problems()).extracting(DocumentReaderTest::where).containsExactly("2:1 syntax.trailing");
    ReadResult y = yaml("a: 1\n---\nb: 2\n");
    assertThat(y.problems()).extracting(DocumentReaderTest::where).containsExactly("3:1 syntax.trailing");
    assertThat(y.problems().get(0).message()).contains("more than one YAML document");
  }

  @Test
  void read_malformedJson_locatedWithoutJavaInternals() {
    ReadResult r = json("{\"a\": [1, 2");
    assertThat(r.problems()).extracting(DocumentReaderTest::where).containsExactly("1:12 syntax.invalid");
    assertThat(r.problems().get(0).message()).doesNotContain("Source:", "REDACTED", "StreamReadFeature")
        .contains("line 1, column 7");
    ReadResult nan = json("{\"a\": NaN}");
    assertThat(nan.problems().get(0).message()).doesNotContain("JsonReadFeature");
  }

  @Test
  void read_yaml_linesAndColumnsAndPointers() {
    ReadResult r = yaml("# comment\nStatement:\n  - Effect: Allow\n    Action:\n      - kms:Decrypt\n"
        + "    Resource: \"*\"\n");
    assertThat(r.problems()).isEmpty();
    Node.ObjectNode root = (Node.ObjectNode) r.root();
    Node.Field statement = root.field("Statement");
    assertThat(statement.keySource().line()).isEqualTo(2);
    assertThat(statement.keySource().column()).isEqualTo(1);
    Node.ObjectNode s0 = (Node.ObjectNode) ((Node.ArrayNode) statement.value()).items().get(0);
    assertThat(s0.source().line()).isEqualTo(3);
    assertThat(s0.source().column()).isEqualTo(5);
    Node.ScalarNode action = (Node.ScalarNode) ((Node.ArrayNode) s0.get("Action")).items().get(0);
    assertThat(action.text()).isEqualTo("kms:Decrypt");
    assertThat(action.source().line()).isEqualTo(5);
    assertThat(action.source().column()).isEqualTo(9);
    assertThat(action.source().pointer()).isEqualTo("/Statement/0/Action/0");
    Node.ScalarNode resource = (Node.ScalarNode) s0.get("Resource");
    assertThat(resource.source().line()).isEqualTo(6);
    assertThat(resource.source().column()).isEqualTo(15);
  }

  @Test
  void read_yamlScalars_typedByTheCoreSchemaAndTagsKept() {
    ReadResult r = yaml("a: 123456789012\nb: '123456789012'\nc: true\nd: ~\ne: !Custom Key\n");
    Node.ObjectNode o = (Node.ObjectNode) r.root();
    assertThat(((Node.ScalarNode) o.get("a")).type()).isEqualTo(Node.ScalarType.NUMBER);
    assertThat(((Node.ScalarNode) o.get("b")).type()).isEqualTo(Node.ScalarType.STRING);
    assertThat(((Node.ScalarNode) o.get("c")).type()).isEqualTo(Node.ScalarType.BOOLEAN);
    assertThat(((Node.ScalarNode) o.get("d")).type()).isEqualTo(Node.ScalarType.NULL);
    assertThat(((Node.ScalarNode) o.get("e")).tag()).isEqualTo("!Custom");
  }

  @Test
  void read_cloudFormationShortForm_readAsTheLongForm() {
    ReadResult r = yaml("a: !Ref Key\nb: !Join ['', [x, !GetAtt R.Arn]]\n");
    assertThat(r.problems()).isEmpty();
    Node.ObjectNode o = (Node.ObjectNode) r.root();
    Node.ObjectNode ref = (Node.ObjectNode) o.get("a");
    assertThat(ref.fields()).extracting(Node.Field::key).containsExactly("Ref");
    assertThat(((Node.ScalarNode) ref.get("Ref")).text()).isEqualTo("Key");
    assertThat(((Node.ScalarNode) ref.get("Ref")).tag()).isNull();
    Node.ObjectNode join = (Node.ObjectNode) o.get("b");
    assertThat(join.fields()).extracting(Node.Field::key).containsExactly("Fn::Join");
    Node.ArrayNode args = (Node.ArrayNode) join.get("Fn::Join");
    Node.ObjectNode getAtt = (Node.ObjectNode) ((Node.ArrayNode) args.items().get(1)).items().get(1);
    assertThat(((Node.ScalarNode) getAtt.get("Fn::GetAtt")).text()).isEqualTo("R.Arn");
    assertThat(getAtt.source().line()).isEqualTo(2);
    assertThat(getAtt.source().column()).isEqualTo(19);
  }

  @Test
  void read_yamlAliases_resolvedToTheAnchoredValue() {
    ReadResult r = yaml("base: &admins [arn:aws:iam::111122223333:role/A, arn:aws:iam::111122223333:role/B]\n"
        + "copy: *admins\nname: &n alice\nagain: *n\n");
    assertThat(r.problems()).isEmpty();
    Node.ObjectNode o = (Node.ObjectNode) r.root();
    assertThat(o.get("copy")).isSameAs(o.get("base"));
    assertThat(((Node.ScalarNode) o.get("again")).text()).isEqualTo("alice");
  }

  @Test
  void read_yamlMergeKey_addsKeysNotSetLocally() {
    ReadResult r = yaml("defaults: &d {Effect: Allow, Resource: '*'}\nstatement:\n  <<: *d\n  Effect: Deny\n");
    assertThat(r.problems()).isEmpty();
    Node.ObjectNode s = (Node.ObjectNode) ((Node.ObjectNode) r.root()).get("statement");
    assertThat(((Node.ScalarNode) s.get("Effect")).text()).isEqualTo("Deny");
    assertThat(((Node.ScalarNode) s.get("Resource")).text()).isEqualTo("*");
    assertThat(s.fields()).extracting(Node.Field::key).containsExactly("Effect", "Resource");
  }

  @Test
  void read_yamlUnknownAlias_refused() {
    ReadResult r = yaml("a: 1\nb: *nothing\n");
    assertThat(r.root()).isNull();
    assertThat(r.problems()).extracting(DocumentReaderTest::where).containsExactly("2:4 syntax.unknown-alias");
  }

  @Test
  void read_yamlAliasBomb_refusedWithoutExpanding() {
    StringBuilder b = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      b.append("a").append(i).append(": &a").append(i).append(" [");
      for (int k = 0; k < 10; k++) {
        b.append(k > 0 ? ", " : "").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    ReadResult r = yaml(b.toString());
    assertThat(r.root()).isNull();
    assertThat(r.problems()).extracting(Problem::code).containsExactly("syntax.alias-expansion");
  }

  @Test
  void read_yamlSyntaxError_locatedAtTheProblem() {
    ReadResult r = yaml("Statement:\n  - Effect: Allow\n    Action: x\n   Resource: y\n");
    assertThat(r.problems()).extracting(DocumentReaderTest::where).containsExactly("4:4 syntax.invalid");
    assertThat(r.problems().get(0).message()).startsWith("invalid YAML: expected <block end>")
        .contains("line 2, column 3");
    ReadResult ctrl = yaml("a: b\nc: \"d\u0001\"\n");
    assertThat(ctrl.problems()).extracting(DocumentReaderTest::where).containsExactly("2:6 syntax.invalid");
    assertThat(ctrl.problems().get(0).message()).contains("U+0001");
    ReadResult tab = yaml("a:\n\t- b\n");
    assertThat(tab.problems()).extracting(DocumentReaderTest::where).containsExactly("2:1 syntax.invalid");
  }

  @Test
  void read_utf8ByteOrderMark_accepted() {
    ReadResult r = reader.read("\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_8), "d.json", DocumentFormat.JSON);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void read_overTheSizeLimit_refused() {
    DocumentReader small = DocumentReader.withMaxBytes(10);
    ReadResult r = small.read("{\"a\": \"0123456789\"}".getBytes(StandardCharsets.UTF_8), "d.json",
        DocumentFormat.JSON);
    assertThat(r.root()).isNull();
    assertThat(r.problems()).extracting(Problem::code).containsExactly("io.too-large");
  }

  @Test
  void read_hugeNumber_refusedAsOverALimit() {
    ReadResult r = json("{\"a\": " + "9".repeat(5000) + "}");
    assertThat(r.problems()).extracting(Problem::code).containsExactly("syntax.limit");
    assertThat(r.problems().get(0).message()).doesNotContain("StreamReadConstraints");
    assertThat(r.problems().get(0).where().line()).isEqualTo(1);
  }
}
