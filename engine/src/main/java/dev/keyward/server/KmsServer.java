package dev.keyward.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.KmsException;
import dev.keyward.world.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local KMS on the wire: AWS JSON 1.1 over HTTP ({@code POST /}, {@code X-Amz-Target:
 * TrentService.<Operation>}), every request authenticated by SigV4, answered by the runtime. Bad input gets a
 * KMS-shaped error ({@code {"__type": ..., "message": ...}} with AWS's HTTP status) or a closed connection,
 * never a stack trace; a body over {@link Config#maxBodyBytes} is refused without being read.
 */
public final class KmsServer implements AutoCloseable {

  /** Default largest request body: 1 MiB (a KMS request is at most a few hundred KiB: a 128 KiB policy). */
  public static final int DEFAULT_MAX_BODY = 1 << 20;
  private static final String JSON_TYPE = "application/x-amz-json-1.1";

  static {
    configureJdk();
  }

  /** Sets the JDK server's limits (read once, when its first server starts); an explicit -D wins. */
  static void configureJdk() {
    // The JDK server reads these once: close connections whose request takes longer than maxReqTime seconds
    // (slow clients) and idle keep-alive connections after idleInterval seconds. An explicit -D wins.
    setDefault("sun.net.httpserver.maxReqTime", "30");
    setDefault("sun.net.httpserver.maxRspTime", "30");
    setDefault("sun.net.httpserver.idleInterval", "60");
    setDefault("sun.net.httpserver.maxReqHeaders", "100");
    // Headers and body go out in two writes: without TCP_NODELAY, Nagle and the client's delayed ACK add
    // about 40 ms to every keep-alive answer.
    setDefault("sun.net.httpserver.nodelay", "true");
    // The SDK's signer code and the JDBC drivers log through SLF4J, which has no provider here: no warning lines.
    setDefault("slf4j.internal.verbosity", "ERROR");
  }

  private static void setDefault(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /**
   * Options of a server.
   *
   * @param bind the address to listen on (loopback by default)
   * @param port the port (0: any free port; {@link #port()} tells which)
   * @param threads request threads; requests beyond {@code threads + queue} wait in the accept backlog
   * @param identities the SigV4 credentials accepted and the principals they stand for
   * @param anyCredentialsAs when not null, every request is this principal, signatures unchecked
   */
  public record Config(String bind, int port, int threads, int queue, int maxBodyBytes, List<Identity> identities,
      String anyCredentialsAs, Clock clock) {
    public Config {
      identities = List.copyOf(identities);
    }

    public static Config of(int port, List<Identity> identities) {
      return new Config("127.0.0.1", port, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), 1024,
          DEFAULT_MAX_BODY, identities, null, Clock.systemUTC());
    }

    public Config withAnyCredentialsAs(String principal) {
      return new Config(bind, port, threads, queue, maxBodyBytes, identities, principal, clock);
    }

    public Config withBind(String address) {
      return new Config(address, port, threads, queue, maxBodyBytes, identities, anyCredentialsAs, clock);
    }

    public Config withClock(Clock c) {
      return new Config(bind, port, threads, queue, maxBodyBytes, identities, anyCredentialsAs, c);
    }

    public Config withMaxBodyBytes(int max) {
      return new Config(bind, port, threads, queue, max, identities, anyCredentialsAs, clock);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Config config;
  private final RuntimeAccess runtime;
  private final KmsModel model = KmsModel.load();
  private final KmsOperations operations = KmsOperations.create();
  private final SigV4Verifier verifier;
  private final PrintWriter log;
  private final HttpServer http;
  private final ThreadPoolExecutor executor;
  private final AtomicInteger inFlight = new AtomicInteger();

  private KmsServer(Config config, RuntimeAccess runtime, PrintWriter log) throws IOException {
    this.config = config;
    this.runtime = runtime;
    this.log = log;
    this.verifier = SigV4Verifier.create(config.identities(), config.anyCredentialsAs(), config.clock());
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(config.queue()), r -> {
          Thread t = new Thread(r, "keyward-serve-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    this.http = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 1024);
    http.setExecutor(executor);
    http.createContext("/", this::handle);
  }

  /** Starts a server on {@code runtime}; it answers until {@link #close}. */
  static KmsServer start(Config config, RuntimeAccess runtime, PrintWriter log) throws IOException {
    KmsServer s = new KmsServer(config, runtime, log);
    s.http.start();
    return s;
  }

  /** The port the server listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  public String endpoint() {
    String host = http.getAddress().getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Requests being answered right now. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Stops accepting connections, lets requests in flight finish (up to {@code graceSeconds}), then closes the
   * runtime and its store.
   */
  public void stop(int graceSeconds) {
    http.stop(graceSeconds);
    executor.shutdown();
    try {
      executor.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runtime.close();
  }

  @Override
  public void close() {
    stop(5);
  }

  // ---------------------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) {
    inFlight.incrementAndGet();
    String requestId = UUID.randomUUID().toString();
    try {
      int status;
      byte[] body;
      try {
        ObjectNode answer = answer(ex);
        status = 200;
        body = answer == null ? new byte[0] : JSON.writeValueAsBytes(answer);
      } catch (WireException e) {
        status = e.status();
        body = error(e.type(), e.getMessage());
        if (status == 413) {
          ex.getResponseHeaders().set("Connection", "close");
        }
      } catch (KmsException e) {
        status = statusOf(e.errorCode());
        body = error(e.errorCode(), e.getMessage());
      } catch (RuntimeException e) {
        // NOTE: a bug, not an answer: one line in the log (no stack trace, no request data), a generic answer
        log.println("keyward serve: internal error in request " + requestId + ": " + e.getClass().getName());
        log.flush();
        status = 500;
        body = error("KMSInternalException", "internal error (request " + requestId + ")");
      }
      Headers h = ex.getResponseHeaders();
      h.set("Content-Type", JSON_TYPE);
      h.set("x-amzn-RequestId", requestId);
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // NOTE: the client went away or timed out; its connection is closed below
    } finally {
      ex.close();
      inFlight.decrementAndGet();
    }
  }

  private ObjectNode answer(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      throw new WireException("UnknownOperationException", 400, "KMS answers POST requests only");
    }
    byte[] body = readBody(ex);
    Map<String, List<String>> headers = new HashMap<>();
    for (Map.Entry<String, List<String>> e : ex.getRequestHeaders().entrySet()) {
      headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    SigV4Verifier.Authenticated who = verifier.authenticate(new SigV4Verifier.SignedParts(ex.getRequestMethod(),
        ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), headers, body));
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    String prefix = model.targetPrefix() + ".";
    if (target == null || !target.startsWith(prefix) || !model.hasOperation(target.substring(prefix.length()))) {
      throw new WireException("UnknownOperationException", 400, target == null ? "X-Amz-Target is missing"
          : "unknown operation `" + target + "`");
    }
    String op = target.substring(prefix.length());
    KmsOperations.Handler handler = operations.handler(op);
    if (handler == null) {
      throw new WireException("UnsupportedOperationException", 400, "keyward serve does not implement " + op);
    }
    JsonNode in = parse(body);
    model.validate(op, in);
    Caller caller = new Caller(who.principal(), who.region(), null, who.session());
    return runtime.call(op, rt -> handler.handle(rt, caller, in));
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || n.isMissingNode()) {
        return JSON.createObjectNode();
      }
      return n;
    } catch (JsonProcessingException e) {
      throw WireException.serialization("the request body is not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw WireException.serialization("the request body cannot be read");
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Reads the body, refusing one over the limit by its Content-Length or as soon as it passes the limit. */
  private byte[] readBody(HttpExchange ex) throws IOException {
    int max = config.maxBodyBytes();
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw WireException.serialization("Content-Length `" + length + "` is not a number");
      }
      if (n > max) {
        throw tooLarge(max);
      }
    }
    InputStream in = ex.getRequestBody();
    byte[] buf = new byte[length == null ? 8192 : (int) Long.parseLong(length.trim())];
    int total = 0;
    while (true) {
      if (total == buf.length) {
        if (total > max) {
          throw tooLarge(max);
        }
        if (length != null) {
          break;
        }
        buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, max + 1));
      }
      int r = in.read(buf, total, buf.length - total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total == buf.length ? buf : java.util.Arrays.copyOf(buf, total);
  }

  private static WireException tooLarge(int max) {
    return new WireException("RequestEntityTooLargeException", 413, "the request body is larger than " + max
        + " bytes");
  }

  /**
   * AWS's HTTP status for a KMS error, as the Errors lists of the KMS API reference give them (the service model
   * carries no status): 500 for its faults, 503 for a dependency timeout, 409 for a key in the wrong state or a
   * conflict, 412 for a DryRun, else 400.
   */
  static int statusOf(String errorCode) {
    switch (errorCode) {
      case "DisabledException":
      case "KMSInvalidStateException":
      case "ConflictException":
        return 409;
      case "DryRunOperationException":
        return 412;
      case "KMSInternalException":
      case "KeyUnavailableException":
        return 500;
      case "DependencyTimeoutException":
        return 503;
      default:
        return 400;
    }
  }

  private static byte[] error(String type, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("__type", type);
    o.put("message", message == null ? "" : message);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      return ("{\"__type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
    }
  }

  @Override
  public String toString() {
    return "KmsServer[" + endpoint() + "]";
  }
}
