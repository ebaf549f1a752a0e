package dev.keyward.bench;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.request.Request;
import dev.keyward.runtime.crypto.Envelope;
import java.security.DrbgParameters;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Where an authorized Encrypt spends its time, one part at a time (see BENCHMARKS.md, "Local KMS runtime"). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuntimeBreakdownBenchmark {

  @State(Scope.Thread)
  public static class Parts {
    SecureRandom drbg;
    Mac mac;
    byte[] info = new byte[114];
    byte[] prk = new byte[32];
    byte[] data = new byte[4096];
    byte[] out44 = new byte[44];
    Map<String, String> context = Map.of("Dept", "Finance");
    Authorizer authorizer;
    dev.keyward.runtime.crypto.SymmetricKey material;
    dev.keyward.runtime.crypto.NonceSource nonces;
    byte[][] blobs = new byte[16][];
    int next;
    static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Setup
    public void setUp() throws Exception {
      drbg = SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(256,
          DrbgParameters.Capability.RESEED_ONLY, null));
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("keyward-bench");
      java.nio.file.Files.writeString(dir.resolve("key.json"), "{\"Version\":\"2012-10-17\",\"Statement\":[{"
          + "\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
      java.nio.file.Path world = dir.resolve("world.yaml");
      java.nio.file.Files.writeString(world, "principals:\n  - arn: " + RuntimeBenchmark.APP
          + "\n    policies:\n      - name: app\n"
          + "        document: {Version: \"2012-10-17\", Statement: [{Sid: UseKeys, Effect: Allow,"
          + " Action: [\"kms:Encrypt\", \"kms:Decrypt\"], Resource: \"*\"}]}\n"
          + "keys:\n  - arn: " + KEY + "\n    policy: {file: key.json}\n");
      authorizer = Authorizer.create(dev.keyward.world.WorldLoader.create().load(world).world());
      material = (dev.keyward.runtime.crypto.SymmetricKey) dev.keyward.runtime.crypto.KeyMaterial.generate(
          dev.keyward.runtime.crypto.KeySpec.SYMMETRIC_DEFAULT, "ab".repeat(32), drbg);
      nonces = dev.keyward.runtime.crypto.NonceSource.of(drbg);
      for (int i = 0; i < blobs.length; i++) {
        blobs[i] = Envelope.seal(material, "1234abcd-12ab-34cd-56ef-1234567890ab", data, context, nonces);
      }
    }
  }

  @Benchmark
  public byte[] drbg44(Parts p) {
    p.drbg.nextBytes(p.out44);
    return p.out44;
  }

  @Benchmark
  public byte[] hmacExpand(Parts p) {
    p.mac.update(p.info);
    p.mac.update((byte) 1);
    return p.mac.doFinal();
  }

  /**
   * The same HKDF-Expand with Bouncy Castle's generator (pure-Java HMAC-SHA256), to show why the runtime expands
   * on the JDK's HMAC: one call, as per Encrypt.
   */
  @Benchmark
  public byte[] hkdfExpandBouncyCastle(Parts p) {
    org.bouncycastle.crypto.generators.HKDFBytesGenerator g = new org.bouncycastle.crypto.generators
        .HKDFBytesGenerator(new org.bouncycastle.crypto.digests.SHA256Digest());
    g.init(org.bouncycastle.crypto.params.HKDFParameters.skipExtractParameters(p.prk, p.info));
    byte[] out = new byte[32];
    g.generateBytes(out, 0, 32);
    return out;
  }

  @Benchmark
  public Decision authorize(Parts p) {
    Map<String, List<String>> ctx = new java.util.HashMap<>();
    ctx.put("kms:EncryptionContext:Dept", List.of("Finance"));
    ctx.put("kms:EncryptionAlgorithm", List.of("SYMMETRIC_DEFAULT"));
    return p.authorizer.authorize(new Request("", RuntimeBenchmark.APP, "kms:Encrypt", Parts.KEY, ctx));
  }

  /** The ciphertext format alone, no authorization: HKDF, AES-GCM with the derived key, header and AAD. */
  @Benchmark
  public byte[] envelopeSeal(Parts p) {
    return Envelope.seal(p.material, "1234abcd-12ab-34cd-56ef-1234567890ab", p.data, p.context, p.nonces);
  }

  /** Opening 16 ciphertexts in turn (each its own derived key, as in RuntimeBenchmark). */
  @Benchmark
  public byte[] envelopeOpen(Parts p) throws Exception {
    return Envelope.open(p.material, p.blobs[p.next++ & 15], p.context);
  }

  @Benchmark
  public byte[] canonicalContext(Parts p) {
    return Envelope.canonicalContext(p.context);
  }
}
