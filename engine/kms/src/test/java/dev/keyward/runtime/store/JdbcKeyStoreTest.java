package dev.keyward.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.runtime.Kms;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.CreateKeyRequest;
import dev.keyward.runtime.KmsRuntime;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcKeyStoreTest {

  static final String ADMIN = "arn:aws:iam::111122223333:role/Admin";
  static final Caller CALLER = Caller.of(ADMIN, "eu-west-1");
  static final String WORLD = "principals:\n  - arn: " + ADMIN + "\n    policies:\n      - name: admin\n"
      + "        document: {Version: \"2012-10-17\",\n"
      + "          Statement: [{Effect: Allow, Action: \"kms:*\", Resource: \"*\"}]}\n";

  @TempDir
  Path dir;
  private World world;
  private Path keyFile;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(dir.resolve("world.yaml"), WORLD);
    world = WorldLoader.create().load(dir.resolve("world.yaml")).world();
    keyFile = dir.resolve("root.key");
  }

  static World world(Path worldFile) {
    return WorldLoader.create().load(worldFile).world();
  }

  private KmsRuntime open(JdbcKeyStore.RootKeySource source) throws IOException {
    return KmsRuntime.builder().world(world).store(JdbcKeyStore.openDirectory(dir.resolve("store"), source)).build();
  }

  @Test
  void schemaVersion1Store_isMigratedOnOpen_andItsKeysStillDecrypt() throws Exception {
    JdbcKeyStore.KeyFile kf = new JdbcKeyStore.KeyFile(keyFile, true);
    String key;
    byte[] blob;
    try (KmsRuntime kms = open(kf)) {
      key = kms.createKey(CALLER, CreateKeyRequest.symmetric()).arn();
      blob = kms.encrypt(CALLER, Kms.EncryptRequest.of(key, "v1".getBytes(StandardCharsets.UTF_8), null))
          .ciphertextBlob();
    }
    // make it a store as schema 1 wrote it: no per-material import columns
    String url = "jdbc:sqlite:" + dir.resolve("store").resolve("keyward.db").toAbsolutePath();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement()) {
      st.execute("ALTER TABLE kw_materials DROP COLUMN pending_state");
      st.execute("ALTER TABLE kw_materials DROP COLUMN expires_ms");
      st.execute("ALTER TABLE kw_materials DROP COLUMN description");
      st.execute("UPDATE kw_meta SET value = '1' WHERE name = 'schema_version'");
    }
    try (KmsRuntime kms = open(kf)) {
      assertThat(kms.decrypt(CALLER, Kms.DecryptRequest.of(blob, null)).plaintext().toByteArray())
          .isEqualTo("v1".getBytes(StandardCharsets.UTF_8));
      kms.rotateKeyOnDemand(CALLER, key);
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet r = st.executeQuery("SELECT value FROM kw_meta WHERE name = 'schema_version'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo(Integer.toString(JdbcKeyStore.SCHEMA_VERSION));
    }
  }

  @Test
  void reopen_everythingWrittenIsBack_andOldCiphertextsDecrypt() throws IOException {
    JdbcKeyStore.KeyFile kf = new JdbcKeyStore.KeyFile(keyFile, true);
    String sym;
    String ec;
    byte[] blob;
    byte[] sig;
    String grantToken;
    try (KmsRuntime kms = open(kf)) {
      sym = kms.createKey(CALLER, new CreateKeyRequest(null, "finance", null, null, null, false,
          Map.of("Team", "fin"), false)).arn();
      blob = kms.encrypt(CALLER, Kms.EncryptRequest.of(sym, "hello".getBytes(StandardCharsets.UTF_8),
          Map.of("a", "b"))).ciphertextBlob();
      kms.rotateKeyOnDemand(CALLER, sym);
      kms.enableKeyRotation(CALLER, sym, 180);
      kms.createAlias(CALLER, "alias/fin", sym);
      grantToken = kms.createGrant(CALLER, new Kms.CreateGrantRequest(sym, "arn:aws:iam::111122223333:role/App",
          ADMIN, List.of("Decrypt"), new Kms.GrantConstraints(Map.of("a", "b"), null), "g1", null)).grantToken();
      ec = kms.createKey(CALLER, CreateKeyRequest.of("ECC_SECG_P256K1", "SIGN_VERIFY")).arn();
      sig = kms.sign(CALLER, new Kms.SignRequest(ec, "m".getBytes(StandardCharsets.UTF_8), null, "ECDSA_SHA_256",
          null)).signature();
    }
    try (KmsRuntime kms = open(kf)) {
      Kms.KeyMetadata md = kms.describeKey(CALLER, "alias/fin");
      assertThat(md.arn()).isEqualTo(sym);
      assertThat(md.description()).isEqualTo("finance");
      assertThat(kms.listResourceTags(CALLER, sym)).isEqualTo(Map.of("Team", "fin"));
      assertThat(kms.getKeyRotationStatus(CALLER, sym).rotationPeriodInDays()).isEqualTo(180);
      assertThat(kms.listKeyRotations(CALLER, sym)).hasSize(1);
      assertThat(kms.decrypt(CALLER, Kms.DecryptRequest.of(blob, Map.of("a", "b"))).plaintext().toByteArray())
          .asString(StandardCharsets.UTF_8).isEqualTo("hello");
      assertThat(kms.listGrants(CALLER, sym, null, null)).singleElement()
          .satisfies(g -> assertThat(g.constraints().encryptionContextEquals()).isEqualTo(Map.of("a", "b")));
      assertThat(kms.verify(CALLER, new Kms.VerifyRequest(ec, "m".getBytes(StandardCharsets.UTF_8), null, sig,
          "ECDSA_SHA_256", null)).signatureValid()).isTrue();
      kms.retireGrant(CALLER, grantToken, null, null);
      assertThat(kms.listKeys(CALLER)).hasSize(2);
    }
  }

  @Test
  void reopen_multiRegionReplicaAndPendingImportKey_survive() throws IOException {
    JdbcKeyStore.KeyFile kf = new JdbcKeyStore.KeyFile(keyFile, true);
    String primary;
    String external;
    byte[] blob;
    try (KmsRuntime kms = open(kf)) {
      primary = kms.createKey(CALLER, new CreateKeyRequest(null, null, null, null, null, true, null, false)).arn();
      kms.replicateKey(CALLER, new Kms.ReplicateKeyRequest(primary, "us-west-2", null, false, null, null));
      kms.rotateKeyOnDemand(CALLER, primary);
      blob = kms.encrypt(CALLER, Kms.EncryptRequest.of(primary, "x".getBytes(StandardCharsets.UTF_8), null))
          .ciphertextBlob();
      external = kms.createKey(CALLER, new CreateKeyRequest(null, null, null, null, "EXTERNAL", false, null, false))
          .arn();
    }
    try (KmsRuntime kms = open(kf)) {
      Caller west = Caller.of(ADMIN, "us-west-2");
      assertThat(kms.decrypt(west, Kms.DecryptRequest.of(blob, null)).keyId()).startsWith("arn:aws:kms:us-west-2:");
      assertThat(kms.describeKey(CALLER, primary).replicaKeyArns()).hasSize(1);
      assertThat(kms.describeKey(CALLER, external).keyState()).isEqualTo("PendingImport");
    }
  }

  @Test
  void open_wrongKeyFile_refused() throws IOException {
    open(new JdbcKeyStore.KeyFile(keyFile, true)).close();
    Path other = dir.resolve("other.key");
    assertThatThrownBy(() -> open(new JdbcKeyStore.KeyFile(other, true)))
        .isInstanceOf(IOException.class).hasMessageContaining("does not open this key store");
  }

  @Test
  void open_passphrase_reopensWithSamePassphraseOnly() throws IOException {
    String arn;
    try (KmsRuntime kms = open(new JdbcKeyStore.Passphrase("correct horse".toCharArray()))) {
      arn = kms.createKey(CALLER, CreateKeyRequest.symmetric()).arn();
    }
    try (KmsRuntime kms = open(new JdbcKeyStore.Passphrase("correct horse".toCharArray()))) {
      assertThat(kms.describeKey(CALLER, arn).arn()).isEqualTo(arn);
    }
    assertThatThrownBy(() -> open(new JdbcKeyStore.Passphrase("battery staple".toCharArray())))
        .isInstanceOf(IOException.class);
  }

  @Test
  void storeFiles_neverHoldMaterialInClear() throws IOException {
    byte[] material = new byte[32];
    for (int i = 0; i < 32; i++) {
      material[i] = (byte) (0xA0 + i);
    }
    String arn = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555";
    try (KmsRuntime kms = open(new JdbcKeyStore.KeyFile(keyFile, true))) {
      kms.seedKey(arn, "SYMMETRIC_DEFAULT", null, null, null, SecretBytes.copyOf(material), List.of());
      assertThat(kms.toString()).doesNotContain(HexFormat.of().formatHex(material));
    }
    try (Stream<Path> files = Files.list(dir.resolve("store"))) {
      for (Path f : files.toList()) {
        byte[] content = Files.readAllBytes(f);
        assertThat(indexOf(content, material)).as("material in %s", f).isEqualTo(-1);
        assertThat(indexOf(content, HexFormat.of().formatHex(material).getBytes(StandardCharsets.US_ASCII)))
            .isEqualTo(-1);
      }
    }
    try (JdbcKeyStore s = JdbcKeyStore.openDirectory(dir.resolve("store"), new JdbcKeyStore.KeyFile(keyFile, false))) {
      assertThat(s.load().materials().values()).singleElement()
          .satisfies(m -> assertThat(m.toByteArray()).isEqualTo(material));
      assertThat(s.toString()).doesNotContain("a0a1");
      assertThat(s.integrityCheck()).isEqualTo("ok");
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
