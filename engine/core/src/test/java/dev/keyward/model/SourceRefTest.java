package dev.keyward.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourceRefTest {

  @Test
  void locationsMadeFromAParent_writeTheSamePointerAsOneWrittenWhole() {
    SourceRef root = new SourceRef("w.yaml", "", 1, 1);
    SourceRef key = SourceRef.at(SourceRef.at(root, "keys", 2, 1), "0", 3, 5);
    SourceRef escaped = SourceRef.at(key, "a/b~c", 4, 7);

    assertThat(key.pointer()).isEqualTo("/keys/0");
    assertThat(escaped.pointer()).isEqualTo("/keys/0/a~1b~0c");
    assertThat(escaped).isEqualTo(new SourceRef("w.yaml", "/keys/0/a~1b~0c", 4, 7))
        .hasSameHashCodeAs(new SourceRef("w.yaml", "/keys/0/a~1b~0c", 4, 7));
    assertThat(escaped.toString()).isEqualTo("w.yaml:4:7 (/keys/0/a~1b~0c)");
    assertThat(key.child("Statement")).isEqualTo(new SourceRef("w.yaml", "/keys/0/Statement", 3, 5));
    assertThat(escaped).isNotEqualTo(new SourceRef("w.yaml", "/keys/0/a~1b~0c", 4, 8));
  }

  @Test
  void theReader_locatesEveryValue_withItsPointerLineAndColumn() {
    String yaml = "keys:\n  - arn: k1\n    tags: {a/b: x}\n  - arn: k2\n";
    ReadResult r = DocumentReader.create().read(yaml.getBytes(StandardCharsets.UTF_8), "w.yaml",
        DocumentFormat.YAML);
    Node.ObjectNode root = (Node.ObjectNode) r.root();
    Node.ArrayNode keys = (Node.ArrayNode) root.get("keys");
    Node.ObjectNode second = (Node.ObjectNode) keys.items().get(1);
    Node tag = ((Node.ObjectNode) ((Node.ObjectNode) keys.items().get(0)).get("tags")).get("a/b");

    assertThat(root.source().pointer()).isEmpty();
    assertThat(second.get("arn").source()).isEqualTo(new SourceRef("w.yaml", "/keys/1/arn", 4, 10));
    assertThat(second.field("arn").keySource()).isEqualTo(new SourceRef("w.yaml", "/keys/1/arn", 4, 5));
    assertThat(tag.source().pointer()).isEqualTo("/keys/0/tags/a~1b");
  }
}
