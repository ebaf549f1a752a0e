package dev.keyward.world;

import dev.keyward.model.KmsOperationFacts;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * KMS key configuration values and the grant operations each kind of key supports.
 *
 * <p>Sources: grant operations, https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations
 * and the CreateGrant API's {@code GrantOperation} enum (which since 2024 includes DeriveSharedSecret);
 * key specs and usages, https://docs.aws.amazon.com/kms/latest/developerguide/create-keys.html#key-spec
 * and https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html.
 */
public final class KeySpecs {

  /** The operations a grant may allow; any other gives CreateGrant a ValidationError. */
  public static final List<String> GRANT_OPERATIONS = KmsOperationFacts.GRANT_OPERATIONS;

  public static final List<String> MANAGERS = List.of("CUSTOMER", "AWS", "AWS_OWNED");
  public static final List<String> ORIGINS = List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
  public static final List<String> USAGES = List.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC",
      "KEY_AGREEMENT");
  public static final List<String> STATES = List.of("Creating", "Enabled", "Disabled", "PendingDeletion",
      "PendingImport", "PendingReplicaDeletion", "Unavailable", "Updating");
  public static final List<String> SPECS = List.of("SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096",
      "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "HMAC_224", "HMAC_256", "HMAC_384",
      "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87");
  public static final List<String> MULTI_REGION_ROLES = List.of("PRIMARY", "REPLICA");

  private KeySpecs() {}

  public static boolean isSymmetric(String spec) {
    return "SYMMETRIC_DEFAULT".equals(spec);
  }

  /** The usages a key spec allows; empty for an unknown spec (nothing is checked then). */
  public static Set<String> usagesFor(String spec) {
    if (spec == null) {
      return Set.of();
    }
    if (spec.equals("SYMMETRIC_DEFAULT")) {
      return Set.of("ENCRYPT_DECRYPT");
    }
    if (spec.startsWith("HMAC_")) {
      return Set.of("GENERATE_VERIFY_MAC");
    }
    if (spec.startsWith("RSA_")) {
      return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY");
    }
    if (spec.startsWith("ECC_NIST_")) {
      return Set.of("SIGN_VERIFY", "KEY_AGREEMENT");
    }
    if (spec.equals("ECC_SECG_P256K1") || spec.startsWith("ML_DSA_")) {
      return Set.of("SIGN_VERIFY");
    }
    if (spec.equals("SM2")) {
      return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT");
    }
    return Set.of();
  }

  /** The usage a world means when it gives a spec but no usage. */
  public static String defaultUsage(String spec) {
    if (spec != null && spec.startsWith("HMAC_")) {
      return "GENERATE_VERIFY_MAC";
    }
    if (spec != null && (spec.startsWith("ECC_") || spec.startsWith("ML_DSA_"))) {
      return "SIGN_VERIFY";
    }
    return "ENCRYPT_DECRYPT";
  }

  /** The grant operations a key of this spec and usage supports. */
  public static Set<String> grantOperationsFor(String spec, String usage) {
    Set<String> ops = new LinkedHashSet<>(List.of("CreateGrant", "DescribeKey", "RetireGrant"));
    switch (usage) {
      case "ENCRYPT_DECRYPT":
        ops.addAll(List.of("Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo"));
        if (isSymmetric(spec)) {
          ops.addAll(List.of("GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
              "GenerateDataKeyPairWithoutPlaintext"));
        } else {
          ops.add("GetPublicKey");
        }
        break;
      case "SIGN_VERIFY":
        ops.addAll(List.of("Sign", "Verify", "GetPublicKey"));
        break;
      case "GENERATE_VERIFY_MAC":
        ops.addAll(List.of("GenerateMac", "VerifyMac"));
        break;
      case "KEY_AGREEMENT":
        ops.addAll(List.of("DeriveSharedSecret", "GetPublicKey"));
        break;
      default:
        ops.addAll(GRANT_OPERATIONS);
    }
    return ops;
  }
}
