package dev.keyward.lint;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import dev.keyward.world.Bucket;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.SnapshotFiles;
import dev.keyward.world.SnapshotWorld;
import dev.keyward.world.VpcEndpoint;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lets {@code keyward lint} read world files: every policy of the world (SCPs, identity policies,
 * permissions boundaries, key policies, bucket policies) is linted as the type the world gives it, so a key
 * policy never meets identity-policy rules and an SCP never meets key-policy rules. The world's own problems
 * form one more subject. Policy files the world refers to are reported as covered, so that a lint of the
 * whole folder does not lint them again with a guessed type. AWS's default key policy, which no file holds,
 * is not linted. Found by the linter through {@link java.util.ServiceLoader}.
 */
public final class WorldPolicies implements PolicyContainer {

  /** The top-level sections of a world file (see docs/world-and-requests.md); a document with other keys is not a world. */
  private static final Set<String> SECTIONS = Set.of("organizations", "accounts", "principals", "keys",
      "buckets", "images", "identities", "vpcEndpoints");

  private final DocumentReader reader = DocumentReader.create();
  private final WorldLoader loader = WorldLoader.create();

  /** For ServiceLoader. */
  public WorldPolicies() {}

  @Override
  public Contents read(byte[] bytes, String file) {
    String folder = snapshotFolder(file);
    if (folder != null) {
      return snapshot(folder);
    }
    ReadResult read = reader.read(bytes, file, DocumentFormat.forFileName(file));
    if (!isWorld(read.root()) && !SnapshotWorld.isAuthorizationDetails(read.root())) {
      return null;
    }
    return loaded(read.root(), loader.load(Path.of(file), file), file);
  }

  /**
   * What {@link #read} gives for the world file {@code file} when it was already parsed (its document
   * {@code root}) and loaded ({@code loaded}, by {@link WorldLoader} with {@code file} as its name): the
   * same parts, without reading and loading the file again. Null when {@code root} is not a world file or
   * IAM authorization details (then the file is linted as {@link #read} decides).
   */
  public static Contents loaded(Node root, WorldLoadResult loaded, String file) {
    boolean details = SnapshotWorld.isAuthorizationDetails(root);
    if (!isWorld(root) && !details) {
      return null;
    }
    List<Part> parts = new ArrayList<>();
    Set<String> covered = new LinkedHashSet<>();
    if (loaded.world() != null) {
      Set<PolicyDocument> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (PolicyDocument p : policies(loaded.world())) {
        if (!seen.add(p) || !p.source().hasPosition() || details && p.source().file().startsWith("arn:")) {
          // the same file attached twice, the default key policy (held by no file), or, in IAM's own answer,
          // an AWS managed policy (AWS's, not the account's)
          continue;
        }
        String policyFile = p.source().file().isEmpty() ? file : p.source().file();
        parts.add(new Part(new Subject(policyFile, p, p.type(), List.of()), Set.of()));
        if (!policyFile.equals(file)) {
          covered.add(policyFile);
        }
      }
    }
    List<Problem> own = new ArrayList<>(loaded.problems());
    parts.add(new Part(new Subject(file, null, PolicyType.UNKNOWN, own), Set.of()));
    return new Contents(parts, List.copyOf(covered));
  }

  /** The snapshot folder whose caller file {@code file} is, as the linter names paths; or null. */
  private static String snapshotFolder(String file) {
    String suffix = "/" + SnapshotFiles.CALLER;
    if (!file.endsWith(suffix) && !file.equals(SnapshotFiles.CALLER)) {
      return null;
    }
    String folder = file.equals(SnapshotFiles.CALLER) ? "." : file.substring(0, file.length() - suffix.length());
    return SnapshotFiles.isSnapshot(Path.of(folder)) ? folder : null;
  }

  /**
   * Every policy of a snapshot (IAM inline and customer managed policies, boundaries, key policies, bucket
   * policies, SCPs and RCPs) as its type; the snapshot's files are covered, so a lint of the folder does not
   * lint them again as loose documents. AWS managed policies are AWS's, not the account's: not linted.
   */
  private Contents snapshot(String folder) {
    String shown = folder.equals(".") ? "" : folder;
    WorldLoadResult loaded = loader.load(Path.of(folder), shown.isEmpty() ? "." : shown);
    List<Part> parts = new ArrayList<>();
    String callerShown = (shown.isEmpty() ? "" : shown + "/") + SnapshotFiles.CALLER;
    if (loaded.world() != null) {
      Set<PolicyDocument> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (PolicyDocument p : policies(loaded.world())) {
        if (!seen.add(p) || !p.source().hasPosition() || p.source().file().startsWith("arn:")) {
          continue;
        }
        parts.add(new Part(new Subject(p.source().file(), p, p.type(), List.of()), Set.of()));
      }
    }
    // The snapshot's own problems, each under the file it is in.
    java.util.Map<String, List<Problem>> byFile = new java.util.TreeMap<>();
    byFile.put(callerShown, new ArrayList<>());
    for (Problem p : loaded.problems()) {
      String f = p.where().file().isEmpty() ? callerShown : p.where().file();
      byFile.computeIfAbsent(f, k -> new ArrayList<>()).add(p);
    }
    byFile.forEach((f, problems) -> parts.add(new Part(new Subject(f, null, PolicyType.UNKNOWN, problems),
        Set.of())));
    List<String> covered = new ArrayList<>();
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(Path.of(folder))) {
      s.filter(java.nio.file.Files::isRegularFile).forEach(f -> {
        String rel = Path.of(folder).relativize(f).toString().replace('\\', '/');
        if (!rel.equals(SnapshotFiles.CALLER)) {
          covered.add(shown.isEmpty() ? rel : shown + "/" + rel);
        }
      });
    } catch (java.io.IOException e) {
      // an unreadable file was reported by the load above
    }
    return new Contents(parts, covered);
  }

  private static boolean isWorld(Node root) {
    if (!(root instanceof Node.ObjectNode)) {
      return false;
    }
    List<Node.Field> fields = ((Node.ObjectNode) root).fields();
    if (fields.isEmpty()) {
      return false;
    }
    for (Node.Field f : fields) {
      if (!SECTIONS.contains(f.key())) {
        return false;
      }
    }
    return true;
  }

  /** Every policy document of the world, in world order. */
  static List<PolicyDocument> policies(World world) {
    List<PolicyDocument> out = new ArrayList<>(world.organizationPolicies());
    for (IamPrincipal p : world.principals()) {
      out.addAll(p.policies());
      if (p.boundary() != null) {
        out.add(p.boundary());
      }
    }
    for (KmsKey k : world.keys()) {
      if (!k.defaultPolicy()) {
        out.add(k.policy());
      }
    }
    for (Bucket b : world.buckets()) {
      if (b.policy() != null) {
        out.add(b.policy());
      }
    }
    for (VpcEndpoint v : world.vpcEndpoints()) {
      if (v.policy() != null) {
        out.add(v.policy());
      }
    }
    return out;
  }
}
