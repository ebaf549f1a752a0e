package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.ACCESS_DENIED;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.TestKms.ADMIN_CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests with missing (null) or nonsense fields, as a server may pass them on from a client: every operation
 * answers with a KMS error, never a NullPointerException or another Java exception.
 */
class KmsRuntimeRobustnessTest {

  @TempDir
  Path dir;

  @Test
  void everyOperation_nullOrBadFields_answersWithKmsError() {
    KmsRuntime kms = KmsRuntime.builder().world(TestKms.world(dir)).build();
    String key = kms.createKey(ADMIN_CALLER, Kms.CreateKeyRequest.symmetric()).arn();
    Kms.Caller c = ADMIN_CALLER;
    Map<String, Consumer<String>> calls = new LinkedHashMap<>();
    calls.put("DescribeKey", k -> kms.describeKey(c, k));
    calls.put("EnableKey", k -> kms.enableKey(c, k));
    calls.put("ScheduleKeyDeletion", k -> kms.scheduleKeyDeletion(c, k, 400));
    calls.put("GetKeyPolicy", k -> kms.getKeyPolicy(c, k, "nope"));
    calls.put("PutKeyPolicy", k -> kms.putKeyPolicy(c, k, null, null, false));
    calls.put("TagResource", k -> kms.tagResource(c, k, null));
    calls.put("UntagResource", k -> kms.untagResource(c, k, null));
    calls.put("EnableKeyRotation", k -> kms.enableKeyRotation(c, k, 5));
    calls.put("CreateAlias", k -> kms.createAlias(c, null, k));
    calls.put("UpdateAlias", k -> kms.updateAlias(c, "alias/none", k));
    calls.put("DeleteAlias", k -> kms.deleteAlias(c, null));
    calls.put("Encrypt", k -> kms.encrypt(c, new Kms.EncryptRequest(k, null, null, null, null)));
    calls.put("EncryptBadAlgorithm", k -> kms.encrypt(c, new Kms.EncryptRequest(k, new byte[1], null, "ROT13", null)));
    calls.put("Decrypt", k -> kms.decrypt(c, new Kms.DecryptRequest(null, k, null, null, null)));
    calls.put("DecryptGarbage", k -> kms.decrypt(c, new Kms.DecryptRequest(new byte[] {0x4B, 0x57, 1, 0}, null, null,
        null, null)));
    calls.put("ReEncrypt", k -> kms.reEncrypt(c, new Kms.ReEncryptRequest(null, null, null, k, null, null, null,
        null)));
    calls.put("GenerateDataKey", k -> kms.generateDataKey(c, new Kms.GenerateDataKeyRequest(k, null, null, null,
        null)));
    calls.put("GenerateDataKeyPair", k -> kms.generateDataKeyPair(c, new Kms.GenerateDataKeyPairRequest(k, null,
        null, null)));
    calls.put("Sign", k -> kms.sign(c, new Kms.SignRequest(k, null, null, null, null)));
    calls.put("SignBadType", k -> kms.sign(c, new Kms.SignRequest(k, new byte[1], "TEXT", "ECDSA_SHA_256", null)));
    calls.put("Verify", k -> kms.verify(c, new Kms.VerifyRequest(k, new byte[1], null, null, null, null)));
    calls.put("GenerateMac", k -> kms.generateMac(c, new Kms.GenerateMacRequest(k, new byte[1], null, null)));
    calls.put("VerifyMac", k -> kms.verifyMac(c, new Kms.VerifyMacRequest(k, new byte[1], "HMAC_SHA_256", null,
        null)));
    calls.put("GetPublicKey", k -> kms.getPublicKey(c, k));
    calls.put("CreateGrant", k -> kms.createGrant(c, new Kms.CreateGrantRequest(k, null, null, null, null, null,
        null)));
    calls.put("CreateGrantTokens", k -> kms.createGrant(c, new Kms.CreateGrantRequest(k, TestKms.APP, null,
        List.of("Decrypt"), null, null, List.of("forged"))));
    calls.put("RetireGrant", k -> kms.retireGrant(c, null, k, null));
    calls.put("RevokeGrant", k -> kms.revokeGrant(c, k, null));
    calls.put("ListRetirableGrants", k -> kms.listRetirableGrants(c, null));
    calls.put("GetParametersForImport", k -> kms.getParametersForImport(c, k, null, null));
    calls.put("ImportKeyMaterial", k -> kms.importKeyMaterial(c, new Kms.ImportKeyMaterialRequest(k, null, null,
        null, null)));
    calls.put("ReplicateKey", k -> kms.replicateKey(c, new Kms.ReplicateKeyRequest(k, null, null, false, null,
        null)));
    calls.put("UpdatePrimaryRegion", k -> kms.updatePrimaryRegion(c, k, "eu-west-1"));
    calls.put("GenerateRandom", k -> kms.generateRandom(c, -1));
    for (String keyId : new String[] {key, null, "", "arn:aws:s3:::bucket", "alias/missing", "arn:nonsense"}) {
      for (Map.Entry<String, Consumer<String>> e : calls.entrySet()) {
        Throwable t = catchThrowable(() -> e.getValue().accept(keyId));
        if (t == null && keyId != null && keyId.equals(key)) {
          continue; // some calls are valid on a real key (DescribeKey, EnableKey, ...)
        }
        assertThat(t).as("%s with KeyId %s", e.getKey(), keyId).isInstanceOf(KmsException.class);
        assertThat(t.getMessage()).as("%s message", e.getKey()).isNotBlank().doesNotContain("\n");
      }
    }
    Throwable bad = catchThrowable(() -> kms.describeKey(Kms.Caller.of("bob", "us-east-1"), key));
    assertThat(bad).is(TestKms.error(ACCESS_DENIED));
    assertThat(catchThrowable(() -> kms.listKeys(Kms.Caller.of("bob", "us-east-1"))))
        .is(TestKms.error(ACCESS_DENIED));
    assertThat(catchThrowable(() -> kms.describeKey(Kms.Caller.of("bob", "us-east-1"), "some-key-id")))
        .is(TestKms.error(VALIDATION));
  }
}
