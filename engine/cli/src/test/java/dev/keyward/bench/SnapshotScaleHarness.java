package dev.keyward.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.keyward.eval.Authorizer;
import dev.keyward.request.Request;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A timing harness for snapshots at scale. It writes a generated snapshot of one account (5,000 roles, 5,000
 * customer managed policies of 4 versions each = 20,000 policy versions, 2,000 keys, 10,000 grants) in the
 * files {@code keyward snapshot} writes, then measures what a user sees: fresh JVMs, started as the
 * {@code keyward} launcher starts them, each loading the snapshot as {@code --world} does, compiling the
 * authorizer and asking who can decrypt with one key; and the whole {@code keyward who-can} process. Every
 * figure is printed with its wall time and its CPU time (all threads of the process: JIT compiler and
 * garbage collector included), beside the machine's load, so runs on a shared machine can be read.
 *
 * <p>One command (see BENCHMARKS.md):
 * {@code mvn -B -o -q -pl engine/cli test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test
 * -Dexec.args="-cp %classpath dev.keyward.bench.SnapshotScaleHarness target/snapshot-scale 5"}
 */
public final class SnapshotScaleHarness {

  static final String ACCOUNT = "111111111111";
  static final int ROLES = 5_000;
  static final int POLICIES = 5_000;
  static final int VERSIONS = 4;
  static final int KEYS = 2_000;
  static final int GRANTS_PER_KEY = 5;
  /** The options the {@code keyward} launcher gives one-shot commands such as who-can. */
  static final List<String> LAUNCHER_OPTIONS = LauncherOptions.get();
  static final String KEY = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + keyId(7);

  private SnapshotScaleHarness() {}

