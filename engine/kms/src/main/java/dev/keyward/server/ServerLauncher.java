package dev.keyward.server;

import dev.keyward.runtime.KmsRuntime;
import dev.keyward.runtime.WorldSeeder;
import dev.keyward.runtime.audit.AuditLog;
import dev.keyward.runtime.audit.FileAuditLog;
import dev.keyward.runtime.store.JdbcKeyStore;
import dev.keyward.runtime.store.SealedDirectory;
import dev.keyward.world.World;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;

/**
 * Builds a running server from the options of {@code keyward serve}: opens the store (a directory with the
 * embedded SQLite store, sealed to its owner, or a shared PostgreSQL database), checks the audit log against the
 * head recorded at the last stop, seeds the store from the world, starts the HTTP server. The audit log is closed
 * (and its head recorded) after the runtime when the server stops.
 */
public final class ServerLauncher {

  private ServerLauncher() {}

  /**
   * What {@code keyward serve} was asked for.
   *
   * @param world the loaded world (accounts, principals, keys to seed, identities)
   * @param store a directory, or a {@code jdbc:postgresql:} URL
   * @param rootKeyFile the root key file; null: {@code root.key} in the store directory (created when missing)
   * @param passphrase the root key passphrase (scrypt) instead of a key file, or null
   * @param audit the audit log file; null: {@code audit.jsonl} in the store directory, none for PostgreSQL
   * @param auditRotateBytes the size at which the audit log file is rotated
   */
  public record Options(World world, String store, Path rootKeyFile, char[] passphrase, Path audit,
      long auditRotateBytes, KmsServer.Config server) {

    /** Options with the audit log rotating at {@link FileAuditLog#DEFAULT_ROTATE_BYTES}. */
    public Options(World world, String store, Path rootKeyFile, char[] passphrase, Path audit,
        KmsServer.Config server) {
      this(world, store, rootKeyFile, passphrase, audit, FileAuditLog.DEFAULT_ROTATE_BYTES, server);
    }
  }

  /** Opens the store, seeds it and starts the server; the caller stops it. */
  public static KmsServer launch(Options o, PrintWriter log) throws IOException {
    KmsServer.configureJdk(); // before the store's drivers log anything
    boolean shared = o.store().startsWith("jdbc:");
    if (shared && !o.store().startsWith("jdbc:postgresql:")) {
      throw new IOException("only jdbc:postgresql: URLs are supported as a shared store, not `" + o.store() + "`");
    }
    JdbcKeyStore.RootKeySource root;
    if (o.passphrase() != null) {
      root = new JdbcKeyStore.Passphrase(o.passphrase());
    } else if (o.rootKeyFile() != null) {
      root = new JdbcKeyStore.KeyFile(o.rootKeyFile(), !shared);
    } else if (shared) {
      throw new IOException("a shared store needs the servers' common root key: give --root-key-file or set"
          + " KEYWARD_ROOT_PASSPHRASE");
    } else {
      root = new JdbcKeyStore.KeyFile(Path.of(o.store()).resolve("root.key"), true);
    }
    if (!shared) {
      for (String w : SealedDirectory.seal(Path.of(o.store()))) {
        log.println("keyward serve: warning: " + w);
        log.flush();
      }
    }
    Path auditFile = o.audit() != null ? o.audit() : shared ? null : Path.of(o.store()).resolve("audit.jsonl");
    AuditLog audit = auditFile == null ? AuditLog.none() : FileAuditLog.open(auditFile, o.auditRotateBytes());
    Clock clock = o.server().clock();
    RuntimeAccess access;
    if (shared) {
      JdbcKeyStore store = openPostgres(o.store(), root);
      SharedRuntime sr;
      try {
        sr = SharedRuntime.open(o.store(), () -> KmsRuntime.builder().world(o.world()).store(store).audit(audit)
            .clock(clock).build());
      } catch (SQLException e) {
        store.close();
        throw new IOException("cannot open the shared store: " + e.getMessage());
      }
      sr.exclusive(rt -> {
        WorldSeeder.seed(rt, o.world(), Map.of());
        return null;
      });
      access = sr;
    } else {
      JdbcKeyStore store = JdbcKeyStore.openDirectory(Path.of(o.store()), root);
      KmsRuntime rt = KmsRuntime.builder().world(o.world()).store(store).audit(audit).clock(clock).build();
      WorldSeeder.seed(rt, o.world(), Map.of());
      access = RuntimeAccess.local(rt);
    }
    try {
      return KmsServer.start(o.server(), access, audit, log, audit::close);
    } catch (IOException e) {
      access.close();
      throw e;
    }
  }

  /**
   * Opens the key store on PostgreSQL (the runtime's schema, with BYTEA for its BLOB column), under the
   * store-wide advisory lock so that two servers starting at once do not race to create the schema.
   */
  static JdbcKeyStore openPostgres(String url, JdbcKeyStore.RootKeySource root) throws IOException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + SharedRuntime.LOCK_ID + ")");
      try {
        return JdbcKeyStore.open(url, root);
      } finally {
        s.execute("SELECT pg_advisory_unlock(" + SharedRuntime.LOCK_ID + ")");
      }
    } catch (SQLException e) {
      throw new IOException("cannot open the PostgreSQL store: " + e.getMessage());
    }
  }
}
