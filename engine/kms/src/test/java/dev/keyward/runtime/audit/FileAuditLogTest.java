package dev.keyward.runtime.audit;

import static dev.keyward.runtime.KmsError.ACCESS_DENIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.runtime.Kms;
import dev.keyward.runtime.KmsException;
import dev.keyward.runtime.KmsRuntime;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {

  private static final String ADMIN = "arn:aws:iam::111122223333:role/Admin";
  private static final String APP = "arn:aws:iam::111122223333:role/App";

  @TempDir
  Path dir;
  private Path log;

  @BeforeEach
  void writeLog() throws IOException {
    Files.writeString(dir.resolve("world.yaml"), "principals:\n  - arn: " + ADMIN + "\n    policies:\n"
        + "      - name: admin\n        document: {Version: \"2012-10-17\", Statement: [{Sid: AllKms, Effect: Allow,"
        + " Action: \"kms:*\", Resource: \"*\"}]}\n  - arn: " + APP + "\n");
    World world = WorldLoader.create().load(dir.resolve("world.yaml")).world();
    log = dir.resolve("audit.jsonl");
    try (KmsRuntime kms = KmsRuntime.builder().world(world).audit(FileAuditLog.open(log)).build()) {
      Kms.Caller admin = Kms.Caller.of(ADMIN, "us-east-1");
      String key = kms.createKey(admin, Kms.CreateKeyRequest.symmetric()).arn();
      kms.encrypt(admin, Kms.EncryptRequest.of(key, new byte[] {1}, Map.of("Dept", "Finance", "A", "1")));
      assertThatThrownBy(() -> kms.encrypt(Kms.Caller.of(APP, "us-east-1"),
          Kms.EncryptRequest.of(key, new byte[] {1}, Map.of()))).isInstanceOfSatisfying(KmsException.class,
          e -> assertThat(e.error()).isEqualTo(ACCESS_DENIED));
    }
  }

  @Test
  void record_eachCall_oneCloudTrailShapedLineWithDecision() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(3);
    ObjectMapper json = new ObjectMapper();
    JsonNode enc = json.readTree(lines.get(1));
    assertThat(enc.get("eventName").asText()).isEqualTo("Encrypt");
    assertThat(enc.get("userIdentity").get("arn").asText()).isEqualTo(ADMIN);
    assertThat(enc.get("encryptionContext").toString()).isEqualTo("{\"A\":\"1\",\"Dept\":\"Finance\"}");
    assertThat(enc.get("decision").asText()).isEqualTo("ALLOW");
    assertThat(enc.get("decidingStatements").toString()).contains("AllKms");
    assertThat(enc.get("resources").get(0).get("ARN").asText()).startsWith("arn:aws:kms:us-east-1:111122223333:key/");
    JsonNode denied = json.readTree(lines.get(2));
    assertThat(denied.get("decision").asText()).isEqualTo("IMPLICIT_DENY");
    assertThat(denied.get("errorCode").asText()).isEqualTo("AccessDeniedException");
    assertThat(String.join("\n", lines)).doesNotContain("\"plaintext\"");
  }

  @Test
  void verify_untouchedLog_ok() throws IOException {
    FileAuditLog.Verification v = FileAuditLog.verify(log);
    assertThat(v.ok()).isTrue();
    assertThat(v.lines()).isEqualTo(3);
    assertThat(v.headHash()).hasSize(64);
  }

  @Test
  void verify_changedLine_brokenAtNextLine() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    lines.set(1, lines.get(1).replace("\"Finance\"", "\"Marketing\""));
    Files.write(log, lines);
    FileAuditLog.Verification v = FileAuditLog.verify(log);
    assertThat(v.ok()).isFalse();
    assertThat(v.problems())
        .containsExactly("line 3 (audit.jsonl) does not chain to line 2 (changed, inserted or removed lines)");
    assertThatThrownBy(() -> FileAuditLog.open(log)).isInstanceOf(IOException.class);
  }

  @Test
  void verify_removedOrSwappedLines_broken() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    List<String> removed = new ArrayList<>(lines);
    removed.remove(0);
    Files.write(log, removed);
    assertThat(FileAuditLog.verify(log).ok()).isFalse();
    List<String> swapped = new ArrayList<>(lines);
    Collections.swap(swapped, 1, 2);
    Files.write(log, swapped);
    assertThat(FileAuditLog.verify(log).ok()).isFalse();
  }

  @Test
  void open_existingLog_continuesTheChain() throws IOException {
    try (FileAuditLog a = FileAuditLog.open(log)) {
      a.record(new AuditEvent(java.time.Instant.EPOCH, ADMIN, "ListKeys", "us-east-1", null, null, "ALLOW",
          List.of(), null));
    }
    FileAuditLog.Verification v = FileAuditLog.verify(log);
    assertThat(v.ok()).isTrue();
    assertThat(v.lines()).isEqualTo(4);
  }
}
