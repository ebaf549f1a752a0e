package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.VALIDATION;

import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.world.Grant;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.util.Map;

/**
 * Seeds a runtime with the keys of a world: the world's key ARNs (so key ids are deterministic), policies,
 * aliases and grants (with the world's grant ids), state (Enabled or Disabled), automatic rotation, and, for
 * tests, given material. Seeding is idempotent: what the runtime's store already holds is kept.
 *
 * <p>A key policy is seeded as the text the world was read from, which the policy model keeps
 * ({@link dev.keyward.model.PolicyDocument#text()}), so that GetKeyPolicy returns what the world gave: a policy
 * file's text as it is, an inline policy ({@code policy: {document: ...}}) as compact JSON of the document
 * written in the world file (YAML included), a snapshot's key policy as the JSON string it holds, each under the
 * name {@code keyward can} gives it ({@code world.yaml#/keys/0/policy}). No file is read a second time.
 */
public final class WorldSeeder {

  private WorldSeeder() {}

  /** @param materials raw material by key ARN (symmetric and HMAC keys); keys not named get random material */
  public static void seed(KmsRuntime runtime, World world, Map<String, SecretBytes> materials) {
    for (KmsKey k : world.keys()) {
      String arn = k.arn().toString();
      if (k.metadata().manager() != null && !k.metadata().manager().equals("CUSTOMER")) {
        continue;
      }
      String text = null;
      String name = null;
      if (!k.defaultPolicy()) {
        name = k.policy().name();
        text = k.policy().text();
        if (text == null) {
          throw VALIDATION.exception("key policy of `" + arn + "` has no text to seed: it was not read from the"
              + " world");
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
}