  /** {@code DIR [RUNS]}; {@code --child DIR} measures one cold run and prints one line of figures. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Path.of(args[1]));
      return;
    }
    Path dir = Path.of(args.length > 0 ? args[0] : "target/snapshot-scale");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    if (!Files.exists(dir.resolve("sts/get-caller-identity.json"))) {
      long t = System.nanoTime();
      generate(dir);
      System.out.printf("generated %s in %.2f s%n", dir, (System.nanoTime() - t) / 1e9);
    }
    long bytes;
    try (Stream<Path> s = Files.walk(dir)) {
      bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf("snapshot: %s, %.1f MB; machine: %d cores, %s, Java %s; load before: %s%n", dir, bytes / 1e6,
        Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"), load());
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<String> base = new ArrayList<>(List.of(javaBin, "-Xmx1g"));
    base.addAll(LAUNCHER_OPTIONS);
    base.addAll(List.of("-cp", cp));
    List<double[]> steps = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      List<String> cmd = new ArrayList<>(base);
      cmd.addAll(List.of(SnapshotScaleHarness.class.getName(), "--child", dir.toString()));
      String line = run(cmd).trim();
      double[] v = java.util.Arrays.stream(line.substring(line.lastIndexOf("FIGURES") + 8).trim().split(" "))
          .mapToDouble(Double::parseDouble).toArray();
      steps.add(v);
    }
    boolean timeTool = Files.isExecutable(Path.of("/usr/bin/time"));
    List<double[]> whole = new ArrayList<>();
    for (int i = 0; i < runs && timeTool; i++) {
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIMED %e %U %S %M"));
      cmd.addAll(base);
      cmd.addAll(List.of("dev.keyward.cli.Main", "who-can", "--world", dir.toString(), "--action", "kms:Decrypt",
          "--resource", KEY, "--format", "json"));
      String out = run(cmd);
      String[] t = out.substring(out.lastIndexOf("TIMED ") + 6).trim().split("\\s+");
      whole.add(new double[] {Double.parseDouble(t[0]), Double.parseDouble(t[1]) + Double.parseDouble(t[2]),
          Double.parseDouble(t[3]) / 1024});
    }
    System.out.printf("load after: %s; %d cold runs each, JVM options -Xmx1g %s; min / median / max%n", load(), runs,
        String.join(" ", LAUNCHER_OPTIONS));
    System.out.println("| step | wall time | CPU time (all threads) | target |");
    System.out.println("| --- | --- | --- | --- |");
    System.out.printf("| load the snapshot | %s s | %s s | under 3 s |%n", stats(steps, 0), stats(steps, 1));
    System.out.printf("| compile the authorizer | %s s | %s s | |%n", stats(steps, 2), stats(steps, 3));
    System.out.printf("| who-can for one key over 5,000 principals, after loading | %s s | %s s | under 1 s |%n",
        stats(steps, 4), stats(steps, 5));
    System.out.printf("| heap in use after loading (after a full GC) | %s MiB | | under 1 GiB |%n", stats(steps, 6));
    if (timeTool) {
      System.out.printf("| whole `keyward who-can --format json` process | %s s | %s s | peak RSS %s MiB |%n",
          stats(whole, 0), stats(whole, 1), stats(whole, 2));
    } else {
      System.out.println("(/usr/bin/time is missing: the whole process is not timed)");
    }
  }

  /** One cold run in this JVM: load, compile, who-can; prints wall and process CPU seconds of each, and heap. */
  private static void child(Path dir) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long t0 = System.nanoTime();
    long c0 = os.getProcessCpuTime();
    WorldLoadResult r = WorldLoader.create().load(dir, dir.toString());
    if (r.hasErrors()) {
      throw new IllegalStateException(r.problems().toString());
    }
    World w = r.world();
    long t1 = System.nanoTime();
    long c1 = os.getProcessCpuTime();
    Authorizer a = Authorizer.create(w);
    long t2 = System.nanoTime();
    long c2 = os.getProcessCpuTime();
    int allowed = 0;
    for (var p : w.principals()) {
      var c = a.authorizeSymbolic(new Request("", p.arn(), "kms:Decrypt", KEY, Map.of()), Set.of("*"));
      if (c.outcome() != dev.keyward.eval.ConditionalDecision.Outcome.DENY) {
        allowed++;
      }
    }
    long t3 = System.nanoTime();
    long c3 = os.getProcessCpuTime();
    if (w.principals().size() != ROLES || w.keys().size() != KEYS || allowed == 0) {
      throw new IllegalStateException("unexpected world: " + w.principals().size() + " principals, " + w.keys().size()
          + " keys, " + allowed + " allowed");
    }
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf("FIGURES %.3f %.3f %.3f %.3f %.3f %.3f %d%n", (t1 - t0) / 1e9, (c1 - c0) / 1e9,
        (t2 - t1) / 1e9, (c2 - c1) / 1e9, (t3 - t2) / 1e9, (c3 - c2) / 1e9, heap >> 20);
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("failed: " + String.join(" ", cmd) + "\n" + out);
    }
    return out;
  }

  private static String stats(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    String f = column == 6 || rows.get(0).length == 3 && column == 2 ? "%.0f" : "%.2f";
    return String.format(f + " / " + f + " / " + f, v[0], v[v.length / 2], v[v.length - 1]);
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
    } catch (IOException e) {
      return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceAll(".*:\\s*", ""))
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static String keyId(int i) {
    return String.format("%08x-0000-4000-8000-%012x", i, i);
  }

  static String roleArn(int i) {
    return "arn:aws:iam::" + ACCOUNT + ":role/team-" + (i % 50) + "/role-" + i;
  }

  static String keyArn(int i) {
    return "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + keyId(i);
  }

  /** Writes the snapshot folder. */
  public static void generate(Path dir) throws IOException {
    JsonFactory f = new JsonFactory();
    Files.createDirectories(dir.resolve("sts"));
    Files.writeString(dir.resolve("sts/get-caller-identity.json"), "{\n  \"UserId\": \"AIDAEXAMPLE\",\n  \"Account\": \""
        + ACCOUNT + "\",\n  \"Arn\": \"arn:aws:iam::" + ACCOUNT + ":user/auditor\"\n}\n");
    Files.createDirectories(dir.resolve("iam"));
    try (JsonGenerator g = f.createGenerator(dir.resolve("iam/get-account-authorization-details.json").toFile(),
        JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeArrayFieldStart("UserDetailList");
      g.writeEndArray();
      g.writeArrayFieldStart("GroupDetailList");
      g.writeEndArray();
      g.writeArrayFieldStart("RoleDetailList");
      for (int i = 0; i < ROLES; i++) {
        g.writeStartObject();
        g.writeStringField("Path", "/team-" + (i % 50) + "/");
        g.writeStringField("RoleName", "role-" + i);
        g.writeStringField("Arn", roleArn(i));
        g.writeArrayFieldStart("RolePolicyList");
        g.writeStartObject();
        g.writeStringField("PolicyName", "inline");
        g.writeFieldName("PolicyDocument");
        policy(g, "UseOwnKey", "Allow", new String[] {"kms:Decrypt", "kms:Encrypt"}, keyArn(i % KEYS), null);
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("AttachedManagedPolicies");
        for (int p : new int[] {i % POLICIES, (i * 7 + 3) % POLICIES}) {
          g.writeStartObject();
          g.writeStringField("PolicyName", "managed-" + p);
          g.writeStringField("PolicyArn", "arn:aws:iam::" + ACCOUNT + ":policy/managed-" + p);
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("Tags");
        g.writeStartObject();
        g.writeStringField("Key", "Team");
        g.writeStringField("Value", "team-" + (i % 50));
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("Policies");
      for (int p = 0; p < POLICIES; p++) {
        g.writeStartObject();
        g.writeStringField("PolicyName", "managed-" + p);
        g.writeStringField("Arn", "arn:aws:iam::" + ACCOUNT + ":policy/managed-" + p);
        g.writeStringField("DefaultVersionId", "v" + VERSIONS);
        g.writeArrayFieldStart("PolicyVersionList");
        for (int v = 1; v <= VERSIONS; v++) {
          g.writeStartObject();
          g.writeStringField("VersionId", "v" + v);
          g.writeBooleanField("IsDefaultVersion", v == VERSIONS);
          g.writeFieldName("Document");
          policy(g, "V" + v, "Allow", new String[] {"kms:GenerateDataKey", "kms:DescribeKey"},
              "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/*", "team-" + (p % 50));
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    Path kms = dir.resolve("regions/us-east-1/kms");
    Files.createDirectories(kms);
    try (JsonGenerator list = f.createGenerator(kms.resolve("list-keys.json").toFile(), JsonEncoding.UTF8)
            .useDefaultPrettyPrinter();
         JsonGenerator describe = f.createGenerator(kms.resolve("describe-key.json").toFile(), JsonEncoding.UTF8)
             .useDefaultPrettyPrinter();
         JsonGenerator policies = f.createGenerator(kms.resolve("get-key-policy.json").toFile(), JsonEncoding.UTF8)
             .useDefaultPrettyPrinter();
         JsonGenerator grants = f.createGenerator(kms.resolve("list-grants.json").toFile(), JsonEncoding.UTF8)
             .useDefaultPrettyPrinter()) {
      list.writeStartObject();
      list.writeArrayFieldStart("Keys");
      describe.writeStartObject();
      policies.writeStartObject();
      grants.writeStartObject();
      for (int k = 0; k < KEYS; k++) {
        String id = keyId(k);
        list.writeStartObject();
        list.writeStringField("KeyId", id);
        list.writeStringField("KeyArn", keyArn(k));
        list.writeEndObject();
        describe.writeObjectFieldStart(id);
        describe.writeObjectFieldStart("KeyMetadata");
        describe.writeStringField("KeyId", id);
        describe.writeStringField("Arn", keyArn(k));
        describe.writeStringField("KeyManager", "CUSTOMER");
        describe.writeStringField("KeySpec", "SYMMETRIC_DEFAULT");
        describe.writeStringField("KeyUsage", "ENCRYPT_DECRYPT");
        describe.writeStringField("KeyState", "Enabled");
        describe.writeStringField("Origin", "AWS_KMS");
        describe.writeEndObject();
        describe.writeEndObject();
        policies.writeObjectFieldStart(id);
        policies.writeStringField("PolicyName", "default");
        policies.writeStringField("Policy", "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Sid\":\"Users\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"" + roleArn(k) + "\",\""
            + roleArn(k + KEYS) + "\"]},\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\"],\"Resource\":\"*\"},"
            + "{\"Sid\":\"OnlyViaS3\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
            + "\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"},"
            + "\"Bool\":{\"aws:PrincipalIsAWSService\":\"false\"},\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::"
            + ACCOUNT + ":role/team-1/*\"}}}]}");
        policies.writeEndObject();
        grants.writeObjectFieldStart(id);
        grants.writeArrayFieldStart("Grants");
        for (int n = 0; n < GRANTS_PER_KEY; n++) {
          grants.writeStartObject();
          grants.writeStringField("KeyId", keyArn(k));
          grants.writeStringField("GrantId", String.format("%064x", (long) k * GRANTS_PER_KEY + n));
          grants.writeStringField("GranteePrincipal", roleArn((k * 13 + n * 101) % ROLES));
          grants.writeStringField("IssuingAccount", "arn:aws:iam::" + ACCOUNT + ":root");
          grants.writeArrayFieldStart("Operations");
          grants.writeString("Decrypt");
          grants.writeString("GenerateDataKey");
          grants.writeEndArray();
          grants.writeObjectFieldStart("Constraints");
          grants.writeObjectFieldStart("EncryptionContextSubset");
          grants.writeStringField("Team", "team-" + n);
          grants.writeEndObject();
          grants.writeEndObject();
          grants.writeEndObject();
        }
        grants.writeEndArray();
        grants.writeEndObject();
      }
      list.writeEndArray();
      list.writeEndObject();
      describe.writeEndObject();
      policies.writeEndObject();
      grants.writeEndObject();
    }
  }

  private static void policy(JsonGenerator g, String sid, String effect, String[] actions, String resource, String team)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("Version", "2012-10-17");
    g.writeArrayFieldStart("Statement");
    g.writeStartObject();
    g.writeStringField("Sid", sid);
    g.writeStringField("Effect", effect);
    g.writeArrayFieldStart("Action");
    for (String a : actions) {
      g.writeString(a);
    }
    g.writeEndArray();
    g.writeStringField("Resource", resource);
    if (team != null) {
      g.writeObjectFieldStart("Condition");
      g.writeObjectFieldStart("StringEquals");
      g.writeStringField("aws:PrincipalTag/Team", team);
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }
}
