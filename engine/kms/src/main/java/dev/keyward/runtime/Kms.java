package dev.keyward.runtime;

import dev.keyward.runtime.crypto.SecretBytes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Requests and responses of the {@link KmsRuntime} operations, shaped after the KMS API (field names as in
 * AWS's API reference, enum values as strings exactly as AWS spells them). Optional fields are null.
 * Plaintext in responses is {@link SecretBytes}.
 */
public final class Kms {

  private Kms() {}

  /**
   * Who sends a KMS API call, and where it was sent: the caller of one call to the local KMS.
   *
   * <p>This is not a third kind of principal. Its {@code principal} and {@code session} are exactly what a
   * {@link dev.keyward.request.Request} carries, and they are handed to it unchanged; the authorizer resolves
   * the principal against the world into its own {@code eval.Caller}, as for any request. What a call has
   * and a request has not is where it was sent: the Region endpoint it reached ({@code region}, which decides
   * where keys are created, which key ids and aliases resolve, and becomes {@code aws:RequestedRegion}) and the
   * service that made it on the caller's behalf ({@code viaService}, which becomes {@code kms:ViaService}).
   * And one call is not one request: it is known before the key it names is resolved, and asks one or more
   * authorization questions (ReEncrypt asks {@code kms:ReEncryptFrom} of one key and {@code kms:ReEncryptTo}
   * of another; UpdateAlias asks of the old key and the new one), each a request built from this caller.
   *
   * @param principal the caller's ARN (user, role, role session or account root)
   * @param region the Region the call goes to (keys are created there; key ids resolve there)
   * @param viaService the AWS service that calls on the caller's behalf (kms:ViaService), or null
   * @param session the session tags, session policies and source identity of a role-session caller
   */
  public record Caller(String principal, String region, String viaService, dev.keyward.request.Session session) {
    public Caller {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(region, "region");
      session = session == null ? dev.keyward.request.Session.NONE : session;
    }

    /** A caller without session data. */
    public Caller(String principal, String region, String viaService) {
      this(principal, region, viaService, dev.keyward.request.Session.NONE);
    }

    public static Caller of(String principal, String region) {
      return new Caller(principal, region, null);
    }
  }

  // keys ------------------------------------------------------------------------------------------------

  public record CreateKeyRequest(String policy, String description, String keySpec, String keyUsage,
      String origin, boolean multiRegion, Map<String, String> tags, boolean bypassPolicyLockoutSafetyCheck) {
    public CreateKeyRequest {
      tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** A key of {@code keySpec} and {@code keyUsage} with the default key policy. */
    public static CreateKeyRequest of(String keySpec, String keyUsage) {
      return new CreateKeyRequest(null, null, keySpec, keyUsage, null, false, Map.of(), false);
    }

    public static CreateKeyRequest symmetric() {
      return of("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    }

    public CreateKeyRequest withPolicy(String newPolicy, boolean bypass) {
      return new CreateKeyRequest(newPolicy, description, keySpec, keyUsage, origin, multiRegion, tags, bypass);
    }

    public CreateKeyRequest withTags(Map<String, String> newTags) {
      return new CreateKeyRequest(policy, description, keySpec, keyUsage, origin, multiRegion, newTags,
          bypassPolicyLockoutSafetyCheck);
    }
  }

  /**
   * DescribeKey's KeyMetadata. {@code validTo} and {@code expirationModel} are set for imported material;
   * {@code primaryKeyArn} and {@code replicaKeyArns} form the MultiRegionConfiguration of multi-Region keys.
   */
  public record KeyMetadata(String awsAccountId, String keyId, String arn, Instant creationDate, boolean enabled,
      String description, String keyUsage, String keyState, Instant deletionDate,
      Integer pendingDeletionWindowInDays, String origin, String keyManager, String keySpec,
      List<String> encryptionAlgorithms, List<String> signingAlgorithms, List<String> macAlgorithms,
      boolean multiRegion, String multiRegionKeyType, String currentKeyMaterialId, Instant validTo,
      String expirationModel, String primaryKeyArn, List<String> replicaKeyArns) {}

  public record KeyListEntry(String keyId, String keyArn) {}

  public record ScheduleKeyDeletionResponse(String keyId, Instant deletionDate, String keyState,
      int pendingWindowInDays) {}

  public record KeyRotationStatus(String keyId, boolean keyRotationEnabled, Integer rotationPeriodInDays,
      Instant nextRotationDate) {}

  /**
   * One key material of ListKeyRotations. {@code importState}, {@code expirationModel}, {@code validTo} and
   * {@code keyMaterialDescription} are set for imported (EXTERNAL) keys only; {@code rotationType} is null for
   * a key's first material and for material pending rotation.
   */
  public record RotationsListEntry(String keyId, String keyMaterialId, Instant rotationDate, String rotationType,
      String keyMaterialState, String importState, String expirationModel, Instant validTo,
      String keyMaterialDescription) {
    public RotationsListEntry(String keyId, String keyMaterialId, Instant rotationDate, String rotationType,
        String keyMaterialState) {
      this(keyId, keyMaterialId, rotationDate, rotationType, keyMaterialState, null, null, null, null);
    }
  }

  /**
   * GetKeyLastUsage: the last successful cryptographic operation with the key since {@code trackingStartDate}
   * (null fields when none), and the audit sequence number of its event as {@code eventId}.
   */
  public record KeyLastUsage(String keyId, String operation, Instant timestamp, String eventId,
      Instant trackingStartDate) {}

  public record AliasListEntry(String aliasName, String aliasArn, String targetKeyId, Instant creationDate) {}

  /** GetParametersForImport: the wrapping public key (DER) and the token to give ImportKeyMaterial. */
  public record GetParametersForImportResponse(String keyId, byte[] importToken, byte[] publicKey,
      Instant parametersValidTo) {}

  /**
   * ImportKeyMaterial. {@code expirationModel} KEY_MATERIAL_EXPIRES (with {@code validTo}, at most 365 days
   * ahead) or KEY_MATERIAL_DOES_NOT_EXPIRE (the default, without {@code validTo}).
   */
  /**
   * ImportKeyMaterial. {@code importType} is NEW_KEY_MATERIAL or EXISTING_KEY_MATERIAL (null: NEW for a key
   * that never had material, else EXISTING); {@code keyMaterialId}, when given, must be the id of the material
   * re-imported; {@code keyMaterialDescription} labels the material (kept from the last import when null).
   */
  public record ImportKeyMaterialRequest(String keyId, byte[] importToken, byte[] encryptedKeyMaterial,
      Instant validTo, String expirationModel, String importType, String keyMaterialId,
      String keyMaterialDescription) {
    public ImportKeyMaterialRequest(String keyId, byte[] importToken, byte[] encryptedKeyMaterial, Instant validTo,
        String expirationModel) {
      this(keyId, importToken, encryptedKeyMaterial, validTo, expirationModel, null, null, null);
    }
  }

  /** ImportKeyMaterial and DeleteImportedKeyMaterial: the key ARN and the material imported or deleted. */
  public record KeyMaterialResponse(String keyId, String keyMaterialId) {}

  public record ReplicateKeyRequest(String keyId, String replicaRegion, String policy,
      boolean bypassPolicyLockoutSafetyCheck, String description, Map<String, String> tags) {}

  // crypto ----------------------------------------------------------------------------------------------

  public record EncryptRequest(String keyId, byte[] plaintext, Map<String, String> encryptionContext,
      String encryptionAlgorithm, List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public EncryptRequest(String keyId, byte[] plaintext, Map<String, String> encryptionContext,
        String encryptionAlgorithm, List<String> grantTokens) {
      this(keyId, plaintext, encryptionContext, encryptionAlgorithm, grantTokens, false);
    }

    public static EncryptRequest of(String keyId, byte[] plaintext, Map<String, String> context) {
      return new EncryptRequest(keyId, plaintext, context, null, null);
    }
  }

  public record EncryptResponse(byte[] ciphertextBlob, String keyId, String encryptionAlgorithm) {}

  /**
   * Decrypt. {@code dryRunModifiers} may hold IGNORE_CIPHERTEXT: with DryRun, the call then checks the
   * permissions on the key that {@code keyId} names without reading the ciphertext.
   */
  public record DecryptRequest(byte[] ciphertextBlob, String keyId, Map<String, String> encryptionContext,
      String encryptionAlgorithm, List<String> grantTokens, boolean dryRun, List<String> dryRunModifiers) {
    /** Without DryRun. */
    public DecryptRequest(byte[] ciphertextBlob, String keyId, Map<String, String> encryptionContext,
        String encryptionAlgorithm, List<String> grantTokens) {
      this(ciphertextBlob, keyId, encryptionContext, encryptionAlgorithm, grantTokens, false, null);
    }

    /** Without DryRun modifiers. */
    public DecryptRequest(byte[] ciphertextBlob, String keyId, Map<String, String> encryptionContext,
        String encryptionAlgorithm, List<String> grantTokens, boolean dryRun) {
      this(ciphertextBlob, keyId, encryptionContext, encryptionAlgorithm, grantTokens, dryRun, null);
    }

    public static DecryptRequest of(byte[] blob, Map<String, String> context) {
      return new DecryptRequest(blob, null, context, null, null);
    }
  }

  public record DecryptResponse(String keyId, SecretBytes plaintext, String encryptionAlgorithm,
      String keyMaterialId) {}

  public record ReEncryptRequest(byte[] ciphertextBlob, Map<String, String> sourceEncryptionContext,
      String sourceKeyId, String destinationKeyId, Map<String, String> destinationEncryptionContext,
      String sourceEncryptionAlgorithm, String destinationEncryptionAlgorithm, List<String> grantTokens,
      boolean dryRun, List<String> dryRunModifiers) {
    /** Without DryRunModifiers. */
    public ReEncryptRequest(byte[] ciphertextBlob, Map<String, String> sourceEncryptionContext,
        String sourceKeyId, String destinationKeyId, Map<String, String> destinationEncryptionContext,
        String sourceEncryptionAlgorithm, String destinationEncryptionAlgorithm, List<String> grantTokens,
        boolean dryRun) {
      this(ciphertextBlob, sourceEncryptionContext, sourceKeyId, destinationKeyId, destinationEncryptionContext,
          sourceEncryptionAlgorithm, destinationEncryptionAlgorithm, grantTokens, dryRun, null);
    }

    /** Without DryRun. */
    public ReEncryptRequest(byte[] ciphertextBlob, Map<String, String> sourceEncryptionContext,
        String sourceKeyId, String destinationKeyId, Map<String, String> destinationEncryptionContext,
        String sourceEncryptionAlgorithm, String destinationEncryptionAlgorithm, List<String> grantTokens) {
      this(ciphertextBlob, sourceEncryptionContext, sourceKeyId, destinationKeyId,
          destinationEncryptionContext, sourceEncryptionAlgorithm, destinationEncryptionAlgorithm, grantTokens, false);
    }
  }

  public record ReEncryptResponse(byte[] ciphertextBlob, String sourceKeyId, String keyId,
      String sourceEncryptionAlgorithm, String destinationEncryptionAlgorithm) {}

  /** GenerateDataKey(WithoutPlaintext): {@code keySpec} AES_128 or AES_256, or {@code numberOfBytes} 1..1024. */
  public record GenerateDataKeyRequest(String keyId, Map<String, String> encryptionContext, Integer numberOfBytes,
      String keySpec, List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public GenerateDataKeyRequest(String keyId, Map<String, String> encryptionContext, Integer numberOfBytes,
        String keySpec, List<String> grantTokens) {
      this(keyId, encryptionContext, numberOfBytes, keySpec, grantTokens, false);
    }
  }

  /** {@code plaintext} is null for GenerateDataKeyWithoutPlaintext. */
  public record GenerateDataKeyResponse(byte[] ciphertextBlob, SecretBytes plaintext, String keyId) {}

  public record GenerateDataKeyPairRequest(String keyId, Map<String, String> encryptionContext,
      String keyPairSpec, List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public GenerateDataKeyPairRequest(String keyId, Map<String, String> encryptionContext,
        String keyPairSpec, List<String> grantTokens) {
      this(keyId, encryptionContext, keyPairSpec, grantTokens, false);
    }
  }

  /** {@code privateKeyPlaintext} (PKCS#8 DER) is null for GenerateDataKeyPairWithoutPlaintext. */
  public record GenerateDataKeyPairResponse(byte[] privateKeyCiphertextBlob, SecretBytes privateKeyPlaintext,
      byte[] publicKey, String keyId, String keyPairSpec) {}

  public record SignRequest(String keyId, byte[] message, String messageType, String signingAlgorithm,
      List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public SignRequest(String keyId, byte[] message, String messageType, String signingAlgorithm,
        List<String> grantTokens) {
      this(keyId, message, messageType, signingAlgorithm, grantTokens, false);
    }
  }

  public record SignResponse(String keyId, byte[] signature, String signingAlgorithm) {}

  public record VerifyRequest(String keyId, byte[] message, String messageType, byte[] signature,
      String signingAlgorithm, List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public VerifyRequest(String keyId, byte[] message, String messageType, byte[] signature,
        String signingAlgorithm, List<String> grantTokens) {
      this(keyId, message, messageType, signature, signingAlgorithm, grantTokens, false);
    }
  }

  /** Always true: a bad signature is KMSInvalidSignatureException, as in AWS. */
  public record VerifyResponse(String keyId, boolean signatureValid, String signingAlgorithm) {}

  public record GetPublicKeyResponse(String keyId, byte[] publicKey, String keySpec, String keyUsage,
      List<String> encryptionAlgorithms, List<String> signingAlgorithms) {}

  public record GenerateMacRequest(String keyId, byte[] message, String macAlgorithm,
      List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public GenerateMacRequest(String keyId, byte[] message, String macAlgorithm, List<String> grantTokens) {
      this(keyId, message, macAlgorithm, grantTokens, false);
    }
  }

  public record GenerateMacResponse(byte[] mac, String macAlgorithm, String keyId) {}

  public record VerifyMacRequest(String keyId, byte[] message, String macAlgorithm, byte[] mac,
      List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public VerifyMacRequest(String keyId, byte[] message, String macAlgorithm, byte[] mac,
        List<String> grantTokens) {
      this(keyId, message, macAlgorithm, mac, grantTokens, false);
    }
  }

  /** Always true: a bad MAC is KMSInvalidMacException, as in AWS. */
  public record VerifyMacResponse(String keyId, boolean macValid, String macAlgorithm) {}

  // grants ----------------------------------------------------------------------------------------------

  public record GrantConstraints(Map<String, String> encryptionContextEquals,
      Map<String, String> encryptionContextSubset) {
    public GrantConstraints {
      encryptionContextEquals = encryptionContextEquals == null ? null : Map.copyOf(encryptionContextEquals);
      encryptionContextSubset = encryptionContextSubset == null ? null : Map.copyOf(encryptionContextSubset);
    }
  }

  public record CreateGrantRequest(String keyId, String granteePrincipal, String retiringPrincipal,
      List<String> operations, GrantConstraints constraints, String name, List<String> grantTokens, boolean dryRun) {
    /** Without DryRun. */
    public CreateGrantRequest(String keyId, String granteePrincipal, String retiringPrincipal,
        List<String> operations, GrantConstraints constraints, String name, List<String> grantTokens) {
      this(keyId, granteePrincipal, retiringPrincipal, operations, constraints, name, grantTokens, false);
    }

    public CreateGrantRequest {
      operations = operations == null ? List.of() : List.copyOf(operations);
    }
  }

  public record CreateGrantResponse(String grantToken, String grantId) {}

  public record GrantListEntry(String keyId, String grantId, String name, Instant creationDate,
      String granteePrincipal, String retiringPrincipal, String issuingAccount, List<String> operations,
      GrantConstraints constraints) {}
}
