package dev.keyward.maven;

import dev.keyward.policytest.FileResult;
import dev.keyward.policytest.JUnitXml;
import dev.keyward.policytest.PolicyTestRunner;
import dev.keyward.policytest.TestReport;
import dev.keyward.policytest.TestResult;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Runs the project's policy tests ({@code *.kwtest} files: a world and named expectations such as
 * {@code expect allow App kms:Decrypt alias/data}) and fails the build when one fails. Writes a JUnit XML
 * report, {@code TEST-keyward-policy-tests.xml}, to {@code outputDirectory}. A thin layer over
 * {@link PolicyTestRunner}: the same runner as {@code keyward test}.
 */
@Mojo(name = "test", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = true)
public final class TestMojo extends AbstractMojo {

  /** The name of the JUnit XML report in {@code outputDirectory}. */
  static final String JUNIT_FILE = "TEST-keyward-policy-tests.xml";

  /** Folders searched recursively for {@code *.kwtest} files. */
  @Parameter(property = "keyward.testDirectories", defaultValue = "${project.basedir}/src/test/policies")
  private File[] testDirectories;

  /** Where the JUnit XML report goes. */
  @Parameter(property = "keyward.outputDirectory", defaultValue = "${project.build.directory}/keyward")
  private File outputDirectory;

  /** Skip Keyward's goals. */
  @Parameter(property = "keyward.skip", defaultValue = "false")
  private boolean skip;

  /** Skip the policy tests, like every other test of the build ({@code -DskipTests}). */
  @Parameter(property = "skipTests", defaultValue = "false")
  private boolean skipTests;

  @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
  private File basedir;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Log log = getLog();
    if (skip || skipTests) {
      log.info("keyward: policy tests skipped (" + (skip ? "keyward.skip" : "skipTests") + ")");
      return;
    }
    List<Path> dirs = new ArrayList<>();
    for (File d : testDirectories == null ? new File[0] : testDirectories) {
      if (d.exists()) {
        dirs.add(d.toPath());
      } else {
        log.info("keyward: no policy test folder " + d + "; no tests there");
      }
    }
    if (dirs.isEmpty()) {
      return;
    }
    List<Path> files;
    try {
      files = PolicyTestRunner.select(dirs);
    } catch (IOException e) {
      throw new MojoExecutionException("keyward: cannot read the policy tests: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      log.info("keyward: no *" + PolicyTestRunner.EXTENSION + " file in " + dirs);
      return;
    }
    List<FileResult> results = PolicyTestRunner.create().run(files, basedir.toPath());
    for (FileResult r : results) {
      for (String line : TestReport.lines(r)) {
        if (line.startsWith("PASS  ")) {
          log.info(line);
        } else {
          log.error(line);
        }
      }
    }
    String summary = TestReport.summary(results);
    log.info("keyward: " + summary);
    Path junit = outputDirectory.toPath().resolve(JUNIT_FILE);
    try {
      Files.createDirectories(outputDirectory.toPath());
      Files.writeString(junit, JUnitXml.render(results), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("keyward: cannot write " + junit + ": " + e.getMessage(), e);
    }
    if (results.stream().anyMatch(FileResult::badInput)) {
      throw new MojoFailureException("keyward: policy test files have errors (" + summary + "); see the log above");
    }
    long failed = results.stream().mapToLong(FileResult::failed).sum();
    if (failed > 0) {
      String names = String.join(", ", results.stream().flatMap(r -> r.tests().stream())
          .filter(t -> !t.passed()).map(TestResult::name).limit(5).toList());
      throw new MojoFailureException("keyward: " + failed + (failed == 1 ? " policy test" : " policy tests")
          + " failed (" + names + (failed > 5 ? ", ..." : "") + "): " + summary);
    }
  }
}
