package dev.keyward.runtime.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audit log as JSON lines, one per call, each chained to the one before: a line's {@code prev} is the
 * SHA-256 (hex) of the previous line's UTF-8 bytes (64 zeros for the first), and {@code seq} counts from 1.
 * Changing, inserting, reordering or removing a line breaks the chain at the next one; removing lines from the
 * end is found only against a head hash kept elsewhere ({@link Verification#headHash()}). Lines are flushed to
 * the operating system per call, not forced to disk.
 */
public final class FileAuditLog implements AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  static final String GENESIS = "0".repeat(64);

  private final BufferedWriter out;
  private String prev;
  private long seq;

  private FileAuditLog(BufferedWriter out, String prev, long seq) {
    this.out = out;
    this.prev = prev;
    this.seq = seq;
  }

  /** Opens {@code file} for appending, continuing its chain; refuses a file whose chain is broken. */
  public static FileAuditLog open(Path file) throws IOException {
    String prev = GENESIS;
    long seq = 0;
    if (Files.exists(file)) {
      Verification v = verify(file);
      if (!v.ok()) {
        throw new IOException("audit log `" + file + "` is broken: " + v.problems().get(0));
      }
      prev = v.headHash();
      seq = v.lines();
    }
    BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    return new FileAuditLog(w, prev, seq);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public synchronized void record(AuditEvent e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("seq", seq + 1);
    line.put("prev", prev);
    line.put("eventTime", e.time().toString());
    line.put("eventSource", "kms.amazonaws.com");
    line.put("eventName", e.operation());
    line.put("awsRegion", e.region());
    line.put("userIdentity", Map.of("arn", e.caller()));
    line.put("resources", e.keyArn() == null ? List.of() : List.of(Map.of("ARN", e.keyArn(), "type",
        "AWS::KMS::Key")));
    line.put("encryptionContext", new TreeMap<>(e.encryptionContext()));
    line.put("decision", e.decision());
    line.put("decidingStatements", e.statements());
    line.put("errorCode", e.errorCode());
    try {
      String text = JSON.writeValueAsString(line);
      out.write(text);
      out.write('\n');
      out.flush();
      prev = sha256(text);
      seq++;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the audit log", ex);
    }
  }

  static String sha256(String line) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What {@link #verify} found. */
  public record Verification(boolean ok, long lines, String headHash, List<String> problems) {
    public Verification {
      problems = List.copyOf(problems);
    }
  }

  /** Checks the chain of an audit log file, line by line. */
  public static Verification verify(Path file) throws IOException {
    List<String> problems = new ArrayList<>();
    String prev = GENESIS;
    long n = 0;
    for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      try {
        JsonNode node = JSON.readTree(text);
        if (node == null || !node.isObject()) {
          problems.add("line " + n + " is not a JSON object");
        } else {
          if (!prev.equals(node.path("prev").asText())) {
            problems.add("line " + n + " does not chain to line " + (n - 1) + " (changed, inserted or removed lines)");
          }
          if (node.path("seq").asLong() != n) {
            problems.add("line " + n + " has sequence number " + node.path("seq").asText());
          }
        }
      } catch (JsonProcessingException e) {
        problems.add("line " + n + " is not JSON");
      }
      prev = sha256(text);
    }
    return new Verification(problems.isEmpty(), n, prev, problems);
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the audit log", e);
    }
  }
}
