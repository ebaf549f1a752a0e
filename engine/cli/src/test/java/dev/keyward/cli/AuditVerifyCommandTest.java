package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.runtime.audit.AuditEvent;
import dev.keyward.runtime.audit.FileAuditLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyward audit verify}: every edit is found, the last line's too given the head; exit codes 0/1/2. */
class AuditVerifyCommandTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** Writes {@code n} events into {@code dir/audit.jsonl} (rotating at {@code rotate} bytes) and closes the log. */
  static String write(Path dir, int n, long rotate) throws IOException {
    FileAuditLog log = FileAuditLog.open(dir.resolve("audit.jsonl"), rotate);
    for (int i = 0; i < n; i++) {
      log.record(new AuditEvent(Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i),
          "arn:aws:iam::111111111111:user/dev", "Encrypt", "us-east-1",
          "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", Map.of("n", "" + i),
          "ALLOW", List.of("key-policy#0"), null));
    }
    String head = log.head().hash();
    log.close();
    return head;
  }

  static String headOf(Run r) {
    for (String l : r.out().split("\n")) {
      if (l.startsWith("head ")) {
        return l.substring(5).trim();
      }
    }
    throw new AssertionError("no head in " + r.out());
  }

  @Test
  void intactLog_exit0_printsHead(@TempDir Path dir) throws Exception {
    String head = write(dir, 5, FileAuditLog.DEFAULT_ROTATE_BYTES);
    Run r = run("audit", "verify", "--store", dir.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(headOf(r)).isEqualTo(head);
    assertThat(r.out()).contains("5 lines in 1 file").contains("intact");
    assertThat(run("audit", "verify", "--store", dir.toString(), "--expect-head", head).code()).isZero();
  }

  @Test
  void editOfAnyLine_givenTheHead_exit1(@TempDir Path dir) throws Exception {
    int n = 6;
    String head = write(dir, n, FileAuditLog.DEFAULT_ROTATE_BYTES);
    Path log = dir.resolve("audit.jsonl");
    List<String> original = Files.readAllLines(log);
    Files.delete(FileAuditLog.headFile(log)); // the given head alone must find it
    for (int i = 0; i < n; i++) {
      List<String> edited = new ArrayList<>(original);
      edited.set(i, edited.get(i).replace("\"n\":\"" + i + "\"", "\"n\":\"x\""));
      assertThat(edited.get(i)).isNotEqualTo(original.get(i));
      Files.write(log, edited);
      Run r = run("audit", "verify", "--store", dir.toString(), "--expect-head", head);
      assertThat(r.code()).as("edit of line " + (i + 1) + ": " + r.out()).isEqualTo(1);
      assertThat(r.out()).contains("BROKEN");
    }
  }

  @Test
  void truncation_givenTheHead_orAgainstTheRecordedHead_exit1(@TempDir Path dir) throws Exception {
    String head = write(dir, 4, FileAuditLog.DEFAULT_ROTATE_BYTES);
    Path log = dir.resolve("audit.jsonl");
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, 3));
    Run recorded = run("audit", "verify", "--store", dir.toString());
    assertThat(recorded.code()).as(recorded.out()).isEqualTo(1);
    assertThat(recorded.out()).contains("recorded when the server last stopped");
    Files.delete(FileAuditLog.headFile(log));
    assertThat(run("audit", "verify", "--store", dir.toString()).code())
        .as("without any head, removing the last line breaks no chain").isZero();
    Run given = run("audit", "verify", "--store", dir.toString(), "--expect-head", head);
    assertThat(given.code()).isEqualTo(1);
    assertThat(given.out()).contains("no line has the expected head hash " + head);
  }

  @Test
  void rotatedFiles_chainAcross_andEditsOrRemovalsInThemAreFound(@TempDir Path dir) throws Exception {
    String head = write(dir, 40, 2048);
    Path log = dir.resolve("audit.jsonl");
    assertThat(Files.exists(dir.resolve("audit.jsonl.1"))).isTrue();
    assertThat(Files.exists(dir.resolve("audit.jsonl.3"))).isTrue();
    Run ok = run("audit", "verify", "--store", dir.toString(), "--expect-head", head);
    assertThat(ok.code()).as(ok.out()).isZero();
    assertThat(ok.out()).contains("40 lines");
    // growing on after a restart keeps the chain across files
    String later = write(dir, 5, 2048);
    assertThat(run("audit", "verify", "--store", dir.toString(), "--expect-head", head).code()).isZero();
    assertThat(headOf(run("audit", "verify", "--store", dir.toString()))).isEqualTo(later);
    Path second = dir.resolve("audit.jsonl.2");
    List<String> lines = Files.readAllLines(second);
    byte[] before = Files.readAllBytes(second);
    lines.set(0, lines.get(0).replace("Encrypt", "Decrypt"));
    Files.write(second, lines);
    assertThat(run("audit", "verify", "--store", dir.toString()).code()).isEqualTo(1);
    Files.write(second, before);
    Files.delete(dir.resolve("audit.jsonl.1"));
    Run gone = run("audit", "verify", "--store", dir.toString());
    assertThat(gone.code()).as(gone.out()).isEqualTo(1);
    assertThat(Files.readAllLines(log)).isNotEmpty();
  }

  @Test
  void badUsage_exit2(@TempDir Path dir) throws Exception {
    Run none = run("audit", "verify", "--store", dir.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no audit log at");
    write(dir, 1, FileAuditLog.DEFAULT_ROTATE_BYTES);
    Run bad = run("audit", "verify", "--store", dir.toString(), "--expect-head", "xyz");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("64 hex digits").doesNotContain("Exception");
    assertThat(run("audit").code()).isEqualTo(2);
    assertThat(run("audit", "verify", "--nope").code()).isEqualTo(2);
  }
}
