package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.INCORRECT_KEY;
import static dev.keyward.runtime.KmsError.INVALID_CIPHERTEXT;
import static dev.keyward.runtime.KmsError.INVALID_KEY_USAGE;
import static dev.keyward.runtime.KmsError.KMS_INVALID_MAC;
import static dev.keyward.runtime.KmsError.KMS_INVALID_SIGNATURE;
import static dev.keyward.runtime.KmsError.UNSUPPORTED_OPERATION;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsValidation.context;
import static dev.keyward.runtime.KmsValidation.dryRun;
import static dev.keyward.runtime.KmsValidation.encryptionAlgorithm;
import static dev.keyward.runtime.KmsValidation.ignoreCiphertext;
import static dev.keyward.runtime.KmsValidation.macAlgorithm;
import static dev.keyward.runtime.KmsValidation.message;
import static dev.keyward.runtime.KmsValidation.messageType;
import static dev.keyward.runtime.KmsValidation.requireEnabled;
import static dev.keyward.runtime.KmsValidation.requireUsage;
import static dev.keyward.runtime.KmsValidation.signingAlgorithm;
import static dev.keyward.runtime.KmsValidation.spec;
import static dev.keyward.runtime.KmsViews.keys;

import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.DecryptRequest;
import dev.keyward.runtime.Kms.DecryptResponse;
import dev.keyward.runtime.Kms.EncryptRequest;
import dev.keyward.runtime.Kms.EncryptResponse;
import dev.keyward.runtime.Kms.GenerateDataKeyPairRequest;
import dev.keyward.runtime.Kms.GenerateDataKeyPairResponse;
import dev.keyward.runtime.Kms.GenerateDataKeyRequest;
import dev.keyward.runtime.Kms.GenerateDataKeyResponse;
import dev.keyward.runtime.Kms.GenerateMacRequest;
import dev.keyward.runtime.Kms.GenerateMacResponse;
import dev.keyward.runtime.Kms.GetPublicKeyResponse;
import dev.keyward.runtime.Kms.KeyMetadata;
import dev.keyward.runtime.Kms.ReEncryptRequest;
import dev.keyward.runtime.Kms.ReEncryptResponse;
import dev.keyward.runtime.Kms.SignRequest;
import dev.keyward.runtime.Kms.SignResponse;
import dev.keyward.runtime.Kms.VerifyMacRequest;
import dev.keyward.runtime.Kms.VerifyMacResponse;
import dev.keyward.runtime.Kms.VerifyRequest;
import dev.keyward.runtime.Kms.VerifyResponse;
import dev.keyward.runtime.crypto.AsymmetricKey;
import dev.keyward.runtime.crypto.CiphertextException;
import dev.keyward.runtime.crypto.EncryptionAlgorithm;
import dev.keyward.runtime.crypto.Envelope;
import dev.keyward.runtime.crypto.HmacKey;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.KeyUsage;
import dev.keyward.runtime.crypto.MacAlgorithm;
import dev.keyward.runtime.crypto.MessageType;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.crypto.SigningAlgorithm;
import dev.keyward.runtime.crypto.SymmetricKey;
import dev.keyward.runtime.store.StoredKey;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;

/**
 * The cryptographic operations: Encrypt, Decrypt, ReEncrypt, the data keys, GenerateRandom, Sign, Verify,
 * GetPublicKey, GenerateMac and VerifyMac.
 */
final class KmsCrypto {

  private final KmsState shared;
  private final KmsGate gate;
  private final KmsKeys keyOps;

  KmsCrypto(KmsState shared, KmsGate gate, KmsKeys keyOps) {
    this.shared = shared;
    this.gate = gate;
    this.keyOps = keyOps;
  }

  static final int MAX_CIPHERTEXT = 6144;
  // ---------------------------------------------------------------------------------------------------
  // crypto

  static final Map<EncryptionAlgorithm, Map<String, List<String>>> ALGORITHM_KEYS;

