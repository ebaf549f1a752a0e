package dev.keyward.analysis;

import dev.keyward.world.WorldIndex;
import java.util.HashSet;
import java.util.Set;

/**
 * The request-context keys an analysis leaves open when it asks "may this principal ever call this
 * operation?": everything the request or the calling service could bring (encryption context, the
 * service it comes through, grant parameters, network, time, tags of the request and of the key).
 * Keys that describe the caller (aws:PrincipalOrgID, aws:PrincipalTag/*, aws:PrincipalArn, ...) are not
 * open: the engine derives them from the world, and a caller outside every organization has no
 * aws:PrincipalOrgID, whatever the request says. aws:PrincipalOrgPaths, which the world does not model,
 * is open for callers in an organization only.
 */
final class OpenKeys {

  private static final Set<String> REQUEST = Set.of("kms:EncryptionContext:*", "kms:EncryptionContextKeys",
      "kms:ViaService", "kms:GrantIsForAWSResource", "kms:GrantOperations", "kms:GrantConstraintType",
      "kms:EncryptionAlgorithm", "kms:SigningAlgorithm", "kms:MacAlgorithm", "kms:KeyAgreementAlgorithm",
      "kms:RequestAlias", "kms:GranteePrincipal", "kms:RetiringPrincipal", "kms:RecipientAttestation:*",
      "kms:ResourceAliases", "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp",
      "aws:CurrentTime", "aws:EpochTime", "aws:SecureTransport", "aws:MultiFactorAuthPresent",
      "aws:MultiFactorAuthAge", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService",
      "aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:RequestTag/*",
      "aws:TagKeys", "aws:ResourceTag/*", "aws:UserAgent", "aws:Referer", "aws:RequestedRegion",
      "aws:TokenIssueTime", "aws:SourceIdentity", "aws:FederatedProvider", "aws:userid");

  private OpenKeys() {}

  /** The open keys for a caller of this account. */
  static Set<String> forCaller(String account, WorldIndex index) {
    if (index.organizationOf(account).isEmpty()) {
      return REQUEST;
    }
    Set<String> s = new HashSet<>(REQUEST);
    s.add("aws:PrincipalOrgPaths");
    return Set.copyOf(s);
  }
}
