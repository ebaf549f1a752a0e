package dev.keyward.world;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.PolicyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a world file (YAML or JSON, see docs/world-and-requests.md) into a {@link World}, collecting every
 * problem with its file, line and column: unknown field names (with a suggestion), wrong types, missing
 * required fields, invalid ARNs and account ids, duplicate principals and keys, missing policy files,
 * grant operations that cannot be granted, and every problem inside the policies themselves (located in
 * their own files). Never throws for bad input.
 *
 * <p>Policies are named in reasons by the path the world gives for their file ({@code policies/a.json},
 * relative to the world's folder), or, when written inline, by the world file's name and the JSON
 * Pointer of the policy entry ({@code world.yaml#/principals/0/policies/1}). Problem locations use paths
 * the user can open from the working directory.
 *
 * <p>Buckets, images and identities (for {@code keyward check} and {@code keyward serve}) are read with
 * the same strictness; their cross-references (keys, principals) are checked against the world where the
 * world can know them.
 *
 * <p>How it is built: a {@link WorldSession} is one load. Each section is decoded by its own decoder
 * ({@link OrganizationDecoder}, {@link PrincipalDecoder}, {@link KeyDecoder}, {@link ResourceDecoder},
 * {@link PolicyDecoder}), all reading located nodes through {@link WorldReading}; cross-references and
 * duplicates are checked afterwards, in a pass of their own ({@link WorldChecks}).
 *
 * <p>Thread-safe: every {@link #load} call keeps its own state.
 */
public final class WorldLoader {

  private final DocumentReader reader;
  private final PolicyParser parser;

  private WorldLoader(DocumentReader reader, PolicyParser parser) {
    this.reader = reader;
    this.parser = parser;
  }

  /**
   * Whether a document's top level is a world's rather than a policy's: it names a section of a world
   * ({@code keys}, {@code principals}, ...) and no {@code Statement}. Commands that take either use it to report
   * a broken world as a world, not as a policy with unknown elements.
   */
  public static boolean hasWorldSections(dev.keyward.parse.Node top) {
    if (!(top instanceof dev.keyward.parse.Node.ObjectNode o) || o.get("Statement") != null) {
      return false;
    }
    for (dev.keyward.parse.Node.Field f : o.fields()) {
      if (WorldSession.TOP.contains(f.key())) {
        return true;
      }
    }
    return false;
  }

  public static WorldLoader create() {
    return new WorldLoader(DocumentReader.create(), PolicyParser.create());
  }

  /** Loads the world file at {@code file}; problems name it as {@code file} was written. */
  public WorldLoadResult load(Path file) {
    return load(file, WorldReading.slashes(file.toString()));
  }

  /**
   * Loads the world file at {@code file}; {@code displayName} is how problems name it, and the folder
   * part of it is how they name the policy files it refers to.
   */
  public WorldLoadResult load(Path file, String displayName) {
    if (Files.isDirectory(file)) {
      if (!SnapshotFiles.isSnapshot(file)) {
        return new WorldLoadResult(null, List.of(Problem.error("world.not-a-snapshot", "`" + displayName
            + "` is a folder but not a snapshot: it has no `" + SnapshotFiles.CALLER + "` (what `aws sts"
            + " get-caller-identity` prints), which names the account", SourceRef.synthetic(displayName, ""))));
      }
      SnapshotWorld.Tree tree = SnapshotWorld.folder(file, displayName);
      return fromTree(tree, file.resolve(SnapshotFiles.CALLER), displayName);
    }
    return new WorldSession(reader, parser, file, displayName).run();
  }

  /**
   * As {@link #load(Path, String)} for a world file (or IAM authorization details file) already read, with
   * the problems of reading it, by {@link DocumentReader#readFile} with the same names: it is not read again.
   */
  public WorldLoadResult load(Path file, String displayName, dev.keyward.parse.ReadResult read) {
    return new WorldSession(reader, parser, file, displayName).run(read);
  }

  /** Loads a snapshot's world tree; nothing of it is used when reading the snapshot found errors. */
  private WorldLoadResult fromTree(SnapshotWorld.Tree tree, Path file, String displayName) {
    if (tree.root() == null || tree.problems().stream().anyMatch(Problem::isError)) {
      return new WorldLoadResult(null, tree.problems());
    }
    WorldSession s = new WorldSession(reader, parser, file, displayName);
    s.problems().addAll(tree.problems());
    WorldLoadResult r = s.run(tree.root());
    if (r.world() == null) {
      return r;
    }
    return new WorldLoadResult(r.world().withCoverage(tree.coverage()), r.problems());
  }

}
