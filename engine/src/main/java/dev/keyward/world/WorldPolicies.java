package dev.keyward.world;

import dev.keyward.lint.PolicyContainer;
import dev.keyward.lint.Subject;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
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

  /** The top-level sections of a world file (see PRODUCT.md); a document with other keys is not a world. */
  private static final Set<String> SECTIONS = Set.of("organizations", "accounts", "principals", "keys",
      "buckets", "images", "identities", "vpcEndpoints");

  private final DocumentReader reader = DocumentReader.create();
  private final WorldLoader loader = WorldLoader.create();

  /** For ServiceLoader. */
  public WorldPolicies() {}

  @Override
  public Contents read(byte[] bytes, String file) {
    ReadResult read = reader.read(bytes, file, DocumentFormat.forFileName(file));
    if (!isWorld(read.root())) {
      return null;
    }
    WorldLoadResult loaded = loader.load(Path.of(file), file);
    List<Part> parts = new ArrayList<>();
    Set<String> covered = new LinkedHashSet<>();
    if (loaded.world() != null) {
      Set<PolicyDocument> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (PolicyDocument p : policies(loaded.world())) {
        if (!seen.add(p) || !p.source().hasPosition()) {
          continue; // the same file attached twice, or the default key policy (held by no file)
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

  private static void addUnits(List<OrganizationalUnit> units, List<PolicyDocument> out) {
    for (OrganizationalUnit u : units) {
      out.addAll(u.scps());
      out.addAll(u.rcps());
      addUnits(u.units(), out);
    }
  }

  /** Every policy document of the world, in world order. */
  static List<PolicyDocument> policies(World world) {
    List<PolicyDocument> out = new ArrayList<>();
    for (Organization o : world.organizations()) {
      out.addAll(o.scps());
      out.addAll(o.rcps());
      addUnits(o.units(), out);
    }
    for (Account a : world.accounts()) {
      out.addAll(a.scps());
      out.addAll(a.rcps());
    }
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
