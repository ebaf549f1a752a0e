package dev.keyward.server;

import static dev.keyward.runtime.KmsError.KMS_INTERNAL;

import dev.keyward.runtime.KmsRuntime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A runtime over a PostgreSQL store that several {@code keyward serve} processes share, without lost updates.
 *
 * <p>The runtime keeps keys, policies and grants in memory and writes through to the store, so two processes
 * must never change the store from stale memory. Every operation that can write (all but
 * {@link KmsOperations#READ_ONLY}) runs while holding a PostgreSQL advisory lock (one for the whole store,
 * taken by one process at a time); under the lock the server reads the store's generation counter, rebuilds
 * its runtime from the store when another process moved the counter, moves the counter itself (committed
 * before the change, so a crash half-way still makes the others reload), then runs the operation, whose writes
 * commit before the lock is released. Read-only operations compare the counter (one indexed read) and reload
 * when it moved, so they see every change committed before they started.
 *
 * <p>Limit: automatic rotations and deletions that fall due are applied by the runtime at the start of any call
 * (also read-only ones), outside the lock; two servers could both apply the same due rotation in the second it
 * falls due. Rotation by RotateKeyOnDemand, grants and policy changes always take the lock.
 */
final class SharedRuntime implements RuntimeAccess {

  /** The advisory lock id: "keyward" in ASCII. */
  static final long LOCK_ID = 0x6b6579776172_64L;
  private static final String TABLE = "kw_serve_state";

  private final Connection db;
  private final Supplier<KmsRuntime> factory;
  private final ReentrantLock local = new ReentrantLock();
  private volatile KmsRuntime current;
  private volatile long loaded = -1;
  /**
   * Whether {@link #current} was loaded under the store-wide lock. A read-only call reloads without it, so it can
   * load while another server is half-way through a change (that server moves the counter before it writes):
   * such a runtime serves reads, but a write must reload first, or it would write back from the state before
   * the other server's change and lose it.
   */
  private volatile boolean loadedUnderLock;

  private SharedRuntime(Connection db, Supplier<KmsRuntime> factory) {
    this.db = db;
    this.factory = factory;
  }

  /**
   * @param jdbcUrl the PostgreSQL store's URL (this class keeps its own connection for the lock and counter)
   * @param factory builds a runtime that loads the shared store afresh
   */
  static SharedRuntime open(String jdbcUrl, Supplier<KmsRuntime> factory) throws SQLException {
    Connection c = DriverManager.getConnection(jdbcUrl);
    try (Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (name TEXT PRIMARY KEY, generation BIGINT NOT NULL)");
      s.execute("INSERT INTO " + TABLE + " (name, generation) VALUES ('store', 0) ON CONFLICT (name) DO NOTHING");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new SharedRuntime(c, factory);
  }

  @Override
  public <T> T call(String op, Function<KmsRuntime, T> body) {
    if (KmsOperations.READ_ONLY.contains(op)) {
      long g = generation();
      if (g != loaded) {
        local.lock();
        try {
          if (generation() != loaded) {
            reload(generation());
            loadedUnderLock = false;
          }
        } finally {
          local.unlock();
        }
      }
      return body.apply(current);
    }
    return exclusive(body);
  }

  /** Runs {@code body} holding the store-wide lock, on a runtime that holds everything committed so far. */
  <T> T exclusive(Function<KmsRuntime, T> body) {
    local.lock();
    try {
      sql("SELECT pg_advisory_lock(" + LOCK_ID + ")");
      try {
        long g = generation();
        if (g != loaded || current == null || !loadedUnderLock) {
          reload(g);
          loadedUnderLock = true;
        }
        bump(g + 1);
        loaded = g + 1;
        return body.apply(current);
      } finally {
        sql("SELECT pg_advisory_unlock(" + LOCK_ID + ")");
      }
    } finally {
      local.unlock();
    }
  }

  private void reload(long g) {
    // NOTE: the replaced runtime is not closed: it shares the store and the audit log with the new one
    current = factory.get();
    loaded = g;
  }

  private long generation() {
    synchronized (db) {
      try (PreparedStatement p = db.prepareStatement("SELECT generation FROM " + TABLE + " WHERE name = 'store'");
          ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      } catch (SQLException e) {
        throw KMS_INTERNAL.exception("the shared key store cannot be read: " + e.getMessage());
      }
    }
  }

  private void bump(long g) {
    synchronized (db) {
      try (PreparedStatement p = db.prepareStatement("UPDATE " + TABLE + " SET generation = ? WHERE name = 'store'")) {
        p.setLong(1, g);
        p.executeUpdate();
      } catch (SQLException e) {
        throw KMS_INTERNAL.exception("the shared key store cannot be written: " + e.getMessage());
      }
    }
  }

  private void sql(String q) {
    synchronized (db) {
      try (Statement s = db.createStatement()) {
        s.execute(q);
      } catch (SQLException e) {
        throw KMS_INTERNAL.exception("the shared key store cannot be locked: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    KmsRuntime rt = current;
    if (rt != null) {
      rt.close();
    }
    try {
      db.close();
    } catch (SQLException e) {
      // NOTE: closing at shutdown; nothing is left to protect
    }
  }
}
