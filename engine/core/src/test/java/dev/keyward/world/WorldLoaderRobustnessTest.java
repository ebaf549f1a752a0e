package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Bad input of any shape gives problems, never an exception. */
class WorldLoaderRobustnessTest {

  private static final Path EXAMPLE = Path.of("..", "..", "examples", "cross-account-decrypt");
  private static final String WORLD_TEXT = read(EXAMPLE.resolve("world.yaml"));
  private static final String ODD_CHARS = " :-[]{}\"'#,\n\t!&*|>?@`%";

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static WorldLoadResult loadText(String text) throws IOException {
    // The mutated world lives next to the example so that its policy file references still resolve.
    Path tmp = Files.createTempFile(EXAMPLE.toAbsolutePath(), "mutated-", ".yaml");
    try {
      Files.writeString(tmp, text);
      return WorldLoader.create().load(tmp, "world.yaml");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Property(tries = 150)
  void load_exampleWithOneCharacterReplaced_neverThrows(
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 0, max = 22) int replacement) throws IOException {
    int at = position % WORLD_TEXT.length();
    String mutated = WORLD_TEXT.substring(0, at) + ODD_CHARS.charAt(replacement % ODD_CHARS.length()) + WORLD_TEXT.substring(at + 1);

    WorldLoadResult r = loadText(mutated);

    assertThat(r.world() != null || r.hasErrors()).isTrue();
  }

  @Property(tries = 100)
  void load_exampleTruncatedOrWithALineRemoved_neverThrows(
      @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll boolean truncate) throws IOException {
    String[] lines = WORLD_TEXT.split("\n", -1);
    String mutated;
    if (truncate) {
      mutated = WORLD_TEXT.substring(0, position % WORLD_TEXT.length());
    } else {
      int drop = position % lines.length;
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < lines.length; i++) {
        if (i != drop) {
          b.append(lines[i]).append('\n');
        }
      }
      mutated = b.toString();
    }

    WorldLoadResult r = loadText(mutated);

    assertThat(r.world() != null || r.hasErrors()).isTrue();
  }

  @Property(tries = 1)
  void load_oddShapes_giveProblemsNotExceptions() throws IOException {
    String[] worlds = {
        "keys: [null, 3, [], {arn: null}]",
        "principals: x",
        "principals: [{arn: arn:aws:iam::222222222222:role/A, policies: [a.json, 3, null], tags: {a: null, b: [1]}}]",
        "principals: [{arn: arn:aws:iam::222222222222:role/A, policies: [{file: 3}, {document: 'not json'},"
            + " {document: []}, {file: ''}, {file: '../../../../../../etc/passwd'}]}]",
        "keys: [{arn: 'arn:aws:kms:us-east-1:111111111111:key/x', grants: [{grantee: [], operations: x,"
            + " constraints: []}], rotation: 3, multiRegion: {role: REPLICA, primary: x}}]",
        "organizations: [{id: 3, accounts: {a: 1}, scps: [{}]}]",
        "accounts: [{id: [1]}, {}]",
        "buckets: [{replication: {rules: [3, {destination: 5}]}}, 7]",
        "images: [{launchPermissions: [], snapshots: {a: 1}, launches: [{}]}]",
        "identities: [{}, 3, {accessKeyId: [], secretAccessKey: {}, principal: null}]",
        "[]", "3", "null", "~", "",
    };
    for (String w : worlds) {
      WorldLoadResult r = loadText(w);
      assertThat(r.hasErrors()).as(w).isTrue();
    }
  }
}
