package dev.keyward.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.KmsException;
import dev.keyward.runtime.audit.AuditEvent;
import dev.keyward.runtime.audit.AuditLog;
import dev.keyward.world.Identity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The local KMS on the wire: AWS JSON 1.1 over HTTP/1.1 ({@code POST /}, {@code X-Amz-Target:
 * TrentService.<Operation>}), optionally over TLS, every request authenticated by SigV4, answered by the runtime.
 * Bad input gets a KMS-shaped error ({@code {"__type": ..., "message": ...}} with AWS's HTTP status) or a closed
 * connection, never a stack trace. The HTTP side ({@link HttpFront}) is Netty: slow, idle or hostile connections
 * hold no thread, and every request is bounded in size and time.
 */
public final class KmsServer implements AutoCloseable {

  /** Default largest request body: 1 MiB (a KMS request is at most a few hundred KiB: a 128 KiB policy). */
  public static final int DEFAULT_MAX_BODY = 1 << 20;
  static final String JSON_TYPE = "application/x-amz-json-1.1";

  static {
    configureJdk();
  }

  /** Quiets the libraries' logging (read once); an explicit -D wins. */
  static void configureJdk() {
    // The SDK's signer code and the JDBC drivers log through SLF4J, which has no provider here: no warning lines.
    setDefault("slf4j.internal.verbosity", "ERROR");
  }

  private static void setDefault(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /**
   * The HTTP limits of a server.
   *
   * @param maxConnections open connections at most; one more is answered 503 and closed
   * @param maxRequestLineBytes the longest request line (method, path, version)
   * @param maxHeaderBytes the largest header block (64 KiB, as Application Load Balancers accept)
   * @param maxHeaders the most header fields in a request (an SDK sends about ten)
   * @param requestTimeout how long a request may take to arrive, from its first byte to its last
   * @param idleTimeout how long a keep-alive connection may stay open without a request
   */
  public record Limits(int maxConnections, int maxRequestLineBytes, int maxHeaderBytes, int maxHeaders,
      Duration requestTimeout, Duration idleTimeout) {
    public Limits {
      if (maxConnections < 1 || maxRequestLineBytes < 64 || maxHeaderBytes < 256 || maxHeaders < 8) {
        throw new IllegalArgumentException("HTTP limits too small");
      }
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    /** 4,096 connections, 16 KiB request line, 64 KiB of headers, 100 headers, 10 s per request, 60 s idle. */
    public static Limits defaults() {
      return new Limits(4096, 16 * 1024, 64 * 1024, 100, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public Limits withRequestTimeout(Duration d) {
      return new Limits(maxConnections, maxRequestLineBytes, maxHeaderBytes, maxHeaders, d, idleTimeout);
    }

    public Limits withMaxConnections(int n) {
      return new Limits(n, maxRequestLineBytes, maxHeaderBytes, maxHeaders, requestTimeout, idleTimeout);
    }
  }

  /**
   * TLS for the server: a PEM certificate chain and its PEM private key (PKCS#8, unencrypted).
   */
  public record Tls(Path certificateChain, Path privateKey) {
    public Tls {
      Objects.requireNonNull(certificateChain, "certificateChain");
      Objects.requireNonNull(privateKey, "privateKey");
    }
  }

  /**
   * Options of a server.
   *
   * @param bind the address to listen on (loopback by default)
   * @param port the port (0: any free port; {@link #port()} tells which)
   * @param threads request threads: complete requests are answered on them (connections hold none)
   * @param queue complete requests that may wait for a request thread; beyond it, ThrottlingException
   * @param identities the SigV4 credentials accepted and the principals they stand for
   * @param anyCredentialsAs when not null, every request is this principal, signatures unchecked
   * @param limits the HTTP limits
   * @param tls the certificate and key to serve HTTPS with, or null for plain HTTP
   */
  public record Config(String bind, int port, int threads, int queue, int maxBodyBytes, List<Identity> identities,
      String anyCredentialsAs, Clock clock, Limits limits, Tls tls) {
    public Config {
      identities = List.copyOf(identities);
      Objects.requireNonNull(limits, "limits");
    }

    public static Config of(int port, List<Identity> identities) {
      return new Config("127.0.0.1", port, Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), 4096,
          DEFAULT_MAX_BODY, identities, null, Clock.systemUTC(), Limits.defaults(), null);
    }

    public Config withAnyCredentialsAs(String principal) {
      return new Config(bind, port, threads, queue, maxBodyBytes, identities, principal, clock, limits, tls);
    }

    public Config withBind(String address) {
      return new Config(address, port, threads, queue, maxBodyBytes, identities, anyCredentialsAs, clock, limits,
          tls);
    }

    public Config withClock(Clock c) {
      return new Config(bind, port, threads, queue, maxBodyBytes, identities, anyCredentialsAs, c, limits, tls);
    }

    public Config withMaxBodyBytes(int max) {
      return new Config(bind, port, threads, queue, max, identities, anyCredentialsAs, clock, limits, tls);
    }

    public Config withThreads(int n) {
      return new Config(bind, port, n, queue, maxBodyBytes, identities, anyCredentialsAs, clock, limits, tls);
    }

    public Config withLimits(Limits l) {
      return new Config(bind, port, threads, queue, maxBodyBytes, identities, anyCredentialsAs, clock, l, tls);
    }

    public Config withTls(Tls t) {
      return new Config(bind, port, threads, queue, maxBodyBytes, identities, anyCredentialsAs, clock, limits, t);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Config config;
  private final RuntimeAccess runtime;
  private final AuditLog audit;
  private final KmsModel model = KmsModel.load();
  private final KmsOperations operations = KmsOperations.create();
  private final SigV4Verifier verifier;
  private final PrintWriter log;
  private final ThreadPoolExecutor executor;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup io;
  private final ChannelGroup channels;
  private final HttpFront.Shared front;
  private final Runnable onStop;
  private Channel listener;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private KmsServer(Config config, RuntimeAccess runtime, AuditLog audit, PrintWriter log, Runnable onStop)
      throws IOException {
    this.config = config;
    this.runtime = runtime;
    this.audit = audit;
    this.log = log;
    this.onStop = onStop;
    this.verifier = SigV4Verifier.create(config.identities(), config.anyCredentialsAs(), config.clock());
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(config.queue()), r -> {
          Thread t = new Thread(r, "keyward-serve-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    SslContext tls = null;
    if (config.tls() != null) {
      try {
        tls = SslContextBuilder.forServer(config.tls().certificateChain().toFile(),
            config.tls().privateKey().toFile()).build();
      } catch (SSLException | IllegalArgumentException e) {
        executor.shutdown();
        throw new IOException("cannot use the TLS certificate `" + config.tls().certificateChain() + "` and key `"
            + config.tls().privateKey() + "`: " + firstLine(e.getMessage()));
      }
    }
    this.acceptor = new NioEventLoopGroup(1, daemon("keyward-accept"));
    // NOTE: two network threads per core, as Netty chooses by default: short calls run on them (see SHORT)
    this.io = new NioEventLoopGroup(2 * Math.max(1, Runtime.getRuntime().availableProcessors()), daemon("keyward-io"));
    this.channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    Limits l = config.limits();
    this.front = new HttpFront.Shared(new HttpFront.Limits(l.maxConnections(), l.maxRequestLineBytes(),
        l.maxHeaderBytes(), l.maxHeaders(), config.maxBodyBytes(), l.requestTimeout().toMillis(),
        l.idleTimeout().toMillis()), executor, channels, new Answers(), tls,
        runtime.blocks() ? r -> false : KmsServer::shortCall);
  }

  /**
   * Operations answered on the network thread when the runtime is local: symmetric cryptography and reads, CPU
   * work of microseconds that never waits for a store. Everything else (key creation, asymmetric operations, store
   * writes) runs on the request threads, so that a slow call never delays the connections of a network thread.
   */
  private static final java.util.Set<String> SHORT = java.util.Set.of("TrentService.Encrypt", "TrentService.Decrypt",
      "TrentService.GenerateDataKey", "TrentService.GenerateDataKeyWithoutPlaintext", "TrentService.ReEncrypt",
      "TrentService.GenerateMac", "TrentService.VerifyMac", "TrentService.GenerateRandom", "TrentService.DescribeKey",
      "TrentService.ListKeys", "TrentService.ListAliases", "TrentService.GetKeyPolicy",
      "TrentService.GetKeyRotationStatus");

  private static boolean shortCall(WireRequest r) {
    String target = r.header("x-amz-target");
    return target != null && SHORT.contains(target) && r.body().length <= 64 * 1024;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void bind() throws IOException {
    ServerBootstrap b = new ServerBootstrap()
        .group(acceptor, io)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            HttpFront.initialize(ch, front);
          }
        });
    try {
      ChannelFuture f = b.bind(new InetSocketAddress(config.bind(), config.port())).syncUninterruptibly();
      listener = f.channel();
    } catch (RuntimeException e) {
      shutdownThreads(0);
      if (e.getCause() instanceof IOException || e instanceof ChannelException) {
        throw new IOException("cannot listen on " + config.bind() + ":" + config.port() + ": "
            + firstLine(e.getMessage()));
      }
      throw e;
    }
  }

  /** Starts a server on {@code runtime}; it answers until {@link #close}. */
  static KmsServer start(Config config, RuntimeAccess runtime, PrintWriter log) throws IOException {
    return start(config, runtime, AuditLog.none(), log, () -> {});
  }

  /**
   * Starts a server on {@code runtime} that records refused authentications in {@code audit}, and runs
   * {@code onStop} after the runtime has closed.
   */
  static KmsServer start(Config config, RuntimeAccess runtime, AuditLog audit, PrintWriter log, Runnable onStop)
      throws IOException {
    KmsServer s = new KmsServer(config, runtime, audit, log, onStop);
    s.bind();
    return s;
  }

  /** The port the server listens on. */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** The URL clients use: {@code http://} or, with TLS, {@code https://}, the address and the port. */
  public String endpoint() {
    String host = ((InetSocketAddress) listener.localAddress()).getAddress().getHostAddress();
    return (config.tls() == null ? "http" : "https") + "://" + (host.contains(":") ? "[" + host + "]" : host)
        + ":" + port();
  }

  /** The ARNs of every key the server's runtime holds, sorted. */
  public List<String> keyArns() {
    return runtime.call("ListKeys", rt -> rt.keyArns());
  }

  /**
   * Removes keys at once (with their aliases and grants), without authorization or waiting period: the clean-up of
   * test fixtures, not a KMS operation. Keys that no longer exist are skipped.
   */
  public void purgeKeys(java.util.Collection<String> keyArns) {
    runtime.call("ScheduleKeyDeletion", rt -> {
      for (String arn : keyArns) {
        rt.purgeKey(arn);
      }
      return null;
    });
  }

  /** Requests being answered right now. */
  int inFlight() {
    return front.inFlight.get();
  }

  /** Connections open right now. */
  int openConnections() {
    return front.open.get();
  }

  /**
   * Stops accepting connections, lets requests in flight finish (up to {@code graceSeconds}), closes every
   * connection, then closes the runtime and its store. Returns at once when nothing is in flight.
   */
  public void stop(int graceSeconds) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    listener.close().syncUninterruptibly();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    while ((front.inFlight.get() > 0 || executor.getActiveCount() > 0) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    channels.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    shutdownThreads(graceSeconds);
    runtime.close();
    onStop.run();
  }

  private void shutdownThreads(int graceSeconds) {
    executor.shutdown();
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      executor.awaitTermination(Math.max(1, graceSeconds), TimeUnit.SECONDS);
      acceptor.awaitTermination(2, TimeUnit.SECONDS);
      io.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(5);
  }

  // ---------------------------------------------------------------------------------------------------

  /** The KMS protocol behind the HTTP front. */
  private final class Answers implements HttpFront.Answerer {
    @Override
    public HttpFront.Answer answer(WireRequest r) {
      String requestId = UUID.randomUUID().toString();
      int status;
      byte[] body;
      boolean close = false;
      try {
        ObjectNode answer = KmsServer.this.answer(r);
        status = 200;
        body = answer == null ? new byte[0] : JSON.writeValueAsBytes(answer);
      } catch (WireException e) {
        status = e.status();
        body = error(e.type(), e.getMessage());
      } catch (KmsException e) {
        status = e.error().httpStatus();
        body = error(e.errorCode(), e.getMessage());
      } catch (JsonProcessingException | RuntimeException e) {
        // NOTE: a bug, not an answer: one line in the log (no stack trace, no request data), a generic answer
        synchronized (log) {
          log.println("keyward serve: internal error in request " + requestId + ": " + e.getClass().getName());
          log.flush();
        }
        status = 500;
        body = error("KMSInternalException", "internal error (request " + requestId + ")");
      }
      return new HttpFront.Answer(status, body, requestId, close);
    }

    @Override
    public HttpFront.Answer refuse(int status, String type, String message) {
      return new HttpFront.Answer(status, error(type, message), UUID.randomUUID().toString(), true);
    }
  }

  private ObjectNode answer(WireRequest r) {
    String target = r.header("x-amz-target");
    if (!r.method().equals("POST")) {
      throw new WireException("UnknownOperationException", 400, "KMS answers POST requests only");
    }
    SigV4Verifier.Authenticated who;
    try {
      who = verifier.authenticate(new SigV4Verifier.SignedParts(r.method(), r.path(), r.query(), r.headers(),
          r.body()));
    } catch (WireException e) {
      recordRefusal(r, target, e);
      throw e;
    }
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
    JsonNode in = parse(r.body());
    model.validate(op, in);
    Caller caller = new Caller(who.principal(), who.region(), null, who.session());
    return runtime.call(op, rt -> handler.handle(rt, caller, in));
  }

  /**
   * Records a request refused for its credentials or signature: the access key id and Region it claimed, the
   * principal that key belongs to (when it is known), the operation, the client's address and the error. Never
   * the signature, the session token or anything of the body.
   */
  private void recordRefusal(WireRequest r, String target, WireException e) {
    if (!audit.enabled()) {
      return;
    }
    SigV4Verifier.Claimed c = SigV4Verifier.claimed(r.header("authorization"));
    String principal = c.accessKeyId() == null ? null : verifier.principalOf(c.accessKeyId());
    String prefix = model.targetPrefix() + ".";
    String op = target != null && target.startsWith(prefix) && model.hasOperation(target.substring(prefix.length()))
        ? target.substring(prefix.length()) : "Unknown";
    audit.record(AuditEvent.refusedAuthentication(config.clock().instant(), principal, c.accessKeyId(), op,
        c.region(), r.remote(), e.type()));
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
