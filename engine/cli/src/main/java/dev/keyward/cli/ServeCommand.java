package dev.keyward.cli;

import dev.keyward.server.KmsServer;
import dev.keyward.server.ServerLauncher;
import dev.keyward.world.World;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyward serve}: the local KMS on the AWS KMS wire protocol, until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Runs a local KMS that AWS SDKs and the AWS CLI talk to, enforcing the world's policies.",
    description = {
        "Serves the AWS KMS API (JSON 1.1 over HTTP, SigV4-signed) on loopback. Keys, aliases, policies and"
            + " grants of the world are seeded with their ids; every call is authorized by the same engine as"
            + " `keyward can`. The world's identities map access keys to principals.",
        "The store is a directory (embedded database, root key file root.key created in it) or a"
            + " jdbc:postgresql: URL that several servers may share (give them the same --root-key-file). A store"
            + " directory is made readable by its owner only (0700, files 0600).",
        "On SIGTERM or Ctrl-C the server stops taking connections, finishes the requests in flight (up to 10 s;"
            + " at once when idle) and records the audit log's head hash in audit.jsonl.head; the next start"
            + " refuses a log that no longer holds it.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward serve --world world.yaml --store .keyward --port 4599",
        "  aws --endpoint-url http://127.0.0.1:4599 kms list-keys",
        "  keyward serve --world world.yaml --tls-cert cert.pem --tls-key key.pem --port 4443",
        "  keyward audit verify --store .keyward",
        "  keyward serve --world world.yaml --root-key-file root.key \\",
        "      --store 'jdbc:postgresql://localhost/keyward?user=keyward&password=...'",
        "",
        "Exit codes: 0 stopped, 2 bad input or usage (the server did not start)."
    })
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin WorldInput worldInput = new WorldInput();

  /** The world file key policy files are read next to: the first --world that is a file. */
  private String world;

  @CommandLine.Mixin StoreOptions storeOptions = new StoreOptions();

  @Option(names = "--port", paramLabel = "N", defaultValue = "4599",
      description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one and prints it)")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--root-key-file", paramLabel = "FILE",
      description = "Root key that encrypts key material at rest (default: root.key in the store directory;"
          + " required for a PostgreSQL store unless KEYWARD_ROOT_PASSPHRASE is set)")
  Path rootKeyFile;

  @Option(names = "--any-credentials-as", paramLabel = "PRINCIPAL",
      description = "Accept any credentials, unverified, as this principal ARN (local use only)")
  String anyCredentialsAs;

  @Option(names = "--threads", paramLabel = "N", description = "Request threads (default: 4 per core, at least 8);"
      + " connections hold none, only requests being answered do")
  Integer threads;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "Serve HTTPS with this PEM certificate chain (give --tls-key too)")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The PEM private key (PKCS#8, unencrypted) of --tls-cert")
  Path tlsKey;

  @Option(names = "--max-connections", paramLabel = "N", description = "Open connections at most (default 4096);"
      + " one more is answered 503 and closed")
  Integer maxConnections;

  @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "Time a request may take to arrive,"
      + " from its first byte to its last (default 10); a slower one is answered 408 and closed")
  Integer requestTimeout;

  @Option(names = "--audit-rotate-mb", paramLabel = "MB", description = "Rotate the audit log when its file passes"
      + " this size (default 64); the chain continues in the next file")
  Integer auditRotateMb;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    World w = loadWorld(err);
    if (w == null) {
      return ExitCode.BAD_INPUT;
    }
    if (anyCredentialsAs != null && !anyCredentialsAs.startsWith("arn:")) {
      err.println("keyward: --any-credentials-as needs a principal ARN, not `" + anyCredentialsAs + "`");
      return ExitCode.BAD_INPUT;
    }
    KmsServer.Config config = KmsServer.Config.of(port, w.identities()).withBind(bind)
        .withAnyCredentialsAs(anyCredentialsAs);
    if (threads != null) {
      if (threads < 1) {
        err.println("keyward: --threads must be at least 1, not " + threads);
        return ExitCode.BAD_INPUT;
      }
      config = config.withThreads(threads);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      err.println("keyward: --tls-cert and --tls-key go together: give both, or neither for plain HTTP");
      return ExitCode.BAD_INPUT;
    }
    if (tlsCert != null) {
      config = config.withTls(new KmsServer.Tls(tlsCert, tlsKey));
    }
    if (maxConnections != null) {
      if (maxConnections < 1) {
        err.println("keyward: --max-connections must be at least 1, not " + maxConnections);
        return ExitCode.BAD_INPUT;
      }
      config = config.withLimits(config.limits().withMaxConnections(maxConnections));
    }
    if (requestTimeout != null) {
      if (requestTimeout < 1) {
        err.println("keyward: --request-timeout must be at least 1 second, not " + requestTimeout);
        return ExitCode.BAD_INPUT;
      }
      config = config.withLimits(config.limits().withRequestTimeout(java.time.Duration.ofSeconds(requestTimeout)));
    }
    long rotate = dev.keyward.runtime.audit.FileAuditLog.DEFAULT_ROTATE_BYTES;
    if (auditRotateMb != null) {
      if (auditRotateMb < 1) {
        err.println("keyward: --audit-rotate-mb must be at least 1, not " + auditRotateMb);
        return ExitCode.BAD_INPUT;
      }
      rotate = auditRotateMb * (1L << 20);
    }
    String pass = System.getenv("KEYWARD_ROOT_PASSPHRASE");
    KmsServer server;
    try {
      server = ServerLauncher.launch(new ServerLauncher.Options(w, storeOptions.store, rootKeyFile,
          pass == null || pass.isEmpty() ? null : pass.toCharArray(), storeOptions.audit, rotate, config), err);
    } catch (IOException | RuntimeException e) {
      String why = e instanceof java.nio.file.FileSystemException ? e.getClass().getSimpleName().replace("Exception", "")
          .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT) + ": `" + e.getMessage() + "`"
          : e.getMessage();
      err.println("keyward: cannot start the server: " + why);
      return ExitCode.BAD_INPUT;
    }
    if (anyCredentialsAs != null) {
      err.println("keyward: WARNING: --any-credentials-as: every request is accepted WITHOUT checking its signature,"
          + " as `" + anyCredentialsAs + "`. Never expose this server beyond your machine.");
    }
    out.println("keyward serve: listening on " + server.endpoint() + " (" + w.identities().size() + " identities, store "
        + redact(storeOptions.store) + ")");
    out.flush();
    err.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.stop(10);
      stopped.countDown();
    }, "keyward-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCode.OK;
  }

  /** The world file (its directory holds the key policy files to seed); null after printing its errors. */
  private World loadWorld(PrintWriter err) {
    worldInput.requireInput(spec.commandLine());
    List<String> files = worldInput.files();
    world = files.stream().filter(w -> !java.nio.file.Files.isDirectory(Path.of(w))).findFirst()
        .orElse(files.get(0));
    return worldInput.load(spec.commandLine(), err, "the server did not start");
  }

  /** The store without a password in its URL. */
  static String redact(String store) {
    return store.replaceAll("(?i)(password=)[^&]*", "$1****");
  }
}
