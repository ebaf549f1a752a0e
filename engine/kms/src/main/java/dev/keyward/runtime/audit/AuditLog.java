package dev.keyward.runtime.audit;

/** Where the runtime records its calls. Implementations are thread-safe. */
public interface AuditLog extends AutoCloseable {

  /** Whether events are wanted at all (the runtime skips building them when not). */
  boolean enabled();

  void record(AuditEvent event);

  @Override
  void close();

  /** A log that records nothing. */
  static AuditLog none() {
    return new AuditLog() {
      @Override
      public boolean enabled() {
        return false;
      }

      @Override
      public void record(AuditEvent event) {}

      @Override
      public void close() {}
    };
  }
}
