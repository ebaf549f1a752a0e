package dev.keyward.runtime.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.runtime.store.SealedDirectory;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit log as JSON lines, one per call, each chained to the one before: a line's {@code prev} is the
 * SHA-256 (hex) of the previous line's UTF-8 bytes (64 zeros for the very first line), and {@code seq} counts
 * from 1. Changing, inserting, reordering or removing a line breaks the chain at the next one. Changing or
 * removing the last lines is found against a head hash kept elsewhere: {@link #verify(Path, String)} finds
 * whether a given head is still in the chain.
 *
 * <p>Files: the log {@code audit.jsonl} rotates by size: when it passes {@link #DEFAULT_ROTATE_BYTES} (or the size
 * given) it is renamed {@code audit.jsonl.1} (then {@code .2}, ...: higher is newer) and a new file continues the
 * same chain (its first line chains to the last line of the file before, and the numbering goes on). At
 * {@link #close} the log writes its head ({@code seq} and hash of its last line) to {@code audit.jsonl.head}; at
 * {@link #open} a log whose chain is broken, or which no longer holds that head, is refused. Every file is
 * created readable by its owner only. Lines are flushed to the operating system per call, not forced to disk.
 */
public final class FileAuditLog implements AuditLog {

  /** Rotation size by default: 64 MiB (about 90,000 calls). */
  public static final long DEFAULT_ROTATE_BYTES = 64L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  static final String GENESIS = "0".repeat(64);

  private final Path file;
  private final long rotateBytes;
  private BufferedWriter out;
  private long size;
  private String prev;
  private long seq;
  private boolean closed;

  private FileAuditLog(Path file, long rotateBytes, String prev, long seq) throws IOException {
    this.file = file;
    this.rotateBytes = rotateBytes;
    this.prev = prev;
    this.seq = seq;
    openWriter();
  }

  /** Opens {@code file} for appending, rotating at {@link #DEFAULT_ROTATE_BYTES}; see {@link #open(Path, long)}. */
  public static FileAuditLog open(Path file) throws IOException {
    return open(file, DEFAULT_ROTATE_BYTES);
  }

  /**
   * Opens {@code file} for appending, continuing its chain (across its rotated files); refuses a log whose chain is
   * broken or which no longer holds the head recorded when it was last closed.
   */
  public static FileAuditLog open(Path file, long rotateBytes) throws IOException {
    if (rotateBytes < 1024) {
      throw new IllegalArgumentException("rotation size below 1 KiB");
    }
    Path headFile = headFile(file);
    Head recorded = Files.exists(headFile) ? readHead(headFile) : null;
    Verification v = verify(file, recorded == null ? null : recorded.hash());
    if (!v.ok()) {
      String why = v.problems().get(0);
      if (recorded != null && v.headLine() < 0 && v.problems().size() == 1) {
        why = "it no longer holds line " + recorded.seq() + " with hash " + recorded.hash() + ", its last line when the"
            + " server stopped (recorded in `" + headFile.getFileName() + "`): lines were changed or removed";
      }
      throw new IOException("audit log `" + file + "` is broken: " + why);
    }
    return new FileAuditLog(file, rotateBytes, v.headHash(), v.lines());
  }

  /** The file where the head is recorded at close: {@code <log>.head}. */
  public static Path headFile(Path log) {
    return log.resolveSibling(log.getFileName() + ".head");
  }

  private void openWriter() throws IOException {
    SealedDirectory.createPrivateFile(file);
    SealedDirectory.restrict(file);
    size = Files.size(file);
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public synchronized void record(AuditEvent e) {
    if (closed) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("seq", seq + 1);
    line.put("prev", prev);
    line.put("eventTime", e.time().toString());
    line.put("eventSource", "kms.amazonaws.com");
    line.put("eventName", e.operation());
    line.put("awsRegion", e.region());
    Map<String, String> who = new LinkedHashMap<>();
    who.put("arn", e.caller());
    if (e.accessKeyId() != null) {
      who.put("accessKeyId", e.accessKeyId());
    }
    line.put("userIdentity", who);
    if (e.sourceAddress() != null) {
      line.put("sourceIPAddress", e.sourceAddress());
    }
    line.put("resources", e.keyArn() == null ? List.of() : List.of(Map.of("ARN", e.keyArn(), "type",
        "AWS::KMS::Key")));
    line.put("encryptionContext", new TreeMap<>(e.encryptionContext()));
    line.put("decision", e.decision());
    line.put("decidingStatements", e.statements());
    line.put("errorCode", e.errorCode());
    try {
      String text = JSON.writeValueAsString(line);
      byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
      if (size > 0 && size + bytes.length > rotateBytes) {
        rotate();
      }
      out.write(text);
      out.write('\n');
      out.flush();
      size += bytes.length;
      prev = sha256(text);
      seq++;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the audit log", ex);
    }
  }

  /** Renames the full file to the next number and starts an empty one; the chain goes on in it. */
  private void rotate() throws IOException {
    out.close();
    List<Path> older = rotated(file);
    int next = older.isEmpty() ? 1 : number(older.get(older.size() - 1)) + 1;
    Files.move(file, file.resolveSibling(file.getFileName() + "." + next), StandardCopyOption.ATOMIC_MOVE);
    openWriter();
  }

  static String sha256(String line) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What {@link #verify} found.
   *
   * @param ok the chain is intact (and holds the expected head, when one was given)
   * @param lines lines in all files
   * @param headHash the hash of the last line (64 zeros for an empty log)
   * @param headLine the line whose hash is the expected head; -1 when it is in no line or none was given
   * @param files the files read, oldest first
   */
  public record Verification(boolean ok, long lines, String headHash, long headLine, List<Path> files,
      List<String> problems) {
    public Verification {
      problems = List.copyOf(problems);
      files = List.copyOf(files);
    }
  }

  /** Checks the chain of an audit log and its rotated files. */
  public static Verification verify(Path file) throws IOException {
    return verify(file, null);
  }

  /**
   * Checks the chain of an audit log and its rotated files, and, when {@code expectHead} is not null, that some
   * line hashes to it: a head taken earlier is found as long as no line up to it was changed or removed (lines
   * written since are checked by the chain).
   */
  public static Verification verify(Path file, String expectHead) throws IOException {
    List<String> problems = new ArrayList<>();
    List<Path> files = new ArrayList<>(rotated(file));
    if (Files.exists(file)) {
      files.add(file);
    }
    String prev = GENESIS;
    long n = 0;
    long headLine = expectHead != null && expectHead.equalsIgnoreCase(GENESIS) ? 0 : -1;
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String text;
        while ((text = r.readLine()) != null) {
          n++;
          String where = "line " + n + " (" + f.getFileName() + ")";
          try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
              problems.add(where + " is not a JSON object");
            } else {
              if (!prev.equals(node.path("prev").asText())) {
                problems.add(where + " does not chain to line " + (n - 1) + " (changed, inserted or removed lines)");
              }
              if (node.path("seq").asLong() != n) {
                problems.add(where + " has sequence number " + node.path("seq").asText());
              }
            }
          } catch (JsonProcessingException e) {
            problems.add(where + " is not JSON");
          }
          prev = sha256(text);
          if (expectHead != null && prev.equalsIgnoreCase(expectHead)) {
            headLine = n;
          }
        }
      }
    }
    if (expectHead != null && headLine < 0) {
      problems.add("no line has the expected head hash " + expectHead + ": lines up to it were changed or removed");
    }
    return new Verification(problems.isEmpty(), n, prev, headLine, files, problems);
  }

  /** The rotated files of a log, oldest first. */
  static List<Path> rotated(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    Pattern p = Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.(\\d{1,9})");
    TreeSet<Integer> numbers = new TreeSet<>();
    try (var s = Files.list(dir)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Matcher m = p.matcher(f.getFileName().toString());
        if (m.matches()) {
          numbers.add(Integer.valueOf(m.group(1)));
        }
      }
    }
    List<Path> out = new ArrayList<>();
    for (int i : numbers) {
      out.add(file.resolveSibling(file.getFileName() + "." + i));
    }
    return out;
  }

  private static int number(Path rotated) {
    String name = rotated.getFileName().toString();
    return Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
  }

  /** A recorded head: the line number and hash of the last line when the log was closed. */
  public record Head(long seq, String hash) {}

  /** Reads a head file; an unreadable one is an error (it guards the log). */
  public static Head readHead(Path headFile) throws IOException {
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(headFile));
      String hash = n == null ? "" : n.path("head").asText("");
      if (!hash.matches("[0-9a-f]{64}") || !n.path("seq").canConvertToLong()) {
        throw new IOException("head file `" + headFile + "` must hold {\"seq\": N, \"head\": <64 hex digits>}");
      }
      return new Head(n.path("seq").asLong(), hash);
    } catch (JsonProcessingException e) {
      throw new IOException("head file `" + headFile + "` is not JSON");
    }
  }

  /** The head of this log now: the number and hash of its last line. */
  public synchronized Head head() {
    return new Head(seq, prev);
  }

  /** Closes the log and records its head next to it (written to a temporary file, then moved in place). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
      Path head = headFile(file);
      Path tmp = head.resolveSibling(head.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      SealedDirectory.createPrivateFile(tmp);
      Files.writeString(tmp, "{\"seq\":" + seq + ",\"head\":\"" + prev + "\"}\n", StandardCharsets.UTF_8);
      Files.move(tmp, head, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the audit log", e);
    }
  }
}
