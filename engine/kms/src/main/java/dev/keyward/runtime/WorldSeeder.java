package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.VALIDATION;

import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.JsonOut;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.world.Grant;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Seeds a runtime with the keys of a world file: the world's key ARNs (so key ids are deterministic), policies,
 * aliases and grants (with the world's grant ids), state (Enabled or Disabled), automatic rotation, and, for
 * tests, given material. Seeding is idempotent: what the runtime's store already holds is kept.
 *
 * <p>A key policy is seeded as its text, so that GetKeyPolicy returns what the world gave: a policy file's text
 * as it is, an inline policy ({@code policy: {document: ...}}) as compact JSON of the document written in the
 * world file (YAML included), under the name {@code keyward can} gives it ({@code world.yaml#/keys/0/policy}).
 */
public final class WorldSeeder {

  private WorldSeeder() {}

  /**
   * @param worldFile the world file (key policy files are read from its folder, inline policies from itself)
   * @param materials raw material by key ARN (symmetric and HMAC keys); keys not named get random material
   */
  public static void seed(KmsRuntime runtime, World world, Path worldFile, Map<String, SecretBytes> materials) {
    Path baseDir = worldFile.toAbsolutePath().getParent();
    Node worldRoot = null;
    Map<Path, Node> others = new java.util.HashMap<>();
    for (KmsKey k : world.keys()) {
      String arn = k.arn().toString();
      if (k.metadata().manager() != null && !k.metadata().manager().equals("CUSTOMER")) {
        continue;
      }
      String text = null;
      String name = null;
      if (!k.defaultPolicy()) {
        name = k.policy().name();
        Path file = baseDir.resolve(name);
        if (!name.contains("#") && Files.isRegularFile(file)) {
          try {
            text = Files.readString(file, StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw VALIDATION.exception("cannot read key policy file `" + name + "`");
          }
        } else {
          // A snapshot's key policy is in the snapshot file it was read from, as a JSON string.
          Path holder = Path.of(k.policy().source().file());
          boolean own = !Files.isRegularFile(holder) || holder.toAbsolutePath().equals(worldFile.toAbsolutePath());
          Node root;
          if (own) {
            if (worldRoot == null) {
              worldRoot = read(worldFile);
            }
            root = worldRoot;
          } else {
            root = others.computeIfAbsent(holder.toAbsolutePath(), WorldSeeder::read);
          }
          Node doc = find(root, k.policy().source().pointer());
          if (doc == null) {
            throw VALIDATION.exception("key policy of `" + arn + "` is neither a file next to the world nor"
                + " a document in it");
          }
          text = doc instanceof Node.ScalarNode && ((Node.ScalarNode) doc).isString()
              ? ((Node.ScalarNode) doc).text() : JsonOut.compact(doc);
        }
      }
      boolean fresh = !runtime.holds(arn);
      runtime.seedKey(arn, k.metadata().spec(), k.metadata().usage(), text, name, materials.get(arn),
          k.metadata().aliases());
      if (fresh) {
        runtime.seedKeySettings(arn, k.metadata().state(), k.metadata().rotationEnabled(),
            k.metadata().rotationPeriodDays());
      }
      for (Grant g : k.grants()) {
        runtime.seedGrant(arn, g.id(), g.name(), g.grantee(), g.retiringPrincipal(), g.operations(),
            g.encryptionContextEquals(), g.encryptionContextSubset());
      }
    }
  }

  private static Node read(Path worldFile) {
    ReadResult r = DocumentReader.create().readFile(worldFile, worldFile.getFileName().toString());
    if (r.root() == null) {
      throw VALIDATION.exception("cannot read the world file `" + worldFile.getFileName() + "` again");
    }
    return r.root();
  }

  /** The node at a JSON Pointer, found by the pointer every node of a read tree carries. */
  private static Node find(Node n, String pointer) {
    if (pointer.isEmpty() || n.source().pointer().equals(pointer)) {
      return pointer.isEmpty() ? null : n;
    }
    if (!pointer.startsWith(n.source().pointer() + "/") && !n.source().pointer().isEmpty()) {
      return null;
    }
    if (n instanceof Node.ObjectNode o) {
      for (Node.Field f : o.fields()) {
        Node found = find(f.value(), pointer);
        if (found != null) {
          return found;
        }
      }
    } else if (n instanceof Node.ArrayNode a) {
      for (Node item : a.items()) {
        Node found = find(item, pointer);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
