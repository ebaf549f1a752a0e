package dev.keyward.world;

import static dev.keyward.world.SnapshotWorldTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.world.SnapshotWorldTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyward access} and policy tests ({@code *.kwtest} whose world is a snapshot folder) on a committed
 * snapshot of one account: a role with a path, an intern, and a key whose policy also lets a partner
 * account decrypt.
 */
class SnapshotAccessAndTestsTest {

  static final String DIR = "src/test/resources/snapshot/policytest/";
  static final String SNAP = DIR + "snap";
  static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path tmp;

  @Test
  void policyTests_onASnapshotFolder_passAndFail_withReasonsInTheSnapshotFiles() {
    Result pass = run("test", DIR + "passing.kwtest");
    assertThat(pass.code()).as(pass.out() + pass.err()).isZero();
    assertThat(pass.out()).contains("2 passed, 0 failed");
    Result fail = run("test", DIR + "failing.kwtest");
    assertThat(fail.code()).as(fail.out() + fail.err()).isEqualTo(1);
    assertThat(fail.out()).contains("failing.kwtest:5:3: expected nobody outside account 111122223333")
        .contains("arn:aws:iam::444455556666:root")
        .contains("by: " + SNAP + "/regions/us-east-1/kms/get-key-policy.json#/1234abcd-12ab-34cd-56ef-1234567890ab"
            + " Partner");
  }

  @Test
  void policyTests_nameTheSnapshotsBadFile_whenItDoesNotLoad() throws Exception {
    Path dir = tmp.resolve("t");
    copy(Path.of(SNAP), dir.resolve("snap"));
    Path describe = dir.resolve("snap/regions/us-east-1/kms/describe-key.json");
    Files.writeString(describe, Files.readString(describe).substring(0, 40));
    Files.copy(Path.of(DIR + "passing.kwtest"), dir.resolve("passing.kwtest"));
    Result r = run("test", dir.resolve("passing.kwtest").toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.out() + r.err()).contains("the world `snap` does not load")
        .contains("snap/regions/us-east-1/kms/describe-key.json:");
  }

  @Test
  void access_onASnapshotFolder_findsThePartnerAccount_andTrustingItIsClean() throws Exception {
    Result r = run("access", "--world", SNAP, "--key", "alias/etl");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("external access to " + KEY + " from outside account 111122223333")
        .contains("any principal of account 444455556666")
        .contains("allowed by: " + SNAP + "/regions/us-east-1/kms/get-key-policy.json#/");
    assertThat(r.out() + r.err()).doesNotContain("gap");
    Result trusted = run("access", "--world", SNAP, "--key", "alias/etl", "--trust-account", "444455556666");
    assertThat(trusted.code()).as(trusted.out() + trusted.err()).isZero();
  }

  @Test
  void access_saysWhenTheKeysGrantsCouldNotBeRead() throws Exception {
    Path snap = tmp.resolve("snap");
    copy(Path.of(SNAP), snap);
    Files.writeString(snap.resolve("keyward-gaps.json"), "{\"Gaps\": [{\"Call\": \"kms:ListGrants\", \"Subject\": \""
        + KEY + "\", \"Missing\": \"the grants of `" + KEY + "`\", \"Permission\": \"kms:ListGrants\","
        + " \"Error\": \"AccessDeniedException: no\"}]}\n");
    Result text = run("access", "--world", snap.toString(), "--key", "alias/etl", "--trust-account", "444455556666");
    // Clean by what is known, but a grant the snapshot could not read might give access: the answer says so.
    assertThat(text.code()).isZero();
    assertThat(text.out()).contains("gap: the grants of `" + KEY + "` was not read: `kms:ListGrants` failed");
    assertThat(text.err()).contains("the analysis may miss access they would give");
    Result json = run("access", "--world", snap.toString(), "--key", "alias/etl", "--format", "json");
    JsonNode root = new ObjectMapper().readTree(json.out());
    assertThat(root.get("gaps")).singleElement().satisfies(g -> {
      assertThat(g.get("about").asText()).isEqualTo("key");
      assertThat(g.get("source").asText()).contains("keyward-gaps.json:1:");
    });
  }

  @Test
  void policyTests_thatPassOnAnAnswerWithAGap_sayWhichGap() throws Exception {
    Path dir = tmp.resolve("t");
    copy(Path.of(SNAP), dir.resolve("snap"));
    Files.writeString(dir.resolve("snap/keyward-gaps.json"), "{\"Gaps\": [{\"Call\": \"kms:ListGrants\","
        + " \"Subject\": \"" + KEY + "\", \"Missing\": \"the grants of `" + KEY + "`\", \"Permission\":"
        + " \"kms:ListGrants\", \"Error\": \"AccessDeniedException: no\"}]}\n");
    Files.copy(Path.of(DIR + "passing.kwtest"), dir.resolve("passing.kwtest"));
    Result r = run("test", dir.resolve("passing.kwtest").toString());
    // The intern is denied by what is known; a grant the snapshot could not read might allow it.
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("passing.kwtest:4  the ETL role decrypts with the key, the intern does not\n"
        + "      gap: the snapshots could not read this, and the answer may depend on it: the grants of `" + KEY
        + "` was not read: `kms:ListGrants` failed");
    Files.writeString(dir.resolve("clean.kwtest"), "world \"snap\"\n\ntest \"multi-Region keys\" {\n"
        + "  expect check multi-region clean\n}\n");
    Result clean = run("test", dir.resolve("clean.kwtest").toString());
    assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).contains("multi-Region keys\n      gap: the snapshots could not read this, and the answer"
        + " may depend on it: the grants of `" + KEY + "` was not read");
    // Without the refused call, only the test about the partner account depends on a gap: its account
    // was not collected, so its identity policies are unknown.
    Result committed = run("test", DIR + "passing.kwtest");
    assertThat(committed.out()).contains("the intern does not\nPASS ")
        .contains("nobody outside the two accounts may\n      gap: the snapshots could not read this, and the"
            + " answer may depend on it: account 444455556666 was not collected");
  }

  static void copy(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
