package dev.keyward.runtime.crypto;

import java.security.GeneralSecurityException;

/**
 * Opens key material that a client wrapped for ImportKeyMaterial with the public key of
 * GetParametersForImport, and turns it into key material of the key's spec.
 */
public final class ImportUnwrapper {

  private ImportUnwrapper() {}

  /**
   * @param wrappingAlgorithm RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or
   *     RSA_AES_KEY_WRAP_SHA_256
   * @throws CiphertextException when the blob does not open under the wrapping key
   * @throws GeneralSecurityException when the opened material does not fit {@code spec}
   */
  public static KeyMaterial unwrap(AsymmetricKey wrappingKey, String wrappingAlgorithm, byte[] blob, KeySpec spec)
      throws CiphertextException, GeneralSecurityException {
    SecretBytes raw;
    switch (wrappingAlgorithm) {
      case "RSAES_OAEP_SHA_1":
        raw = wrappingKey.decryptSecret(EncryptionAlgorithm.RSAES_OAEP_SHA_1, blob);
        break;
      case "RSAES_OAEP_SHA_256":
        raw = wrappingKey.decryptSecret(EncryptionAlgorithm.RSAES_OAEP_SHA_256, blob);
        break;
      case "RSA_AES_KEY_WRAP_SHA_1":
        raw = wrappingKey.unwrapRsaAesKeyWrap(EncryptionAlgorithm.RSAES_OAEP_SHA_1, blob);
        break;
      case "RSA_AES_KEY_WRAP_SHA_256":
        raw = wrappingKey.unwrapRsaAesKeyWrap(EncryptionAlgorithm.RSAES_OAEP_SHA_256, blob);
        break;
      default:
        throw new IllegalArgumentException("unknown wrapping algorithm");
    }
    try {
      return KeyMaterial.fromImport(spec, raw);
    } finally {
      if (spec.isAsymmetric()) {
        raw.wipe();
      }
    }
  }
}
