package dev.keyward.world;

import static dev.keyward.world.SnapshotWorldTest.ACCOUNT;
import static dev.keyward.world.SnapshotWorldTest.KEY;
import static dev.keyward.world.SnapshotWorldTest.ROLE;
import static dev.keyward.world.SnapshotWorldTest.run;
import static dev.keyward.world.SnapshotWorldTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.world.SnapshotWorldTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad snapshots under every command that takes {@code --world}: a truncated file, a hand-edited value of the
 * wrong type, a file of an unknown shape, and two snapshots of one account that disagree are each a located
 * error with exit 2, and no command answers anything from a half-loaded world (standard output stays empty).
 */
class SnapshotBadInputTest {

  @TempDir Path tmp;

  /** Every command that reads a world, asked about the snapshot(s) {@code worlds}. */
  private static List<String[]> commands(Path... worlds) {
    List<String> w = new ArrayList<>();
    for (Path p : worlds) {
      w.add("--world");
      w.add(p.toString());
    }
    List<String[]> out = new ArrayList<>();
    out.add(concat(new String[] {"can"}, w, "--principal", ROLE, "--action", "kms:Decrypt", "--resource", KEY));
    out.add(concat(new String[] {"who-can"}, w, "--action", "kms:Decrypt", "--resource", KEY));
    out.add(concat(new String[] {"check"}, w));
    out.add(concat(new String[] {"access"}, w, "--key", KEY));
    out.add(concat(new String[] {"report"}, w, "--out", worlds[0].resolveSibling("report.html").toString()));
    return out;
  }

  private static String[] concat(String[] head, List<String> middle, String... tail) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(middle);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  private static void assertRefused(List<String[]> commands, String... located) {
    for (String[] c : commands) {
      Result r = run(c);
      assertThat(r.code()).as(String.join(" ", c) + "\n" + r.out() + r.err()).isEqualTo(2);
      assertThat(r.out()).as(c[0] + " answered from a half-loaded world").isEmpty();
      assertThat(r.err()).as(c[0]).contains(located).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void truncatedFile_everyCommand_exits2_withTheFileLineAndColumn() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    Path grants = snap.resolve("regions/us-east-1/kms/list-grants.json");
    String text = Files.readString(grants);
    Files.writeString(grants, text.substring(0, text.length() - 4));
    assertRefused(commands(snap), "snap/regions/us-east-1/kms/list-grants.json:1:");
    assertThat(WorldLoader.create().load(snap, "snap").world()).as("nothing half-loaded").isNull();
  }

  @Test
  void truncatedGapsFile_isALocatedError_notAnEmptyListOfGaps() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of("keyward-gaps.json", "{\"Gaps\": [{\"Call\": \"kms:ListGr"));
    assertRefused(commands(snap), "snap/keyward-gaps.json:1:");
  }

  @Test
  void handEditedValueOfTheWrongType_everyCommand_exits2_atTheValue() throws Exception {
    Path snap = snapshot(tmp.resolve("snap"), Map.of());
    Path iam = snap.resolve("iam/get-account-authorization-details.json");
    Files.writeString(iam, Files.readString(iam).replace("\"AttachedManagedPolicies\": []",
        "\"AttachedManagedPolicies\": \"none\""));
    assertRefused(commands(snap), "snap/iam/get-account-authorization-details.json:", "must be an array");
  }

  @Test
  void unknownShape_aFolderOfAnotherTool_everyCommand_exits2() throws Exception {
    Path other = tmp.resolve("other");
    Files.createDirectories(other.resolve("sts"));
    Files.writeString(other.resolve("sts/get-caller-identity.json"), "{\"Account\": \"" + ACCOUNT + "\"}\n");
    Files.createDirectories(other.resolve("iam"));
    Files.writeString(other.resolve("iam/list-roles.json"), "{\"Roles\": []}\n");
    assertRefused(commands(other), "other/iam/list-roles.json", "is not a file of a snapshot");
  }

  @Test
  void twoSnapshotsOfOneAccount_thatDisagreeOnIam_everyCommand_exits2_namingBoth() throws Exception {
    Path a = snapshot(tmp.resolve("a"), Map.of());
    Path b = snapshot(tmp.resolve("b"), Map.of());
    Path iam = b.resolve("iam/get-account-authorization-details.json");
    Files.writeString(iam, Files.readString(iam).replace("\"Action\": \"kms:Decrypt\"", "\"Action\": \"kms:*\""));
    assertRefused(commands(a, b), "b/iam/get-account-authorization-details.json:",
        "are both snapshots of account " + ACCOUNT + " and disagree");
  }
}
