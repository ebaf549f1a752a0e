package dev.keyward.runtime.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keyward.runtime.crypto.CiphertextException;
import dev.keyward.runtime.crypto.RootKey;
import dev.keyward.runtime.crypto.SecretBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key store on an embedded SQLite database through JDBC (docs/runtime.md has the schema). Plain SQL and
 * types that PostgreSQL also has (TEXT, BIGINT, INTEGER; BLOB becomes BYTEA), so that the server issue can
 * put the same tables there. Every write is one transaction, committed (WAL, {@code synchronous=FULL})
 * before the method returns. Material is stored only wrapped by the {@link RootKey}; a wrong root key is found
 * at open time through a check value, and nothing secret is ever in a message.
 */
public final class JdbcKeyStore implements KeyStore {

  public static final int SCHEMA_VERSION = 2;
  private static final String CHECK_LABEL = "keyward root key check";
  private static final byte[] CHECK_VALUE = "keyward".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS,
      true);
  private static final HexFormat HEX = HexFormat.of();

  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS kw_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS kw_keys (arn TEXT PRIMARY KEY, key_id TEXT NOT NULL, account TEXT NOT NULL,"
        + " region TEXT NOT NULL, spec TEXT NOT NULL, usage TEXT NOT NULL, origin TEXT NOT NULL,"
        + " multi_region INTEGER NOT NULL, description TEXT NOT NULL, state TEXT NOT NULL, created_ms BIGINT NOT NULL,"
        + " deletion_ms BIGINT, pending_window_days INTEGER, rotation_enabled INTEGER NOT NULL,"
        + " rotation_period_days INTEGER NOT NULL, next_rotation_ms BIGINT, policy TEXT NOT NULL,"
        + " policy_name TEXT NOT NULL, tags TEXT NOT NULL, on_demand_rotations INTEGER NOT NULL,"
        + " material_expires_ms BIGINT, multi_region_key_type TEXT, version BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS kw_materials (key_arn TEXT NOT NULL, material_id TEXT NOT NULL,"
        + " seq INTEGER NOT NULL, created_ms BIGINT NOT NULL, rotation_type TEXT, wrapped BLOB NOT NULL,"
        + " pending_state TEXT, expires_ms BIGINT, description TEXT, PRIMARY KEY (key_arn, material_id))",
    "CREATE TABLE IF NOT EXISTS kw_aliases (alias_arn TEXT PRIMARY KEY, alias_name TEXT NOT NULL,"
        + " account TEXT NOT NULL, region TEXT NOT NULL, target_key_arn TEXT NOT NULL, created_ms BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS kw_grants (grant_id TEXT PRIMARY KEY, key_arn TEXT NOT NULL, token TEXT NOT NULL,"
        + " name TEXT, grantee TEXT NOT NULL, retiring_principal TEXT, issuing_account TEXT NOT NULL,"
        + " operations TEXT NOT NULL, constraint_equals TEXT, constraint_subset TEXT, created_ms BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS kw_grants_key ON kw_grants (key_arn)",
    "CREATE TABLE IF NOT EXISTS kw_import_tokens (token_hash TEXT PRIMARY KEY, key_arn TEXT NOT NULL,"
        + " wrapping_algorithm TEXT NOT NULL, wrapping_key_spec TEXT NOT NULL, wrapped_key BLOB NOT NULL,"
        + " valid_to_ms BIGINT NOT NULL)",
  };

  /**
   * From schema 1 to 2: per-material import state (imported material that is pending rotation, expires, has a
   * description); a material row whose {@code wrapped} is empty was deleted or expired and awaits re-import.
   */
  private static final String[] MIGRATE_1_TO_2 = {
    "ALTER TABLE kw_materials ADD COLUMN pending_state TEXT",
    "ALTER TABLE kw_materials ADD COLUMN expires_ms BIGINT",
    "ALTER TABLE kw_materials ADD COLUMN description TEXT",
  };

  private final Connection db;
  private final RootKey root;

  private JdbcKeyStore(Connection db, RootKey root) {
    this.db = db;
    this.root = root;
  }

  /** How the root key is obtained. */
  public sealed interface RootKeySource permits KeyFile, Passphrase {}

  /** A root key file; created (owner-only) when {@code create} and the file does not exist. */
  public record KeyFile(Path file, boolean create) implements RootKeySource {}

  /** A passphrase, stretched with scrypt and a salt the store keeps. */
  public record Passphrase(char[] passphrase) implements RootKeySource {
    @Override
    public String toString() {
      return "Passphrase[****]";
    }
  }

  /**
   * Opens (creating if needed) the store {@code keyward.db} in {@code dir}. A new database file is created
   * owner-only (0600), and SQLite gives its WAL and shared-memory files the database file's permissions.
   */
  public static JdbcKeyStore openDirectory(Path dir, RootKeySource source) throws IOException {
    Files.createDirectories(dir);
    SealedDirectory.createPrivateFile(dir.resolve("keyward.db"));
    return open("jdbc:sqlite:" + dir.resolve("keyward.db").toAbsolutePath(), source);
  }

  /**
   * Opens the store at a JDBC URL. SQLite is tested; for {@code jdbc:postgresql:} URLs the schema uses BYTEA
   * for BLOB, but no PostgreSQL driver is on the class path and that path is untested.
   */
  public static JdbcKeyStore open(String jdbcUrl, RootKeySource source) throws IOException {
    SecureRandom random = new SecureRandom();
    Connection c = null;
    try {
      c = DriverManager.getConnection(jdbcUrl);
      try (Statement s = c.createStatement()) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=FULL");
          s.execute("PRAGMA busy_timeout=5000");
        }
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        for (String ddl : SCHEMA) {
          // NOTE: the one type PostgreSQL names differently; covered by PostgresSharedStoreTest when a PostgreSQL is given
          s.execute(postgres ? ddl.replace(" BLOB ", " BYTEA ") : ddl);
        }
      }
      c.setAutoCommit(false);
      String version = meta(c, "schema_version");
      if (version == null) {
        putMeta(c, "schema_version", Integer.toString(SCHEMA_VERSION));
      } else if (version.equals("1")) {
        boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
        try (Statement s = c.createStatement()) {
          for (String ddl : MIGRATE_1_TO_2) {
            // PostgreSQL stores are shared: another process may have migrated first
            s.execute(postgres ? ddl.replace("ADD COLUMN", "ADD COLUMN IF NOT EXISTS") : ddl);
          }
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE kw_meta SET value = ? WHERE name = 'schema_version'")) {
          p.setString(1, Integer.toString(SCHEMA_VERSION));
          p.executeUpdate();
        }
      } else if (!version.equals(Integer.toString(SCHEMA_VERSION))) {
        throw new IOException("key store schema version " + version + " is not " + SCHEMA_VERSION);
      }
      RootKey root;
      if (source instanceof KeyFile) {
        KeyFile kf = (KeyFile) source;
        if (kf.create() && !Files.exists(kf.file())) {
          RootKey.createKeyFile(kf.file(), random);
        }
        root = RootKey.fromKeyFile(kf.file(), random);
      } else {
        String salt = meta(c, "scrypt_salt");
        if (salt == null) {
          byte[] b = new byte[16];
          random.nextBytes(b);
          salt = HEX.formatHex(b);
          putMeta(c, "scrypt_salt", salt);
        }
        root = RootKey.fromPassphrase(((Passphrase) source).passphrase(), HEX.parseHex(salt), random);
      }
      String check = meta(c, "root_check");
      if (check == null) {
        putMeta(c, "root_check", HEX.formatHex(root.wrap(CHECK_VALUE, CHECK_LABEL)));
      } else {
        try {
          root.unwrap(HEX.parseHex(check), CHECK_LABEL).wipe();
        } catch (CiphertextException | IllegalArgumentException e) {
          root.wipe();
          throw new IOException("the root key does not open this key store (wrong key file or passphrase)");
        }
      }
      c.commit();
      return new JdbcKeyStore(c, root);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new IOException("cannot open key store `" + jdbcUrl + "`: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // NOTE: already failing; the first error is the one reported
      }
    }
  }

  private static String meta(Connection c, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT value FROM kw_meta WHERE name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static void putMeta(Connection c, String name, String value) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO kw_meta (name, value) VALUES (?, ?)")) {
      p.setString(1, name);
      p.setString(2, value);
      p.executeUpdate();
    }
  }

  /** Runs {@code body} in one transaction, committed before returning. */
  private interface Body {
    void run() throws SQLException, JsonProcessingException;
  }

  private synchronized void tx(String what, Body body) {
    try {
      body.run();
      db.commit();
    } catch (SQLException | JsonProcessingException e) {
      try {
        db.rollback();
      } catch (SQLException ignored) {
        // NOTE: the connection is broken; the original error is reported
      }
      throw new StoreException("key store failed to " + what + ": " + e.getMessage());
    }
  }

  /** A failure of the database under the store (I/O); its message never holds secrets. */
  public static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(String message) {
      super(message);
    }
  }

  @Override
  public synchronized Snapshot load() {
    try {
      Map<String, List<StoredKey.MaterialRef>> refs = new HashMap<>();
      Map<String, SecretBytes> materials = new HashMap<>();
      try (Statement s = db.createStatement();
          ResultSet r = s.executeQuery("SELECT key_arn, material_id, created_ms, rotation_type, wrapped,"
              + " pending_state, expires_ms, description FROM kw_materials ORDER BY key_arn, seq")) {
        while (r.next()) {
          String arn = r.getString(1);
          String id = r.getString(2);
          byte[] wrapped = r.getBytes(5);
          boolean imported = wrapped != null && wrapped.length > 0;
          refs.computeIfAbsent(arn, x -> new ArrayList<>()).add(new StoredKey.MaterialRef(id,
              Instant.ofEpochMilli(r.getLong(3)), r.getString(4), r.getString(6), instant(r, 7), r.getString(8),
              imported));
          if (!imported) {
            continue;
          }
          try {
            materials.put(arn + "#" + id, root.unwrap(wrapped, arn + "#" + id));
          } catch (CiphertextException e) {
            throw new StoreException("material " + id + " of key `" + arn + "` does not open under the root key");
          }
        }
      }
      List<StoredKey> keys = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet r = s.executeQuery("SELECT arn, key_id, account, region, spec, usage, origin, multi_region,"
              + " description, state, created_ms, deletion_ms, pending_window_days, rotation_enabled,"
              + " rotation_period_days, next_rotation_ms, policy, policy_name, tags, on_demand_rotations,"
              + " material_expires_ms, multi_region_key_type FROM kw_keys ORDER BY arn")) {
        while (r.next()) {
          String arn = r.getString(1);
          List<StoredKey.MaterialRef> ms = refs.getOrDefault(arn, List.of());
          if (ms.isEmpty() && !"EXTERNAL".equals(r.getString(7))) {
            throw new StoreException("key `" + arn + "` has no material in the store");
          }
          keys.add(new StoredKey(arn, r.getString(2), r.getString(3), r.getString(4), r.getString(5),
              r.getString(6), r.getString(7), r.getInt(8) != 0, r.getString(9), r.getString(10),
              Instant.ofEpochMilli(r.getLong(11)), instant(r, 12), integer(r, 13), r.getInt(14) != 0, r.getInt(15),
              instant(r, 16), r.getString(17), r.getString(18), map(r.getString(19)), ms, r.getInt(20),
              instant(r, 21), r.getString(22)));
        }
      }
      List<StoredAlias> aliases = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet r = s.executeQuery("SELECT alias_arn, alias_name, account, region, target_key_arn, created_ms"
              + " FROM kw_aliases ORDER BY alias_arn")) {
        while (r.next()) {
          aliases.add(new StoredAlias(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
              Instant.ofEpochMilli(r.getLong(6))));
        }
      }
      List<StoredGrant> grants = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet r = s.executeQuery("SELECT grant_id, key_arn, token, name, grantee, retiring_principal,"
              + " issuing_account, operations, constraint_equals, constraint_subset, created_ms FROM kw_grants"
              + " ORDER BY created_ms, grant_id")) {
        while (r.next()) {
          grants.add(new StoredGrant(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
              r.getString(6), r.getString(7), JSON.readValue(r.getString(8), new TypeReference<List<String>>() {}),
              r.getString(9) == null ? null : map(r.getString(9)), r.getString(10) == null ? null
                  : map(r.getString(10)), Instant.ofEpochMilli(r.getLong(11))));
        }
      }
      List<ImportToken> tokens = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet r = s.executeQuery("SELECT token_hash, key_arn, wrapping_algorithm, wrapping_key_spec,"
              + " wrapped_key, valid_to_ms FROM kw_import_tokens ORDER BY token_hash")) {
        while (r.next()) {
          String hash = r.getString(1);
          SecretBytes wrappingKey;
          try {
            wrappingKey = root.unwrap(r.getBytes(5), IMPORT_TOKEN_LABEL + hash);
          } catch (CiphertextException e) {
            throw new StoreException("an import token's wrapping key does not open under the root key");
          }
          tokens.add(new ImportToken(hash, r.getString(2), r.getString(3), r.getString(4), wrappingKey,
              Instant.ofEpochMilli(r.getLong(6))));
        }
      }
      return new Snapshot(keys, materials, aliases, grants, tokens);
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException("key store failed to load: " + e.getMessage());
    }
  }

  private static Instant instant(ResultSet r, int col) throws SQLException {
    long v = r.getLong(col);
    return r.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Integer integer(ResultSet r, int col) throws SQLException {
    int v = r.getInt(col);
    return r.wasNull() ? null : v;
  }

  private static Map<String, String> map(String json) throws JsonProcessingException {
    return new LinkedHashMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() {}));
  }

  private static String json(Object o) throws JsonProcessingException {
    return JSON.writeValueAsString(o instanceof Map ? new TreeMap<>((Map<?, ?>) o) : o);
  }

  @Override
  public void putKey(StoredKey key, Map<String, SecretBytes> materials) {
    tx("store a key", () -> {
      upsertKey(key);
      for (Map.Entry<String, SecretBytes> m : materials.entrySet()) {
        insertMaterial(key, m.getKey(), m.getValue());
      }
      syncMaterialRows(key);
    });
  }

  private void insertMaterial(StoredKey key, String materialId, SecretBytes material) throws SQLException {
    int seq = -1;
    for (int i = 0; i < key.materials().size(); i++) {
      if (key.materials().get(i).id().equals(materialId)) {
        seq = i;
      }
    }
    if (seq < 0) {
      throw new IllegalArgumentException("material is not one of the key's");
    }
    StoredKey.MaterialRef ref = key.materials().get(seq);
    byte[] raw = material.toByteArray();
    byte[] wrapped;
    try {
      wrapped = root.wrap(raw, key.arn() + "#" + materialId);
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
    try (PreparedStatement d = db.prepareStatement(
        "DELETE FROM kw_materials WHERE key_arn = ? AND material_id = ?")) {
      // a re-import replaces the row of the material it brings back
      d.setString(1, key.arn());
      d.setString(2, materialId);
      d.executeUpdate();
    }
    try (PreparedStatement p = db.prepareStatement("INSERT INTO kw_materials (key_arn, material_id, seq,"
        + " created_ms, rotation_type, wrapped, pending_state, expires_ms, description)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, key.arn());
      p.setString(2, materialId);
      p.setInt(3, seq);
      p.setLong(4, ref.created().toEpochMilli());
      p.setString(5, ref.rotationType());
      p.setBytes(6, wrapped);
      p.setString(7, ref.pendingState());
      setLong(p, 8, ref.expires() == null ? null : ref.expires().toEpochMilli());
      p.setString(9, ref.description());
      p.executeUpdate();
    }
  }

  /**
   * Writes the key and the state of each material row it keeps (order, rotation, pending, expiry, description),
   * emptying the wrapped bytes of materials no longer imported and deleting rows of materials it no longer has.
   */
  private void syncMaterialRows(StoredKey key) throws SQLException {
    for (int i = 0; i < key.materials().size(); i++) {
      StoredKey.MaterialRef m = key.materials().get(i);
      String sql = m.imported()
          ? "UPDATE kw_materials SET seq = ?, created_ms = ?, rotation_type = ?, pending_state = ?, expires_ms = ?,"
              + " description = ? WHERE key_arn = ? AND material_id = ?"
          : "UPDATE kw_materials SET seq = ?, created_ms = ?, rotation_type = ?, pending_state = ?, expires_ms = ?,"
              + " description = ?, wrapped = ? WHERE key_arn = ? AND material_id = ?";
      try (PreparedStatement p = db.prepareStatement(sql)) {
        p.setInt(1, i);
        p.setLong(2, m.created().toEpochMilli());
        p.setString(3, m.rotationType());
        p.setString(4, m.pendingState());
        setLong(p, 5, m.expires() == null ? null : m.expires().toEpochMilli());
        p.setString(6, m.description());
        int next = 7;
        if (!m.imported()) {
          p.setBytes(next++, new byte[0]);
        }
        p.setString(next++, key.arn());
        p.setString(next, m.id());
        p.executeUpdate();
      }
    }
  }

  @Override
  public void putKeyDroppingMaterials(StoredKey key) {
    tx("store a key", () -> {
      upsertKey(key);
      List<String> keep = new ArrayList<>();
      key.materials().forEach(m -> keep.add(m.id()));
      List<String> drop = new ArrayList<>();
      try (PreparedStatement p = db.prepareStatement("SELECT material_id FROM kw_materials WHERE key_arn = ?")) {
        p.setString(1, key.arn());
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            if (!keep.contains(r.getString(1))) {
              drop.add(r.getString(1));
            }
          }
        }
      }
      for (String id : drop) {
        try (PreparedStatement p = db.prepareStatement(
            "DELETE FROM kw_materials WHERE key_arn = ? AND material_id = ?")) {
          p.setString(1, key.arn());
          p.setString(2, id);
          p.executeUpdate();
        }
      }
      syncMaterialRows(key);
    });
  }

  @Override
  public void putKey(StoredKey key) {
    tx("store a key", () -> {
      upsertKey(key);
      syncMaterialRows(key);
    });
  }

  private void upsertKey(StoredKey k) throws SQLException, JsonProcessingException {
    try (PreparedStatement del = db.prepareStatement("DELETE FROM kw_keys WHERE arn = ?")) {
      del.setString(1, k.arn());
      del.executeUpdate();
    }
    try (PreparedStatement p = db.prepareStatement("INSERT INTO kw_keys (arn, key_id, account, region, spec, usage,"
        + " origin, multi_region, description, state, created_ms, deletion_ms, pending_window_days,"
        + " rotation_enabled, rotation_period_days, next_rotation_ms, policy, policy_name, tags,"
        + " on_demand_rotations, material_expires_ms, multi_region_key_type, version)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, k.arn());
      p.setString(2, k.keyId());
      p.setString(3, k.account());
      p.setString(4, k.region());
      p.setString(5, k.spec());
      p.setString(6, k.usage());
      p.setString(7, k.origin());
      p.setInt(8, k.multiRegion() ? 1 : 0);
      p.setString(9, k.description());
      p.setString(10, k.state());
      p.setLong(11, k.created().toEpochMilli());
      setLong(p, 12, k.deletionDate() == null ? null : k.deletionDate().toEpochMilli());
      if (k.pendingWindowDays() == null) {
        p.setNull(13, Types.INTEGER);
      } else {
        p.setInt(13, k.pendingWindowDays());
      }
      p.setInt(14, k.rotationEnabled() ? 1 : 0);
      p.setInt(15, k.rotationPeriodDays());
      setLong(p, 16, k.nextRotation() == null ? null : k.nextRotation().toEpochMilli());
      p.setString(17, k.policy());
      p.setString(18, k.policyName());
      p.setString(19, json(k.tags()));
      p.setInt(20, k.onDemandRotations());
      setLong(p, 21, k.materialExpires() == null ? null : k.materialExpires().toEpochMilli());
      p.setString(22, k.multiRegionKeyType());
      p.setLong(23, k.materials().size());
      p.executeUpdate();
    }
  }

  private static void setLong(PreparedStatement p, int col, Long v) throws SQLException {
    if (v == null) {
      p.setNull(col, Types.BIGINT);
    } else {
      p.setLong(col, v);
    }
  }

  @Override
  public void deleteKey(String keyArn) {
    tx("delete a key", () -> {
      for (String sql : new String[] {"DELETE FROM kw_materials WHERE key_arn = ?",
          "DELETE FROM kw_aliases WHERE target_key_arn = ?", "DELETE FROM kw_grants WHERE key_arn = ?",
          "DELETE FROM kw_keys WHERE arn = ?"}) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
          p.setString(1, keyArn);
          p.executeUpdate();
        }
      }
    });
  }

  @Override
  public void putAlias(StoredAlias a) {
    tx("store an alias", () -> {
      try (PreparedStatement del = db.prepareStatement("DELETE FROM kw_aliases WHERE alias_arn = ?")) {
        del.setString(1, a.aliasArn());
        del.executeUpdate();
      }
      try (PreparedStatement p = db.prepareStatement("INSERT INTO kw_aliases (alias_arn, alias_name, account,"
          + " region, target_key_arn, created_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
        p.setString(1, a.aliasArn());
        p.setString(2, a.aliasName());
        p.setString(3, a.account());
        p.setString(4, a.region());
        p.setString(5, a.targetKeyArn());
        p.setLong(6, a.created().toEpochMilli());
        p.executeUpdate();
      }
    });
  }

  @Override
  public void deleteAlias(String aliasArn) {
    tx("delete an alias", () -> deleteRow("DELETE FROM kw_aliases WHERE alias_arn = ?", aliasArn));
  }

  /** Runs a DELETE whose one parameter is the row's id, inside the caller's transaction. */
  private void deleteRow(String sql, String id) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      p.setString(1, id);
      p.executeUpdate();
    }
  }

  @Override
  public void putGrant(StoredGrant g) {
    tx("store a grant", () -> {
      try (PreparedStatement del = db.prepareStatement("DELETE FROM kw_grants WHERE grant_id = ?")) {
        del.setString(1, g.grantId());
        del.executeUpdate();
      }
      try (PreparedStatement p = db.prepareStatement("INSERT INTO kw_grants (grant_id, key_arn, token, name,"
          + " grantee, retiring_principal, issuing_account, operations, constraint_equals, constraint_subset,"
          + " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, g.grantId());
        p.setString(2, g.keyArn());
        p.setString(3, g.token());
        p.setString(4, g.name());
        p.setString(5, g.grantee());
        p.setString(6, g.retiringPrincipal());
        p.setString(7, g.issuingAccount());
        p.setString(8, json(g.operations()));
        p.setString(9, g.constraintEquals() == null ? null : json(g.constraintEquals()));
        p.setString(10, g.constraintSubset() == null ? null : json(g.constraintSubset()));
        p.setLong(11, g.created().toEpochMilli());
        p.executeUpdate();
      }
    });
  }

  @Override
  public void deleteGrant(String grantId) {
    tx("delete a grant", () -> deleteRow("DELETE FROM kw_grants WHERE grant_id = ?", grantId));
  }

  /** The AAD of an import token's wrapped key, with the token's hash after it. */
  private static final String IMPORT_TOKEN_LABEL = "keyward import token#";

  @Override
  public void putImportToken(ImportToken token) {
    byte[] raw = token.wrappingKey().toByteArray();
    byte[] wrapped;
    try {
      wrapped = root.wrap(raw, IMPORT_TOKEN_LABEL + token.tokenHash());
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
    }
    tx("keep an import token", () -> {
      deleteRow("DELETE FROM kw_import_tokens WHERE token_hash = ?", token.tokenHash());
      try (PreparedStatement p = db.prepareStatement("INSERT INTO kw_import_tokens (token_hash, key_arn,"
          + " wrapping_algorithm, wrapping_key_spec, wrapped_key, valid_to_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
        p.setString(1, token.tokenHash());
        p.setString(2, token.keyArn());
        p.setString(3, token.wrappingAlgorithm());
        p.setString(4, token.wrappingKeySpec());
        p.setBytes(5, wrapped);
        p.setLong(6, token.validTo().toEpochMilli());
        p.executeUpdate();
      }
    });
  }

  @Override
  public void deleteImportToken(String tokenHash) {
    tx("forget an import token", () -> deleteRow("DELETE FROM kw_import_tokens WHERE token_hash = ?", tokenHash));
  }

  /** SQLite's own consistency check ("ok" when the file is sound). */
  public synchronized String integrityCheck() {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      return r.next() ? r.getString(1) : "no answer";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  @Override
  public synchronized void close() {
    root.wipe();
    closeQuietly(db);
  }

  @Override
  public String toString() {
    return "JdbcKeyStore[root key ****]";
  }
}
