package dev.keyward.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The least-privilege policy that docs/snapshot.md gives for `keyward snapshot`. */
class SnapshotPolicyTest {

  static final Path POLICY = Path.of("../../examples/snapshot/snapshot-policy.json");

  @Test
  void snapshotPolicy_lintsClean_evenAtNoteLevel() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"lint", "--fail-on", "note", POLICY.toString()}, new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertThat(code).as(out + "" + err).isZero();
    assertThat(out.toString()).contains("0 errors, 0 warnings, 0 notes");
  }

  @Test
  void snapshotPolicy_isTheOneInTheDocs_andAllowsOnlyReadCalls() throws Exception {
    String policy = Files.readString(POLICY);
    assertThat(Files.readString(Path.of("../../docs/snapshot.md"))).contains(policy.strip());
    for (String action : policy.split("\"")) {
      if (action.matches("[a-z0-9]+:[A-Za-z]+")) {
        assertThat(action.substring(action.indexOf(':') + 1)).as(action).matches("(Get|List|Describe).*");
      }
    }
  }
}
