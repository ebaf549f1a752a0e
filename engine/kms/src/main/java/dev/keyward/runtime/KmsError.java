package dev.keyward.runtime;

/**
 * The errors a KMS operation answers with. Each constant carries the name a KMS client sees (the {@code __type}
 * of the answer, which the AWS SDKs turn into their exception classes) and the HTTP status AWS sends with it, as
 * the Errors lists of the AWS KMS API Reference give them (the service model carries no status): 500 for its
 * faults, 409 for a key in the wrong state or a conflict, 412 for a DryRun, else 400
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html). The wire name is data here: no Java
 * class is named after an error.
 */
public enum KmsError {
  /** The authorizer refused the call; the message names the statements that decided (an explicit Deny, or what was missing), and {@link KmsException#decision()} carries them all. */
  ACCESS_DENIED("AccessDeniedException", 400),
  /** The alias or replica already exists. */
  ALREADY_EXISTS("AlreadyExistsException", 400),
  /** A conflicting change is in progress. */
  CONFLICT("ConflictException", 409),
  /** The key is disabled. */
  DISABLED("DisabledException", 409),
  /** DryRun was set and the request would have succeeded. */
  DRY_RUN_OPERATION("DryRunOperationException", 412),
  /** The import token is more than 24 hours old. */
  EXPIRED_IMPORT_TOKEN("ExpiredImportTokenException", 400),
  /** The ciphertext was not encrypted under the key the request named. */
  INCORRECT_KEY("IncorrectKeyException", 400),
  /** The imported material differs from the key's material or does not fit its spec. */
  INCORRECT_KEY_MATERIAL("IncorrectKeyMaterialException", 400),
  /** The alias name is malformed or reserved (alias/aws/). */
  INVALID_ALIAS_NAME("InvalidAliasNameException", 400),
  /** A key or alias ARN is malformed. */
  INVALID_ARN("InvalidArnException", 400),
  /** The ciphertext is malformed, was changed, or its encryption context differs. */
  INVALID_CIPHERTEXT("InvalidCiphertextException", 400),
  /** The grant id does not name a grant of the key. */
  INVALID_GRANT_ID("InvalidGrantIdException", 400),
  /** A grant token is not one this KMS issued, or too many were given. */
  INVALID_GRANT_TOKEN("InvalidGrantTokenException", 400),
  /** The import token is not one GetParametersForImport issued for this key. */
  INVALID_IMPORT_TOKEN("InvalidImportTokenException", 400),
  /** The key's usage or spec does not allow the operation or algorithm. */
  INVALID_KEY_USAGE("InvalidKeyUsageException", 400),
  /** The runtime failed for a reason of its own (its key store, most likely); the message holds no secret. */
  KMS_INTERNAL("KMSInternalException", 500),
  /** The MAC did not verify (VerifyMac never answers false). */
  KMS_INVALID_MAC("KMSInvalidMacException", 400),
  /** The signature did not verify (Verify never answers false). */
  KMS_INVALID_SIGNATURE("KMSInvalidSignatureException", 400),
  /** The key's state does not allow the operation (e.g. PendingDeletion). */
  KMS_INVALID_STATE("KMSInvalidStateException", 409),
  /** The operation is not supported for this key (AWS's {@code UnsupportedOperationException}). */
  UNSUPPORTED_OPERATION("UnsupportedOperationException", 400),
  /** A limit was reached (policy size, on-demand rotations, grants per key, ...). */
  LIMIT_EXCEEDED("LimitExceededException", 400),
  /** The key policy does not parse, breaks a KMS rule, or fails the lockout safety check. */
  MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocumentException", 400),
  /** The key, alias or grant does not exist (in the caller's account and Region). */
  NOT_FOUND("NotFoundException", 400),
  /** A tag key or value is malformed. */
  TAG("TagException", 400),
  /** A parameter is missing, malformed or out of range. */
  VALIDATION("ValidationException", 400);

  private final String wireName;
  private final int httpStatus;

  KmsError(String wireName, int httpStatus) {
    this.wireName = wireName;
    this.httpStatus = httpStatus;
  }

  /** AWS's name of the error, e.g. {@code NotFoundException}. */
  public String wireName() {
    return wireName;
  }

  /** The HTTP status of an answer with this error. */
  public int httpStatus() {
    return httpStatus;
  }

  /** An exception with this error and {@code message} (which never holds key material or plaintext). */
  public KmsException exception(String message) {
    return new KmsException(this, message, null);
  }
}
