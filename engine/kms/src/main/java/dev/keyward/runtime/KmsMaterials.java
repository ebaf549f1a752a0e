package dev.keyward.runtime;

import static dev.keyward.runtime.KmsRuntime.HEX;
import dev.keyward.runtime.store.StoredKey.MaterialRef;
import dev.keyward.runtime.store.StoredKey;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Helpers over a key's material references (expiry, imported state, replica mirroring, ids) and import-token hashing, for {@link KmsRuntime}. */
final class KmsMaterials {

  private KmsMaterials() {}

  /** When the current imported material expires (DescribeKey's ValidTo), or null. */
  static Instant currentExpires(StoredKey k) {
    MaterialRef m = k.currentMaterial();
    return m == null ? null : m.expires();
  }

  /**
   * A replica's materials made to follow its primary's list (an imported replica needs each of the primary's
   * materials imported into it too): what the replica has keeps its import state; what it lacks is listed as
   * not imported; material pending on the primary is PENDING_ROTATION on the replica.
   */
  static List<MaterialRef> mirroredRefs(StoredKey primary, StoredKey replica) {
    List<MaterialRef> out = new ArrayList<>();
    for (MaterialRef p : primary.materials()) {
      MaterialRef own = replica.materials().stream().filter(x -> x.id().equals(p.id())).findFirst().orElse(null);
      String pending = p.pending() ? "PENDING_ROTATION" : null;
      out.add(own == null ? new MaterialRef(p.id(), p.created(), p.rotationType(), pending, null, null, false)
          : new MaterialRef(p.id(), p.created(), p.rotationType(), pending, own.expires(), own.description(),
              own.imported()));
    }
    return out;
  }

  /** The state an imported key has with these materials: PendingImport while one it keeps is missing. */
  static String importedState(StoredKey k, List<MaterialRef> ms) {
    if (k.state().equals("PendingDeletion") || k.state().equals("PendingReplicaDeletion")) {
      return k.state();
    }
    StoredKey probe = k.withMaterials(ms, k.state());
    if (!probe.allMaterialImported()) {
      return "PendingImport";
    }
    return k.state().equals("PendingImport") ? "Enabled" : k.state();
  }

  /** Imported materials of {@code k} whose expiry has come. */
  static Set<String> expired(StoredKey k, Instant now) {
    Set<String> out = new HashSet<>();
    for (MaterialRef m : k.materials()) {
      if (m.imported() && m.expires() != null && !m.expires().isAfter(now)) {
        out.add(m.id());
      }
    }
    return out;
  }

  /** A deterministic material id for seeded keys: SHA-256 of the key ARN and the material's index. */
  static String materialId(String keyArn, int index) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      return HEX.formatHex(d.digest((keyArn + "#" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How import tokens are kept: SHA-256 of the token, hex (the store never holds a usable token). */
  static String tokenHash(byte[] token) {
    try {
      return HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(token));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
