package dev.keyward.bench;

import dev.keyward.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Time to write {@code keyward report} for a large world, end to end in a fresh JVM's first run (what a
 * user waits for): loading, the access graph, the checks, lint and the page.
 *
 * <p>The world ({@link #writeWorld}): {@code accounts} accounts of {@code principalsPerAccount} roles and
 * {@code keysPerAccount} keys each, all but the last five in one organization. Each key policy trusts its
 * account and names two of its roles as administrators; every tenth key also lets the next account's root
 * decrypt, every fifth has a grant to one role. Each role may use three keys of its account; every
 * twentieth has {@code kms:*} on {@code *}. With 50 x 100 x 40: 5,000 principals and 2,000 keys.
 *
 * <p>Run (see BENCHMARKS.md): {@code java -cp <test classpath> dev.keyward.bench.ReportBenchmark DIR [RUNS]}:
 * writes DIR/world.yaml, then runs {@code keyward report} RUNS times (default 3) as a whole process with the
 * JVM options the {@code keyward} launcher gives it ({@link #LAUNCHER_OPTIONS}: what a user of the CLI waits
 * for) and prints the wall time and the CPU time of each process, then RUNS times in this JVM with the JVM's
 * default options (the first of these starts cold too; later ones show the warm cost), then
 * times each step of the report alone ({@link ReportPhases}; {@code -Dphases=false} leaves that out), then
 * opens the page in headless Chromium (when installed) and prints how long it took to show.
 * {@code bench/report-benchmark.sh} builds the classpath and runs it in one command.
 */
public final class ReportBenchmark {

  private ReportBenchmark() {}

  /** The JVM options the {@code keyward} launcher gives {@code report} (and the other one-shot commands). */
  static final java.util.List<String> LAUNCHER_OPTIONS = LauncherOptions.get();

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length > 0 && args[0].equals("--one-process")) {
      oneProcess(args);
      return;
    }
    Path dir = Path.of(args.length > 0 ? args[0] : "target/report-bench");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Files.createDirectories(dir);
    Path world = dir.resolve("world.yaml");
    writeWorld(world, 50, 100, 40);
    System.out.println("keyward report as the launcher runs it (" + String.join(" ", LAUNCHER_OPTIONS)
        + "), a fresh process each time:");
    for (int i = 0; i < runs; i++) {
      java.util.List<String> cmd = new java.util.ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(LAUNCHER_OPTIONS);
      cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), ReportBenchmark.class.getName(),
          "--one-process", world.toString(), dir.resolve("report.html").toString()));
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int rc = p.waitFor();
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "process %d: exit %d, %.2f s wall, %s%n", i + 1, rc, s, out);
      if (rc != 0) {
        System.exit(1);
      }
    }
    System.out.println("in this JVM (default JVM options), run 1 cold:");
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      long c0 = ReportPhases.cpuNanos();
      StringWriter err = new StringWriter();
      int rc = Main.run(new String[] {"report", "--world", world.toString(), "--out", dir.resolve("report.html")
          .toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "run %d: exit %d, %.2f s (CPU of the process %.2f s), %d bytes%n", i + 1, rc,
          s, (ReportPhases.cpuNanos() - c0) / 1e9, Files.size(dir.resolve("report.html")));
      if (rc != 0) {
        System.out.println(err);
        System.exit(1);
      }
    }
    if (!"false".equals(System.getProperty("phases"))) {
      System.out.println("each step alone, one thread, warm JVM:");
      ReportPhases.run(world);
    }
    try {
      java.util.Optional<Double> open = dev.keyward.visual.BrowserTiming.openMillis(dir.resolve("report.html"));
      System.out.println(open.map(ms -> String.format(Locale.ROOT, "opened in headless Chromium: %.0f ms to the"
          + " first frame after its scripts ran", ms)).orElse("chromium is not installed: the page was not opened"));
    } catch (Exception e) {
      System.out.println("opening the page failed: " + e);
      System.exit(1);
    }
  }

  /** One {@code keyward report} in this process, then the CPU time of the whole process (JVM start included). */
  private static void oneProcess(String[] args) {
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"report", "--world", args[1], "--out", args[2]},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    System.out.printf(Locale.ROOT, "CPU of the process %.2f s%s%n", ReportPhases.cpuNanos() / 1e9,
        rc == 0 ? "" : "\n" + err);
    System.exit(rc);
  }

  public static String account(int a) {
    return String.format(Locale.ROOT, "%012d", 100_000_000_000L + a);
  }

  static String keyArn(int a, int k) {
    return String.format(Locale.ROOT, "arn:aws:kms:us-east-1:%s:key/%08d-0000-4000-8000-%012d", account(a), a, k);
  }

  /** Writes the generated world described above. */
  public static void writeWorld(Path file, int accounts, int principalsPerAccount, int keysPerAccount)
      throws IOException {
    StringBuilder b = new StringBuilder();
    int inOrg = Math.max(1, accounts - 5);
    b.append("organizations:\n  - id: o-bench00001\n    managementAccount: \"").append(account(0))
        .append("\"\n    accounts: [");
    for (int a = 0; a < inOrg; a++) {
      b.append(a == 0 ? "" : ", ").append('"').append(account(a)).append('"');
    }
    b.append("]\nprincipals:\n");
    for (int a = 0; a < accounts; a++) {
      for (int p = 0; p < principalsPerAccount; p++) {
        String role = "arn:aws:iam::" + account(a) + ":role/app-" + p;
        b.append("  - arn: ").append(role).append("\n    policies:\n      - name: use\n        document:\n")
            .append("          Version: \"2012-10-17\"\n          Statement:\n");
        if (p % 20 == 0) {
          b.append("            - { Effect: Allow, Action: \"kms:*\", Resource: \"*\" }\n");
        } else {
          b.append("            - Effect: Allow\n              Action: [kms:Decrypt, kms:Encrypt, kms:GenerateDataKey]\n")
              .append("              Resource:\n");
          for (int j = 0; j < 3; j++) {
            b.append("                - ").append(keyArn(a, (p * 3 + j) % keysPerAccount)).append('\n');
          }
        }
      }
    }
    b.append("keys:\n");
    for (int a = 0; a < accounts; a++) {
      for (int k = 0; k < keysPerAccount; k++) {
        b.append("  - arn: ").append(keyArn(a, k)).append("\n    aliases: [alias/data-").append(k)
            .append("]\n    rotation: { enabled: ").append(k % 3 != 0).append(" }\n    policy:\n      document:\n")
            .append("        Version: \"2012-10-17\"\n        Statement:\n")
            .append("          - { Sid: Account, Effect: Allow, Principal: { AWS: \"arn:aws:iam::").append(account(a))
            .append(":root\" }, Action: \"kms:*\", Resource: \"*\" }\n")
            .append("          - Sid: Admins\n            Effect: Allow\n            Principal: { AWS: [")
            .append("\"arn:aws:iam::").append(account(a)).append(":role/app-1\", \"arn:aws:iam::").append(account(a))
            .append(":role/app-2\"] }\n            Action: [kms:PutKeyPolicy, kms:DisableKey, kms:ScheduleKeyDeletion,"
                + " kms:CreateGrant]\n            Resource: \"*\"\n");
        if (k % 10 == 0) {
          b.append("          - Sid: Partner\n            Effect: Allow\n            Principal: { AWS: \"arn:aws:iam::")
              .append(account((a + 1) % accounts)).append(":root\" }\n            Action: kms:Decrypt\n")
              .append("            Resource: \"*\"\n            Condition: { StringEquals: { \"kms:ViaService\":"
                  + " s3.us-east-1.amazonaws.com } }\n");
        }
        if (k % 5 == 0) {
          b.append("    grants:\n      - grantee: arn:aws:iam::").append(account(a)).append(":role/app-")
              .append(3 + k % (principalsPerAccount - 3)).append("\n        operations: [Decrypt]\n");
        }
      }
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }
}
