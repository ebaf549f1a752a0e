package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

  @Test
  void serve_brokenWorld_exits2WithoutStarting(@TempDir Path dir) throws Exception {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, "keys: 5\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"serve", "--world", world.toString(), "--store", dir.resolve("s").toString(),
        "--port", "0"}, new PrintWriter(out), new PrintWriter(err));
    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(out.toString()).doesNotContain("listening");
    assertThat(err.toString()).contains("world.yaml");
  }

  @Test
  void serve_anyCredentialsNotAnArn_exits2(@TempDir Path dir) throws Exception {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, "accounts: []\n");
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"serve", "--world", world.toString(), "--any-credentials-as", "admin"},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--any-credentials-as needs a principal ARN");
  }

  @Test
  void serve_unsupportedJdbcUrl_exits2(@TempDir Path dir) throws Exception {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, "accounts: []\n");
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"serve", "--world", world.toString(), "--store", "jdbc:mysql://x/y"},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("only jdbc:postgresql: URLs");
  }

  @Test
  void redact_hidesThePassword() {
    assertThat(ServeCommand.redact("jdbc:postgresql://h/db?user=u&password=s3cr3t&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=****&ssl=true");
  }
}
