package dev.keyward.cli;

import dev.keyward.policytest.FileResult;
import dev.keyward.policytest.JUnitXml;
import dev.keyward.policytest.PolicyTestRunner;
import dev.keyward.policytest.TestReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyward test FILE...}: runs policy-test files and maps their results to an exit code. */
@Command(
    name = "test",
    sortOptions = false,
    usageHelpAutoWidth = true,
    mixinStandardHelpOptions = true,
    header = "Runs policy tests: what must and must not be possible in a world.",
    description = {
        "Runs policy-test files (*.kwtest; folders are searched for them). A file names its world, then"
            + " holds named tests of expectations:",
        "",
        "  world \"world.yaml\"",
        "  test \"reporting reads orders\" {",
        "    expect allow Reporting kms:Decrypt alias/orders",
        "        with context {\"kms:EncryptionContext:table\": \"orders\"}",
        "    expect deny Intern kms:Decrypt alias/orders",
        "    expect explicit-deny Reporting kms:ScheduleKeyDeletion alias/orders",
        "    expect only [OrdersService, Reporting] can kms:Decrypt alias/orders",
        "    expect nobody outside organization o-exampleorg1",
        "        can kms:Decrypt alias/orders",
        "    expect check rotation clean",
        "  }",
        "",
        "Prints a line per test, what failed and why, then `N passed, N failed`. See docs/policy-tests.md.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward test examples/maven-project/src/test/policies",
        "  keyward test --junit target/policy-tests.xml src/test/policies",
        "",
        "Exit codes: 0 every test passed, 1 a test failed, 2 bad input (a syntax",
        "error, a world that does not load, a name that does not resolve), with",
        "file:line:column."
    })
final class TestCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "test files, or folders holding *.kwtest files")
  List<Path> paths = new ArrayList<>();

  @CommandLine.Mixin TemplateOptions templateOptions = new TemplateOptions();

  @Option(names = "--junit", paramLabel = "FILE", description = "also write a JUnit XML report to this file")
  Path junit;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files;
    try {
      files = PolicyTestRunner.select(paths);
    } catch (IllegalArgumentException e) {
      err.println("keyward: " + e.getMessage());
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    if (files.isEmpty()) {
      err.println("keyward: no *" + PolicyTestRunner.EXTENSION + " file in " + paths);
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    List<FileResult> results = PolicyTestRunner.create(templateOptions.inputs(spec.commandLine()))
        .run(files, Path.of(""));
    for (FileResult r : results) {
      // Problems (file:line:column: error: ...) go to standard error, like every command's bad input.
      r.problems().forEach(p -> err.println(p.display()));
      err.flush();
      TestReport.testLines(r).forEach(out::println);
    }
    out.println(TestReport.summary(results));
    out.flush();
    if (junit != null) {
      Path parent = junit.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(junit, JUnitXml.render(results), StandardCharsets.UTF_8);
    }
    if (results.stream().anyMatch(FileResult::badInput)) {
      return ExitCode.BAD_INPUT;
    }
    return results.stream().anyMatch(r -> r.failed() > 0) ? ExitCode.FINDINGS : ExitCode.OK;
  }
}
