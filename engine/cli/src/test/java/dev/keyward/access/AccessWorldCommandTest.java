package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyward access --world} reads the world around the key (RCPs, SCPs, VPC endpoints; AccessRealAccountsTest). */
class AccessWorldCommandTest {

  @TempDir
  Path dir;

  @Test
  void accessCommand_readsTheWorldAroundTheKey() throws IOException {
    Path f = dir.resolve("world.yaml");
    String rcps = "[{name: perimeter, document: " + AccessRealAccountsTest.RCP_PERIMETER + "}]";
    Files.writeString(f, AccessRealAccountsTest.tree(AccessRealAccountsTest.FULL, rcps) + "\n"
        + AccessRealAccountsTest.OPEN_KEY + "\n");
    AccessCommandsTest.Run r = AccessCommandsTest.run("access", "--world", f.toString(), "--key",
        AccessRealAccountsTest.KEY, "--trust-org", AccessRealAccountsTest.ORG, "--must-not", "kms:Decrypt");

    // what remains outside the organization: a service-linked role (RCPs do not restrict them)
    assertThat(r.out()).contains("role/aws-service-role/").doesNotContain("role/Example");
    assertThat(r.code()).isEqualTo(1);
  }
}
