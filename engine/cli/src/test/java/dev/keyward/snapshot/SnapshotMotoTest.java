package dev.keyward.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyward snapshot} against moto seeded with an organization of three accounts (seed_moto.py), and
 * the answers of every command over the snapshots compared with those over the same environment written by
 * hand (moto-world.yaml).
 */
class SnapshotMotoTest {

  @TempDir static Path tmp;
  static MotoServer moto;
  static JsonNode seed;
  static Path management;
  static Path workloads;
  static Path data;
  static Path handWorld;
  static final Map<String, Result> snapshots = new TreeMap<>();

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void takeSnapshots() throws Exception {
    moto = MotoServer.start(tmp);
    seed = moto.seed();
    Path creds = moto.credentials(tmp, Map.of("workloads", seed.get("workloads").asText(),
        "data", seed.get("data").asText()));
    System.setProperty("aws.sharedCredentialsFile", creds.toString());
    System.setProperty("aws.configFile", tmp.resolve("no-config").toString());
    management = tmp.resolve("snap-management");
    workloads = tmp.resolve("snap-workloads");
    data = tmp.resolve("snap-data");
    for (var e : Map.of("management", management, "workloads", workloads, "data", data).entrySet()) {
      snapshots.put(e.getKey(), run("snapshot", "--profile", e.getKey(), "--region", "us-east-1",
          "--endpoint-url", moto.endpoint.toString(), "--out", e.getValue().toString()));
    }
    String world = Files.readString(Path.of("src/test/resources/snapshot/moto-world.yaml"));
    for (Iterator<String> it = seed.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      world = world.replace("${" + name + "}", seed.get(name).asText());
    }
    assertThat(world).doesNotContain("${");
    handWorld = tmp.resolve("moto-world.yaml");
    Files.writeString(handWorld, world);
  }

  @AfterAll
  static void stop() {
    System.clearProperty("aws.sharedCredentialsFile");
    System.clearProperty("aws.configFile");
    if (moto != null) {
      moto.close();
    }
  }

  static Result run(String... args) {
    return runWithInput("", args);
  }

  static Result runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  static String[] worlds(String... rest) {
    List<String> a = new ArrayList<>(List.of(rest));
    a.addAll(List.of("--world", management.toString(), "--world", workloads.toString(), "--world", data.toString()));
    return a.toArray(new String[0]);
  }

  static String[] hand(String... rest) {
    List<String> a = new ArrayList<>(List.of(rest));
    a.addAll(List.of("--world", handWorld.toString()));
    return a.toArray(new String[0]);
  }

  @Test
  void snapshot_managementAccount_readsEverythingWithoutGaps() throws Exception {
    Result r = snapshots.get("management");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("snapshot of account 123456789012").contains("2 organizational units")
        .contains("no gaps");
    assertThat(management.resolve("organizations/describe-policy.json")).exists();
    assertThat(management.resolve("regions/us-east-1/kms/list-keys.json")).exists();
  }

  @Test
  void snapshot_memberAccounts_writeAwsShapedFiles() throws Exception {
    JsonNode iam = new ObjectMapper().readTree(workloads.resolve("iam/get-account-authorization-details.json")
        .toFile());
    // The CLI's shape: policy documents decoded into objects, roles with their paths.
    JsonNode etl = null;
    for (JsonNode role : iam.get("RoleDetailList")) {
      if (role.get("RoleName").asText().equals("etl")) {
        etl = role;
      }
    }
    assertThat(etl).isNotNull();
    assertThat(etl.get("Path").asText()).isEqualTo("/service-role/");
    assertThat(etl.get("RolePolicyList").get(0).get("PolicyDocument").isObject()).isTrue();
    JsonNode grants = new ObjectMapper().readTree(data.resolve("regions/us-east-1/kms/list-grants.json").toFile());
    String financeId = seed.get("finance_key").asText().replaceAll(".*/", "");
    assertThat(grants.get(financeId).get("Grants").get(0).get("Name").asText()).isEqualTo("app-reads");
    // moto lets a member account list the organization's root but not below it: recorded as gaps, exit 1.
    Result r = snapshots.get("workloads");
    assertThat(r.code()).as(r.out() + r.err()).isIn(0, 1);
    if (r.code() == 1) {
      assertThat(r.out()).contains("gap").contains("organizations:");
      assertThat(workloads.resolve("keyward-gaps.json")).content().contains("\"Permission\"");
    }
  }

