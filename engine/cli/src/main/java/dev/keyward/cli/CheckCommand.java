package dev.keyward.cli;

import dev.keyward.analysis.CheckResult;
import dev.keyward.analysis.Checker;
import dev.keyward.analysis.Finding;
import dev.keyward.analysis.MissingRequest;
import dev.keyward.model.Severity;
import dev.keyward.parse.JsonOut;
import dev.keyward.world.World;
import dev.keyward.world.WorldGap;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code keyward check}: runs the environment analyses over a world and prints the findings, each with
 * the refused requests, the policy to change and the fix.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Checks a whole environment: cross-account use, S3 replication, AMI sharing, multi-Region keys and"
            + " rotation.",
        "",
        "The analyses: keys usable from other accounts (cross-account), S3 replication of encrypted objects"
            + " (s3-replication), encrypted AMI sharing (ami-sharing), multi-Region keys (multi-region) and key"
            + " rotation (rotation). Each asks the engine the requests that AWS services really make; every"
            + " finding names the refused request, the policy that must change and a statement that would fix"
            + " it.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward check --world examples/s3-replication-cross-account/world.yaml",
        "  keyward check --world world.yaml --only s3-replication --only ami-sharing",
        "  keyward check --world world.yaml --format json --fail-on warning",
        "  keyward check --world world.yaml --format mermaid > check.mmd",
        "",
        "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 bad input or usage."
    })
final class CheckCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin WorldInput worldInput = new WorldInput();

  @Option(names = "--only", paramLabel = "ANALYSIS",
      description = "Run only this analysis (repeatable): cross-account, s3-replication, ami-sharing,"
          + " multi-region, rotation. Default: all.")
  List<String> only = new ArrayList<>();

  @CommandLine.Mixin FormatOption format = new FormatOption("Output format: text (for people, the default), json,"
      + " dot (Graphviz: each refused request as a link) or mermaid.", Format.text, Format.text, Format.json,
      Format.dot, Format.mermaid);

  @CommandLine.Mixin FailOnOption failOn = new FailOnOption();

  @Override
  public Integer call() {
    worldInput.requireInput(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (String a : only) {
      if (!Checker.ANALYSES.contains(a)) {
        err.println("keyward: unknown analysis `" + a + "`; expected one of " + String.join(", ", Checker.ANALYSES));
        err.flush();
        return ExitCode.BAD_INPUT;
      }
    }
    World w = worldInput.load(spec.commandLine(), err);
    if (w == null) {
      return ExitCode.BAD_INPUT;
    }
    CheckResult result = Checker.create().check(w, only.isEmpty() ? Checker.ANALYSES : only);
    if (format.get() == Format.dot) {
      out.print(dev.keyward.visual.Dot.write(dev.keyward.visual.Graphs.check(result)));
    } else if (format.get() == Format.mermaid) {
      out.print(dev.keyward.visual.Mermaid.write(dev.keyward.visual.Graphs.check(result)));
    } else {
      java.util.function.Function<Finding, List<WorldGap>> gaps = gapsOf(w);
      out.print(format.get() == Format.json ? json(result, gaps, w.coverage().gaps()) : text(result, gaps));
    }
    SnapshotGapNotes.print(w.coverage().gaps(), "findings that depend on them may be missing or wrong", err);
    out.flush();
    Severity threshold = failOn.threshold();
    return threshold != null && result.hasAtLeast(threshold) ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /**
   * What the world's snapshots could not read that a finding depends on: what is missing about each refused
   * request's principal and key, and about the key the finding is about.
   */
  private static java.util.function.Function<Finding, List<WorldGap>> gapsOf(World w) {
    if (!w.coverage().fromSnapshots()) {
      return f -> List.of();
    }
    dev.keyward.world.WorldIndex index = dev.keyward.world.WorldIndex.create(w);
    return f -> {
      java.util.LinkedHashSet<WorldGap> out = new java.util.LinkedHashSet<>();
      for (MissingRequest m : f.missing()) {
        out.addAll(index.gaps(m.principal(), m.resource()));
      }
      if (f.subject().startsWith("arn:") && f.subject().contains(":kms:")) {
        out.addAll(index.gaps("", f.subject()));
      }
      return List.copyOf(out);
    };
  }

  /**
   * {@code {"findings":[...]}} on one line, fields in the documented order, then a newline. A finding that
   * depends on what the snapshots could not read has {@code gaps}; a world whose snapshots have gaps lists
   * them all in a top-level {@code gaps} (findings may be missing because of them).
   */
  static String json(CheckResult r, java.util.function.Function<Finding, List<WorldGap>> gaps,
      List<WorldGap> all) {
    List<Map<String, Object>> findings = new ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("analysis", f.analysis());
      m.put("severity", f.severity().label());
      m.put("subject", f.subject());
      m.put("message", f.message());
      List<Map<String, Object>> missing = new ArrayList<>();
      for (MissingRequest q : f.missing()) {
        Map<String, Object> mq = new LinkedHashMap<>();
        mq.put("principal", q.principal());
        mq.put("action", q.action());
        mq.put("resource", q.resource());
        if (!q.context().isEmpty()) {
          mq.put("context", DecisionFormat.context(q.context()));
        }
        missing.add(mq);
      }
      m.put("missing", missing);
      m.put("policy", f.policy());
      m.put("fix", f.fix());
      SnapshotGapNotes.put(m, gaps.apply(f));
      findings.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("findings", findings);
    SnapshotGapNotes.put(out, all);
    return JsonOut.compact(out) + "\n";
  }

  static String text(CheckResult r, java.util.function.Function<Finding, List<WorldGap>> gaps) {
    StringBuilder b = new StringBuilder();
    int errors = 0;
    int warnings = 0;
    int notes = 0;
    for (Finding f : r.findings()) {
      b.append(f.severity().label()).append(" [").append(f.analysis()).append("] ").append(f.subject()).append('\n');
      b.append("  ").append(f.message()).append('\n');
      for (MissingRequest m : f.missing()) {
        b.append("  request: ").append(m.display()).append('\n');
      }
      if (f.policy() != null) {
        b.append("  change:  ").append(f.policy()).append('\n');
      }
      if (f.fix() != null) {
        b.append("  fix:     ").append(f.fix()).append('\n');
      }
      SnapshotGapNotes.text(b, gaps.apply(f), "  ");
      b.append('\n');
      switch (f.severity()) {
        case ERROR:
          errors++;
          break;
        case WARNING:
          warnings++;
          break;
        default:
          notes++;
      }
    }
    if (r.findings().isEmpty()) {
      b.append("no findings\n");
    } else {
      b.append(count(errors, "error")).append(", ").append(count(warnings, "warning")).append(", ")
          .append(count(notes, "note")).append('\n');
    }
    return b.toString();
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
