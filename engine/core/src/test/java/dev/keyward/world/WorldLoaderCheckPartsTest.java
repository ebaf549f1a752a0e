package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the world file that {@code keyward check} adds: required Regions and checked references. */
class WorldLoaderCheckPartsTest {

  private static final String PRIMARY = "arn:aws:kms:us-east-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String REPLICA = "arn:aws:kms:eu-west-1:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path dir;

  private WorldLoadResult load(String... lines) throws IOException {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, String.join("\n", lines) + "\n");
    return WorldLoader.create().load(world, "world.yaml");
  }

  private static List<String> problems(WorldLoadResult r) {
    return r.problems().stream().map(Problem::display).toList();
  }

  @Test
  void load_requiredRegions_areKeptOnThePrimary() throws IOException {
    WorldLoadResult r = load("keys:",
        "  - arn: " + PRIMARY,
        "    multiRegion: { role: PRIMARY, requiredRegions: [us-east-1, eu-west-1, us-east-1] }");

    assertThat(problems(r)).isEmpty();
    assertThat(r.world().keys().get(0).metadata().requiredRegions()).containsExactly("us-east-1", "eu-west-1");
  }

  @Test
  void load_requiredRegionsOnAReplicaOrNotARegion_areErrors() throws IOException {
    WorldLoadResult r = load("keys:",
        "  - arn: " + PRIMARY,
        "    multiRegion: { role: PRIMARY, requiredRegions: [eu-west] }",
        "  - arn: " + REPLICA,
        "    multiRegion: { role: REPLICA, primary: \"" + PRIMARY + "\", requiredRegions: [us-east-1] }");

    assertThat(problems(r)).containsExactly(
        "world.yaml:3:53: error: `eu-west` is not a Region name such as `us-east-1` [world.invalid-region]",
        "world.yaml:5:140: error: only the `PRIMARY` key lists `requiredRegions`; they apply to every key related"
            + " to it [world.unexpected-field]");
  }

  @Test
  void load_keyReferencesThatNameNoKeyOfTheWorld_warnWithTheClosestKey() throws IOException {
    String typo = KEY.substring(0, KEY.length() - 1) + "c";
    WorldLoadResult r = load("keys:",
        "  - arn: " + KEY,
        "    aliases: [alias/data]",
        "buckets:",
        "  - name: src-bucket",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    encryption: { type: SSE-KMS, key: \"arn:aws:kms:us-east-1:111111111111:alias/dta\" }",
        "    replication:",
        "      role: arn:aws:iam::111111111111:role/replication",
        "      rules: [{ id: r1, destination: { bucket: src-bucket, replicaKmsKeyId: \"" + typo + "\" } }]",
        "images:",
        "  - id: ami-0123456789abcdef0",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    snapshots: [{ id: snap-0123456789abcdef0, key: \"" + KEY + "\" }]");

    assertThat(r.hasErrors()).isFalse();
    assertThat(problems(r)).containsExactly(
        "world.yaml:8:17: warning: key `arn:aws:kms:us-east-1:111111111111:alias/dta` is not in the world, so"
            + " nothing can be said about its policy; did you mean"
            + " `arn:aws:kms:us-east-1:111111111111:alias/data`? [world.unknown-key]",
        "world.yaml:11:15: warning: key `" + typo + "` is not in the world, so nothing can be said about its"
            + " policy; did you mean `" + KEY + "`? [world.unknown-key]");
  }

  @Test
  void load_replicationRoleOrDestinationOfTheWrongAccount_areErrors() throws IOException {
    WorldLoadResult r = load("buckets:",
        "  - name: src-bucket",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    replication:",
        "      role: arn:aws:iam::222222222222:role/replication",
        "      rules: [{ id: r1, destination: { bucket: dst-bucket, account: \"333333333333\" } }]",
        "  - name: dst-bucket",
        "    account: \"222222222222\"",
        "    region: us-west-2");

    assertThat(problems(r)).containsExactly(
        "world.yaml:6:7: error: the replication role `arn:aws:iam::222222222222:role/replication` must belong to"
            + " the source bucket's account `111111111111` [world.replication-role-account]",
        "world.yaml:7:15: error: rule `r1` names account `333333333333` for bucket `dst-bucket`, which belongs to"
            + " `222222222222` [world.destination-account]");
  }

  @Test
  void load_replicaInTheWrongAccountOrRegionOrOfANonPrimary_areErrors() throws IOException {
    String otherAccount = "arn:aws:kms:eu-west-1:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    String sameRegion = "arn:aws:kms:us-east-1:111111111111:key/mrk-ffffabcd12ab34cd56ef1234567890ab";
    WorldLoadResult r = load("keys:",
        "  - arn: " + PRIMARY,
        "    multiRegion: { role: PRIMARY }",
        "  - arn: " + otherAccount,
        "    multiRegion: { role: REPLICA, primary: \"" + PRIMARY + "\" }",
        "  - arn: " + sameRegion,
        "    multiRegion: { role: REPLICA, primary: \"" + PRIMARY + "\" }",
        "  - arn: " + REPLICA,
        "    multiRegion: { role: REPLICA, primary: \"" + KEY + "\" }",
        "  - arn: " + KEY);

    assertThat(r.problems()).filteredOn(Problem::isError).extracting(Problem::display).containsExactly(
        "world.yaml:4:5: error: a replica belongs to its primary's account, but `" + otherAccount + "` is in"
            + " `222222222222` and its primary in `111111111111` [world.replica-account]",
        "world.yaml:6:5: error: a replica must be in another Region than its primary, and `" + sameRegion + "` is"
            + " in `us-east-1` like its primary [world.replica-region]",
        "world.yaml:8:5: error: the primary `" + KEY + "` of replica `" + REPLICA + "` is not declared with"
            + " `multiRegion: { role: PRIMARY }` [world.replica-primary]");
  }
}
