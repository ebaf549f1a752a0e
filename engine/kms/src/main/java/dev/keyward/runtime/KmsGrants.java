package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.INVALID_GRANT_ID;
import static dev.keyward.runtime.KmsError.INVALID_GRANT_TOKEN;
import static dev.keyward.runtime.KmsError.LIMIT_EXCEEDED;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsValidation.dryRun;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;
import static dev.keyward.runtime.KmsViews.entry;
import static dev.keyward.runtime.KmsViews.keys;

import dev.keyward.model.KmsOperationFacts;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.CreateGrantRequest;
import dev.keyward.runtime.Kms.CreateGrantResponse;
import dev.keyward.runtime.Kms.GrantConstraints;
import dev.keyward.runtime.Kms.GrantListEntry;
import dev.keyward.runtime.store.StoredGrant;
import dev.keyward.runtime.store.StoredKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant.
 */
final class KmsGrants {

  private final KmsState shared;
  private final KmsGate gate;

  KmsGrants(KmsState shared, KmsGate gate) {
    this.shared = shared;
    this.gate = gate;
  }

  /** The grant operations of the runtime: all of KMS's but DeriveSharedSecret (it has no key-agreement keys). */
  static final Set<String> GRANT_OPERATIONS = KmsOperationFacts.GRANT_OPERATIONS.stream()
      .filter(op -> !op.equals("DeriveSharedSecret")).collect(java.util.stream.Collectors.toUnmodifiableSet());
  static final Pattern GRANT_NAME = Pattern.compile("[a-zA-Z0-9:/_-]{1,256}");
  // ---------------------------------------------------------------------------------------------------
  // grants

