package dev.keyward.visual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A small driver for Debian's headless Chromium over the Chrome DevTools Protocol (the JDK's WebSocket
 * client and Jackson, nothing else): opens pages, collects console messages, exceptions and network
 * requests, evaluates script and takes screenshots. The browser gets its own empty profile, loopback-only
 * debugging on a port the OS picks, and the flags that keep it off the network; {@link #close} ends it.
 */
final class Chromium implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  /** Every event received, in order. */
  final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private Chromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The Chromium executable: $KEYWARD_CHROMIUM, else chromium or chromium-browser on the PATH. */
  static Optional<Path> find() {
    String env = System.getenv("KEYWARD_CHROMIUM");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The executable, or a skipped test when it is missing on a developer's machine; on CI (CI=true), where
   * .ci/run installs it, a missing browser fails the test instead.
   */
  static Path require() {
    Optional<Path> p = find();
    if (p.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("chromium is not installed, but CI runs this test: .ci/run must install it");
    }
    Assumptions.assumeTrue(p.isPresent(), "chromium is not installed (apt-get install chromium, or set"
        + " KEYWARD_CHROMIUM); skipping the browser test");
    return p.get();
  }

  static Chromium launch(Path executable) throws Exception {
    Path profile = Files.createTempDirectory("keyward-chromium");
    ProcessBuilder pb = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "about:blank");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = pb.start();
    String url = null;
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    StringBuilder seen = new StringBuilder();
    String line;
    while (System.nanoTime() < deadline && (line = err.readLine()) != null) {
      seen.append(line).append('\n');
      int at = line.indexOf("ws://");
      if (line.contains("DevTools listening on") && at >= 0) {
        url = line.substring(at).trim();
        break;
      }
    }
    if (url == null) {
      process.destroyForcibly();
      throw new IOException("chromium did not start its DevTools endpoint:\n" + seen);
    }
    // keep draining its error stream so that it never blocks on a full pipe
    Thread drain = new Thread(() -> {
      try {
        while (err.readLine() != null) {
          // discarded: console output reaches us through the protocol
        }
      } catch (IOException e) {
        // the browser has gone
      }
    }, "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    Chromium[] self = new Chromium[1];
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          private final StringBuilder buf = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buf.append(data);
            if (last) {
              String text = buf.toString();
              buf.setLength(0);
              while (self[0] == null) {
                Thread.onSpinWait();
              }
              self[0].receive(text);
            }
            webSocket.request(1);
            return null;
          }
        }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    Chromium c = new Chromium(process, profile, ws);
    self[0] = c;
    return c;
  }

  private void receive(String text) {
    try {
      JsonNode m = JSON.readTree(text);
      if (m.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
        if (f != null) {
          f.complete(m);
        }
      } else {
        events.add(m);
      }
    } catch (IOException e) {
      throw new IllegalStateException("unreadable DevTools message: " + text, e);
    }
  }

  /** Sends a command (to a page's session when {@code session} is not null) and returns its result. */
  JsonNode send(String session, String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id);
    m.put("method", method);
    m.set("params", JSON.valueToTree(params));
    if (session != null) {
      m.put("sessionId", session);
    }
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket.sendText(JSON.writeValueAsString(m), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode r = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + " failed: " + r.get("error"));
    }
    return r.get("result");
  }

  /** A new tab with Page, Runtime, Log and Network events on; returns its session id. */
  String newPage() throws Exception {
    String target = send(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    String session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
        .get("sessionId").asText();
    for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
      send(session, domain + ".enable", Map.of());
    }
    send(session, "Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", 1000,
        "deviceScaleFactor", 1, "mobile", false));
    return session;
  }

  /** The events of one page session. */
  List<JsonNode> events(String session) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (session.equals(e.path("sessionId").asText())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Waits until an event of the session matches, or fails after the timeout. */
  JsonNode await(String session, Predicate<JsonNode> p) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode e : events(session)) {
        if (p.test(e)) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching DevTools event within " + TIMEOUT.toSeconds() + " s");
  }

  /** Navigates and waits for the load event. */
  void open(String session, String url) throws Exception {
    int before = events(session).size();
    send(session, "Page.navigate", Map.of("url", url));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonNode> es = events(session);
      for (int i = before; i < es.size(); i++) {
        if (es.get(i).path("method").asText().equals("Page.loadEventFired")) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the page did not load within " + TIMEOUT.toSeconds() + " s: " + url);
  }

  /** Evaluates an expression (awaiting a promise) and returns its value; a thrown error fails. */
  JsonNode eval(String session, String expression) throws Exception {
    JsonNode r = send(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("script failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Saves a PNG screenshot of the page (the full page when {@code full}). */
  void screenshot(String session, Path file, boolean full) throws Exception {
    JsonNode r = send(session, "Page.captureScreenshot", full ? Map.of("format", "png", "captureBeyondViewport", true)
        : Map.of("format", "png"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
  }

  /** Console errors, uncaught exceptions and error log entries of the session, one line each. */
  List<String> errors(String session) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events(session)) {
      String method = e.path("method").asText();
      JsonNode p = e.path("params");
      if (method.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error")) {
        out.add("console.error: " + p.path("args"));
      } else if (method.equals("Runtime.exceptionThrown")) {
        out.add("exception: " + p.path("exceptionDetails"));
      } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
        out.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
      }
    }
    return out;
  }

  /** The URLs of every network request the session made. */
  List<String> requests(String session) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events(session)) {
      if (e.path("method").asText().equals("Network.requestWillBeSent")) {
        out.add(e.path("params").path("request").path("url").asText());
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the browser is ended below in any case
    }
    // Chromium's helpers (zygote, network service) outlive the browser process for a moment and keep
    // writing to the profile, so they are ended and waited for too before the profile is removed.
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle helper : helpers) {
        helper.destroyForcibly();
        helper.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (Exception e) {
      // a helper that does not end in time leaves a temporary directory behind, nothing worse
    }
    deleteProfile();
  }

  /** Removes the temporary profile; a file that vanishes while the tree is walked is not an error. */
  private void deleteProfile() throws IOException {
    Files.walkFileTree(profile, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
          throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        try {
          Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException late) {
          // a helper wrote one last file after the walk passed; the OS's temporary cleanup takes it
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
