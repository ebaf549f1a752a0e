package dev.keyward.cli;

import dev.keyward.build.LintJob;
import dev.keyward.lint.Baseline;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.LintRun;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.report.TextReport;
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

/** {@code keyward lint PATH...}: maps options to a {@link LintRun} and its report to an exit code. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Lints IAM and KMS policy files and folders (*.json, *.yaml, *.yml).",
        "",
        "In folders, files that do not mention `Statement` are skipped as not policies; files named on the "
            + "command line are always linted. A policy that does not parse is a finding, not an error of the "
            + "command."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  nothing at or above --fail-on",
        "  1  findings at or above --fail-on",
        "  2  bad usage: unknown option, missing path, unreadable rules, configuration or baseline",
        "  3  internal error, or a built-in rule failed on some input (please report it)",
        "",
        "Examples:",
        "  keyward lint policies/",
        "  keyward lint --type key-policy --format sarif --output keyward.sarif keys/",
        "  keyward lint --write-baseline .keyward-baseline.json policies/"
    })
final class LintCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "policy files and folders")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--type", paramLabel = "TYPE", description = "lint every file as this policy type: key-policy, "
      + "identity-policy, resource-policy, trust-policy, scp or rcp (default: inferred per file)")
  String type;

  @CommandLine.Mixin FormatOption format = new FormatOption("text (default), json, sarif or html", Format.text,
      lintFormats());

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the report here instead of standard output")
  Path output;

  @CommandLine.Mixin FailOnOption failOn = new FailOnOption();

  @Option(names = "--rules", paramLabel = "DIR", description = "add the rule files of this folder (repeatable)")
  List<Path> ruleDirs = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "suppressions file (default: .keyward.yaml in the "
      + "current folder, if there is one)")
  Path config;

  @Option(names = "--baseline", paramLabel = "FILE", description = "hide the findings recorded in this baseline")
  Path baseline;

  @Option(names = "--write-baseline", paramLabel = "FILE", description = "record every current finding in this "
      + "baseline file and exit 0")
  Path writeBaseline;

  @Option(names = "--no-color", description = "never colour the text report (also: the NO_COLOR variable)")
  boolean noColor;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    PolicyType policyType = PolicyType.UNKNOWN;
    if (type != null) {
      policyType = PolicyType.fromLabel(type);
      if (policyType == null || policyType == PolicyType.UNKNOWN) {
        err.println("keyward: unknown policy type `" + type + "`; use key-policy, identity-policy, "
            + "resource-policy, trust-policy, scp or rcp");
        return ExitCode.BAD_INPUT;
      }
    }
    Path cwd = Path.of("").toAbsolutePath();
    Path cfg = config != null ? config : LintJob.defaultSuppressions(cwd);
    LintJob.Setup setup = LintJob.prepare(cwd, policyType, ruleDirs, cfg, baseline);
    if (!report(setup.problems(), err) || setup.run() == null) {
      return ExitCode.BAD_INPUT;
    }
    LintRun run = setup.run();
    LintRun.Selection selection;
    try {
      selection = run.select(paths);
    } catch (IllegalArgumentException e) {
      err.println("keyward: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    boolean terminal = System.console() != null;
    int total = selection.files().size();
    LintReport report = run.run(selection, n -> {
      // Progress only on a terminal, and only when there are many files.
      if (terminal && total >= 1000 && (n % 250 == 0 || n == total)) {
        err.print("\rlinted " + n + "/" + total + " files" + (n == total ? "\n" : ""));
        err.flush();
      }
    });
    if (writeBaseline != null) {
      List<dev.keyward.lint.Finding> all = new ArrayList<>(report.findings());
      report.suppressed().forEach(s -> all.add(s.finding()));
      Files.writeString(writeBaseline, Baseline.write(all), StandardCharsets.UTF_8);
      err.println("keyward: wrote " + all.size() + " finding" + (all.size() == 1 ? "" : "s") + " to baseline `"
          + writeBaseline + "`");
      return ExitCode.OK;
    }
    String text;
    if (format.is(Format.text)) {
      boolean colour = output == null && terminal && !noColor && System.getenv("NO_COLOR") == null;
      text = TextReport.render(report, colour);
    } else {
      text = LintJob.render(report, LintJob.Format.named(format.get().name()), VersionProvider.version(), cwd);
    }
    if (output != null) {
      Files.writeString(output, text, StandardCharsets.UTF_8);
      if (!format.is(Format.text)) {
        err.println(TextReport.summary(report));
      }
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    }
    if (!report.ruleFailures().isEmpty()) {
      for (String f : report.ruleFailures()) {
        err.println("keyward: " + f);
      }
      return ExitCode.INTERNAL;
    }
    return report.fails(failOn.threshold()) ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /** The formats of {@link LintJob}, the same as the Maven plugin writes. */
  private static Format[] lintFormats() {
    return java.util.Arrays.stream(LintJob.Format.values()).map(f -> Format.valueOf(f.name().toLowerCase(
        java.util.Locale.ROOT))).toArray(Format[]::new);
  }

  /** Prints problems; false when one is an error. */
  static boolean report(List<Problem> problems, PrintWriter err) {
    boolean ok = true;
    for (Problem p : problems) {
      err.println(p.display());
      ok &= !p.isError();
    }
    return ok;
  }
}