  static {
    Map<EncryptionAlgorithm, Map<String, List<String>>> m = new java.util.EnumMap<>(EncryptionAlgorithm.class);
    for (EncryptionAlgorithm a : EncryptionAlgorithm.values()) {
      m.put(a, Map.of("kms:encryptionalgorithm", List.of(a.name()))); // lower case: the evaluator's form
    }
    ALGORITHM_KEYS = m;
  }

  /** The kms:EncryptionAlgorithm condition key of a call (built once per algorithm: this is the hot path). */
  static Map<String, List<String>> algorithmKey(EncryptionAlgorithm a) {
    return ALGORITHM_KEYS.get(a);
  }

  EncryptResponse encrypt(Caller c, EncryptRequest r) {
    return gate.run(c, "Encrypt", context(r.encryptionContext()), call -> {
      gate.checkTokens(r.grantTokens());
      byte[] pt = message(r.plaintext(), "Plaintext");
      EncryptionAlgorithm alg = encryptionAlgorithm(r.encryptionAlgorithm());
      StoredKey k = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k, "kms:Encrypt", algorithmKey(alg));
      requireEnabled(k);
      requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
      dryRun(r.dryRun(), "Encrypt");
      return new EncryptResponse(encryptWith(k, alg, pt, call.context), k.arn(), alg.name());
    });
  }

  byte[] encryptWith(StoredKey k, EncryptionAlgorithm alg, byte[] pt, Map<String, String> ctx) {
    KeySpec spec = spec(k);
    if (spec == KeySpec.SYMMETRIC_DEFAULT) {
      if (alg != EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
        throw INVALID_KEY_USAGE.exception("symmetric key `" + k.arn() + "` encrypts with SYMMETRIC_DEFAULT only");
      }
      return Envelope.seal((SymmetricKey) shared.current(k), k.keyId(), pt, ctx, shared.nonces);
    }
    if (alg == EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
      throw INVALID_KEY_USAGE.exception("asymmetric key `" + k.arn() + "` needs RSAES_OAEP_SHA_1 or"
          + " RSAES_OAEP_SHA_256");
    }
    if (!ctx.isEmpty()) {
      throw VALIDATION.exception("an encryption context is not supported with asymmetric keys");
    }
    if (pt.length > alg.maxPlaintext(spec.bits())) {
      throw VALIDATION.exception("plaintext of " + pt.length + " bytes is longer than the "
          + alg.maxPlaintext(spec.bits()) + " bytes " + alg.name() + " takes with " + spec.name());
    }
    try {
      return ((AsymmetricKey) shared.current(k)).encrypt(alg, pt);
    } catch (GeneralSecurityException e) {
      throw VALIDATION.exception("plaintext cannot be encrypted with " + alg.name());
    }
  }

  DecryptResponse decrypt(Caller c, DecryptRequest r) {
    return gate.run(c, "Decrypt", context(r.encryptionContext()), call -> {
      gate.checkTokens(r.grantTokens());
      EncryptionAlgorithm alg = encryptionAlgorithm(r.encryptionAlgorithm());
      if (ignoreCiphertext(r.dryRun(), r.dryRunModifiers())) {
        namedKeyForDryRun(c, call, r.keyId(), "KeyId", "kms:Decrypt", alg);
        dryRun(true, "Decrypt");
      }
      Opened o = open(c, call, r.ciphertextBlob(), r.keyId(), alg, "kms:Decrypt", r.dryRun());
      return new DecryptResponse(o.key.arn(), o.plaintext, alg.name(), o.materialId);
    });
  }

  record Opened(StoredKey key, SecretBytes plaintext, String materialId) {}

  /** The key an IGNORE_CIPHERTEXT dry run names, authorized for {@code action}, enabled, for encryption. */
  StoredKey namedKeyForDryRun(Caller c, KmsGate.Call call, String keyId, String parameter, String action,
      EncryptionAlgorithm alg) {
    if (keyId == null) {
      throw VALIDATION.exception(parameter + " is required with the IGNORE_CIPHERTEXT dry-run modifier");
    }
    StoredKey k = gate.resolve(c, keyId, call);
    gate.authorize(call, k, action, algorithmKey(alg));
    requireEnabled(k);
    requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
    return k;
  }

  /** Finds the ciphertext's key, authorizes {@code action} on it, checks state and usage, and decrypts. */
  Opened open(Caller c, KmsGate.Call call, byte[] blob, String keyId, EncryptionAlgorithm alg, String action,
      boolean dryRun) {
    if (blob == null || blob.length < 1 || blob.length > MAX_CIPHERTEXT) {
      throw VALIDATION.exception("CiphertextBlob must be 1 to " + MAX_CIPHERTEXT + " bytes");
    }
    StoredKey named = keyId == null ? null : gate.resolve(c, keyId, call);
    StoredKey k;
    Envelope.Header h = null;
    if (alg == EncryptionAlgorithm.SYMMETRIC_DEFAULT) {
      try {
        h = Envelope.header(blob);
      } catch (CiphertextException e) {
        throw INVALID_CIPHERTEXT.exception("ciphertext is not valid");
      }
      if (named != null && !named.keyId().equals(h.keyId())) {
        throw INCORRECT_KEY.exception("ciphertext was not encrypted under key `" + keyId + "`");
      }
      k = named != null ? named : byKeyId(h.keyId(), h.materialId(), c.region());
      call.keyArn = k.arn();
    } else {
      if (named == null) {
        throw VALIDATION.exception("KeyId is required to decrypt with " + alg.name());
      }
      k = named;
    }
    gate.authorize(call, k, action, algorithmKey(alg));
    requireEnabled(k);
    requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
    dryRun(dryRun, "Decrypt");
    Map<String, String> ctx = call.context;
    if (h != null) {
      if (spec(k) != KeySpec.SYMMETRIC_DEFAULT) {
        throw INCORRECT_KEY.exception("key `" + k.arn() + "` is asymmetric; give its EncryptionAlgorithm");
      }
      KeyMaterial m = shared.materials.get(new KmsState.MaterialKey(k.arn(), h.materialId()));
      if (!(m instanceof SymmetricKey)) {
        throw INVALID_CIPHERTEXT.exception("ciphertext is not valid");
      }
      try {
        return new Opened(k, Envelope.openSecret((SymmetricKey) m, blob, ctx), h.materialId());
      } catch (CiphertextException e) {
        throw INVALID_CIPHERTEXT.exception("ciphertext is not valid or its encryption context differs");
      }
    }
    if (spec(k).family() != KeySpec.Family.RSA) {
      throw INVALID_KEY_USAGE.exception("key `" + k.arn() + "` does not decrypt with " + alg.name());
    }
    if (!ctx.isEmpty()) {
      throw VALIDATION.exception("an encryption context is not supported with asymmetric keys");
    }
    try {
      byte[] pt = ((AsymmetricKey) shared.current(k)).decrypt(alg, blob);
      SecretBytes s = SecretBytes.copyOf(pt);
      java.util.Arrays.fill(pt, (byte) 0);
      return new Opened(k, s, shared.current(k).id());
    } catch (CiphertextException e) {
      throw INVALID_CIPHERTEXT.exception("ciphertext is not valid for key `" + k.arn() + "`");
    }
  }

  /**
   * The key a ciphertext names: among the keys with its key id (multi-Region replicas share ids; seeded worlds
   * may reuse one in two accounts) those that hold its material, the one in the caller's Region first.
   */
  StoredKey byKeyId(String keyId, String materialId, String region) {
    List<String> arns = shared.arnsByKeyId.get(keyId);
    StoredKey found = null;
    for (String a : arns == null ? List.<String>of() : arns) {
      StoredKey k = shared.keys.get(a);
      if (k == null || !shared.materials.containsKey(new KmsState.MaterialKey(a, materialId))) {
        continue;
      }
      if (k.region().equals(region)) {
        return k;
      }
      if (found == null) {
        found = k;
      }
    }
    if (found == null && arns != null) {
      // the key exists but lacks the material (imported material deleted): its state check answers
      for (String a : arns) {
        StoredKey k = shared.keys.get(a);
        if (k != null && (found == null || k.region().equals(region))) {
          found = k;
        }
      }
    }
    if (found == null) {
      throw INVALID_CIPHERTEXT.exception("ciphertext is not valid");
    }
    return found;
  }

  ReEncryptResponse reEncrypt(Caller c, ReEncryptRequest r) {
    return gate.run(c, "ReEncrypt", context(r.destinationEncryptionContext()), call -> {
      gate.checkTokens(r.grantTokens());
      EncryptionAlgorithm from = encryptionAlgorithm(r.sourceEncryptionAlgorithm());
      EncryptionAlgorithm to = encryptionAlgorithm(r.destinationEncryptionAlgorithm());
      StoredKey dest = gate.resolve(c, r.destinationKeyId(), call);
      KmsGate.Call source = new KmsGate.Call(c, "ReEncrypt", context(r.sourceEncryptionContext()));
      if (ignoreCiphertext(r.dryRun(), r.dryRunModifiers())) {
        // DryRun with IGNORE_CIPHERTEXT: both permissions and both keys are checked, the ciphertext is not read
        StoredKey src = namedKeyForDryRun(c, source, r.sourceKeyId(), "SourceKeyId", "kms:ReEncryptFrom", from);
        gate.authorize(call, dest, "kms:ReEncryptTo", keys("kms:EncryptionAlgorithm", to.name(),
            "kms:ReEncryptOnSameKey", Boolean.toString(dest.arn().equals(src.arn()))));
        requireEnabled(dest);
        requireUsage(dest, KeyUsage.ENCRYPT_DECRYPT);
        dryRun(true, "ReEncrypt");
      }
      Opened o = open(c, source, r.ciphertextBlob(), r.sourceKeyId(), from, "kms:ReEncryptFrom", false);
      try {
        gate.authorize(call, dest, "kms:ReEncryptTo", keys("kms:EncryptionAlgorithm", to.name(),
            "kms:ReEncryptOnSameKey", Boolean.toString(dest.arn().equals(o.key.arn()))));
        requireEnabled(dest);
        requireUsage(dest, KeyUsage.ENCRYPT_DECRYPT);
        dryRun(r.dryRun(), "ReEncrypt");
        byte[] pt = o.plaintext.toByteArray();
        try {
          message(pt, "Plaintext");
          return new ReEncryptResponse(encryptWith(dest, to, pt, call.context), o.key.arn(), dest.arn(),
              from.name(), to.name());
        } finally {
          java.util.Arrays.fill(pt, (byte) 0);
        }
      } finally {
        o.plaintext.wipe();
      }
    });
  }

  GenerateDataKeyResponse generateDataKey(Caller c, GenerateDataKeyRequest r) {
    return dataKey(c, r, true);
  }

  GenerateDataKeyResponse generateDataKeyWithoutPlaintext(Caller c, GenerateDataKeyRequest r) {
    return dataKey(c, r, false);
  }

  GenerateDataKeyResponse dataKey(Caller c, GenerateDataKeyRequest r, boolean withPlaintext) {
    String op = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
    return gate.run(c, op, context(r.encryptionContext()), call -> {
      gate.checkTokens(r.grantTokens());
      int n;
      if ((r.numberOfBytes() == null) == (r.keySpec() == null)) {
        throw VALIDATION.exception("give either KeySpec or NumberOfBytes");
      } else if (r.keySpec() != null) {
        if (!r.keySpec().equals("AES_256") && !r.keySpec().equals("AES_128")) {
          throw VALIDATION.exception("KeySpec must be AES_256 or AES_128");
        }
        n = r.keySpec().equals("AES_256") ? 32 : 16;
      } else {
        n = r.numberOfBytes();
        if (n < 1 || n > 1024) {
          throw VALIDATION.exception("NumberOfBytes must be 1 to 1024");
        }
      }
      StoredKey k = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k, "kms:" + op, algorithmKey(EncryptionAlgorithm.SYMMETRIC_DEFAULT));
      requireEnabled(k);
      requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
      if (spec(k) != KeySpec.SYMMETRIC_DEFAULT) {
        throw INVALID_KEY_USAGE.exception("data keys are generated under symmetric keys only");
      }
      dryRun(r.dryRun(), op);
      byte[] dk = shared.randomBytes(n);
      try {
        byte[] blob = Envelope.seal((SymmetricKey) shared.current(k), k.keyId(), dk, call.context, shared.nonces);
        return new GenerateDataKeyResponse(blob, withPlaintext ? SecretBytes.copyOf(dk) : null, k.arn());
      } finally {
        java.util.Arrays.fill(dk, (byte) 0);
      }
    });
  }

  GenerateDataKeyPairResponse generateDataKeyPair(Caller c, GenerateDataKeyPairRequest r) {
    return dataKeyPair(c, r, true);
  }

  GenerateDataKeyPairResponse generateDataKeyPairWithoutPlaintext(Caller c, GenerateDataKeyPairRequest r) {
    return dataKeyPair(c, r, false);
  }

  GenerateDataKeyPairResponse dataKeyPair(Caller c, GenerateDataKeyPairRequest r, boolean withPlaintext) {
    String op = withPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
    return gate.run(c, op, context(r.encryptionContext()), call -> {
      gate.checkTokens(r.grantTokens());
      KeySpec pairSpec = KeySpec.parse(r.keyPairSpec());
      if (pairSpec == null || !pairSpec.isAsymmetric()) {
        throw VALIDATION.exception("KeyPairSpec `" + r.keyPairSpec() + "` is not supported");
      }
      StoredKey k = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k, "kms:" + op, keys("kms:DataKeyPairSpec", pairSpec.name(),
          "kms:EncryptionAlgorithm", "SYMMETRIC_DEFAULT"));
      requireEnabled(k);
      requireUsage(k, KeyUsage.ENCRYPT_DECRYPT);
      if (spec(k) != KeySpec.SYMMETRIC_DEFAULT) {
        throw INVALID_KEY_USAGE.exception("data key pairs are generated under symmetric keys only");
      }
      dryRun(r.dryRun(), op);
      AsymmetricKey pair = AsymmetricKey.generate(pairSpec, shared.newMaterialId(), shared.random);
      SecretBytes priv = pair.privateKeyPkcs8();
      byte[] raw = priv.toByteArray();
      try {
        byte[] blob = Envelope.seal((SymmetricKey) shared.current(k), k.keyId(), raw, call.context, shared.nonces);
        return new GenerateDataKeyPairResponse(blob, withPlaintext ? priv : null, pair.publicKeyDer(), k.arn(),
            pairSpec.name());
      } finally {
        java.util.Arrays.fill(raw, (byte) 0);
        if (!withPlaintext) {
          priv.wipe();
        }
      }
    });
  }

  /** GenerateRandom: 1 to 1024 random bytes. */
  SecretBytes generateRandom(Caller c, int numberOfBytes) {
    return gate.run(c, "GenerateRandom", null, call -> {
      if (numberOfBytes < 1 || numberOfBytes > 1024) {
        throw VALIDATION.exception("NumberOfBytes must be 1 to 1024");
      }
      gate.authorize(call, null, "kms:GenerateRandom", Map.of());
      byte[] b = shared.randomBytes(numberOfBytes);
      SecretBytes s = SecretBytes.copyOf(b);
      java.util.Arrays.fill(b, (byte) 0);
      return s;
    });
  }

  AsymmetricKey signingKey(StoredKey k, SigningAlgorithm alg) {
    requireEnabled(k);
    requireUsage(k, KeyUsage.SIGN_VERIFY);
    if (!alg.worksWith(spec(k))) {
      throw INVALID_KEY_USAGE.exception("key `" + k.arn() + "` (" + k.spec() + ") does not sign with "
          + alg.name());
    }
    return (AsymmetricKey) shared.current(k);
  }

  SignResponse sign(Caller c, SignRequest r) {
    return gate.run(c, "Sign", null, call -> {
      gate.checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      SigningAlgorithm alg = signingAlgorithm(r.signingAlgorithm());
      MessageType type = messageType(r.messageType(), alg, msg);
      StoredKey k = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k, "kms:Sign", keys("kms:SigningAlgorithm", alg.name(), "kms:MessageType", type.name()));
      AsymmetricKey signer = signingKey(k, alg);
      dryRun(r.dryRun(), "Sign");
      try {
        return new SignResponse(k.arn(), signer.sign(alg, type, msg), alg.name());
      } catch (GeneralSecurityException e) {
        throw VALIDATION.exception("message cannot be signed with " + alg.name());
      }
    });
  }

  VerifyResponse verify(Caller c, VerifyRequest r) {
    return gate.run(c, "Verify", null, call -> {
      gate.checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      if (r.signature() == null || r.signature().length == 0) {
        throw VALIDATION.exception("Signature is required");
      }
      SigningAlgorithm alg = signingAlgorithm(r.signingAlgorithm());
      MessageType type = messageType(r.messageType(), alg, msg);
      StoredKey k = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k, "kms:Verify", keys("kms:SigningAlgorithm", alg.name(), "kms:MessageType", type.name()));
      AsymmetricKey verifier = signingKey(k, alg);
      dryRun(r.dryRun(), "Verify");
      if (!verifier.verify(alg, type, msg, r.signature())) {
        throw KMS_INVALID_SIGNATURE.exception("signature is not valid");
      }
      return new VerifyResponse(k.arn(), true, alg.name());
    });
  }

  GetPublicKeyResponse getPublicKey(Caller c, String keyId) {
    return gate.run(c, "GetPublicKey", null, call -> {
      StoredKey k = gate.resolve(c, keyId, call);
      gate.authorize(call, k, "kms:GetPublicKey", Map.of());
      requireEnabled(k);
      if (!spec(k).isAsymmetric()) {
        throw UNSUPPORTED_OPERATION.exception("key `" + k.arn() + "` is " + k.spec() + " and has no public key");
      }
      KeyMetadata md = keyOps.metadata(k);
      return new GetPublicKeyResponse(k.arn(), ((AsymmetricKey) shared.current(k)).publicKeyDer(), k.spec(), k.usage(),
          md.encryptionAlgorithms(), md.signingAlgorithms());
    });
  }

  HmacKey macKey(StoredKey k, MacAlgorithm alg) {
    requireEnabled(k);
    requireUsage(k, KeyUsage.GENERATE_VERIFY_MAC);
    if (alg.spec() != spec(k)) {
      throw INVALID_KEY_USAGE.exception("key `" + k.arn() + "` (" + k.spec() + ") does not work with " + alg.name());
    }
    return (HmacKey) shared.current(k);
  }

  GenerateMacResponse generateMac(Caller c, GenerateMacRequest r) {
    return gate.run(c, "GenerateMac", null, call -> {
      gate.checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      MacAlgorithm alg = macAlgorithm(r.macAlgorithm());
      StoredKey k = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k, "kms:GenerateMac", keys("kms:MacAlgorithm", alg.name()));
      HmacKey mk = macKey(k, alg);
      dryRun(r.dryRun(), "GenerateMac");
      return new GenerateMacResponse(mk.mac(alg, msg), alg.name(), k.arn());
    });
  }

  VerifyMacResponse verifyMac(Caller c, VerifyMacRequest r) {
    return gate.run(c, "VerifyMac", null, call -> {
      gate.checkTokens(r.grantTokens());
      byte[] msg = message(r.message(), "Message");
      if (r.mac() == null || r.mac().length == 0) {
        throw VALIDATION.exception("Mac is required");
      }
      MacAlgorithm alg = macAlgorithm(r.macAlgorithm());
      StoredKey k = gate.resolve(c, r.keyId(), call);
      gate.authorize(call, k, "kms:VerifyMac", keys("kms:MacAlgorithm", alg.name()));
      HmacKey mk = macKey(k, alg);
      dryRun(r.dryRun(), "VerifyMac");
      if (!mk.verify(alg, msg, r.mac())) {
        throw KMS_INVALID_MAC.exception("mac is not valid");
      }
      return new VerifyMacResponse(k.arn(), true, alg.name());
    });
  }
}