  static final String[][] REQUESTS = {
      // id, principal (account placeholder), action, resource placeholder, context, expected verdict
      {"etl-decrypt", "arn:aws:iam::${workloads}:role/service-role/etl", "kms:Decrypt", "finance_key", "", "ALLOW"},
      {"etl-encrypt", "arn:aws:iam::${workloads}:role/service-role/etl", "kms:Encrypt", "finance_key", "",
          "IMPLICIT_DENY"},
      {"app-grant-finance", "arn:aws:iam::${workloads}:role/app", "kms:Decrypt", "finance_key", "Finance", "ALLOW"},
      {"app-grant-hr", "arn:aws:iam::${workloads}:role/app", "kms:Decrypt", "finance_key", "HR", "IMPLICIT_DENY"},
      {"alice-local", "arn:aws:iam::${workloads}:user/engineering/alice", "kms:Decrypt", "local_key", "", "ALLOW"},
      {"admin-delete", "arn:aws:iam::${data}:role/admin", "kms:ScheduleKeyDeletion", "finance_key", "",
          "EXPLICIT_DENY"},
      {"admin-decrypt", "arn:aws:iam::${data}:role/admin", "kms:Decrypt", "finance_key", "", "ALLOW"},
      {"app-create-grant", "arn:aws:iam::${workloads}:role/app", "kms:CreateGrant", "local_key", "",
          "EXPLICIT_DENY"},
      {"replication-local", "arn:aws:iam::${workloads}:role/service-role/replication", "kms:Decrypt", "local_key", "",
          "ALLOW"},
      {"access-role-finance", "arn:aws:iam::${data}:role/OrganizationAccountAccessRole", "kms:Decrypt",
          "finance_key", "", "IMPLICIT_DENY"},
  };

  static String requests() {
    StringBuilder b = new StringBuilder();
    for (String[] r : REQUESTS) {
      String principal = r[1].replace("${workloads}", seed.get("workloads").asText())
          .replace("${data}", seed.get("data").asText());
      String context = r[4].isEmpty() ? "{}" : "{\"kms:EncryptionContext:Dept\":\"" + r[4] + "\"}";
      b.append("{\"id\":\"").append(r[0]).append("\",\"principal\":\"").append(principal)
          .append("\",\"action\":\"").append(r[2]).append("\",\"resource\":\"").append(seed.get(r[3]).asText())
          .append("\",\"context\":").append(context).append("}\n");
    }
    return b.toString();
  }

