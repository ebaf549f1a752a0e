package dev.keyward.eval;

import java.util.Set;

/** Tables of KMS operations that the authorizer needs. Action names are lower-case with the prefix. */
final class KmsOperations {

  private KmsOperations() {}

  /**
   * Operations that work on a key in another account. Every other operation on a foreign key fails
   * whatever the policies say. Source: KMS Developer Guide, "Allowing users in other accounts to use a KMS
   * key" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html)
   * and the "Cross-account use" line of each API reference page (DeriveSharedSecret: Yes).
   */
  static final Set<String> CROSS_ACCOUNT = Set.of(
      "kms:encrypt", "kms:decrypt", "kms:reencryptfrom", "kms:reencryptto",
      "kms:generatedatakey", "kms:generatedatakeywithoutplaintext",
      "kms:generatedatakeypair", "kms:generatedatakeypairwithoutplaintext",
      "kms:generatemac", "kms:verifymac", "kms:sign", "kms:verify", "kms:derivesharedsecret",
      "kms:creategrant", "kms:describekey", "kms:getkeyrotationstatus", "kms:getpublickey",
      "kms:listgrants", "kms:retiregrant", "kms:revokegrant");

  /**
   * Operations a grant can allow. Source: KMS Developer Guide, "Grants in AWS KMS", grant operations
   * (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations).
   */
  static final Set<String> GRANT_OPERATIONS = Set.of(
      "kms:decrypt", "kms:derivesharedsecret", "kms:encrypt", "kms:generatedatakey",
      "kms:generatedatakeypair", "kms:generatedatakeypairwithoutplaintext",
      "kms:generatedatakeywithoutplaintext", "kms:generatemac", "kms:reencryptfrom", "kms:reencryptto",
      "kms:sign", "kms:verify", "kms:verifymac", "kms:creategrant", "kms:describekey",
      "kms:getpublickey", "kms:retiregrant");

  /** Operations for which grant constraints are ignored (grants.md, "Using grant constraints"). */
  static final Set<String> CONSTRAINTS_IGNORED = Set.of("kms:describekey", "kms:retiregrant");

  static final String RETIRE_GRANT = "kms:retiregrant";
}
