package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each parsed policy keeps the text it was read from, so that no caller has to read its file again. */
class PolicySourceTextTest {

  private static final String YAML = "Version: \"2012-10-17\"\n"
      + "Statement:\n"
      + "  - Effect: Allow  # a comment survives too\n"
      + "    Action: kms:Decrypt\n"
      + "    Resource: \"*\"\n";

  private final PolicyParser parser = PolicyParser.create();

  @TempDir Path dir;

  @Test
  void aFile_keepsItsTextAsWritten() throws Exception {
    Path f = dir.resolve("p.yaml");
    Files.writeString(f, YAML, StandardCharsets.UTF_8);
    assertThat(parser.parseFile(f, "p.yaml", PolicyType.IDENTITY).policy().text()).isEqualTo(YAML);
    assertThat(parser.parse(YAML.getBytes(StandardCharsets.UTF_8), "p.yaml", PolicyType.IDENTITY).policy().text())
        .isEqualTo(YAML);
    assertThat(parser.parseString(YAML, "p.yaml", PolicyType.IDENTITY).policy().text()).isEqualTo(YAML);
  }

  @Test
  void anEmbeddedString_keepsItsOwnText_andADocumentTreeNone() {
    Node.ObjectNode world = (Node.ObjectNode) DocumentReader.create()
        .read(("document:\n" + YAML.replaceAll("(?m)^", "  ")).getBytes(StandardCharsets.UTF_8), "w.yaml",
            DocumentFormat.YAML).root();
    PolicyDocument inline = parser.parseNode(world.get("document"), "w.yaml#/document", PolicyType.IDENTITY).policy();
    assertThat(inline.statements()).hasSize(1);
    assertThat(inline.text()).isNull();

    String json = "{\"Version\": \"2012-10-17\", \"Statement\": []}";
    Node.ScalarNode embedded = new Node.ScalarNode(Node.ScalarType.STRING, json, null,
        new dev.keyward.model.SourceRef("snap.json", "/Policy", 1, 1));
    assertThat(parser.parseNode(embedded, "snap.json#/Policy", PolicyType.KEY_POLICY).policy().text())
        .isEqualTo(json);
  }

  @Test
  void renaming_keepsTheText_andABuiltDocumentHasNone() {
    PolicyDocument p = parser.parseString(YAML, "p.yaml", PolicyType.IDENTITY).policy();
    assertThat(p.withName("other").text()).isEqualTo(YAML);
    PolicyDocument built = new PolicyDocument("built", PolicyType.IDENTITY, PolicyDocument.VERSION_2012, null,
        List.of(), p.source());
    assertThat(built.text()).isNull();
  }
}
