package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCommandTest {

  private static final String DIR = "../core/src/test/resources/policytest/";
  // files outside the working directory are shown by their absolute path
  private static final String SHOWN = java.nio.file.Path.of(DIR).toAbsolutePath().normalize() + "/";

  @Test
  void test_allPass_exits0WithSummary() {
    CliRun r = CliRun.of("test", DIR + "passing.kwtest");
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).contains("PASS  " + SHOWN + "passing.kwtest:3  decisions").endsWith("2 passed, 0 failed\n");
  }

  @Test
  void test_aFailure_exits1AndWritesJUnit(@TempDir Path tmp) throws Exception {
    Path xml = tmp.resolve("reports/junit.xml");
    CliRun r = CliRun.of("test", "--junit", xml.toString(), DIR);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL  " + SHOWN + "failing.kwtest:15  wrong decisions")
        .endsWith("3 passed, 3 failed\n");
    assertThat(Files.readString(xml)).contains("<testsuite name=\"" + SHOWN + "failing.kwtest\" tests=\"4\" failures=\"3\"");
  }

  @Test
  void test_syntaxError_exits2WithLineAndColumn(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.kwtest");
    Files.writeString(f, "world \"w.yaml\"\ntest \"t\" {\n  expect allow a b\n}\n");
    CliRun r = CliRun.of("test", f.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("bad.kwtest:4:1: error: ").contains("[test.syntax]");
    assertThat(r.out()).isEqualTo("0 passed, 0 failed, 1 file with errors\n");
  }

  @Test
  void test_missingPath_exits2() {
    assertThat(CliRun.of("test", "no/such/dir").exitCode()).isEqualTo(2);
  }
}
