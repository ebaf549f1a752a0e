package dev.keyward.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store} and {@code --audit}: where the local KMS keeps its keys and its audit log. */
final class StoreOptions {

  @Option(names = "--store", paramLabel = "DIR|URL", defaultValue = ".keyward",
      description = "Key store: a directory (default ${DEFAULT-VALUE}) holding the keys and audit.jsonl, or a"
          + " jdbc:postgresql: URL")
  String store;

  @Option(names = "--audit", paramLabel = "FILE",
      description = "Audit log, one hash-chained JSON line per call (default: audit.jsonl in the store directory)")
  Path audit;

  /** The audit log's file: {@code --audit}, or audit.jsonl in the store directory. */
  Path auditLog() {
    return audit != null ? audit : Path.of(store).resolve("audit.jsonl");
  }
}
