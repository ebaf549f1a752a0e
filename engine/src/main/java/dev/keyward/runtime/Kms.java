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
   * Who calls, from where.
   *
   * @param principal the caller's ARN (user, role, role session or account root)
   * @param region the Region the call goes to (keys are created there; key ids resolve there)
   * @param viaService the AWS service that calls on the caller's behalf (kms:ViaService), or null
   */
  public record Caller(String principal, String region, String viaService) {
    public Caller {
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(region, "region");
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
  }

  /** DescribeKey's KeyMetadata. */
  public record KeyMetadata(String awsAccountId, String keyId, String arn, Instant creationDate, boolean enabled,
      String description, String keyUsage, String keyState, Instant deletionDate,
      Integer pendingDeletionWindowInDays, String origin, String keyManager, String keySpec,
      List<String> encryptionAlgorithms, List<String> signingAlgorithms, List<String> macAlgorithms,
      boolean multiRegion, String multiRegionKeyType, String currentKeyMaterialId) {}

  public record KeyListEntry(String keyId, String keyArn) {}

  public record ScheduleKeyDeletionResponse(String keyId, Instant deletionDate, String keyState,
      int pendingWindowInDays) {}

  public record KeyRotationStatus(String keyId, boolean keyRotationEnabled, Integer rotationPeriodInDays,
      Instant nextRotationDate) {}

  public record RotationsListEntry(String keyId, String keyMaterialId, Instant rotationDate, String rotationType,
      String keyMaterialState) {}

  public record AliasListEntry(String aliasName, String aliasArn, String targetKeyId, Instant creationDate) {}

  // crypto ----------------------------------------------------------------------------------------------

  public record EncryptRequest(String keyId, byte[] plaintext, Map<String, String> encryptionContext,
      String encryptionAlgorithm, List<String> grantTokens) {
    public static EncryptRequest of(String keyId, byte[] plaintext, Map<String, String> context) {
      return new EncryptRequest(keyId, plaintext, context, null, null);
    }
  }

  public record EncryptResponse(byte[] ciphertextBlob, String keyId, String encryptionAlgorithm) {}

  public record DecryptRequest(byte[] ciphertextBlob, String keyId, Map<String, String> encryptionContext,
      String encryptionAlgorithm, List<String> grantTokens) {
    public static DecryptRequest of(byte[] blob, Map<String, String> context) {
      return new DecryptRequest(blob, null, context, null, null);
    }
  }

  public record DecryptResponse(String keyId, SecretBytes plaintext, String encryptionAlgorithm,
      String keyMaterialId) {}

  public record ReEncryptRequest(byte[] ciphertextBlob, Map<String, String> sourceEncryptionContext,
      String sourceKeyId, String destinationKeyId, Map<String, String> destinationEncryptionContext,
      String sourceEncryptionAlgorithm, String destinationEncryptionAlgorithm, List<String> grantTokens) {}

  public record ReEncryptResponse(byte[] ciphertextBlob, String sourceKeyId, String keyId,
      String sourceEncryptionAlgorithm, String destinationEncryptionAlgorithm) {}

  /** GenerateDataKey(WithoutPlaintext): {@code keySpec} AES_128 or AES_256, or {@code numberOfBytes} 1..1024. */
  public record GenerateDataKeyRequest(String keyId, Map<String, String> encryptionContext, Integer numberOfBytes,
      String keySpec, List<String> grantTokens) {}

  /** {@code plaintext} is null for GenerateDataKeyWithoutPlaintext. */
  public record GenerateDataKeyResponse(byte[] ciphertextBlob, SecretBytes plaintext, String keyId) {}

  public record GenerateDataKeyPairRequest(String keyId, Map<String, String> encryptionContext,
      String keyPairSpec, List<String> grantTokens) {}

  /** {@code privateKeyPlaintext} (PKCS#8 DER) is null for GenerateDataKeyPairWithoutPlaintext. */
  public record GenerateDataKeyPairResponse(byte[] privateKeyCiphertextBlob, SecretBytes privateKeyPlaintext,
      byte[] publicKey, String keyId, String keyPairSpec) {}

  public record SignRequest(String keyId, byte[] message, String messageType, String signingAlgorithm,
      List<String> grantTokens) {}

  public record SignResponse(String keyId, byte[] signature, String signingAlgorithm) {}

  public record VerifyRequest(String keyId, byte[] message, String messageType, byte[] signature,
      String signingAlgorithm, List<String> grantTokens) {}

  /** Always true: a bad signature is {@link KMSInvalidSignatureException}, as in AWS. */
  public record VerifyResponse(String keyId, boolean signatureValid, String signingAlgorithm) {}

  public record GetPublicKeyResponse(String keyId, byte[] publicKey, String keySpec, String keyUsage,
      List<String> encryptionAlgorithms, List<String> signingAlgorithms) {}

  public record GenerateMacRequest(String keyId, byte[] message, String macAlgorithm, List<String> grantTokens) {}

  public record GenerateMacResponse(byte[] mac, String macAlgorithm, String keyId) {}

  public record VerifyMacRequest(String keyId, byte[] message, String macAlgorithm, byte[] mac,
      List<String> grantTokens) {}

  /** Always true: a bad MAC is {@link KMSInvalidMacException}, as in AWS. */
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
      List<String> operations, GrantConstraints constraints, String name, List<String> grantTokens) {
    public CreateGrantRequest {
      operations = operations == null ? List.of() : List.copyOf(operations);
    }
  }

  public record CreateGrantResponse(String grantToken, String grantId) {}

  public record GrantListEntry(String keyId, String grantId, String name, Instant creationDate,
      String granteePrincipal, String retiringPrincipal, String issuingAccount, List<String> operations,
      GrantConstraints constraints) {}
}
