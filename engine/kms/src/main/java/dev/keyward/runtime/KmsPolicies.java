package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.LIMIT_EXCEEDED;
import static dev.keyward.runtime.KmsError.MALFORMED_POLICY_DOCUMENT;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsValidation.checkPolicyName;
import static dev.keyward.runtime.KmsValidation.requireNotPendingDeletion;

import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.parse.ParseResult;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.world.DefaultKeyPolicy;
import java.util.List;
import java.util.Map;

/**
 * Key policies: GetKeyPolicy, ListKeyPolicies, PutKeyPolicy, and the checks every new policy passes.
 */
final class KmsPolicies {

  private final KmsState shared;
  private final KmsGate gate;

  KmsPolicies(KmsState shared, KmsGate gate) {
    this.shared = shared;
    this.gate = gate;
  }

  String defaultPolicyText(String account) {
    return "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"key-default-1\",\n  \"Statement\": [\n    {\n"
        + "      \"Sid\": \"" + DefaultKeyPolicy.SID + "\",\n      \"Effect\": \"Allow\",\n"
        + "      \"Principal\": {\"AWS\": \"arn:aws:iam::" + account + ":root\"},\n"
        + "      \"Action\": \"kms:*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";
  }

  /** Checks a key policy as PutKeyPolicy does: size, characters, then our parser's errors. */
  ParseResult validatePolicy(String text, String name) {
    if (text.length() > KmsRuntime.MAX_POLICY_CHARS) {
      throw LIMIT_EXCEEDED.exception("key policy has " + text.length() + " characters, more than "
          + KmsRuntime.MAX_POLICY_CHARS);
    }
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (!(ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch <= 0xff))) {
        throw MALFORMED_POLICY_DOCUMENT.exception("key policy has a character outside tab, LF, CR and"
            + " U+0020 to U+00FF at offset " + i);
      }
    }
    ParseResult r = shared.parsePolicy(text, name);
    for (Problem p : r.problems()) {
      if (p.severity() == Severity.ERROR) {
        throw MALFORMED_POLICY_DOCUMENT.exception("key policy is malformed: " + p.message()
            + (p.where() == null || p.where().pointer().isEmpty() ? "" : " (at `" + p.where().pointer() + "`)"));
      }
    }
    if (r.policy() == null) {
      throw MALFORMED_POLICY_DOCUMENT.exception("key policy is malformed");
    }
    return r;
  }

  String getKeyPolicy(Caller c, String keyId, String policyName) {
    return gate.run(c, "GetKeyPolicy", null, call -> {
      checkPolicyName(policyName);
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:GetKeyPolicy", Map.of());
      return k.policy();
    });
  }

  List<String> listKeyPolicies(Caller c, String keyId) {
    return gate.run(c, "ListKeyPolicies", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:ListKeyPolicies", Map.of());
      return List.of("default");
    });
  }

  void putKeyPolicy(Caller c, String keyId, String policyName, String policy, boolean bypassLockoutCheck) {
    gate.run(c, "PutKeyPolicy", null, call -> {
      checkPolicyName(policyName);
      if (policy == null || policy.isEmpty()) {
        throw VALIDATION.exception("Policy is required");
      }
      StoredKey k0 = gate.resolve(c, keyId, call);
      gate.authorize(call, k0, "kms:PutKeyPolicy", Map.of());
      synchronized (shared.lock) {
        StoredKey k = shared.fresh(k0);
        requireNotPendingDeletion(k);
        String name = k.policyName().startsWith("<") ? "<key policy of " + k.arn() + ">" : k.policyName();
        ParseResult pr = validatePolicy(policy, name);
        StoredKey updated = new StoredKey(k.arn(), k.keyId(), k.account(), k.region(), k.spec(), k.usage(),
            k.origin(), k.multiRegion(), k.description(), k.state(), k.created(), k.deletionDate(),
            k.pendingWindowDays(), k.rotationEnabled(), k.rotationPeriodDays(), k.nextRotation(), policy, name,
            k.tags(), k.materials(), k.onDemandRotations(), k.materialExpires(), k.multiRegionKeyType());
        if (!bypassLockoutCheck) {
          gate.lockoutCheck(c, updated, pr.policy());
        }
        shared.writeKey(updated);
        gate.changed();
      }
      return null;
    });
  }
}
