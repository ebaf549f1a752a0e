package dev.keyward.world;

import static dev.keyward.world.SnapshotWorldTest.ACCOUNT;
import static dev.keyward.world.SnapshotWorldTest.KEY;
import static dev.keyward.world.SnapshotWorldTest.ROLE;
import static dev.keyward.world.SnapshotWorldTest.can;
import static dev.keyward.world.SnapshotWorldTest.run;
import static dev.keyward.world.SnapshotWorldTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.world.SnapshotWorldTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gaps in the answers themselves: a decision, a who-can answer and a check finding that depend on something
 * the snapshot could not read (a refused call, an account not collected, a managed policy version missing)
 * say so in their reasons, their lists and their JSON, not only in a note on standard error.
 */
class SnapshotGapAnswersTest {

  static final String MANAGED = "arn:aws:iam::" + ACCOUNT + ":policy/data-readers";
  static final String LIST_GRANTS_REFUSED = "{\"Gaps\": [{\"Call\": \"kms:ListGrants\", \"Subject\": \"" + KEY
      + "\", \"Missing\": \"the grants of `" + KEY + "`\", \"Permission\": \"kms:ListGrants\","
      + " \"Error\": \"AccessDeniedException: no\"}]}\n";

  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The role of the small snapshot, with a customer managed policy attached whose version is not in it. */
  private Path withMissingManagedPolicy(Path dir, Map<String, String> more) throws Exception {
    Path snap = snapshot(dir, more);
    Path iam = snap.resolve("iam/get-account-authorization-details.json");
    Files.writeString(iam, Files.readString(iam).replace("\"AttachedManagedPolicies\": []",
        "\"AttachedManagedPolicies\": [{\"PolicyName\": \"data-readers\", \"PolicyArn\": \"" + MANAGED + "\"}]"));
    return snap;
  }

  @Test
  void can_textAndJsonl_sayWhichManagedPolicyVersionAndWhichAccountAreMissing() throws Exception {
    Path snap = withMissingManagedPolicy(tmp.resolve("snap"), Map.of());
    Result text = run(can(snap, ROLE, KEY));
    assertThat(text.code()).as(text.out() + text.err()).isZero();
    assertThat(text.out()).startsWith("ALLOW")
        .contains("gap: the snapshot could not read this, and the answer may depend on it: the default version of"
            + " managed policy `" + MANAGED + "` is not in the snapshot")
        .contains("snap/iam/get-account-authorization-details.json:");

    Path requests = tmp.resolve("requests.jsonl");
    Files.writeString(requests, "{\"id\": \"own\", \"principal\": \"" + ROLE + "\", \"action\": \"kms:Decrypt\","
        + " \"resource\": \"" + KEY + "\"}\n{\"id\": \"stranger\", \"principal\": \"arn:aws:iam::444455556666:role/x\","
        + " \"action\": \"kms:Decrypt\", \"resource\": \"" + KEY + "\"}\n");
    Result batch = run("can", "--world", snap.toString(), "--requests", requests.toString(), "--format", "jsonl");
    assertThat(batch.code()).as(batch.out() + batch.err()).isZero();
    String[] lines = batch.out().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode own = JSON.readTree(lines[0]);
    assertThat(own.get("decision").asText()).isEqualTo("ALLOW");
    assertThat(gapMessages(own.get("reasons"))).singleElement().asString().contains(MANAGED);
    JsonNode stranger = JSON.readTree(lines[1]);
    assertThat(stranger.get("decision").asText()).isEqualTo("IMPLICIT_DENY");
    assertThat(gapMessages(stranger.get("reasons"))).singleElement().asString()
        .contains("account 444455556666 was not collected");
  }

