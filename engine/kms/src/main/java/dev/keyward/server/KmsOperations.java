package dev.keyward.server;

import static dev.keyward.runtime.KmsError.TAG;
import static dev.keyward.runtime.KmsError.UNSUPPORTED_OPERATION;
import static dev.keyward.runtime.KmsError.VALIDATION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.runtime.Kms;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.KmsRuntime;
import dev.keyward.runtime.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The KMS operations on the wire: each reads its (already validated) JSON request, calls the runtime and
 * writes the JSON answer with AWS's member names, base64 blobs and epoch-second timestamps. Errors of the
 * runtime pass through as {@link dev.keyward.runtime.KmsException}.
 */
final class KmsOperations {

  /** One operation: the request body in, the answer (null for an empty answer) out. */
  interface Handler {
    ObjectNode handle(KmsRuntime rt, Caller c, JsonNode in);
  }

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Operations that never change the store (no cross-process lock needed with a shared store). */
  static final Set<String> READ_ONLY = Set.of("DescribeKey", "ListKeys", "GetKeyPolicy", "ListKeyPolicies",
      "ListResourceTags", "GetKeyRotationStatus", "ListKeyRotations", "ListAliases", "Encrypt", "Decrypt",
      "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
      "GenerateDataKeyPairWithoutPlaintext", "GenerateRandom", "Sign", "Verify", "GetPublicKey", "GenerateMac",
      "VerifyMac", "ListGrants", "ListRetirableGrants", "GetKeyLastUsage");

  private final Map<String, Handler> handlers = new HashMap<>();

  private KmsOperations() {
    keys();
    crypto();
    grants();
    imports();
    multiRegion();
  }

  static KmsOperations create() {
    return new KmsOperations();
  }

  /** The handler of {@code op}, or null when Keyward does not implement it. */
  Handler handler(String op) {
    return handlers.get(op);
  }

  Set<String> implemented() {
    return Set.copyOf(handlers.keySet());
  }

  // ---------------------------------------------------------------------------------------------------
  // keys, policies, tags, rotation, aliases

