package com.example.invoices;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoResult;
import com.amazonaws.encryptionsdk.kmssdkv2.KmsMasterKey;
import com.amazonaws.encryptionsdk.kmssdkv2.KmsMasterKeyProvider;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The application code under test: stores invoices encrypted under one KMS key with the AWS Encryption SDK
 * (a data key per invoice, wrapped by KMS), and an encryption context that names the purpose.
 */
public final class InvoiceVault {

  private static final Map<String, String> CONTEXT = Map.of("purpose", "invoice");

  private final AwsCrypto crypto = AwsCrypto.builder()
      .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
      .build();
  private final KmsMasterKeyProvider keys;

  /**
   * @param kms the KMS client of the caller (in production the default one; in tests one per identity)
   * @param keyArn the key that protects invoices
   */
  public InvoiceVault(KmsClient kms, String keyArn) {
    this.keys = KmsMasterKeyProvider.builder()
        .customRegionalClientSupplier(region -> kms)
        .buildStrict(keyArn);
  }

  /** An encrypted invoice (the Encryption SDK's message format). */
  public byte[] seal(String invoice) {
    return crypto.encryptData(keys, invoice.getBytes(StandardCharsets.UTF_8), CONTEXT).getResult();
  }

  /** The invoice inside {@code sealed}; refuses a message without the invoice encryption context. */
  public String open(byte[] sealed) {
    CryptoResult<byte[], KmsMasterKey> r = crypto.decryptData(keys, sealed);
    if (!"invoice".equals(r.getEncryptionContext().get("purpose"))) {
      throw new IllegalStateException("not an invoice");
    }
    return new String(r.getResult(), StandardCharsets.UTF_8);
  }
}
