package dev.keyward.bench;

import dev.keyward.cli.Main;
import dev.keyward.model.PolicyType;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How time and memory grow with input size (the limits written down in BENCHMARKS.md): generated inputs of
 * growing size along four axes, each measured end to end in this JVM.
 *
 * <ul>
 *   <li>statements: one key policy of N statements, parsed ({@link PolicyParser}); retained heap of the result;
 *   <li>principals: a world of N roles, each with an inline identity policy of 3 statements, loaded and asked
 *       {@code who-can} (through the CLI);
 *   <li>policies: a world of N keys, each with its own key policy, loaded;
 *   <li>requests: a batch of N requests over a world of 100 roles and 100 keys, through {@code can
 *       --requests FILE --format jsonl} (output discarded).
 * </ul>
 *
 * <p>Run (see BENCHMARKS.md): {@code java -Xmx16g -cp <test classpath> dev.keyward.bench.ScalingBenchmark OUT.csv
 * [MAX_SECONDS]}; the sizes of one axis stop growing once a step took more than MAX_SECONDS (default 120).
 * Prints and writes {@code axis,size,input_bytes,seconds,retained_mb,peak_mb}.
 */
public final class ScalingBenchmark {
  private static final String ACCOUNT = "111111111111";

  private ScalingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path csv = Paths.get(args.length > 0 ? args[0] : "target/scaling.csv");
    double maxSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 120;
    Path dir = Files.createTempDirectory("keyward-scaling");
    List<String> rows = new ArrayList<>();
    rows.add("axis,size,input_bytes,seconds,retained_mb,peak_mb");
    System.out.printf("scaling: %d processors, max heap %d MB, %s%n", Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, Runtime.version());
    int[] sizes = {10, 100, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000};
    for (String axis : List.of("statements", "principals", "policies", "requests")) {
      for (int n : sizes) {
        if (axis.equals("requests") && n < 1_000) {
          continue;
        }
        String row;
        try {
          row = measure(axis, n, dir);
        } catch (OutOfMemoryError e) {
          row = axis + "," + n + ",,out-of-memory,,";
        } catch (IllegalStateException e) {
          // Keyward refused the input (e.g. a file over the 64 MiB read limit): the limit of this axis.
          row = axis + "," + n + ",,refused,,";
          System.out.println("scaling: refused: " + e.getMessage());
        }
        System.out.println("scaling: " + row);
        rows.add(row);
        Files.write(csv, rows);
        String[] f = row.split(",");
        if (f[3].equals("out-of-memory") || f[3].equals("refused") || Double.parseDouble(f[3]) > maxSeconds) {
          break;
        }
      }
    }
    Files.write(csv, rows);
  }

  private static String measure(String axis, int n, Path dir) throws IOException {
    Path input;
    switch (axis) {
      case "statements":
        input = dir.resolve("policy-" + n + ".json");
        Files.writeString(input, keyPolicy(n, 0));
        break;
      case "principals":
        input = dir.resolve("principals-" + n + ".json");
        Files.writeString(input, world(n, 1));
        break;
      case "policies":
        input = dir.resolve("keys-" + n + ".json");
        Files.writeString(input, world(1, n));
        break;
      default:
        Path world = dir.resolve("batch-world.json");
        Files.writeString(world, world(100, 100));
        input = dir.resolve("requests-" + n + ".jsonl");
        writeRequests(input, n);
        break;
    }
    long bytes = Files.size(input);
    gc();
    long before = used();
    resetPeaks();
    long t0 = System.nanoTime();
    Object retained;
    switch (axis) {
      case "statements": {
        ParseResult r = PolicyParser.create().parseFile(input, input.getFileName().toString(), PolicyType.KEY_POLICY);
        // Past 32 KB a key policy is over AWS's size limit (an error Keyward reports); nothing else may be wrong.
        List<?> others = r.problems().stream()
            .filter(p -> p.isError() && !p.code().equals("policy.size-limit")).toList();
        require(others.isEmpty(), axis, others);
        retained = r;
        break;
      }
      case "principals": {
        WorldLoadResult r = WorldLoader.create().load(input);
        require(!r.hasErrors(), axis, r.problems());
        int code = cli(input, "who-can", "--world", input.toString(), "--action", "kms:Decrypt", "--resource",
            "alias/key-0");
        require(code == 0, axis + " who-can exit " + code, List.of());
        retained = r;
        break;
      }
      case "policies": {
        WorldLoadResult r = WorldLoader.create().load(input);
        require(!r.hasErrors(), axis, r.problems());
        retained = r;
        break;
      }
      default: {
        Path world = dir.resolve("batch-world.json");
        int code = cli(input, "can", "--world", world.toString(), "--requests", input.toString(), "--format", "jsonl");
        require(code == 0 || code == 1, axis + " exit " + code, List.of());
        retained = null;
        break;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long peak = peak();
    gc();
    long retainedBytes = Math.max(0, used() - before);
    if (retained != null && retained.hashCode() == 42) {
      System.out.print(""); // keeps `retained` reachable until after the measurement
    }
    Files.delete(input);
    return String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.1f,%.1f", axis, n, bytes, seconds,
        retainedBytes / 1048576.0, peak / 1048576.0);
  }

  private static void require(boolean ok, String what, List<?> problems) {
    if (!ok) {
      throw new IllegalStateException(what + ": " + problems.subList(0, Math.min(5, problems.size())));
    }
  }

  private static int cli(Path input, String... args) {
    PrintWriter devNull = new PrintWriter(Writer.nullWriter());
    return Main.run(args, InputStream.nullInputStream(), devNull, devNull);
  }

  /** A key policy: root delegation, then N statements allowing one role each (with a condition). */
  static String keyPolicy(int statements, int key) {
    StringBuilder sb = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
    sb.append("{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::").append(ACCOUNT)
        .append(":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    for (int i = 0; i < statements; i++) {
      sb.append(",\n{\"Sid\":\"S").append(i).append("\",\"Effect\":\"").append(i % 10 == 9 ? "Deny" : "Allow")
          .append("\",\"Principal\":{\"AWS\":\"arn:aws:iam::").append(ACCOUNT).append(":role/R").append(i)
          .append("\"},\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\",\"kms:GenerateDataKey*\"],\"Resource\":\"*\",")
          .append("\"Condition\":{\"StringEquals\":{\"kms:EncryptionContext:app\":\"app-").append(i).append("\"}}}");
    }
    return sb.append("]}").toString();
  }

  /** A world (JSON) of N roles with an inline identity policy each, and K keys with a key policy each. */
  static String world(int principals, int keys) {
    StringBuilder sb = new StringBuilder("{\"principals\":[");
    for (int i = 0; i < principals; i++) {
      if (i > 0) {
        sb.append(",\n");
      }
      sb.append("{\"arn\":\"arn:aws:iam::").append(ACCOUNT).append(":role/R").append(i)
          .append("\",\"tags\":{\"team\":\"t").append(i % 7).append("\"},\"policies\":[{\"name\":\"p").append(i)
          .append("\",\"document\":{\"Version\":\"2012-10-17\",\"Statement\":[")
          .append("{\"Sid\":\"Use\",\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\"],")
          .append("\"Resource\":\"arn:aws:kms:us-east-1:").append(ACCOUNT).append(":key/*\"},")
          .append("{\"Sid\":\"Describe\",\"Effect\":\"Allow\",\"Action\":\"kms:Describe*\",\"Resource\":\"*\"},")
          .append("{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\",\"Action\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\",")
          .append("\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"t").append(i % 7)
          .append("\"}}}]}}]}");
    }
    sb.append("],\n\"keys\":[");
    for (int k = 0; k < keys; k++) {
      if (k > 0) {
        sb.append(",\n");
      }
      sb.append("{\"arn\":\"").append(keyArn(k)).append("\",\"aliases\":[\"alias/key-").append(k)
          .append("\"],\"policy\":{\"document\":").append(keyPolicy(3, k)).append("}}");
    }
    return sb.append("]}").toString();
  }

  static String keyArn(int k) {
    return String.format(Locale.ROOT, "arn:aws:kms:us-east-1:%s:key/%08x-0000-4000-8000-%012x", ACCOUNT, k, k);
  }

  private static void writeRequests(Path file, int n) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      for (int i = 0; i < n; i++) {
        w.write("{\"id\":\"r" + i + "\",\"principal\":\"arn:aws:iam::" + ACCOUNT + ":role/R" + (i % 100)
            + "\",\"action\":\"kms:Decrypt\",\"resource\":\"" + keyArn(i % 100)
            + "\",\"context\":{\"kms:EncryptionContext:app\":\"app-" + (i % 5) + "\"}}\n");
      }
    }
  }

  private static void gc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
  }

  private static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(p -> p.resetPeakUsage());
  }

  private static long peak() {
    long sum = 0;
    for (var p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == java.lang.management.MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
