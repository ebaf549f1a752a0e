package dev.keyward.server;

import dev.keyward.runtime.KmsRuntime;
import java.util.function.Function;

/**
 * How the server reaches the runtime for one call: directly (one process owns its store) or, on a store
 * that several servers share, under a cross-process lock that reloads what the other servers changed.
 */
interface RuntimeAccess extends AutoCloseable {

  /** Runs one KMS operation {@code op} against the runtime. */
  <T> T call(String op, Function<KmsRuntime, T> body);

  @Override
  void close();

  /** Whether a call may wait on something outside this process (a shared database). */
  default boolean blocks() {
    return true;
  }

  /** A runtime that only this process uses. */
  static RuntimeAccess local(KmsRuntime runtime) {
    return new RuntimeAccess() {
      @Override
      public <T> T call(String op, Function<KmsRuntime, T> body) {
        return body.apply(runtime);
      }

      @Override
      public void close() {
        runtime.close();
      }

      @Override
      public boolean blocks() {
        return false;
      }
    };
  }
}