  CreateGrantResponse createGrant(Caller c, CreateGrantRequest r) {
    return gate.run(c, "CreateGrant", null, call -> {
      gate.checkTokens(r.grantTokens());
      if (r.granteePrincipal() == null || r.granteePrincipal().isEmpty()) {
        throw VALIDATION.exception("GranteePrincipal is required");
      }
      if (r.operations().isEmpty()) {
        throw VALIDATION.exception("Operations must name at least one operation");
      }
      for (String op : r.operations()) {
        if (!GRANT_OPERATIONS.contains(op)) {
          throw VALIDATION.exception("`" + op + "` is not a grant operation");
        }
      }
      GrantConstraints gc = r.constraints();
      boolean constrained = gc != null && (gc.encryptionContextEquals() != null
          || gc.encryptionContextSubset() != null);
      if (constrained) {
        for (String op : r.operations()) {
          if (KmsOperationFacts.NO_CONTEXT_GRANT_OPERATIONS.contains(op)) {
            throw VALIDATION.exception("grant constraints cannot be used with operation `" + op
                + "`, which takes no encryption context");
          }
        }
      }
      if (r.name() != null && !GRANT_NAME.matcher(r.name()).matches()) {
        throw VALIDATION.exception("grant name `" + r.name() + "` must be 1 to 256 of [a-zA-Z0-9:/_-]");
      }
      StoredKey k0 = gate.resolve(c, r.keyId(), call);
      Map<String, List<String>> extra = new HashMap<>();
      extra.put("kms:GrantOperations", List.copyOf(r.operations()));
      extra.put("kms:GranteePrincipal", List.of(r.granteePrincipal()));
      if (r.retiringPrincipal() != null) {
        extra.put("kms:RetiringPrincipal", List.of(r.retiringPrincipal()));
      }
      if (constrained) {
        List<String> types = new ArrayList<>();
        if (gc.encryptionContextEquals() != null) {
          types.add("EncryptionContextEquals");
        }
        if (gc.encryptionContextSubset() != null) {
          types.add("EncryptionContextSubset");
        }
        extra.put("kms:GrantConstraintType", types);
      }
      if (c.viaService() != null) {
        extra.put("kms:GrantIsForAWSResource", List.of("true"));
      }
      gate.authorize(call, k0, "kms:CreateGrant", extra);
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        dryRun(r.dryRun(), "CreateGrant");
        Map<String, String> eq = constrained ? gc.encryptionContextEquals() : null;
        Map<String, String> sub = constrained ? gc.encryptionContextSubset() : null;
        List<StoredGrant> onKey = new ArrayList<>();
        for (StoredGrant g : shared.grants.values()) {
          if (g.keyArn().equals(k.arn())) {
            onKey.add(g);
          }
        }
        if (r.name() != null) {
          for (StoredGrant g : onKey) {
            if (r.name().equals(g.name()) && g.grantee().equals(r.granteePrincipal())
                && Objects.equals(g.retiringPrincipal(), r.retiringPrincipal())
                && new HashSet<>(g.operations()).equals(new HashSet<>(r.operations()))
                && Objects.equals(g.constraintEquals(), eq) && Objects.equals(g.constraintSubset(), sub)) {
              return new CreateGrantResponse(g.token(), g.grantId());
            }
          }
        }
        if (onKey.size() >= KmsRuntime.MAX_GRANTS_PER_KEY) {
          throw LIMIT_EXCEEDED.exception("key `" + k.arn() + "` has "
              + KmsRuntime.MAX_GRANTS_PER_KEY + " grants already");
        }
        String id = KmsRuntime.HEX.formatHex(shared.randomBytes(32));
        StoredGrant g = new StoredGrant(id, k.arn(), shared.newToken(), r.name(), r.granteePrincipal(),
            r.retiringPrincipal(), KmsGate.accountOf(c.principal()), r.operations(), eq, sub, shared.clock.instant());
        shared.store.putGrant(g);
        shared.grants.put(id, g);
        shared.grantsByToken.put(g.token(), id);
        gate.changed();
        return new CreateGrantResponse(g.token(), id);
      }
    });
  }

  /** ListGrants of a key, optionally only one grant id or one grantee; by creation time (no paging). */
  List<GrantListEntry> listGrants(Caller c, String keyId, String grantId, String granteePrincipal) {
    return gate.run(c, "ListGrants", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:ListGrants", Map.of());
      List<GrantListEntry> out = new ArrayList<>();
      for (StoredGrant g : sortedGrants()) {
        if (g.keyArn().equals(k.arn()) && (grantId == null || g.grantId().equals(grantId))
            && (granteePrincipal == null || g.grantee().equals(granteePrincipal))) {
          out.add(entry(g));
        }
      }
      return out;
    });
  }

  List<StoredGrant> sortedGrants() {
    List<StoredGrant> l = new ArrayList<>(shared.grants.values());
    l.sort(Comparator.comparing(StoredGrant::created).thenComparing(StoredGrant::grantId));
    return l;
  }

  /** ListRetirableGrants: the grants naming {@code retiringPrincipal} (an IAM-only permission). */
  List<GrantListEntry> listRetirableGrants(Caller c, String retiringPrincipal) {
    return gate.run(c, "ListRetirableGrants", null, call -> {
      if (retiringPrincipal == null || retiringPrincipal.isEmpty()) {
        throw VALIDATION.exception("RetiringPrincipal is required");
      }
      gate.authorize(call, null, "kms:ListRetirableGrants", Map.of());
      List<GrantListEntry> out = new ArrayList<>();
      for (StoredGrant g : sortedGrants()) {
        if (retiringPrincipal.equals(g.retiringPrincipal())) {
          out.add(entry(g));
        }
      }
      return out;
    });
  }

  /**
   * RetireGrant by token, or by key and grant id. Authorized by the grant itself (its retiring principal, its
   * grantee when it lists RetireGrant, or its issuing account), as the authorizer decides kms:RetireGrant.
   */
  void retireGrant(Caller c, String grantToken, String keyId, String grantId) {
    retireGrant(c, grantToken, keyId, grantId, false);
  }

  /** RetireGrant with DryRun: all checks, then DryRunOperationException. */
  void retireGrant(Caller c, String grantToken, String keyId, String grantId, boolean dryRun) {
    gate.run(c, "RetireGrant", null, call -> {
      StoredGrant g;
      if (grantToken != null) {
        String id = shared.grantsByToken.get(grantToken);
        if (id == null || shared.grants.get(id) == null) {
          throw INVALID_GRANT_TOKEN.exception("grant token is not valid");
        }
        g = shared.grants.get(id);
      } else {
        if (keyId == null || grantId == null) {
          throw VALIDATION.exception("give GrantToken, or KeyId and GrantId");
        }
        StoredKey k = gate.resolve(c, keyId, call);
        g = shared.grants.get(grantId);
        if (g == null || !g.keyArn().equals(k.arn())) {
          throw INVALID_GRANT_ID.exception("grant `" + grantId + "` is not a grant of key `" + keyId + "`");
        }
      }
      StoredKey k = shared.keys.get(g.keyArn());
      gate.authorize(call, k, "kms:RetireGrant", keys("kms:GrantId", g.grantId()));
      dryRun(dryRun, "RetireGrant");
      removeGrant(g);
      return null;
    });
  }

  /** RevokeGrant: authorized by kms:RevokeGrant on the key (key policy or IAM). */
  void revokeGrant(Caller c, String keyId, String grantId) {
    revokeGrant(c, keyId, grantId, false);
  }

  /** RevokeGrant with DryRun: all checks, then DryRunOperationException. */
  void revokeGrant(Caller c, String keyId, String grantId, boolean dryRun) {
    gate.run(c, "RevokeGrant", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:RevokeGrant", Map.of());
      StoredGrant g = shared.grants.get(grantId == null ? "" : grantId);
      if (g == null || !g.keyArn().equals(k.arn())) {
        throw INVALID_GRANT_ID.exception("grant `" + grantId + "` is not a grant of key `" + keyId + "`");
      }
      dryRun(dryRun, "RevokeGrant");
      removeGrant(g);
      return null;
    });
  }

  void removeGrant(StoredGrant g) {
    synchronized (shared.lock) {
      shared.store.deleteGrant(g.grantId());
      shared.grants.remove(g.grantId());
      shared.grantsByToken.remove(g.token());
      gate.changed();
    }
  }
}
