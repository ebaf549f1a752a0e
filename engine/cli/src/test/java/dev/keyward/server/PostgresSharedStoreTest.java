package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;

/**
 * Two {@code keyward serve} processes on one PostgreSQL database: rotations, grants, tags and policy changes
 * sent to both at once are all kept (no lost update), and each server sees the other's changes.
 *
 * <p>Needs a PostgreSQL URL in {@code KEYWARD_TEST_POSTGRES_URL} (or the system property of the same name);
 * {@code .ci/start-postgres} starts one and prints it. Skipped without it.
 */
class PostgresSharedStoreTest {

  static String baseUrl;

  @BeforeEach
  void postgres() {
    baseUrl = System.getProperty("KEYWARD_TEST_POSTGRES_URL", System.getenv("KEYWARD_TEST_POSTGRES_URL"));
    Assumptions.assumeTrue(baseUrl != null && !baseUrl.isEmpty(), "KEYWARD_TEST_POSTGRES_URL is not set: the"
        + " PostgreSQL tests of keyward serve are skipped (run `export KEYWARD_TEST_POSTGRES_URL=$(.ci/start-postgres)`)");
  }

  /** A fresh schema of the test database, so that every run starts from an empty store. */
  static String freshSchemaUrl() throws Exception {
    String schema = "kw_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static KmsClient client(String endpoint) {
    return KmsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAKEYADMIN0000001",
            "keyadmin-secret")))
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  @Test
  void twoServers_concurrentRotationsGrantsTagsPolicies_noLostUpdate() throws Exception {
    String url = freshSchemaUrl();
    Map<String, String> env = Map.of("KEYWARD_ROOT_PASSPHRASE", "shared test passphrase");
    Path world = TestServer.worldFile();
    try (ServeProcess a = ServeProcess.start(env, List.of(), "--world", world.toString(), "--store", url);
        ServeProcess b = ServeProcess.start(env, List.of(), "--world", world.toString(), "--store", url);
        KmsClient ca = client(a.endpoint());
        KmsClient cb = client(b.endpoint())) {
      String keyId = ca.createKey(r -> r.description("shared")).keyMetadata().arn();
      assertThat(cb.describeKey(r -> r.keyId(keyId)).keyMetadata().description()).isEqualTo("shared");
      String policy = ca.getKeyPolicy(r -> r.keyId(keyId)).policy();
      assertThat(policy).containsPattern("\"Id\"\\s*:");

      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> work = new ArrayList<>();
      List<byte[]> ciphertexts = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 10; i++) {
        int n = i;
        for (KmsClient c : List.of(ca, cb)) {
          String side = c == ca ? "a" : "b";
          work.add(pool.submit((Callable<Void>) () -> {
            c.rotateKeyOnDemand(r -> r.keyId(keyId));
            ciphertexts.add(c.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String(side + n)))
                .ciphertextBlob().asByteArray());
            return null;
          }));
          work.add(pool.submit((Callable<Void>) () -> {
            c.createGrant(r -> r.keyId(keyId).granteePrincipal("arn:aws:iam::111111111111:role/BatchJob")
                .operations(GrantOperation.DECRYPT).name("g-" + side + "-" + n));
            return null;
          }));
          work.add(pool.submit((Callable<Void>) () -> {
            c.tagResource(r -> r.keyId(keyId).tags(t -> t.tagKey(side + n).tagValue("v")));
            return null;
          }));
          work.add(pool.submit((Callable<Void>) () -> {
            c.putKeyPolicy(r -> r.keyId(keyId).policyName("default")
                .policy(policy.replaceFirst("\"Id\"\\s*:\\s*\"[^\"]*\"", "\"Id\": \"" + side + n + "\"")));
            return null;
          }));
        }
      }
      for (Future<?> f : work) {
        f.get();
      }
      pool.shutdown();

      for (KmsClient c : List.of(ca, cb)) {
        assertThat(c.listKeyRotations(r -> r.keyId(keyId)).rotations()).hasSize(20);
        Set<String> names = new TreeSet<>();
        c.listGrants(r -> r.keyId(keyId)).grants().forEach(g -> names.add(g.name()));
        assertThat(names).hasSize(20);
        assertThat(c.listResourceTags(r -> r.keyId(keyId)).tags()).hasSize(20);
        assertThat(c.getKeyPolicy(r -> r.keyId(keyId)).policy()).matches("(?s).*\"Id\": \"[ab]\\d\".*");
        for (byte[] ct : ciphertexts) {
          assertThat(c.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ct))).plaintext().asUtf8String())
              .matches("[ab]\\d");
        }
      }
      assertThat(a.stop()).as("SIGTERM ends the JVM with 128 + 15 after the graceful stop").isEqualTo(143);
      assertThat(b.stop()).isEqualTo(143);
      assertThat(a.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(b.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void restartedServer_findsTheSharedKeys() throws Exception {
    String url = freshSchemaUrl();
    Map<String, String> env = Map.of("KEYWARD_ROOT_PASSPHRASE", "another passphrase");
    String world = TestServer.worldFile().toString();
    String keyArn;
    byte[] ct;
    try (ServeProcess a = ServeProcess.start(env, List.of(), "--world", world, "--store", url);
        KmsClient c = client(a.endpoint())) {
      keyArn = c.createKey(r -> r.description("kept")).keyMetadata().arn();
      ct = c.encrypt(r -> r.keyId(keyArn).plaintext(SdkBytes.fromUtf8String("kept"))).ciphertextBlob().asByteArray();
    }
    try (ServeProcess b = ServeProcess.start(env, List.of(), "--world", world, "--store", url);
        KmsClient c = client(b.endpoint())) {
      assertThat(c.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ct))).keyId()).isEqualTo(keyArn);
      assertThat(c.listGrants(r -> r.keyId("alias/finance")).grants()).hasSize(1);
    }
  }

  @Test
  void importToken_fromOneServer_isTakenByTheOther() throws Exception {
    String url = freshSchemaUrl();
    Map<String, String> env = Map.of("KEYWARD_ROOT_PASSPHRASE", "import passphrase");
    String world = TestServer.worldFile().toString();
    try (ServeProcess a = ServeProcess.start(env, List.of(), "--world", world, "--store", url);
        ServeProcess b = ServeProcess.start(env, List.of(), "--world", world, "--store", url);
        KmsClient ca = client(a.endpoint());
        KmsClient cb = client(b.endpoint())) {
      String keyId = ca.createKey(r -> r.origin("EXTERNAL").description("imported, shared")).keyMetadata().keyId();
      var p = ca.getParametersForImport(r -> r.keyId(keyId).wrappingAlgorithm("RSAES_OAEP_SHA_256")
          .wrappingKeySpec("RSA_2048"));
      byte[] material = new byte[32];
      new java.security.SecureRandom().nextBytes(material);
      javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPPadding");
      c.init(javax.crypto.Cipher.ENCRYPT_MODE, java.security.KeyFactory.getInstance("RSA").generatePublic(
          new java.security.spec.X509EncodedKeySpec(p.publicKey().asByteArray())),
          new javax.crypto.spec.OAEPParameterSpec("SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256,
              javax.crypto.spec.PSource.PSpecified.DEFAULT));
      byte[] wrapped = c.doFinal(material);
      cb.importKeyMaterial(r -> r.keyId(keyId).importToken(p.importToken())
          .encryptedKeyMaterial(SdkBytes.fromByteArray(wrapped)).expirationModel("KEY_MATERIAL_DOES_NOT_EXPIRE"));
      SdkBytes ct = ca.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("both"))).ciphertextBlob();
      assertThat(cb.decrypt(r -> r.ciphertextBlob(ct)).plaintext().asUtf8String()).isEqualTo("both");
    }
  }
}
