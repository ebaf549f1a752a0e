package dev.keyward.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load generator for {@code keyward serve}: Encrypt of 4 KiB, SigV4-signed, over loopback, at several client
 * counts; prints requests per second and latency percentiles. Not a unit test (speed is not asserted).
 *
 * <p>Each client holds one keep-alive HTTP/1.1 connection and sends pre-signed requests (signed up front with
 * the SDK's signer, 256 distinct plaintexts, each valid for the 15 minutes of SigV4's window; the server
 * verifies every signature on every request), so the client side spends almost no CPU on the shared cores.
 * The server runs in the same JVM on a temporary store, or is an external one with {@code --endpoint URL}.
 *
 * <p>Run: {@code mvn -B -q -o -pl engine/cli -am test-compile} then
 * {@code java -cp engine/cli/target/classes:engine/cli/target/test-classes:$(cat cp.txt) dev.keyward.server.ServeLoad
 * --clients 1,4,16,64 --seconds 10} (cp.txt from {@code mvn -pl engine/cli dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}).
 */
public final class ServeLoad {

  private ServeLoad() {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts = List.of(1, 4, 16, 64);
    int seconds = 10;
    int warmup = 5;
    String endpoint = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clients":
          counts = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
          break;
        case "--seconds":
          seconds = Integer.parseInt(args[++i]);
          break;
        case "--warmup":
          warmup = Integer.parseInt(args[++i]);
          break;
        case "--endpoint":
          endpoint = args[++i];
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    KmsServer server = null;
    Path dir = null;
    if (endpoint == null) {
      dir = Files.createTempDirectory("keyward-load");
      server = TestServer.start(dir, new StringWriter());
      endpoint = server.endpoint();
    }
    RawKms signer = new RawKms(endpoint, "AKIADEVUSER00000001", "dev-secret", "us-east-1");
    List<byte[]> requests = new ArrayList<>();
    URI u = URI.create(endpoint);
    Random random = new Random(1);
    for (int i = 0; i < 256; i++) {
      byte[] plain = new byte[4096];
      random.nextBytes(plain);
      requests.add(signer.rawEncrypt(plain));
    }
    System.out.printf("keyward serve load: Encrypt 4 KiB, signed, loopback %s, %d cores, JDK %s%n", endpoint,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    System.out.println("| clients | requests/s | p50 ms | p99 ms | p99.9 ms | errors | CPU µs/request |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    run(u, requests, counts.get(counts.size() - 1), warmup, false);
    for (int c : counts) {
      run(u, requests, c, seconds, true);
    }
    if (server != null) {
      server.stop(5);
    }
  }

  private static void run(URI u, List<byte[]> requests, int clients, int seconds, boolean print)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean measuring = new AtomicBoolean();
    long[][] latencies = new long[clients][];
    int[] counts = new int[clients];
    int[] errors = new int[clients];
    CountDownLatch done = new CountDownLatch(clients);
    for (int i = 0; i < clients; i++) {
      int n = i;
      Thread t = new Thread(() -> {
        long[] lat = new long[1 << 16];
        int count = 0;
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
          s.setTcpNoDelay(true);
          OutputStream out = s.getOutputStream();
          InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
          int k = n;
          while (!stop.get()) {
            byte[] req = requests.get(k++ & 255);
            long t0 = System.nanoTime();
            out.write(req);
            out.flush();
            int status = readResponse(in);
            long dt = System.nanoTime() - t0;
            if (measuring.get()) {
              if (status != 200) {
                errors[n]++;
              }
              if (count == lat.length) {
                lat = Arrays.copyOf(lat, lat.length * 2);
              }
              lat[count++] = dt;
            }
          }
        } catch (IOException e) {
          errors[n]++;
        } finally {
          latencies[n] = lat;
          counts[n] = count;
          done.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    Thread.sleep(1000);
    measuring.set(true);
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - t0;
    long cpu = processCpuNanos() - cpu0;
    stop.set(true);
    done.await();
    int total = 0;
    int errs = 0;
    for (int i = 0; i < clients; i++) {
      total += counts[i];
      errs += errors[i];
    }
    long[] all = new long[total];
    int p = 0;
    for (int i = 0; i < clients; i++) {
      System.arraycopy(latencies[i], 0, all, p, counts[i]);
      p += counts[i];
    }
    Arrays.sort(all);
    if (print && total > 0) {
      System.out.printf("| %d | %,.0f | %.2f | %.2f | %.2f | %d | %.0f |%n", clients, total / (elapsed / 1e9),
          all[(int) (total * 0.50)] / 1e6, all[(int) Math.min(total - 1, total * 0.99)] / 1e6,
          all[(int) Math.min(total - 1, total * 0.999)] / 1e6, errs, cpu / 1e3 / total);
    }
  }

  /**
   * CPU time of this process (server and clients together): per request, a measure of work that the other
   * processes of a shared machine do not change, unlike requests per second.
   */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
  }

  /** Reads one HTTP/1.1 response (status line, headers, Content-Length body); returns the status. */
  static int readResponse(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int status = -1;
    int length = 0;
    while (true) {
      line.setLength(0);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (line.length() == 0) {
        break;
      }
      String l = line.toString();
      if (status < 0) {
        status = Integer.parseInt(l.substring(9, 12));
      } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(l.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return status;
  }

}
