package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed-node reader the world, rule, configuration and template readers share. */
class NodeReaderTest {

  private static Node.ObjectNode yaml(String text) {
    return (Node.ObjectNode) DocumentReader.create().read(text.getBytes(StandardCharsets.UTF_8), "f.yaml",
        DocumentFormat.YAML).root();
  }

  private static List<String> shown(List<Problem> problems) {
    return problems.stream().map(p -> p.code() + " " + p.where().line() + ":" + p.where().column() + " " + p.message())
        .toList();
  }

  @Test
  void wrongTypes_areReportedWhereWritten_withOrWithoutTheTypeFound() {
    Node.ObjectNode o = yaml("name: 12\nlist: text\nflag: yes please\nsize: 1.5\ntags: [a]\n");
    NodeReader world = new NodeReader("world", true, new ArrayList<>());
    assertThat(world.string(o.get("name"), "name")).isNull();
    assertThat(world.items(o.get("list"), "list")).isEmpty();
    assertThat(world.bool(o.get("flag"), "flag")).isNull();
    assertThat(world.integer(o.get("size"), "size")).isNull();
    assertThat(world.object(o.get("tags"), "`tags`", "an object")).isNull();
    assertThat(shown(world.problems())).containsExactly(
        "world.wrong-type 1:7 `name` must be a string, not number",
        "world.wrong-type 2:7 `list` must be a list, not string",
        "world.wrong-type 3:7 `flag` must be true or false, not string",
        "world.wrong-type 4:7 `size` must be a whole number, not `1.5`",
        "world.wrong-type 5:7 `tags` must be an object, not array");

    NodeReader rules = new NodeReader("rules", false, new ArrayList<>());
    assertThat(rules.text(o.get("name"), "name")).isEqualTo("12");
    assertThat(rules.text(o.get("tags"), "tags")).isNull();
    assertThat(shown(rules.problems())).containsExactly("rules.wrong-type 5:7 `tags` must be a string");
  }

  @Test
  void anExplicitNull_isAnEmptyListForItems_andAWrongTypeForList() {
    Node.ObjectNode o = yaml("a: null\nb: [x, y]\n");
    NodeReader r = new NodeReader("config", false, new ArrayList<>());
    assertThat(r.items(o.get("a"), "`a`", "a list")).isEmpty();
    assertThat(r.items(o.get("missing"), "missing")).isEmpty();
    assertThat(r.list(o.get("missing"), "`missing`", "a list")).isEmpty();
    assertThat(r.list(o.get("b"), "`b`", "a list")).hasSize(2);
    assertThat(r.problems()).isEmpty();
    assertThat(r.list(o.get("a"), "`a`", "a list")).isEmpty();
    assertThat(shown(r.problems())).containsExactly("config.wrong-type 1:4 `a` must be a list");
  }

  @Test
  void unknownFields_areReportedAtTheirKeys_inTheDocumentsOwnWords() {
    Node.ObjectNode o = yaml("rule: KW1\nresaon: typo\n");
    NodeReader r = new NodeReader("config", false, new ArrayList<>());
    r.unknownFields(o, Set.of("rule", "reason"), key -> "unknown field `" + key + "`");
    r.missing("a suppression needs a `reason`", o.source());
    assertThat(shown(r.problems())).containsExactly("config.unknown-field 2:1 unknown field `resaon`",
        "config.missing-field 1:1 a suppression needs a `reason`");
  }

  @Test
  void theQuietReaders_reportNothing() {
    Node.ObjectNode o = yaml("s: text\nn: null\nl: [1]\n");
    assertThat(NodeReader.asObject(o.get("s"))).isNull();
    assertThat(NodeReader.asObject(o)).isSameAs(o);
    assertThat(NodeReader.asItems(o.get("l"))).hasSize(1);
    assertThat(NodeReader.asItems(o.get("s"))).isEmpty();
    assertThat(NodeReader.scalarText(NodeReader.asItems(o.get("l")).get(0))).isEqualTo("1");
    assertThat(NodeReader.scalarText(o.get("n"))).isNull();
    assertThat(NodeReader.isNull(o.get("n"))).isTrue();
    assertThat(NodeReader.isString(o.get("s"))).isTrue();
  }
}
