package dev.keyward.bench;

import dev.keyward.analysis.Checker;
import dev.keyward.build.LintJob;
import dev.keyward.eval.Authorizer;
import dev.keyward.iam.IamReference;
import dev.keyward.model.PolicyType;
import dev.keyward.visual.AccessGraph;
import dev.keyward.visual.HtmlReport;
import dev.keyward.visual.ReportInput;
import dev.keyward.visual.Reports;
import dev.keyward.world.World;
import dev.keyward.lint.PolicyContainer;
import dev.keyward.lint.WorldPolicies;
import dev.keyward.template.TemplateInputs;
import dev.keyward.template.TemplateWorld;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The steps {@code keyward report} takes, each timed alone on one thread (the command runs some side by
 * side): which step to make faster. Run after {@link ReportBenchmark} has warmed the JVM.
 */
final class ReportPhases {

  private ReportPhases() {}

  static void run(Path worldFile) throws IOException {
    String shown = worldFile.toString().replace('\\', '/');
    TemplateWorld.Loaded loaded = time("load the world (read once)", () -> TemplateWorld.load(worldFile, shown,
        TemplateInputs.none(), false));
    World w = loaded.result().world();
    Authorizer a = time("compile the authorizer", () -> Authorizer.create(w));
    AccessGraph g = time("access graph", () -> AccessGraph.of(w, a));
    System.out.printf(Locale.ROOT, "    (%d pairs with access)%n", g.edges().size());
    for (String name : Checker.ANALYSES) {
      time("check " + name, () -> Checker.create().check(w, List.of(name)));
    }
    IamReference iam = IamReference.bundled();
    time("external access highlights", () -> Reports.outsideStatements(w, iam));
    // as the report lints: the policies of the world it has loaded, not the file read again
    PolicyContainer.Contents contents = WorldPolicies.loaded(loaded.root(), loaded.result(), shown);
    LintJob.Result lint = time("lint of the loaded world", () -> {
      try {
        return LintJob.run(new LintJob.Options(Path.of(""), List.of(worldFile), List.of(), List.of(),
            PolicyType.UNKNOWN, List.of(), null, null), f -> f.equals(shown) ? contents : null);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    List<Set<String>> outside = Reports.outsideStatements(w, iam);
    ReportInput in = new ReportInput("bench", w, g, Checker.create().check(w), outside, lint.report(),
        LintJob.loadRules(List.of()).rules(), iam.dataDate());
    time("write the page", () -> HtmlReport.write(in));
  }

  private static <T> T time(String what, Supplier<T> step) {
    long t0 = System.nanoTime();
    long c0 = cpuNanos();
    T out = step.get();
    System.out.printf(Locale.ROOT, "  %-36s %7.2f s  (CPU of the process %6.2f s)%n", what,
        (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
    return out;
  }

  /** CPU time of the whole process (every thread, JIT and GC included): the figure load does not inflate. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