  static Map<String, JsonNode> decisions(Result r) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    for (String line : r.out().split("\n")) {
      if (!line.isBlank()) {
        JsonNode d = new ObjectMapper().readTree(line);
        out.put(d.get("id").asText(), d);
      }
    }
    return out;
  }

  @Test
  void can_snapshotsAndHandWrittenWorld_giveTheSameAnswers() throws Exception {
    Result fromSnapshots = runWithInput(requests(), worlds("can", "--requests", "-", "--format", "jsonl"));
    Result fromHand = runWithInput(requests(), hand("can", "--requests", "-", "--format", "jsonl"));
    assertThat(fromSnapshots.code()).as(fromSnapshots.err()).isZero();
    assertThat(fromHand.code()).as(fromHand.err()).isZero();
    Map<String, JsonNode> a = decisions(fromSnapshots);
    Map<String, JsonNode> b = decisions(fromHand);
    assertThat(a.keySet()).hasSize(REQUESTS.length).isEqualTo(b.keySet());
    for (String[] r : REQUESTS) {
      assertThat(a.get(r[0]).get("decision").asText()).as(r[0] + " from the snapshots").isEqualTo(r[5]);
      assertThat(b.get(r[0]).get("decision").asText()).as(r[0] + " from the hand-written world").isEqualTo(r[5]);
    }
  }

  @Test
  void can_reasons_pointIntoTheSnapshotFiles() {
    Result r = run(worlds("can", "--principal", "arn:aws:iam::" + seed.get("workloads").asText()
        + ":role/service-role/etl", "--action", "kms:Decrypt", "--resource", seed.get("finance_key").asText()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("snap-data/regions/us-east-1/kms/get-key-policy.json")
        .contains("statement EtlDecrypts")
        .contains("snap-workloads/iam/get-account-authorization-details.json#/RoleDetailList/");
  }

  static TreeSet<String> findings(Result r) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    for (JsonNode f : new ObjectMapper().readTree(r.out()).get("findings")) {
      out.add(f.get("analysis").asText() + " " + f.get("severity").asText() + " " + f.get("subject").asText());
    }
    return out;
  }

  @Test
  void check_snapshotsAndHandWrittenWorld_findTheSameProblems() throws Exception {
    Result fromSnapshots = run(worlds("check", "--format", "json"));
    Result fromHand = run(hand("check", "--format", "json"));
    assertThat(fromSnapshots.code()).as(fromSnapshots.err()).isEqualTo(fromHand.code()).isIn(0, 1);
    assertThat(findings(fromSnapshots)).isNotEmpty().isEqualTo(findings(fromHand));
  }

  static TreeSet<String> principals(Result r) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    JsonNode root = new ObjectMapper().readTree(r.out());
    for (String part : List.of("allowed", "conditional", "denied")) {
      for (JsonNode p : root.path(part)) {
        out.add(part + " " + p.get("principal").asText() + (p.has("decision") ? " " + p.get("decision").asText() : ""));
      }
    }
    return out;
  }

  @Test
  void whoCan_snapshotsAndHandWrittenWorld_listTheSamePrincipals() throws Exception {
    String key = seed.get("finance_key").asText();
    Result fromSnapshots = run(worlds("who-can", "--action", "kms:Decrypt", "--resource", key, "--format", "json"));
    Result fromHand = run(hand("who-can", "--action", "kms:Decrypt", "--resource", key, "--format", "json"));
    assertThat(fromSnapshots.code()).as(fromSnapshots.err()).isZero();
    assertThat(principals(fromSnapshots))
        .contains("allowed arn:aws:iam::" + seed.get("workloads").asText() + ":role/service-role/etl")
        .isEqualTo(principals(fromHand));
  }

  @Test
  void awsCliScript_writesFoldersThatGiveTheSameAnswers() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(MotoServer.onPath("aws") && MotoServer.onPath("jq"),
        "the AWS CLI or jq is not on PATH: the AWS CLI snapshot script is not tried (CI installs both)");
    Map<String, Path> cli = new TreeMap<>();
    for (String account : List.of("workloads", "data")) {
      Path out = tmp.resolve("cli-" + account);
      ProcessBuilder pb = new ProcessBuilder("bash", "../../examples/snapshot/aws-cli-snapshot.sh", out.toString(),
          "us-east-1").redirectErrorStream(true);
      pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", System.getProperty("aws.sharedCredentialsFile"));
      pb.environment().put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
      pb.environment().put("AWS_PROFILE", account);
      pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
      pb.environment().put("SNAPSHOT_ENDPOINT_URL", moto.endpoint.toString());
      Process p = pb.start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(log).isZero();
      cli.put(account, out);
    }
    // The same accounts, without the management account: both sides lack the SCPs, and say so.
    String[] fromCli = {"can", "--requests", "-", "--format", "jsonl", "--world", cli.get("workloads").toString(),
        "--world", cli.get("data").toString()};
    String[] fromKeyward = {"can", "--requests", "-", "--format", "jsonl", "--world", workloads.toString(),
        "--world", data.toString()};
    Result a = runWithInput(requests(), fromCli);
    Result b = runWithInput(requests(), fromKeyward);
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(b.code()).as(b.err()).isZero();
    Map<String, JsonNode> da = decisions(a);
    Map<String, JsonNode> db = decisions(b);
    assertThat(da.keySet()).hasSize(REQUESTS.length).isEqualTo(db.keySet());
    for (String id : da.keySet()) {
      assertThat(da.get(id).get("decision").asText()).as(id).isEqualTo(db.get(id).get("decision").asText());
      assertThat(da.get(id).toString()).as(id).contains("\"gap\"");
    }
    assertThat(da.get("etl-decrypt").get("decision").asText()).isEqualTo("ALLOW");
  }
}
