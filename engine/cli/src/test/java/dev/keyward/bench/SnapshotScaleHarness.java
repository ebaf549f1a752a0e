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
import java.util.Set;

/**
 * A timing harness for snapshots at scale: writes a generated snapshot of one account (5,000 roles, 5,000
 * customer managed policies of 4 versions each = 20,000 policy versions, 2,000 keys, 10,000 grants) in the
 * files {@code keyward snapshot} writes, then loads it as {@code --world} does, compiles it, and asks who
 * can decrypt with one key, printing the time of each step and the heap in use after loading.
 *
 * <p>Run (see BENCHMARKS.md): {@code java -Xmx1g -cp ... dev.keyward.bench.SnapshotScaleHarness DIR}; the
 * whole process is timed with {@code farm-bench} on {@code keyward who-can --world DIR}.
 */
public final class SnapshotScaleHarness {

  static final String ACCOUNT = "111111111111";
  static final int ROLES = 5_000;
  static final int POLICIES = 5_000;
  static final int VERSIONS = 4;
  static final int KEYS = 2_000;
  static final int GRANTS_PER_KEY = 5;

  private SnapshotScaleHarness() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/snapshot-scale");
    if (!Files.exists(dir.resolve("sts/get-caller-identity.json"))) {
      long t = System.nanoTime();
      generate(dir);
      System.out.printf("generated %s in %.2f s%n", dir, (System.nanoTime() - t) / 1e9);
    }
    for (int round = 1; round <= 3; round++) {
      System.gc();
      long t0 = System.nanoTime();
      for (Path f : java.nio.file.Files.walk(dir).filter(java.nio.file.Files::isRegularFile).toList()) {
        dev.keyward.parse.DocumentReader.withMaxBytes(1L << 30).readFile(f, f.toString());
      }
      long tr = System.nanoTime();
      System.out.printf("round %d: reading the files into located trees alone %.2f s%n", round, (tr - t0) / 1e9);
      t0 = System.nanoTime();
      java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      long c0 = cpu.getCurrentThreadCpuTime();
      WorldLoadResult r = WorldLoader.create().load(dir, dir.toString());
      if (r.hasErrors()) {
        throw new IllegalStateException(r.problems().toString());
      }
      World w = r.world();
      long t1 = System.nanoTime();
      long c1 = cpu.getCurrentThreadCpuTime();
      Authorizer a = Authorizer.create(w);
      long t2 = System.nanoTime();
      long c2 = cpu.getCurrentThreadCpuTime();
      String key = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + keyId(7);
      int allowed = 0;
      for (var p : w.principals()) {
        var c = a.authorizeSymbolic(new Request("", p.arn(), "kms:Decrypt", key, java.util.Map.of()), Set.of("*"));
        if (c.outcome() != dev.keyward.eval.ConditionalDecision.Outcome.DENY) {
          allowed++;
        }
      }
      long t3 = System.nanoTime();
      long c3 = cpu.getCurrentThreadCpuTime();
      System.out.printf("round %d: this thread's CPU time: load %.2f s, compile %.2f s, who-can %.3f s%n", round,
          (c1 - c0) / 1e9, (c2 - c1) / 1e9, (c3 - c2) / 1e9);
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf("round %d: load %.2f s (%d principals, %d keys), compile %.2f s, who-can over %d principals"
          + " %.3f s (%d with an allow), heap in use after load %d MiB%n", round, (t1 - t0) / 1e9,
          w.principals().size(), w.keys().size(), (t2 - t1) / 1e9, w.principals().size(), (t3 - t2) / 1e9, allowed,
          heap >> 20);
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
