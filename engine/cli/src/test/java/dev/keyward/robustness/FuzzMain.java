package dev.keyward.robustness;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The dedicated fuzz run: {@code mvn -B -q -pl engine/cli -am -Pfuzz -DskipTests verify
 * -Dfuzz.inputs=1000000}. Feeds each target (policy parser, world loader, language parser) the given
 * number of inputs from {@link FuzzInputs}, counts internal errors, writes each input that caused one
 * to {@code target/fuzz-findings/TARGET-N.bin} (make it a regression test under
 * {@code src/test/resources/fuzz-regressions/TARGET/}) and prints inputs per second. Exits 1 when any
 * internal error was found.
 *
 * <p>Arguments: {@code INPUTS [SEED [TARGET...]]}.
 */
public final class FuzzMain {
  private FuzzMain() {}

  public static void main(String[] args) throws Exception {
    long inputs = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 11L;
    List<String> only = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
    Path repo = repositoryRoot();
    Path findings = repo.resolve("engine/cli/target/fuzz-findings");
    Files.createDirectories(findings);
    Path work = Files.createTempDirectory("keyward-fuzz");

    List<FuzzTarget> targets = List.of(FuzzTarget.policyParser(), FuzzTarget.worldLoader(work),
        FuzzTarget.languageParser());
    List<FuzzInputs> generators = List.of(FuzzInputs.policies(repo), FuzzInputs.worlds(repo),
        FuzzInputs.language(repo));
    int failedTotal = 0;
    System.out.printf(Locale.ROOT, "fuzz: %,d inputs per target, seed %d, %s%n", inputs, seed,
        System.getProperty("java.vm.name") + " " + Runtime.version());
    for (int t = 0; t < targets.size(); t++) {
      FuzzTarget target = targets.get(t);
      if (!only.isEmpty() && !only.contains(target.name())) {
        continue;
      }
      FuzzInputs gen = generators.get(t);
      Random random = new Random(seed * 31 + t);
      int failed = 0;
      long bytes = 0;
      long slowest = 0;
      long start = System.nanoTime();
      for (long i = 0; i < inputs; i++) {
        byte[] input = gen.next(random);
        bytes += input.length;
        long t0 = System.nanoTime();
        try {
          target.run(input);
        } catch (Throwable e) {
          failed++;
          Path out = findings.resolve(target.name() + "-" + failed + ".bin");
          Files.write(out, input);
          StringWriter trace = new StringWriter();
          e.printStackTrace(new PrintWriter(trace));
          Files.writeString(findings.resolve(target.name() + "-" + failed + ".txt"), trace.toString());
          if (failed <= 20) {
            System.out.printf("fuzz: %s: internal error on input %d (%s): %s%n", target.name(), i, out, e);
          }
        }
        slowest = Math.max(slowest, System.nanoTime() - t0);
        if ((i + 1) % 100_000 == 0) {
          double s = (System.nanoTime() - start) / 1e9;
          System.out.printf(Locale.ROOT, "fuzz: %s: %,d inputs, %.0f inputs/s, %d internal errors%n",
              target.name(), i + 1, (i + 1) / s, failed);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT,
          "fuzz: RESULT %s seeds=%d inputs=%d bytes=%d seconds=%.1f inputs/s=%.0f slowest-ms=%.1f internal-errors=%d%n",
          target.name(), gen.seedCount(), inputs, bytes, seconds, inputs / seconds, slowest / 1e6, failed);
      failedTotal += failed;
    }
    System.exit(failedTotal == 0 ? 0 : 1);
  }

  /** The repository root: the working folder or its parent (Maven runs the CLI module in engine/cli/). */
  static Path repositoryRoot() throws IOException {
    Path here = Paths.get("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("rules")) && Files.isDirectory(p.resolve("engine"))) {
        return p;
      }
    }
    throw new IOException("cannot find the repository root from " + here);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
