package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.DISABLED;
import static dev.keyward.runtime.KmsError.DRY_RUN_OPERATION;
import static dev.keyward.runtime.KmsError.INVALID_ALIAS_NAME;
import static dev.keyward.runtime.KmsError.INVALID_KEY_USAGE;
import static dev.keyward.runtime.KmsError.KMS_INVALID_STATE;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.TAG;
import static dev.keyward.runtime.KmsError.UNSUPPORTED_OPERATION;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsRuntime.ALIAS_NAME;
import static dev.keyward.runtime.KmsRuntime.MAX_MESSAGE;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.crypto.EncryptionAlgorithm;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.KeyUsage;
import dev.keyward.runtime.crypto.MacAlgorithm;
import dev.keyward.runtime.crypto.MessageType;
import dev.keyward.runtime.crypto.SigningAlgorithm;
import dev.keyward.runtime.store.StoredKey;
import java.util.List;
import java.util.Map;

/** Parameter, key-state and key-usage validation, and parsing of algorithm, key spec and usage names, for {@link KmsRuntime}. */
final class KmsValidation {

  private KmsValidation() {}

  /**
   * KMS keys and aliases are regional: a request goes to one Region's endpoint (the Region of its signature) and
   * sees only that Region's keys, so a key or alias ARN of another Region is not found there, as in AWS
   * (docs/server.md, "Regions").
   */
  static void requireRegion(Caller c, String region, String keyId) {
    if (!region.equals(c.region())) {
      throw NOT_FOUND.exception("key `" + keyId + "` is in Region " + region + ", not in " + c.region()
          + ", the Region this request was sent to");
    }
  }

  static void requireEnabled(StoredKey k) {
    switch (k.state()) {
      case "Enabled":
        return;
      case "Disabled":
        throw DISABLED.exception("key `" + k.arn() + "` is disabled");
      default:
        throw KMS_INVALID_STATE.exception("key `" + k.arn() + "` is in state " + k.state());
    }
  }

  static void requireNotPendingDeletion(StoredKey k) {
    if (k.state().equals("PendingDeletion") || k.state().equals("PendingReplicaDeletion")) {
      throw KMS_INVALID_STATE.exception("key `" + k.arn() + "` is pending deletion");
    }
  }

  static void requireUsage(StoredKey k, KeyUsage u) {
    if (!k.usage().equals(u.name())) {
      throw INVALID_KEY_USAGE.exception("key `" + k.arn() + "` has usage " + k.usage() + ", not " + u.name());
    }
  }

  static KeySpec spec(StoredKey k) {
    return KeySpec.parse(k.spec());
  }

  static byte[] message(byte[] m, String what) {
    if (m == null || m.length < 1 || m.length > MAX_MESSAGE) {
      throw VALIDATION.exception(what + " must be 1 to " + MAX_MESSAGE + " bytes");
    }
    return m;
  }

  static Map<String, String> context(Map<String, String> c) {
    return c == null ? Map.of() : c;
  }

  static KeySpec keySpec(String name) {
    KeySpec s = KeySpec.parse(name == null ? "SYMMETRIC_DEFAULT" : name);
    if (s == null) {
      throw VALIDATION.exception("KeySpec `" + name + "` is not supported");
    }
    return s;
  }

  static KeyUsage keyUsage(KeySpec spec, String name) {
    KeyUsage u = name == null ? spec.usages().get(0) : KeyUsage.parse(name);
    if (u == null || !spec.usages().contains(u)) {
      throw VALIDATION.exception("KeyUsage `" + name + "` is not valid for KeySpec " + spec.name());
    }
    return u;
  }

  static void checkPolicyName(String policyName) {
    if (policyName != null && !policyName.equals("default")) {
      throw NOT_FOUND.exception("a key has one policy, named `default`, not `" + policyName + "`");
    }
  }

