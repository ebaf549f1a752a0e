package dev.keyward.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyward snapshot} without credentials refuses quickly and clearly: it names every source it tried
 * and what to do, exits 2 and writes nothing, even when the EC2 instance metadata service accepts the
 * connection and never answers (as a black-holed address would). Runs the CLI as a process with an
 * environment of its own (no AWS variables, a home without ~/.aws).
 */
class SnapshotCredentialsTest {

  @TempDir Path tmp;

  private ServerSocket silent;
  private final List<Socket> held = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    if (silent != null) {
      silent.close();
    }
    for (Socket s : held) {
      s.close();
    }
  }

  record Run(int code, String err, long millis) {}

  private Run snapshot(Map<String, String> env, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    for (String e : extra) {
      if (e.startsWith("-D")) {
        cmd.add(e);
      }
    }
    cmd.addAll(List.of("dev.keyward.cli.Main", "snapshot", "--region", "us-east-1", "--endpoint-url",
        "http://127.0.0.1:9", "--out", tmp.resolve("out").toString()));
    for (String e : extra) {
      if (!e.startsWith("-D")) {
        cmd.add(e);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    Files.createDirectories(tmp.resolve("home"));
    pb.environment().put("HOME", tmp.resolve("home").toString());
    pb.environment().putAll(env);
    long t = System.nanoTime();
    Process p = pb.start();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the snapshot must not hang").isTrue();
    return new Run(p.exitValue(), new String(err, StandardCharsets.UTF_8), (System.nanoTime() - t) / 1_000_000);
  }

  /** A metadata service that takes the connection and never answers. */
  private String silentImds() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try {
        while (true) {
          held.add(silent.accept());
        }
      } catch (IOException closed) {
        // the test is over
      }
    });
    t.setDaemon(true);
    t.start();
    return "-Daws.ec2MetadataServiceEndpoint=http://127.0.0.1:" + silent.getLocalPort();
  }

  @Test
  void noCredentials_silentMetadataService_refusesWithinSeconds_namingEverySourceTried() throws Exception {
    Run r = snapshot(Map.of(), silentImds());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("keyward: no AWS credentials found; tried, in order:")
        .contains("the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: not set")
        .contains("profile `default` of the shared credentials and config files")
        .contains("the EC2 instance metadata service: ").contains("not on EC2, or no role attached")
        .contains("Name a profile with --profile")
        .doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.millis()).as("refused quickly").isLessThan(30_000);
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void noCredentials_metadataServiceDisabled_refusesAtOnce() throws Exception {
    Run r = snapshot(Map.of("AWS_EC2_METADATA_DISABLED", "true"));
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("no AWS credentials found")
        .contains("the EC2 instance metadata service: not asked (AWS_EC2_METADATA_DISABLED is true)")
        .contains("a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN): not set");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void unknownProfile_isRefusedByName() throws Exception {
    Run r = snapshot(Map.of("AWS_EC2_METADATA_DISABLED", "true"), "--profile", "nosuch");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("the profile `nosuch` gives no credentials")
        .contains("aws configure --profile nosuch");
    assertThat(tmp.resolve("out")).doesNotExist();
  }
}
