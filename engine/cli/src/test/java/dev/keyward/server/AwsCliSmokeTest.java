package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs engine/cli/src/test/cli/aws-cli-smoke.sh (the AWS CLI against keyward serve) when `aws` is on PATH. */
class AwsCliSmokeTest {

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

  @Test
  void awsCli_createEncryptDecryptDeniedRotateDecryptOld() throws Exception {
    Assumptions.assumeTrue(onPath("aws"), "the AWS CLI (`aws`) is not on PATH: aws-cli-smoke.sh is skipped"
        + " (CI installs it: apt-get install -y awscli)");
    Path script = Path.of("src/test/cli/aws-cli-smoke.sh");
    assertThat(script).exists();
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("KEYWARD_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("WORLD", TestServer.worldFile().toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("aws-cli-smoke: ok").contains("AccessDeniedException");
  }
}
