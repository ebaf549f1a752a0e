package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.ALREADY_EXISTS;
import static dev.keyward.runtime.KmsError.INVALID_ALIAS_NAME;
import static dev.keyward.runtime.KmsError.LIMIT_EXCEEDED;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsValidation.checkAliasName;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;
import static dev.keyward.runtime.KmsValidation.spec;

import dev.keyward.runtime.Kms.AliasListEntry;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.store.StoredAlias;
import dev.keyward.runtime.store.StoredKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases.
 */
final class KmsAliases {

  private final KmsState shared;
  private final KmsGate gate;

  KmsAliases(KmsState shared, KmsGate gate) {
    this.shared = shared;
    this.gate = gate;
  }

  // aliases ---------------------------------------------------------------------------------------------

  void createAlias(Caller c, String aliasName, String targetKeyId) {
    gate.run(c, "CreateAlias", null, call -> {
      checkAliasName(aliasName);
      StoredKey k0 = gate.resolve(c, targetKeyId, call);
      String account = KmsGate.accountOf(c.principal());
      if (!k0.account().equals(account) || !k0.region().equals(c.region())) {
        throw NOT_FOUND.exception("key `" + targetKeyId + "` is not in the caller's account and Region");
      }
      gate.authorize(call, k0, "kms:CreateAlias", Map.of());
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        String aliasArn = "arn:aws:kms:" + c.region() + ":" + account + ":" + aliasName;
        if (shared.aliases.containsKey(aliasArn)) {
          throw ALREADY_EXISTS.exception("alias `" + aliasName + "` already exists");
        }
        long count = shared.aliases.values().stream().filter(a -> a.targetKeyArn().equals(k.arn())).count();
        if (count >= KmsRuntime.MAX_ALIASES_PER_KEY) {
          throw LIMIT_EXCEEDED.exception("key `" + k.arn() + "` has "
              + KmsRuntime.MAX_ALIASES_PER_KEY + " aliases already");
        }
        StoredAlias a = new StoredAlias(aliasArn, aliasName, account, c.region(), k.arn(), shared.clock.instant());
        shared.store.putAlias(a);
        shared.aliases.put(aliasArn, a);
        gate.changed();
      }
      return null;
    });
  }

  /** UpdateAlias: the new key must have the same key type (symmetric, asymmetric, HMAC) and usage. */
  void updateAlias(Caller c, String aliasName, String targetKeyId) {
    gate.run(c, "UpdateAlias", null, call -> {
      checkAliasName(aliasName);
      String account = KmsGate.accountOf(c.principal());
      String aliasArn = "arn:aws:kms:" + c.region() + ":" + account + ":" + aliasName;
      StoredAlias old = shared.aliases.get(aliasArn);
      if (old == null) {
        throw NOT_FOUND.exception("alias `" + aliasName + "` does not exist");
      }
      StoredKey k0 = gate.resolve(c, targetKeyId, call);
      if (!k0.account().equals(account) || !k0.region().equals(c.region())) {
        throw NOT_FOUND.exception("key `" + targetKeyId + "` is not in the caller's account and Region");
      }
      StoredKey oldKey = shared.keys.get(old.targetKeyArn());
      gate.authorize(call, k0, "kms:UpdateAlias", Map.of());
      if (oldKey != null) {
        gate.authorize(call, oldKey, "kms:UpdateAlias", Map.of());
        if (!oldKey.usage().equals(k0.usage()) || spec(oldKey).family() != spec(k0).family()) {
          throw VALIDATION.exception("alias `" + aliasName + "` can only point to a key of the same type and"
              + " usage as its current key");
        }
      }
      synchronized (shared.lock) {
        requireNotPendingDeletion(shared.fresh(k0));
        StoredAlias a = new StoredAlias(aliasArn, aliasName, account, c.region(), k0.arn(), old.created());
        shared.store.putAlias(a);
        shared.aliases.put(aliasArn, a);
        gate.changed();
      }
      return null;
    });
  }

  void deleteAlias(Caller c, String aliasName) {
    gate.run(c, "DeleteAlias", null, call -> {
      if (aliasName == null || !aliasName.startsWith("alias/")) {
        throw INVALID_ALIAS_NAME.exception("alias name `" + aliasName + "` must start with `alias/`");
      }
      String aliasArn = "arn:aws:kms:" + c.region() + ":" + KmsGate.accountOf(c.principal()) + ":" + aliasName;
      StoredAlias a = shared.aliases.get(aliasArn);
      if (a == null) {
        throw NOT_FOUND.exception("alias `" + aliasName + "` does not exist");
      }
      StoredKey k = shared.keys.get(a.targetKeyArn());
      gate.authorize(call, k, "kms:DeleteAlias", Map.of());
      synchronized (shared.lock) {
        shared.store.deleteAlias(aliasArn);
        shared.aliases.remove(aliasArn);
        gate.changed();
      }
      return null;
    });
  }

  /** ListAliases of the caller's account and Region, or of one key; sorted by name (no paging). */
  List<AliasListEntry> listAliases(Caller c, String keyId) {
    return gate.run(c, "ListAliases", null, call -> {
      String target = null;
      if (keyId != null) {
        target = gate.resolve(c, keyId, call).arn();
      }
      gate.authorize(call, null, "kms:ListAliases", Map.of());
      String account = KmsGate.accountOf(c.principal());
      List<AliasListEntry> out = new ArrayList<>();
      for (StoredAlias a : shared.aliases.values()) {
        if (a.account().equals(account) && a.region().equals(c.region())
            && (target == null || a.targetKeyArn().equals(target))) {
          String targetId = a.targetKeyArn().substring(a.targetKeyArn().indexOf(":key/") + 5);
          out.add(new AliasListEntry(a.aliasName(), a.aliasArn(), targetId, a.created()));
        }
      }
      out.sort(Comparator.comparing(AliasListEntry::aliasName));
      return out;
    });
  }
}