  static void checkTags(Map<String, String> tags) {
    if (tags == null) {
      throw VALIDATION.exception("Tags is required");
    }
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String k = e.getKey();
      if (k == null || k.isEmpty() || k.length() > 128 || k.startsWith("aws:")) {
        throw TAG.exception("tag key `" + k + "` must be 1 to 128 characters and not start with `aws:`");
      }
      if (e.getValue() == null || e.getValue().length() > 256) {
        throw TAG.exception("value of tag `" + k + "` must be 0 to 256 characters");
      }
    }
    if (tags.size() > 50) {
      throw TAG.exception("a key has at most 50 tags");
    }
  }

  /** Symmetric encryption keys rotate (imported ones on demand only). */
  static void rotatable(StoredKey k) {
    if (!k.spec().equals("SYMMETRIC_DEFAULT")) {
      throw UNSUPPORTED_OPERATION.exception("key `" + k.arn() + "` is " + k.spec()
          + "; only symmetric encryption keys rotate");
    }
  }

  /** Automatic rotation: never for imported key material (AWS rotates those on demand only). */
  static void automaticallyRotatable(StoredKey k) {
    rotatable(k);
    if (k.origin().equals("EXTERNAL")) {
      throw UNSUPPORTED_OPERATION.exception("key `" + k.arn() + "` has imported key material, which does not"
          + " rotate automatically: import new material (ImportType NEW_KEY_MATERIAL), then RotateKeyOnDemand");
    }
  }

  static void notReplica(StoredKey k) {
    if ("REPLICA".equals(k.multiRegionKeyType())) {
      throw UNSUPPORTED_OPERATION.exception("key `" + k.arn() + "` is a multi-Region replica; call this on its"
          + " primary key");
    }
  }

  static void checkAliasName(String name) {
    if (name == null || !ALIAS_NAME.matcher(name).matches() || name.length() > 256) {
      throw INVALID_ALIAS_NAME.exception("alias name `" + name + "` must be `alias/` and 1 to 250 of"
          + " [a-zA-Z0-9/_-]");
    }
    if (name.startsWith("alias/aws/")) {
      throw INVALID_ALIAS_NAME.exception("alias names starting with `alias/aws/` are reserved for AWS managed"
          + " keys");
    }
  }

  static void requireExternal(StoredKey k) {
    if (!k.origin().equals("EXTERNAL")) {
      throw UNSUPPORTED_OPERATION.exception("key `" + k.arn() + "` does not have imported key material"
          + " (Origin is " + k.origin() + ")");
    }
  }

  static EncryptionAlgorithm encryptionAlgorithm(String name) {
    EncryptionAlgorithm a = EncryptionAlgorithm.parse(name == null ? "SYMMETRIC_DEFAULT" : name);
    if (a == null) {
      throw VALIDATION.exception("EncryptionAlgorithm `" + name + "` is not supported");
    }
    return a;
  }

  static SigningAlgorithm signingAlgorithm(String name) {
    SigningAlgorithm a = name == null ? null : SigningAlgorithm.parse(name);
    if (a == null) {
      throw VALIDATION.exception("SigningAlgorithm `" + name + "` is not supported");
    }
    return a;
  }

  static MessageType messageType(String name, SigningAlgorithm alg, byte[] message) {
    MessageType t = MessageType.parse(name == null ? "RAW" : name);
    if (t == null) {
      throw VALIDATION.exception("MessageType `" + name + "` is not supported");
    }
    if (t == MessageType.DIGEST && message.length != alg.digestLength()) {
      throw VALIDATION.exception("a DIGEST message for " + alg.name() + " must be " + alg.digestLength()
          + " bytes");
    }
    return t;
  }

  static MacAlgorithm macAlgorithm(String name) {
    MacAlgorithm a = name == null ? null : MacAlgorithm.parse(name);
    if (a == null) {
      throw VALIDATION.exception("MacAlgorithm `" + name + "` is not supported");
    }
    return a;
  }

  /**
   * DryRun: every check passed (parameters, authorization, key state and usage), so the call stops here with
   * DryRunOperationException, as AWS answers
   * (https://docs.aws.amazon.com/kms/latest/developerguide/programming-dryrun.html).
   */
  static void dryRun(boolean dryRun, String operation) {
    if (dryRun) {
      throw DRY_RUN_OPERATION.exception("the " + operation + " request would have succeeded, but DryRun was set");
    }
  }

  /**
   * Whether a Decrypt or ReEncrypt is a dry run that ignores its ciphertext (DryRunModifiers IGNORE_CIPHERTEXT,
   * https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html): then the key comes from KeyId
   * (SourceKeyId) and only authorization, key state and usage are checked. Other modifiers are refused.
   */
  static boolean ignoreCiphertext(boolean dryRun, List<String> modifiers) {
    for (String m : modifiers == null ? List.<String>of() : modifiers) {
      if (!"IGNORE_CIPHERTEXT".equals(m)) {
        throw VALIDATION.exception("DryRunModifiers `" + m + "` is not supported (IGNORE_CIPHERTEXT is)");
      }
    }
    return dryRun && modifiers != null && modifiers.contains("IGNORE_CIPHERTEXT");
  }
}
