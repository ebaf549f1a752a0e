package dev.keyward.bench;

import dev.keyward.runtime.Kms;
import dev.keyward.runtime.KmsRuntime;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The local KMS's cost per call, in process (no HTTP): authorized Encrypt and Decrypt of 4 KiB with a
 * one-pair encryption context (authorization through root delegation and an identity policy, HKDF per call,
 * AES-256-GCM) against the raw JDK AES-256-GCM call on the same data (fresh random IV, the same AAD size);
 * Sign and Verify of a 32-byte message per key spec. No audit log and no store (both are I/O, measured
 * elsewhere).
 *
 * <p>Run: {@code mvn -B -q -pl engine/cli -am -Pbench -DskipTests verify
 * -Djmh.args="RuntimeBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s"}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RuntimeBenchmark {

  static final String APP = "arn:aws:iam::111122223333:role/App";
  static final Kms.Caller CALLER = Kms.Caller.of(APP, "us-east-1");
  static final Map<String, String> CONTEXT = Map.of("Dept", "Finance");

  static KmsRuntime runtime() {
    try {
      Path dir = Files.createTempDirectory("keyward-bench");
      Path world = dir.resolve("world.yaml");
      Files.writeString(world, "principals:\n  - arn: " + APP + "\n    policies:\n      - name: app\n"
          + "        document: {Version: \"2012-10-17\", Statement: [{Sid: UseKeys, Effect: Allow,"
          + " Action: [\"kms:Encrypt\", \"kms:Decrypt\", \"kms:Sign\", \"kms:Verify\", \"kms:CreateKey\"],"
          + " Resource: \"*\"}]}\n");
      World w = WorldLoader.create().load(world).world();
      return KmsRuntime.builder().world(w).build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The symmetric key and data of the Encrypt/Decrypt benchmarks. */
  @State(Scope.Thread)
  public static class Symmetric {
    KmsRuntime kms;
    String key;
    byte[] data = new byte[4096];
    /**
     * 16 ciphertexts of the runtime, decrypted in turn: each has its own derived key, so no call finds the key
     * schedule of the call before cached in the JDK's cipher (one ciphertext over and over would).
     */
    byte[][] blobs = new byte[16][];
    int nextBlob;
    SecureRandom random = new SecureRandom();
    SecretKeySpec rawKey;
    byte[] rawAad = new byte[24];
    byte[] rawIv = new byte[12];
    byte[] rawBlob;
    Cipher cipher;
    /**
     * Ciphertexts each under its own key, for the fresh-key decrypt baseline, used in turn: 16 of them (64 KiB,
     * in cache as the runtime's one ciphertext is), so every call has another key than the call before.
     */
    SecretKeySpec[] freshKeys = new SecretKeySpec[16];
    byte[][] freshIvs = new byte[16][];
    byte[][] freshBlobs = new byte[16][];
    int next;
    long ivCounter;

    byte[] nextIv() {
      byte[] iv = new byte[12];
      long n = ++ivCounter;
      for (int i = 0; i < 8; i++) {
        iv[11 - i] = (byte) (n >>> (8 * i));
      }
      return iv;
    }

    @Setup
    public void setUp() throws Exception {
      kms = runtime();
      key = kms.createKey(CALLER, Kms.CreateKeyRequest.symmetric()).arn();
      random.nextBytes(data);
      for (int i = 0; i < blobs.length; i++) {
        blobs[i] = kms.encrypt(CALLER, Kms.EncryptRequest.of(key, data, CONTEXT)).ciphertextBlob();
      }
      byte[] k = new byte[32];
      random.nextBytes(k);
      rawKey = new SecretKeySpec(k, "AES");
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
      random.nextBytes(rawIv);
      cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawIv));
      cipher.updateAAD(rawAad);
      rawBlob = cipher.doFinal(data);
      for (int i = 0; i < freshKeys.length; i++) {
        byte[] fk = new byte[32];
        random.nextBytes(fk);
        freshKeys[i] = new SecretKeySpec(fk, "AES");
        freshIvs[i] = new byte[12];
        random.nextBytes(freshIvs[i]);
        cipher.init(Cipher.ENCRYPT_MODE, freshKeys[i], new GCMParameterSpec(128, freshIvs[i]));
        cipher.updateAAD(rawAad);
        freshBlobs[i] = cipher.doFinal(data);
      }
    }
  }

  /**
   * The raw call with one key. The IV is a counter (unique per call, as GCM needs), not drawn from a random
   * generator, so that the baseline holds nothing but the JDK's AES-GCM.
   */
  @Benchmark
  public byte[] encrypt4k_raw_jdkAesGcm(Symmetric s) throws Exception {
    s.cipher.init(Cipher.ENCRYPT_MODE, s.rawKey, new GCMParameterSpec(128, s.nextIv()));
    s.cipher.updateAAD(s.rawAad);
    return s.cipher.doFinal(s.data);
  }

  /**
   * The floor of any design with a fresh AES key per call (AWS's, and ours): 16 keys in turn, so every call has
   * another key than the call before and the JDK expands the AES key schedule again (in Java, on JDK 17), which
   * the fixed-key raw call above finds cached. Counter IVs, no random generator.
   */
  @Benchmark
  public byte[] encrypt4k_raw_jdkAesGcm_freshKeyPerCall(Symmetric s) throws Exception {
    s.cipher.init(Cipher.ENCRYPT_MODE, s.freshKeys[s.next++ & (s.freshKeys.length - 1)],
        new GCMParameterSpec(128, s.nextIv()));
    s.cipher.updateAAD(s.rawAad);
    return s.cipher.doFinal(s.data);
  }

  @Benchmark
  public byte[] decrypt4k_raw_jdkAesGcm(Symmetric s) throws Exception {
    s.cipher.init(Cipher.DECRYPT_MODE, s.rawKey, new GCMParameterSpec(128, s.rawIv));
    s.cipher.updateAAD(s.rawAad);
    return s.cipher.doFinal(s.rawBlob);
  }

  /** The decrypt floor of a per-call key: each ciphertext has its own key, as every runtime ciphertext does. */
  @Benchmark
  public byte[] decrypt4k_raw_jdkAesGcm_freshKeyPerCall(Symmetric s) throws Exception {
    int i = s.next++ & (s.freshKeys.length - 1);
    s.cipher.init(Cipher.DECRYPT_MODE, s.freshKeys[i], new GCMParameterSpec(128, s.freshIvs[i]));
    s.cipher.updateAAD(s.rawAad);
    return s.cipher.doFinal(s.freshBlobs[i]);
  }

  @Benchmark
  public byte[] encrypt4k_runtime_authorized(Symmetric s) {
    return s.kms.encrypt(CALLER, Kms.EncryptRequest.of(s.key, s.data, CONTEXT)).ciphertextBlob();
  }

  @Benchmark
  public Object decrypt4k_runtime_authorized(Symmetric s) {
    byte[] blob = s.blobs[s.nextBlob++ & (s.blobs.length - 1)];
    return s.kms.decrypt(CALLER, Kms.DecryptRequest.of(blob, CONTEXT)).plaintext();
  }

  /** A runtime that already holds this many keys. */
  @State(Scope.Benchmark)
  public static class ManyKeys {
    @Param({"100", "1000", "3000"})
    public int keys;
    KmsRuntime kms;

    @Setup
    public void setUp() {
      kms = runtime();
      for (int i = 0; i < keys; i++) {
        kms.createKey(CALLER, Kms.CreateKeyRequest.symmetric());
      }
    }
  }

  /**
   * One CreateKey among many keys: each change makes the runtime compile its authorizer again from every key
   * (a known cost, linear in the number of keys; BENCHMARKS.md). Single shots, as every call adds a key.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public Object createKeyAmong(ManyKeys m) {
    return m.kms.createKey(CALLER, Kms.CreateKeyRequest.symmetric());
  }

  /** One asymmetric signing key per spec. */
  @State(Scope.Thread)
  public static class Signing {
    @Param({"RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
        "ECC_SECG_P256K1"})
    public String spec;
    KmsRuntime kms;
    String key;
    String algorithm;
    byte[] message = new byte[32];
    byte[] signature;

    @Setup
    public void setUp() {
      kms = runtime();
      key = kms.createKey(CALLER, Kms.CreateKeyRequest.of(spec, "SIGN_VERIFY")).arn();
      algorithm = spec.startsWith("RSA") ? "RSASSA_PSS_SHA_256" : spec.equals("ECC_NIST_P384") ? "ECDSA_SHA_384"
          : spec.equals("ECC_NIST_P521") ? "ECDSA_SHA_512" : "ECDSA_SHA_256";
      signature = kms.sign(CALLER, new Kms.SignRequest(key, message, "RAW", algorithm, null)).signature();
    }
  }

  @Benchmark
  public byte[] sign(Signing s) {
    return s.kms.sign(CALLER, new Kms.SignRequest(s.key, s.message, "RAW", s.algorithm, null)).signature();
  }

  @Benchmark
  public boolean verify(Signing s) {
    return s.kms.verify(CALLER, new Kms.VerifyRequest(s.key, s.message, "RAW", s.signature, s.algorithm, null))
        .signatureValid();
  }
}
