package dev.keyward.runtime;

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
 * tests, given material. Seeding is idempotent: what
 * the runtime's store already holds is kept.
 */
public final class WorldSeeder {

  private WorldSeeder() {}

  /**
   * @param baseDir the world file's directory (key policy files are read from it, so that GetKeyPolicy returns
   *     their text and decisions name them as {@code keyward can} does)
   * @param materials raw material by key ARN (symmetric and HMAC keys); keys not named get random material
   */
  public static void seed(KmsRuntime runtime, World world, Path baseDir, Map<String, SecretBytes> materials) {
    for (KmsKey k : world.keys()) {
      String arn = k.arn().toString();
      if (k.metadata().manager() != null && !k.metadata().manager().equals("CUSTOMER")) {
        continue;
      }
      String text = null;
      String name = null;
      if (!k.defaultPolicy()) {
        Path file = baseDir.resolve(k.policy().name());
        if (!Files.isRegularFile(file)) {
          throw new ValidationException("key policy of `" + arn + "` is not a file next to the world (inline key"
              + " policies cannot be seeded yet)");
        }
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new ValidationException("cannot read key policy file `" + k.policy().name() + "`");
        }
        name = k.policy().name();
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
}
