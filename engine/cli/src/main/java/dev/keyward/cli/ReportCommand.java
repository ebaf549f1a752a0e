package dev.keyward.cli;

import dev.keyward.build.LintJob;
import dev.keyward.iam.IamReference;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.PolicyContainer;
import dev.keyward.lint.WorldPolicies;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.visual.HtmlReport;
import dev.keyward.visual.ReportInput;
import dev.keyward.visual.Reports;
import dev.keyward.visual.Tasks;
import dev.keyward.world.World;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyward report}: one self-contained HTML page about a world. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Writes one self-contained HTML page: access graph, principal x key matrix, findings, keys.",
    description = {
        "Writes an HTML page about a world (a world file, CloudFormation template or Terraform plan): a summary,"
            + " the access graph (accounts holding principals and keys, a link for each principal that can use,"
            + " grant or administer a key, dashed when only under conditions, thick across accounts), a matrix"
            + " of principals and keys with the deciding statements, the findings of `check` and of `lint` with"
            + " their fixes, and for each key its policy (statements that let other accounts in highlighted),"
            + " grants, rotation and multi-Region role.",
        "",
        "The page needs no network: styles, scripts and the graph are inside it, so it opens from file:// and"
            + " prints. Worlds of more than " + HtmlReport.MAX_FULL_PRINCIPALS + " principals or "
            + HtmlReport.MAX_FULL_KEYS + " keys get a graph of accounts and a filterable list instead.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward report --world examples/cross-account-decrypt/world.yaml --out report.html",
        "  keyward report --world world.yaml --template stack.json --out target/keyward.html",
        "",
        "Exit codes: 0 written, 2 bad input or usage (nothing is written)."
    })
final class ReportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin WorldInput worldInput = new WorldInput();

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
      description = "The HTML file to write (its folder is created).")
  String out;

  @Option(names = "--no-lint", description = "Leave lint findings out of the page.")
  boolean noLint;

  @Override
  public Integer call() throws IOException {
    worldInput.requireInput(spec.commandLine());
    PrintWriter err = spec.commandLine().getErr();
    // the rules (and the IAM reference the analyses read) load on another core while the world is read
    CompletableFuture<LintJob.Rules> loadingRules =
        Tasks.start("rules", () -> {
          IamReference.bundled();
          return LintJob.loadRules(List.of());
        });
    World w = worldInput.load(spec.commandLine(), err);
    if (w == null) {
      return ExitCode.BAD_INPUT;
    }
    List<String> files = new ArrayList<>(worldInput.worlds);
    files.addAll(worldInput.templates);
    // NOTE: lint reads a world file as the command has just read and loaded it (same name, same file), not
    // a second time; any other file (templates, plans, snapshots, a name lint shows differently) it reads
    Map<String, PolicyContainer.Contents> read = new HashMap<>();
    worldInput.loadedFiles.forEach((option, loaded) -> {
      String shown = option.replace('\\', '/');
      if (!loaded.template() && loaded.root() != null) {
        PolicyContainer.Contents c = WorldPolicies.loaded(loaded.root(),
            loaded.result(), shown);
        if (c != null) {
          read.put(shown, c);
        }
      }
    });
    LintJob.Rules rules = loadingRules.join();
    // lint runs beside the report's analyses: they share nothing
    CompletableFuture<LintJob.Result> lint = noLint ? null
        : Tasks.start("lint", () -> {
          List<Path> paths = new ArrayList<>();
          for (String f : files) {
            paths.add(Path.of(f));
          }
          try {
            return LintJob.run(new LintJob.Options(Path.of(""), paths, List.of(), List.of(), PolicyType.UNKNOWN,
                List.of(), null, null), read::get, rules);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    String title = String.join(", ", files).replace('\\', '/');
    ReportInput input = Reports.forWorld(title, w, null, rules.rules());
    LintReport lintReport = null;
    if (lint != null) {
      LintJob.Result r;
      try {
        r = lint.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        throw e;
      }
      for (Problem p : r.problems()) {
        err.println(p.display());
      }
      lintReport = r.report();
    }
    String html = HtmlReport.write(new ReportInput(input.title(), input.world(), input.graph(),
        input.check(), input.externalAccess(), lintReport, input.rules(), input.iamDataDate()));
    Path target = Path.of(out);
    if (target.toAbsolutePath().getParent() != null) {
      Files.createDirectories(target.toAbsolutePath().getParent());
    }
    Files.writeString(target, html, StandardCharsets.UTF_8);
    if (Terminal.stderrIsTerminal()) {
      err.println("keyward: wrote " + out);
    }
    err.flush();
    return ExitCode.OK;
  }
}