  private void keys() {
    handlers.put("CreateKey", (rt, c, in) -> {
      String spec = firstText(in, "KeySpec", "CustomerMasterKeySpec");
      Kms.CreateKeyRequest r = new Kms.CreateKeyRequest(text(in, "Policy"), text(in, "Description"),
          spec == null ? "SYMMETRIC_DEFAULT" : spec, text(in, "KeyUsage"), text(in, "Origin"), bool(in, "MultiRegion"),
          tags(in.get("Tags")), bool(in, "BypassPolicyLockoutSafetyCheck"));
      if (in.hasNonNull("CustomKeyStoreId") || in.hasNonNull("XksKeyId")) {
        throw UNSUPPORTED_OPERATION.exception("custom key stores are not implemented");
      }
      return obj().set("KeyMetadata", metadata(rt.createKey(c, r)));
    });
    handlers.put("GetKeyLastUsage", (rt, c, in) -> {
      Kms.KeyLastUsage u = rt.getKeyLastUsage(c, text(in, "KeyId"));
      ObjectNode o = obj().put("KeyId", u.keyId());
      if (u.operation() != null) {
        ObjectNode d = o.putObject("KeyLastUsage").put("Operation", u.operation());
        time(d, "Timestamp", u.timestamp());
        putText(d, "CloudTrailEventId", u.eventId());
      }
      time(o, "TrackingStartDate", u.trackingStartDate());
      return o;
    });
    handlers.put("DescribeKey", (rt, c, in) -> obj().set("KeyMetadata", metadata(rt.describeKey(c, text(in, "KeyId")))));
    handlers.put("ListKeys", (rt, c, in) -> {
      List<ObjectNode> out = new ArrayList<>();
      for (Kms.KeyListEntry e : rt.listKeys(c)) {
        out.add(obj().put("KeyId", e.keyId()).put("KeyArn", e.keyArn()));
      }
      return page(in, out, Page.KEYS);
    });
    handlers.put("EnableKey", (rt, c, in) -> {
      rt.enableKey(c, text(in, "KeyId"));
      return null;
    });
    handlers.put("DisableKey", (rt, c, in) -> {
      rt.disableKey(c, text(in, "KeyId"));
      return null;
    });
    handlers.put("ScheduleKeyDeletion", (rt, c, in) -> {
      Kms.ScheduleKeyDeletionResponse r = rt.scheduleKeyDeletion(c, text(in, "KeyId"), integer(in,
          "PendingWindowInDays"));
      ObjectNode o = obj().put("KeyId", r.keyId()).put("KeyState", r.keyState())
          .put("PendingWindowInDays", r.pendingWindowInDays());
      time(o, "DeletionDate", r.deletionDate());
      return o;
    });
    handlers.put("CancelKeyDeletion", (rt, c, in) -> obj().put("KeyId", rt.cancelKeyDeletion(c, text(in, "KeyId"))));
    handlers.put("UpdateKeyDescription", (rt, c, in) -> {
      rt.updateKeyDescription(c, text(in, "KeyId"), text(in, "Description"));
      return null;
    });
    handlers.put("GetKeyPolicy", (rt, c, in) -> {
      String name = text(in, "PolicyName") == null ? "default" : text(in, "PolicyName");
      return obj().put("Policy", rt.getKeyPolicy(c, text(in, "KeyId"), name)).put("PolicyName", name);
    });
    handlers.put("ListKeyPolicies", (rt, c, in) -> {
      List<JsonNode> out = new ArrayList<>();
      for (String n : rt.listKeyPolicies(c, text(in, "KeyId"))) {
        out.add(F.textNode(n));
      }
      return page(in, out, Page.POLICY_NAMES);
    });
    handlers.put("PutKeyPolicy", (rt, c, in) -> {
      String name = text(in, "PolicyName") == null ? "default" : text(in, "PolicyName");
      rt.putKeyPolicy(c, text(in, "KeyId"), name, text(in, "Policy"), bool(in, "BypassPolicyLockoutSafetyCheck"));
      return null;
    });
    handlers.put("TagResource", (rt, c, in) -> {
      rt.tagResource(c, text(in, "KeyId"), tags(in.get("Tags")));
      return null;
    });
    handlers.put("UntagResource", (rt, c, in) -> {
      rt.untagResource(c, text(in, "KeyId"), strings(in.get("TagKeys")));
      return null;
    });
    handlers.put("ListResourceTags", (rt, c, in) -> {
      List<ObjectNode> out = new ArrayList<>();
      for (Map.Entry<String, String> e : rt.listResourceTags(c, text(in, "KeyId")).entrySet()) {
        out.add(obj().put("TagKey", e.getKey()).put("TagValue", e.getValue()));
      }
      return page(in, out, Page.TAGS);
    });
    handlers.put("EnableKeyRotation", (rt, c, in) -> {
      rt.enableKeyRotation(c, text(in, "KeyId"), integer(in, "RotationPeriodInDays"));
      return null;
    });
    handlers.put("DisableKeyRotation", (rt, c, in) -> {
      rt.disableKeyRotation(c, text(in, "KeyId"));
      return null;
    });
    handlers.put("GetKeyRotationStatus", (rt, c, in) -> {
      Kms.KeyRotationStatus s = rt.getKeyRotationStatus(c, text(in, "KeyId"));
      ObjectNode o = obj().put("KeyId", s.keyId()).put("KeyRotationEnabled", s.keyRotationEnabled());
      if (s.rotationPeriodInDays() != null) {
        o.put("RotationPeriodInDays", s.rotationPeriodInDays());
      }
      time(o, "NextRotationDate", s.nextRotationDate());
      return o;
    });
    handlers.put("RotateKeyOnDemand", (rt, c, in) -> obj().put("KeyId", rt.rotateKeyOnDemand(c, text(in, "KeyId"))));
    handlers.put("ListKeyRotations", (rt, c, in) -> {
      List<ObjectNode> out = new ArrayList<>();
      for (Kms.RotationsListEntry e : rt.listKeyRotations(c, text(in, "KeyId"))) {
        ObjectNode o = obj().put("KeyId", e.keyId());
        putText(o, "KeyMaterialId", e.keyMaterialId());
        time(o, "RotationDate", e.rotationDate());
        putText(o, "RotationType", e.rotationType());
        putText(o, "KeyMaterialState", e.keyMaterialState());
        putText(o, "ImportState", e.importState());
        putText(o, "ExpirationModel", e.expirationModel());
        time(o, "ValidTo", e.validTo());
        putText(o, "KeyMaterialDescription", e.keyMaterialDescription());
        out.add(o);
      }
      return page(in, out, Page.ROTATIONS);
    });
    handlers.put("CreateAlias", (rt, c, in) -> {
      rt.createAlias(c, text(in, "AliasName"), text(in, "TargetKeyId"));
      return null;
    });
    handlers.put("UpdateAlias", (rt, c, in) -> {
      rt.updateAlias(c, text(in, "AliasName"), text(in, "TargetKeyId"));
      return null;
    });
    handlers.put("DeleteAlias", (rt, c, in) -> {
      rt.deleteAlias(c, text(in, "AliasName"));
      return null;
    });
    handlers.put("ListAliases", (rt, c, in) -> {
      List<ObjectNode> out = new ArrayList<>();
      for (Kms.AliasListEntry e : rt.listAliases(c, text(in, "KeyId"))) {
        ObjectNode o = obj().put("AliasName", e.aliasName()).put("AliasArn", e.aliasArn());
        putText(o, "TargetKeyId", e.targetKeyId());
        time(o, "CreationDate", e.creationDate());
        out.add(o);
      }
      return page(in, out, Page.ALIASES);
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // crypto

  private void crypto() {
    handlers.put("Encrypt", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.EncryptResponse r = rt.encrypt(c, new Kms.EncryptRequest(text(in, "KeyId"), blob(in, "Plaintext"),
          context(in, "EncryptionContext"), text(in, "EncryptionAlgorithm"), strings(in.get("GrantTokens")), bool(in, "DryRun")));
      return obj().put("CiphertextBlob", b64(r.ciphertextBlob())).put("KeyId", r.keyId())
          .put("EncryptionAlgorithm", r.encryptionAlgorithm());
    });
    handlers.put("Decrypt", (rt, c, in) -> {
      recipient(in);
      Kms.DecryptResponse r = rt.decrypt(c, new Kms.DecryptRequest(blob(in, "CiphertextBlob"), text(in, "KeyId"),
          context(in, "EncryptionContext"), text(in, "EncryptionAlgorithm"), strings(in.get("GrantTokens")),
          bool(in, "DryRun"), strings(in.get("DryRunModifiers"))));
      ObjectNode o = obj().put("KeyId", r.keyId()).put("Plaintext", b64(r.plaintext()))
          .put("EncryptionAlgorithm", r.encryptionAlgorithm());
      putText(o, "KeyMaterialId", r.keyMaterialId());
      return o;
    });
    handlers.put("ReEncrypt", (rt, c, in) -> {
      Kms.ReEncryptResponse r = rt.reEncrypt(c, new Kms.ReEncryptRequest(blob(in, "CiphertextBlob"),
          context(in, "SourceEncryptionContext"), text(in, "SourceKeyId"), text(in, "DestinationKeyId"),
          context(in, "DestinationEncryptionContext"), text(in, "SourceEncryptionAlgorithm"),
          text(in, "DestinationEncryptionAlgorithm"), strings(in.get("GrantTokens")), bool(in, "DryRun"),
          strings(in.get("DryRunModifiers"))));
      return obj().put("CiphertextBlob", b64(r.ciphertextBlob())).put("SourceKeyId", r.sourceKeyId())
          .put("KeyId", r.keyId()).put("SourceEncryptionAlgorithm", r.sourceEncryptionAlgorithm())
          .put("DestinationEncryptionAlgorithm", r.destinationEncryptionAlgorithm());
    });
    handlers.put("GenerateDataKey", (rt, c, in) -> {
      dryRunModifiers(in);
      recipient(in);
      Kms.GenerateDataKeyResponse r = rt.generateDataKey(c, dataKeyRequest(in));
      return obj().put("CiphertextBlob", b64(r.ciphertextBlob())).put("Plaintext", b64(r.plaintext()))
          .put("KeyId", r.keyId());
    });
    handlers.put("GenerateDataKeyWithoutPlaintext", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.GenerateDataKeyResponse r = rt.generateDataKeyWithoutPlaintext(c, dataKeyRequest(in));
      return obj().put("CiphertextBlob", b64(r.ciphertextBlob())).put("KeyId", r.keyId());
    });
    handlers.put("GenerateDataKeyPair", (rt, c, in) -> {
      dryRunModifiers(in);
      recipient(in);
      Kms.GenerateDataKeyPairResponse r = rt.generateDataKeyPair(c, dataKeyPairRequest(in));
      return obj().put("PrivateKeyCiphertextBlob", b64(r.privateKeyCiphertextBlob()))
          .put("PrivateKeyPlaintext", b64(r.privateKeyPlaintext())).put("PublicKey", b64(r.publicKey()))
          .put("KeyId", r.keyId()).put("KeyPairSpec", r.keyPairSpec());
    });
    handlers.put("GenerateDataKeyPairWithoutPlaintext", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.GenerateDataKeyPairResponse r = rt.generateDataKeyPairWithoutPlaintext(c, dataKeyPairRequest(in));
      return obj().put("PrivateKeyCiphertextBlob", b64(r.privateKeyCiphertextBlob()))
          .put("PublicKey", b64(r.publicKey())).put("KeyId", r.keyId()).put("KeyPairSpec", r.keyPairSpec());
    });
    handlers.put("GenerateRandom", (rt, c, in) -> {
      recipient(in);
      if (in.hasNonNull("CustomKeyStoreId")) {
        throw UNSUPPORTED_OPERATION.exception("custom key stores are not implemented");
      }
      Integer n = integer(in, "NumberOfBytes");
      if (n == null) {
        throw VALIDATION.exception("NumberOfBytes is required");
      }
      return obj().put("Plaintext", b64(rt.generateRandom(c, n)));
    });
    handlers.put("Sign", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.SignResponse r = rt.sign(c, new Kms.SignRequest(text(in, "KeyId"), blob(in, "Message"),
          text(in, "MessageType"), text(in, "SigningAlgorithm"), strings(in.get("GrantTokens")), bool(in, "DryRun")));
      return obj().put("KeyId", r.keyId()).put("Signature", b64(r.signature()))
          .put("SigningAlgorithm", r.signingAlgorithm());
    });
    handlers.put("Verify", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.VerifyResponse r = rt.verify(c, new Kms.VerifyRequest(text(in, "KeyId"), blob(in, "Message"),
          text(in, "MessageType"), blob(in, "Signature"), text(in, "SigningAlgorithm"), strings(in.get("GrantTokens")),
          bool(in, "DryRun")));
      return obj().put("KeyId", r.keyId()).put("SignatureValid", r.signatureValid())
          .put("SigningAlgorithm", r.signingAlgorithm());
    });
    handlers.put("GetPublicKey", (rt, c, in) -> {
      Kms.GetPublicKeyResponse r = rt.getPublicKey(c, text(in, "KeyId"));
      ObjectNode o = obj().put("KeyId", r.keyId()).put("PublicKey", b64(r.publicKey()))
          .put("CustomerMasterKeySpec", r.keySpec()).put("KeySpec", r.keySpec()).put("KeyUsage", r.keyUsage());
      list(o, "EncryptionAlgorithms", r.encryptionAlgorithms());
      list(o, "SigningAlgorithms", r.signingAlgorithms());
      return o;
    });
    handlers.put("GenerateMac", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.GenerateMacResponse r = rt.generateMac(c, new Kms.GenerateMacRequest(text(in, "KeyId"), blob(in, "Message"),
          text(in, "MacAlgorithm"), strings(in.get("GrantTokens")), bool(in, "DryRun")));
      return obj().put("Mac", b64(r.mac())).put("MacAlgorithm", r.macAlgorithm()).put("KeyId", r.keyId());
    });
    handlers.put("VerifyMac", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.VerifyMacResponse r = rt.verifyMac(c, new Kms.VerifyMacRequest(text(in, "KeyId"), blob(in, "Message"),
          text(in, "MacAlgorithm"), blob(in, "Mac"), strings(in.get("GrantTokens")), bool(in, "DryRun")));
      return obj().put("KeyId", r.keyId()).put("MacValid", r.macValid()).put("MacAlgorithm", r.macAlgorithm());
    });
  }

  private static Kms.GenerateDataKeyRequest dataKeyRequest(JsonNode in) {
    return new Kms.GenerateDataKeyRequest(text(in, "KeyId"), context(in, "EncryptionContext"),
        integer(in, "NumberOfBytes"), text(in, "KeySpec"), strings(in.get("GrantTokens")), bool(in, "DryRun"));
  }

  private static Kms.GenerateDataKeyPairRequest dataKeyPairRequest(JsonNode in) {
    return new Kms.GenerateDataKeyPairRequest(text(in, "KeyId"), context(in, "EncryptionContext"),
        text(in, "KeyPairSpec"), strings(in.get("GrantTokens")), bool(in, "DryRun"));
  }

  /** DryRunModifiers (IGNORE_CIPHERTEXT) belongs to Decrypt and ReEncrypt only: elsewhere refused. */
  private static void dryRunModifiers(JsonNode in) {
    if (in.hasNonNull("DryRunModifiers") && in.get("DryRunModifiers").size() > 0) {
      throw UNSUPPORTED_OPERATION.exception("DryRunModifiers is not implemented by"
          + " keyward serve");
    }
  }

  /** Nitro Enclaves attestation (Recipient) is not implemented. */
  private static void recipient(JsonNode in) {
    if (in.hasNonNull("Recipient")) {
      throw UNSUPPORTED_OPERATION.exception("Recipient (Nitro Enclaves attestation) is not"
          + " implemented by keyward serve");
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // grants

  private void grants() {
    handlers.put("CreateGrant", (rt, c, in) -> {
      dryRunModifiers(in);
      Kms.GrantConstraints gc = null;
      JsonNode cn = in.get("Constraints");
      if (cn != null && !cn.isNull()) {
        gc = new Kms.GrantConstraints(context(cn, "EncryptionContextEquals"), context(cn, "EncryptionContextSubset"));
      }
      Kms.CreateGrantResponse r = rt.createGrant(c, new Kms.CreateGrantRequest(text(in, "KeyId"),
          text(in, "GranteePrincipal"), text(in, "RetiringPrincipal"), strings(in.get("Operations")), gc,
          text(in, "Name"), strings(in.get("GrantTokens")), bool(in, "DryRun")));
      return obj().put("GrantToken", r.grantToken()).put("GrantId", r.grantId());
    });
    handlers.put("ListGrants", (rt, c, in) -> grantPage(in, rt.listGrants(c, text(in, "KeyId"), text(in, "GrantId"),
        text(in, "GranteePrincipal"))));
    handlers.put("ListRetirableGrants", (rt, c, in) -> grantPage(in, rt.listRetirableGrants(c,
        text(in, "RetiringPrincipal"))));
    handlers.put("RetireGrant", (rt, c, in) -> {
      rt.retireGrant(c, text(in, "GrantToken"), text(in, "KeyId"), text(in, "GrantId"), bool(in, "DryRun"));
      return null;
    });
    handlers.put("RevokeGrant", (rt, c, in) -> {
      rt.revokeGrant(c, text(in, "KeyId"), text(in, "GrantId"), bool(in, "DryRun"));
      return null;
    });
  }

  private static ObjectNode grantPage(JsonNode in, List<Kms.GrantListEntry> grants) {
    List<ObjectNode> out = new ArrayList<>();
    for (Kms.GrantListEntry g : grants) {
      ObjectNode o = obj().put("KeyId", g.keyId()).put("GrantId", g.grantId());
      putText(o, "Name", g.name());
      time(o, "CreationDate", g.creationDate());
      putText(o, "GranteePrincipal", g.granteePrincipal());
      putText(o, "RetiringPrincipal", g.retiringPrincipal());
      putText(o, "IssuingAccount", g.issuingAccount());
      list(o, "Operations", g.operations());
      if (g.constraints() != null) {
        ObjectNode cn = o.putObject("Constraints");
        if (g.constraints().encryptionContextSubset() != null) {
          cn.set("EncryptionContextSubset", map(g.constraints().encryptionContextSubset()));
        }
        if (g.constraints().encryptionContextEquals() != null) {
          cn.set("EncryptionContextEquals", map(g.constraints().encryptionContextEquals()));
        }
      }
      out.add(o);
    }
    return page(in, out, Page.GRANTS);
  }

  // ---------------------------------------------------------------------------------------------------
  // imported key material, multi-Region keys

  private void imports() {
    handlers.put("GetParametersForImport", (rt, c, in) -> {
      Kms.GetParametersForImportResponse r = rt.getParametersForImport(c, text(in, "KeyId"),
          text(in, "WrappingAlgorithm"), text(in, "WrappingKeySpec"));
      ObjectNode o = obj().put("KeyId", r.keyId()).put("ImportToken", b64(r.importToken()))
          .put("PublicKey", b64(r.publicKey()));
      time(o, "ParametersValidTo", r.parametersValidTo());
      return o;
    });
    handlers.put("ImportKeyMaterial", (rt, c, in) -> {
      JsonNode validTo = in.get("ValidTo");
      Kms.KeyMaterialResponse r = rt.importKeyMaterial(c, new Kms.ImportKeyMaterialRequest(text(in, "KeyId"),
          blob(in, "ImportToken"), blob(in, "EncryptedKeyMaterial"), validTo == null || validTo.isNull() ? null
              : Instant.ofEpochMilli(Math.round(validTo.doubleValue() * 1000)), text(in, "ExpirationModel"),
          text(in, "ImportType"), text(in, "KeyMaterialId"), text(in, "KeyMaterialDescription")));
      return obj().put("KeyId", r.keyId()).put("KeyMaterialId", r.keyMaterialId());
    });
    handlers.put("DeleteImportedKeyMaterial", (rt, c, in) -> {
      Kms.KeyMaterialResponse r = rt.deleteImportedKeyMaterial(c, text(in, "KeyId"), text(in, "KeyMaterialId"));
      return obj().put("KeyId", r.keyId()).put("KeyMaterialId", r.keyMaterialId());
    });
  }

  private void multiRegion() {
    handlers.put("ReplicateKey", (rt, c, in) -> {
      Map<String, String> tags = tags(in.get("Tags"));
      Kms.KeyMetadata m = rt.replicateKey(c, new Kms.ReplicateKeyRequest(text(in, "KeyId"), text(in, "ReplicaRegion"),
          text(in, "Policy"), bool(in, "BypassPolicyLockoutSafetyCheck"), text(in, "Description"), tags));
      ObjectNode o = obj();
      o.set("ReplicaKeyMetadata", metadata(m));
      String policy = text(in, "Policy");
      if (policy == null) {
        try {
          policy = rt.getKeyPolicy(new Caller(c.principal(), text(in, "ReplicaRegion"), c.viaService(), c.session()), m.arn(),
              "default");
        } catch (dev.keyward.runtime.KmsException e) {
          policy = null; // NOTE: the caller may replicate without reading policies; the member is optional
        }
      }
      putText(o, "ReplicaPolicy", policy);
      ArrayNode t = o.putArray("ReplicaTags");
      new TreeMap<>(tags).forEach((k, v) -> t.add(obj().put("TagKey", k).put("TagValue", v)));
      return o;
    });
    handlers.put("UpdatePrimaryRegion", (rt, c, in) -> {
      rt.updatePrimaryRegion(c, text(in, "KeyId"), text(in, "PrimaryRegion"));
      return null;
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // shapes

  static ObjectNode metadata(Kms.KeyMetadata m) {
    ObjectNode o = obj().put("AWSAccountId", m.awsAccountId()).put("KeyId", m.keyId()).put("Arn", m.arn());
    time(o, "CreationDate", m.creationDate());
    o.put("Enabled", m.enabled());
    o.put("Description", m.description() == null ? "" : m.description());
    putText(o, "KeyUsage", m.keyUsage());
    putText(o, "KeyState", m.keyState());
    time(o, "DeletionDate", m.deletionDate());
    if (m.pendingDeletionWindowInDays() != null) {
      o.put("PendingDeletionWindowInDays", m.pendingDeletionWindowInDays());
    }
    putText(o, "Origin", m.origin());
    putText(o, "KeyManager", m.keyManager());
    putText(o, "CustomerMasterKeySpec", m.keySpec());
    putText(o, "KeySpec", m.keySpec());
    list(o, "EncryptionAlgorithms", m.encryptionAlgorithms());
    list(o, "SigningAlgorithms", m.signingAlgorithms());
    list(o, "MacAlgorithms", m.macAlgorithms());
    o.put("MultiRegion", m.multiRegion());
    if (m.multiRegionKeyType() != null) {
      ObjectNode mr = o.putObject("MultiRegionConfiguration").put("MultiRegionKeyType", m.multiRegionKeyType());
      if (m.primaryKeyArn() != null) {
        mr.set("PrimaryKey", regionKey(m.primaryKeyArn()));
      }
      if (m.replicaKeyArns() != null) {
        ArrayNode a = mr.putArray("ReplicaKeys");
        m.replicaKeyArns().forEach(arn -> a.add(regionKey(arn)));
      }
    }
    putText(o, "CurrentKeyMaterialId", m.currentKeyMaterialId());
    time(o, "ValidTo", m.validTo());
    putText(o, "ExpirationModel", m.expirationModel());
    return o;
  }

  private static ObjectNode regionKey(String arn) {
    String[] parts = arn.split(":", 6);
    return obj().put("Arn", arn).put("Region", parts.length > 3 ? parts[3] : "");
  }

  /**
   * A list answer: everything fits one page (Keyward keeps no paging state), so {@code Truncated} is false;
   * a {@code Limit} below the number of entries is honoured by paging with an index marker.
   */
  /**
   * The lists the API pages, with the field that identifies an entry and AWS's default and largest page size
   * (the `Limit` of each operation in the KMS API reference, e.g.
   * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html: 1 to 100, 50 by default).
   */
  enum Page {
    KEYS("Keys", "KeyArn", 100, 1000),
    POLICY_NAMES("PolicyNames", null, 100, 1000),
    TAGS("Tags", "TagKey", 50, 50),
    ROTATIONS("Rotations", "KeyMaterialId", 100, 1000),
    ALIASES("Aliases", "AliasArn", 50, 100),
    GRANTS("Grants", "GrantId", 50, 100);

    final String member;
    final String idField;
    final int defaultLimit;
    final int maxLimit;

    Page(String member, String idField, int defaultLimit, int maxLimit) {
      this.member = member;
      this.idField = idField;
      this.defaultLimit = defaultLimit;
      this.maxLimit = maxLimit;
    }

    String id(JsonNode entry) {
      return idField == null ? entry.asText() : entry.path(idField).asText();
    }
  }

  /**
   * One page of a list. The marker is opaque to clients: the position after the page and the id of its last
   * entry, so that a page after entries were added or removed in between still starts after the last entry
   * the client saw (where that entry is gone, at the same position).
   */
  static ObjectNode page(JsonNode in, List<? extends JsonNode> all, Page kind) {
    Integer limit = integer(in, "Limit");
    if (limit != null && (limit < 1 || limit > kind.maxLimit)) {
      throw new WireException("ValidationException", 400, "Limit must be 1 to " + kind.maxLimit + ", not " + limit);
    }
    int size = limit == null ? kind.defaultLimit : limit;
    int start = 0;
    String marker = text(in, "Marker");
    if (marker != null) {
      start = markerStart(marker, all, kind);
    }
    int end = Math.min(all.size(), start + size);
    ObjectNode o = obj();
    ArrayNode a = o.putArray(kind.member);
    for (int i = start; i < end; i++) {
      a.add(all.get(i));
    }
    if (end < all.size()) {
      String next = end + "\n" + kind.id(all.get(end - 1));
      o.put("NextMarker", Base64.getUrlEncoder().withoutPadding().encodeToString(
          next.getBytes(StandardCharsets.UTF_8)));
      o.put("Truncated", true);
    } else {
      o.put("Truncated", false);
    }
    return o;
  }

  private static int markerStart(String marker, List<? extends JsonNode> all, Page kind) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      text = "";
    }
    int nl = text.indexOf('\n');
    int position = -1;
    if (nl > 0) {
      try {
        position = Integer.parseInt(text.substring(0, nl));
      } catch (NumberFormatException e) {
        position = -1;
      }
    }
    if (position < 1) {
      throw new WireException("InvalidMarkerException", 400, "marker `" + marker + "` is not one this server gave");
    }
    String lastId = text.substring(nl + 1);
    if (position <= all.size() && kind.id(all.get(position - 1)).equals(lastId)) {
      return position;
    }
    for (int i = 0; i < all.size(); i++) {
      if (kind.id(all.get(i)).equals(lastId)) {
        return i + 1;
      }
    }
    return Math.min(position, all.size());
  }

  private static ObjectNode obj() {
    return F.objectNode();
  }

  private static void putText(ObjectNode o, String name, String v) {
    if (v != null) {
      o.put(name, v);
    }
  }

  private static void time(ObjectNode o, String name, Instant t) {
    if (t != null) {
      o.put(name, java.math.BigDecimal.valueOf(t.toEpochMilli(), 3));
    }
  }

  private static void list(ObjectNode o, String name, List<String> values) {
    if (values != null && !values.isEmpty()) {
      ArrayNode a = o.putArray(name);
      values.forEach(a::add);
    }
  }

  private static ObjectNode map(Map<String, String> m) {
    ObjectNode o = obj();
    new TreeMap<>(m).forEach(o::put);
    return o;
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String b64(SecretBytes s) {
    byte[] b = s.toByteArray();
    try {
      return Base64.getEncoder().encodeToString(b);
    } finally {
      java.util.Arrays.fill(b, (byte) 0);
    }
  }

  private static String text(JsonNode in, String name) {
    JsonNode v = in.get(name);
    return v == null || v.isNull() ? null : v.textValue();
  }

  private static String firstText(JsonNode in, String a, String b) {
    String v = text(in, a);
    return v != null ? v : text(in, b);
  }

  private static boolean bool(JsonNode in, String name) {
    JsonNode v = in.get(name);
    return v != null && v.booleanValue();
  }

  private static Integer integer(JsonNode in, String name) {
    JsonNode v = in.get(name);
    return v == null || v.isNull() ? null : v.intValue();
  }

  private static byte[] blob(JsonNode in, String name) {
    JsonNode v = in.get(name);
    return v == null || v.isNull() ? null : KmsModel.decode(v, name);
  }

  private static List<String> strings(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    v.forEach(x -> out.add(x.textValue()));
    return out;
  }

  private static Map<String, String> context(JsonNode in, String name) {
    JsonNode v = in.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().textValue()));
    return out;
  }

  private static Map<String, String> tags(JsonNode v) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v != null && !v.isNull()) {
      for (JsonNode t : v) {
        if (out.put(t.get("TagKey").textValue(), t.get("TagValue").textValue()) != null) {
          throw TAG.exception("tag key `" + t.get("TagKey").textValue() + "` appears twice");
        }
      }
    }
    return out;
  }
}
