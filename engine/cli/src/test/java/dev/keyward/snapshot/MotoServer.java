package dev.keyward.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A {@code moto_server} (the AWS emulator moto, from this machine's Python) on a free loopback port, for
 * the tests of {@code keyward snapshot}; seeded by {@code seed_moto.py} with boto3. Skips the calling test
 * when moto is not installed ({@code .ci/run} installs it).
 */
final class MotoServer implements AutoCloseable {

  static final String MANAGEMENT_KEY = "AKIAIOSFODNN7EXAMPLE";

  private final Process process;
  final URI endpoint;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  /** Starts moto_server; skips the test when it or boto3 is missing. */
  static MotoServer start(Path logDir) throws Exception {
    Assumptions.assumeTrue(onPath("moto_server"), "moto_server is not on PATH: the snapshot tests against the"
        + " AWS emulator are skipped (CI installs it: pip install 'moto[server]==5.2.*' boto3)");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = logDir.resolve("moto.log");
    Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("moto_server did not start: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
    return new MotoServer(p, URI.create("http://127.0.0.1:" + port));
  }

  /** Runs seed_moto.py against this server and returns what it made. */
  JsonNode seed() throws Exception {
    Path script = Path.of("src/test/resources/snapshot/seed_moto.py");
    Process p = new ProcessBuilder("python3", script.toString(), endpoint.toString()).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    Assumptions.assumeFalse(p.exitValue() != 0 && err.contains("No module named 'boto3'"),
        "boto3 is not installed: the snapshot tests against moto are skipped");
    assertThat(p.exitValue()).as(err).isZero();
    return new ObjectMapper().readTree(out);
  }

  /**
   * A shared-credentials file with a profile per account: {@code management} with moto's default keys, and
   * one named after each other account with credentials from sts:AssumeRole into it (moto gives such
   * credentials the role's account).
   */
  Path credentials(Path dir, java.util.Map<String, String> accounts) throws IOException {
    StringBuilder b = new StringBuilder("[management]\naws_access_key_id = " + MANAGEMENT_KEY
        + "\naws_secret_access_key = secret\n");
    try (StsClient sts = StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MANAGEMENT_KEY, "secret")))
        .build()) {
      for (var e : accounts.entrySet()) {
        Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + e.getValue()
            + ":role/OrganizationAccountAccessRole").roleSessionName("snapshot")).credentials();
        b.append('[').append(e.getKey()).append("]\naws_access_key_id = ").append(c.accessKeyId())
            .append("\naws_secret_access_key = ").append(c.secretAccessKey())
            .append("\naws_session_token = ").append(c.sessionToken()).append('\n');
      }
    }
    Path file = dir.resolve("credentials");
    Files.writeString(file, b.toString());
    return file;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
