package dev.keyward.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code keyward serve} in its own JVM, as a user runs it; stopped with SIGTERM. */
final class ServeProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  private final Process process;
  private final String endpoint;

  private ServeProcess(Process p, String endpoint) {
    this.process = p;
    this.endpoint = endpoint;
  }

  /** Starts {@code keyward serve ARGS --port 0} and waits until it listens. */
  static ServeProcess start(Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.keyward.cli.Main");
    cmd.add("serve");
    cmd.addAll(List.of(args));
    cmd.add("--port");
    cmd.add("0");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    StringBuilder errors = new StringBuilder();
    CompletableFuture.runAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (errors) {
            errors.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        // NOTE: the process ended
      }
    });
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher m = line == null ? null : LISTENING.matcher(line);
    if (m == null || !m.find()) {
      p.destroyForcibly();
      throw new IOException("keyward serve did not start: " + line + "\n" + errors);
    }
    ServeProcess s = new ServeProcess(p, m.group(1));
    CompletableFuture.runAsync(() -> {
      try {
        while (out.readLine() != null) {
          // NOTE: drained so that the process never blocks on a full pipe
        }
      } catch (IOException e) {
        // NOTE: the process ended
      }
    });
    s.errSource = errors;
    return s;
  }

  private StringBuilder errSource;

  String endpoint() {
    return endpoint;
  }

  /** What the process wrote on standard error so far. */
  String stderr() {
    synchronized (errSource) {
      return errSource.toString();
    }
  }

  /** SIGTERM, then waits for the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
