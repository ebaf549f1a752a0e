package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow, silent and hostile connections never stop the server for others, and each one gets a KMS-shaped answer
 * (status line, {@code application/x-amz-json-1.1}, {@code {"__type", "message"}}) or a clean close, never a hang.
 */
class HostileConnectionsTest {

  @TempDir
  static Path dir;
  static final StringWriter log = new StringWriter();
  static KmsServer server;
  static URI uri;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    KmsServer.Config c = KmsServer.Config.of(0, TestServer.world().identities())
        .withLimits(KmsServer.Limits.defaults().withRequestTimeout(Duration.ofSeconds(5)));
    server = TestServer.start(dir.toString(), null, c, log);
    uri = URI.create(server.endpoint());
  }

  @AfterAll
  static void stop() {
    server.close();
    assertThat(log.toString()).isEmpty();
  }

  /** A pre-signed Encrypt of 64 bytes as raw HTTP/1.1 bytes (valid for SigV4's 15 minutes). */
  static byte[] signedEncrypt(int n) {
    byte[] plain = new byte[64];
    new Random(n).nextBytes(plain);
    return new RawKms(server.endpoint(), "AKIADEVUSER00000001", "dev-secret", "us-east-1").rawEncrypt(plain);
  }

  // -------------------------------------------------------------------------------------------------
  // 200 slow connections, 100 well-behaved clients

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void slowAndGarbageConnections_doNotDelayWellBehavedClients() throws Exception {
    int hostile = 200;
    int clients = 100;
    int perClient = 20;
    List<byte[]> requests = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      requests.add(signedEncrypt(i));
    }
    warmUp(requests);
    double baseline = round(requests, clients, perClient, 0, 0, new AtomicInteger(), new AtomicInteger());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger reopened = new AtomicInteger();
    AtomicInteger answeredHostile = new AtomicInteger();
    Thread trickler = new Thread(() -> trickle(hostile, stop, reopened, answeredHostile), "trickler");
    trickler.setDaemon(true);
    trickler.start();
    // let the hostile connections open and start trickling
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.openConnections() < hostile && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(server.openConnections()).as("hostile connections open").isGreaterThanOrEqualTo(hostile * 9 / 10);

    // NOTE: the machine is shared: a round whose p99 is spoiled by other processes is measured again, up to three
    // rounds, with the hostile connections open all along; every request of every round must succeed
    double best = Double.MAX_VALUE;
    for (int round = 1; round <= 3 && best >= (baseline < 50.0 ? 50.0 : 2 * baseline); round++) {
      best = Math.min(best, round(requests, clients, perClient, round, hostile, reopened, answeredHostile));
    }
    stop.set(true);
    trickler.join(10_000);
    // The target is p99 under 50 ms. When the shared machine cannot give that even without a hostile connection
    // (the baseline round, same clients, p99 of 50 ms or more), the hostile connections must at least not make it
    // worse than twice the baseline: the measure of what they cost, not of the other processes.
    double limit = baseline < 50.0 ? 50.0 : 2 * baseline;
    System.out.printf("hostile: best p99 %.2f ms, limit %.2f ms (%s)%n", best, limit, baseline < 50.0 ? "the target"
        : "machine too busy for the target: twice the baseline");
    assertThat(best).as("p99 latency of well-behaved clients, ms (best of up to three rounds)").isLessThan(limit);
    assertThat(answeredHostile.get()).as("slow connections answered 408 by the request timeout").isPositive();
  }

  /** One round: {@code clients} clients, {@code perClient} requests each; returns the p99 in ms. */
  private static double round(List<byte[]> requests, int clients, int perClient, int round, int hostile,
      AtomicInteger reopened, AtomicInteger answeredHostile) throws InterruptedException {
    assertThat(server.openConnections()).as("hostile connections open").isGreaterThanOrEqualTo(hostile * 8 / 10);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int n = c;
      Thread t = new Thread(() -> {
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
          s.setTcpNoDelay(true);
          s.setSoTimeout(10_000);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream());
          for (int i = 0; i < perClient; i++) {
            byte[] req = requests.get((n + i) & 31);
            long t0 = System.nanoTime();
            out.write(req);
            out.flush();
            int status = ServeLoad.readResponse(in);
            latencies.add(System.nanoTime() - t0);
            if (status != 200) {
              failures.incrementAndGet();
            }
            Thread.sleep(100 + (n % 50)); // an application's client: about 8 requests a second each
          }
        } catch (IOException | InterruptedException e) {
          failures.incrementAndGet();
        } finally {
          done.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    assertThat(done.await(90, TimeUnit.SECONDS)).as("well-behaved clients finished in time").isTrue();
    long[] all = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    assertThat(failures.get()).as("failed well-behaved requests").isZero();
    assertThat(all).hasSize(clients * perClient);
    double p50 = all[all.length / 2] / 1e6;
    double p99 = all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6;
    System.out.printf("%s round %d: %d slow connections (%d closed by the server and reopened so far, %d"
        + " answered), %d well-behaved requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", hostile == 0 ? "baseline"
        : "hostile", round, hostile,
        reopened.get(), answeredHostile.get(), all.length, p50, p99, all[all.length - 1] / 1e6);
    return p99;
  }

  /** Answers a few thousand requests first, so that the JIT compiler's warm-up is not measured. */
  private static void warmUp(List<byte[]> requests) throws Exception {
    CountDownLatch done = new CountDownLatch(4);
    for (int c = 0; c < 4; c++) {
      int n = c;
      Thread t = new Thread(() -> {
        try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream());
          for (int i = 0; i < 1000; i++) {
            out.write(requests.get((n + i) & 31));
            out.flush();
            ServeLoad.readResponse(in);
          }
        } catch (IOException e) {
          // NOTE: counted by the measured phase, not here
        } finally {
          done.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    done.await(60, TimeUnit.SECONDS);
  }

  /**
   * Keeps {@code count} hostile connections open until {@code stop}: a third trickle their headers a byte at a
   * time, a third send full headers and trickle the body, a third trickle random bytes. A connection the server
   * closes (its request took too long) is opened again at once, as an attacker would.
   */
  private static void trickle(int count, AtomicBoolean stop, AtomicInteger reopened, AtomicInteger answered) {
    Random random = new Random(7);
    byte[] headers = ("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Type:"
        + " application/x-amz-json-1.1\r\nX-Padding: " + "a".repeat(2000) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] bodyHead = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets
        .US_ASCII);
    Socket[] sockets = new Socket[count];
    int[] sent = new int[count];
    try {
      while (!stop.get()) {
        for (int i = 0; i < count && !stop.get(); i++) {
          try {
            if (sockets[i] == null) {
              sockets[i] = new Socket(uri.getHost(), uri.getPort());
              sockets[i].setSoTimeout(1);
              sent[i] = 0;
              if (i % 3 == 1) {
                sockets[i].getOutputStream().write(bodyHead);
              }
            }
            Socket s = sockets[i];
            OutputStream out = s.getOutputStream();
            if (i % 3 == 0) {
              out.write(headers[sent[i] % headers.length]);
            } else if (i % 3 == 1) {
              out.write('x');
            } else {
              out.write(random.nextInt(256));
            }
            sent[i]++;
            out.flush();
            if (s.getInputStream().available() > 0) {
              answered.incrementAndGet();
              throw new IOException("answered");
            }
          } catch (IOException e) {
            closeQuietly(sockets[i]);
            sockets[i] = null;
            reopened.incrementAndGet();
          }
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Socket s : sockets) {
        closeQuietly(s);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // NOTE: closing a test socket
      }
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Each hostile request: a KMS-shaped answer or a clean close

  /** What came back: a status and a KMS error body, or nothing before the server closed. */
  record Outcome(int status, String type, String contentType, boolean closed) {}

  /** Sends {@code bytes} (in the background, the server may stop reading) and reads the answer, 12 s at most. */
  static Outcome send(byte[] bytes) throws Exception {
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(12_000);
      OutputStream out = s.getOutputStream();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          out.write(bytes);
          out.flush();
        } catch (IOException e) {
          // NOTE: the server may refuse and close before everything is written
        }
      });
      InputStream in = s.getInputStream();
      byte[] all;
      try {
        all = in.readAllBytes();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no answer and no close within 12 s: the server hangs on this input");
      } catch (IOException e) {
        all = new byte[0]; // a reset: closed without an answer
      }
      writer.cancel(true);
      if (all.length == 0) {
        return new Outcome(0, null, null, true);
      }
      String text = new String(all, StandardCharsets.ISO_8859_1);
      assertThat(text).startsWith("HTTP/1.1 ");
      int status = Integer.parseInt(text.substring(9, 12));
      int split = text.indexOf("\r\n\r\n");
      String head = text.substring(0, split).toLowerCase(java.util.Locale.ROOT);
      String ct = head.contains("content-type: application/x-amz-json-1.1") ? "application/x-amz-json-1.1" : null;
      JsonNode body = JSON.readTree(text.substring(split + 4));
      assertThat(body.get("message").asText()).isNotEmpty().doesNotContain("\tat ").doesNotContain("Exception:")
          .doesNotContain("io.netty").doesNotContain("java.");
      assertThat(head).contains("connection: close");
      return new Outcome(status, body.get("__type").asText(), ct, true);
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static void assertKmsError(Outcome o, int status, String type) {
    assertThat(o.status()).as("status of " + o).isEqualTo(status);
    assertThat(o.type()).isEqualTo(type);
    assertThat(o.contentType()).isEqualTo("application/x-amz-json-1.1");
  }

  @Test
  void negativeContentLength_isBadRequest() throws Exception {
    assertKmsError(send(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}")), 400,
        "BadRequestException");
  }

  @Test
  void contentLengthWithChunked_isBadRequest() throws Exception {
    assertKmsError(send(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "2\r\n{}\r\n0\r\n\r\n")), 400, "BadRequestException");
  }

  @Test
  void nonNumericOrConflictingContentLength_isBadRequest() throws Exception {
    assertKmsError(send(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")), 400,
        "BadRequestException");
    assertKmsError(send(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")), 400,
        "BadRequestException");
  }

  @Test
  void oneMegabyteHeader_isBadRequest() throws Exception {
    assertKmsError(send(ascii("POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n")), 400,
        "BadRequestException");
  }

  @Test
  void fiveThousandHeaders_isBadRequest() throws Exception {
    StringBuilder b = new StringBuilder("POST / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 5000; i++) {
      b.append("h").append(i).append(": v\r\n");
    }
    assertKmsError(send(ascii(b + "\r\n")), 400, "BadRequestException");
    StringBuilder small = new StringBuilder("POST / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 150; i++) {
      small.append("h").append(i).append(": v\r\n");
    }
    Outcome o = send(ascii(small + "Content-Length: 0\r\n\r\n"));
    assertKmsError(o, 400, "BadRequestException");
  }

  @Test
  void longRequestLine_isBadRequest() throws Exception {
    assertKmsError(send(ascii("POST /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")), 400,
        "BadRequestException");
  }

  @Test
  void tlsHelloOnPlainPort_isClosedAtOnce() throws Exception {
    byte[] hello = new byte[517];
    new Random(3).nextBytes(hello);
    hello[0] = 0x16;
    hello[1] = 0x03;
    hello[2] = 0x01;
    long t0 = System.nanoTime();
    Outcome o = send(hello);
    assertThat(o.closed()).isTrue();
    assertThat(o.status()).isZero();
    assertThat(System.nanoTime() - t0).as("closed at once").isLessThan(TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void garbage_isBadRequestOrClosed() throws Exception {
    Random r = new Random(11);
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + r.nextInt(40_000)];
      r.nextBytes(junk);
      junk[0] = (byte) ('A' + r.nextInt(26)); // not a TLS record: the HTTP decoder must deal with it
      Outcome o = send(junk);
      if (o.status() != 0) {
        assertThat(o.status()).isIn(400, 408);
        assertThat(o.contentType()).isEqualTo("application/x-amz-json-1.1");
      }
    }
  }

  @Test
  void badChunkSize_isBadRequest() throws Exception {
    assertKmsError(send(ascii("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")),
        400, "BadRequestException");
  }

  @Test
  void incompleteRequest_isRequestTimeoutAfterTheLimit() throws Exception {
    long t0 = System.nanoTime();
    Outcome o = send(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertKmsError(o, 408, "RequestTimeoutException");
    assertThat(ms).isBetween(4500L, 9000L);
  }

  @Test
  void pipelinedRequests_areAnsweredInOrder() throws Exception {
    byte[] one = signedEncrypt(1);
    byte[] list = ascii("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 2"
        + "\r\n\r\n{}");
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(one);
      all.write(list);
      all.write(one);
      s.getOutputStream().write(all.toByteArray());
      s.getOutputStream().flush();
      InputStream in = new BufferedInputStream(s.getInputStream());
      int[] statuses = {ServeLoad.readResponse(in), ServeLoad.readResponse(in), ServeLoad.readResponse(in)};
      // the unsigned ListKeys in the middle is refused for its missing signature, between two answered Encrypts
      assertThat(statuses).containsExactly(200, 400, 200);
    }
  }

  @Test
  void connectionsBeyondTheLimit_areAnswered503(@TempDir Path other) throws Exception {
    StringWriter l = new StringWriter();
    KmsServer small = TestServer.start(other.toString(), null, KmsServer.Config.of(0, TestServer.world().identities())
        .withLimits(KmsServer.Limits.defaults().withMaxConnections(3)), l);
    URI u = URI.create(small.endpoint());
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(new Socket(u.getHost(), u.getPort()));
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (small.openConnections() < 3 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      try (Socket fourth = new Socket(u.getHost(), u.getPort())) {
        fourth.setSoTimeout(5_000);
        String answer = new String(fourth.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(answer).startsWith("HTTP/1.1 503").contains("ServiceUnavailableException");
      }
      held.remove(0).close();
      until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (small.openConnections() > 2 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      RawKms dev = new RawKms(small.endpoint(), "AKIADEVUSER00000001", "dev-secret", "us-east-1");
      assertThat(dev.send("TrentService.ListKeys", "{}").statusCode()).isEqualTo(200);
    } finally {
      for (Socket s : held) {
        s.close();
      }
      small.close();
    }
    assertThat(l.toString()).isEmpty();
  }

  @Test
  void idleServer_stopsWithinOneSecond(@TempDir Path other) throws Exception {
    KmsServer s = TestServer.start(other, new StringWriter());
    try (Socket idle = new Socket("127.0.0.1", s.port())) {
      RawKms dev = new RawKms(s.endpoint(), "AKIADEVUSER00000001", "dev-secret", "us-east-1");
      assertThat(dev.send("TrentService.ListKeys", "{}").statusCode()).isEqualTo(200);
      long t0 = System.nanoTime();
      s.stop(10);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("stop, ms").isLessThan(1000);
      idle.setSoTimeout(2000);
      assertThat(idle.getInputStream().read()).as("idle connection closed").isEqualTo(-1);
    }
    assertThat(Arrays.asList(other.toFile().list())).contains("audit.jsonl.head");
  }
}