  @Test
  void can_refusedCallAboutTheKey_isAReasonOfTheDecision() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of("keyward-gaps.json", LIST_GRANTS_REFUSED));
    Result r = run(can(snap, "arn:aws:iam::" + ACCOUNT + ":role/other", KEY));
    // Denied by what is known; a grant the snapshot could not read might allow it, and the reasons say so.
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("gap:").contains("`kms:ListGrants` failed (AccessDeniedException: no)")
        .contains("snap/keyward-gaps.json:1:");
  }

  @Test
  void whoCan_textAndJson_carryTheKeysGapsAndEachPrincipalsOwn() throws Exception {
    Path snap = withMissingManagedPolicy(tmp.resolve("snap"), Map.of("keyward-gaps.json", LIST_GRANTS_REFUSED));
    String[] args = {"who-can", "--world", snap.toString(), "--action", "kms:Decrypt", "--resource", KEY};
    Result text = run(args);
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("  " + ROLE + "\n    gap: the default version of managed policy `" + MANAGED + "`")
        .contains("gaps every answer above may depend on (1):\n  gap: the grants of `" + KEY + "` was not read:"
            + " `kms:ListGrants` failed");
    Result json = run(append(args, "--format", "json"));
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode root = JSON.readTree(json.out());
    assertThat(root.get("gaps")).hasSize(1);
    assertThat(root.get("gaps").get(0).get("about").asText()).isEqualTo("key");
    assertThat(root.get("gaps").get(0).get("subject").asText()).isEqualTo(KEY);
    assertThat(root.get("gaps").get(0).get("source").asText()).contains("snap/keyward-gaps.json:1:");
    JsonNode entry = root.get("allowed").get(0);
    assertThat(entry.get("principal").asText()).isEqualTo(ROLE);
    assertThat(entry.get("gaps")).singleElement().satisfies(g -> {
      assertThat(g.get("about").asText()).isEqualTo("principal");
      assertThat(g.get("message").asText()).contains(MANAGED);
    });
  }

  @Test
  void whoCan_withoutGaps_keepsItsShape() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    Result json = run("who-can", "--world", snap.toString(), "--action", "kms:Decrypt", "--resource", KEY,
        "--format", "json");
    assertThat(json.out()).doesNotContain("\"gaps\"");
    assertThat(json.err()).isEmpty();
  }

  @Test
  void check_findingThatDependsOnAGap_saysSo_inTextAndJson() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of(
        "regions/us-east-1/ec2/describe-images.json", "{\"Images\": [{\"ImageId\": \"ami-0123456789abcdef0\","
            + " \"OwnerId\": \"" + ACCOUNT + "\", \"BlockDeviceMappings\": [{\"DeviceName\": \"/dev/xvda\","
            + " \"Ebs\": {\"SnapshotId\": \"snap-0123456789abcdef0\", \"Encrypted\": true}}]}]}\n",
        "regions/us-east-1/ec2/describe-snapshots.json", "{\"Snapshots\": [{\"SnapshotId\": \"snap-0123456789abcdef0\","
            + " \"Encrypted\": true, \"KmsKeyId\": \"" + KEY + "\"}]}\n",
        "regions/us-east-1/ec2/describe-image-attribute.json", "{\"ami-0123456789abcdef0\": {\"ImageId\":"
            + " \"ami-0123456789abcdef0\", \"LaunchPermissions\": [{\"UserId\": \"444455556666\"}]}}\n",
        "keyward-gaps.json", LIST_GRANTS_REFUSED));
    Result text = run("check", "--world", snap.toString(), "--only", "ami-sharing");
    assertThat(text.code()).as(text.out() + text.err()).isEqualTo(1);
    assertThat(text.out()).contains("[ami-sharing]")
        .contains("  gap: the grants of `" + KEY + "` was not read: `kms:ListGrants` failed")
        .contains("  gap: account 444455556666 was not collected");
    Result json = run("check", "--world", snap.toString(), "--only", "ami-sharing", "--format", "json");
    JsonNode root = JSON.readTree(json.out());
    JsonNode finding = root.get("findings").get(0);
    assertThat(finding.get("analysis").asText()).isEqualTo("ami-sharing");
    assertThat(finding.get("gaps")).extracting(g -> g.get("about").asText()).contains("key", "account");
    assertThat(root.get("gaps")).singleElement().satisfies(g -> assertThat(g.get("message").asText())
        .contains("`kms:ListGrants` failed"));
  }

  @Test
  void check_handWrittenWorld_hasNoGaps() throws Exception {
    Result json = run("check", "--world", "../../examples/s3-replication-cross-account/world.yaml", "--format", "json");
    assertThat(json.out()).startsWith("{\"findings\":[").doesNotContain("\"gaps\"");
  }

  private static java.util.List<String> gapMessages(JsonNode reasons) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode r : reasons) {
      if (r.get("effect").asText().equals("gap")) {
        out.add(r.get("message").asText());
      }
    }
    return out;
  }

  private static String[] append(String[] a, String... more) {
    String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }
}
