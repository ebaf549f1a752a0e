package dev.keyward.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.runtime.KmsRuntime;
import dev.keyward.runtime.crypto.RootKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is creating keys (destroyForcibly: SIGKILL, no shutdown hooks), reopens its store, and
 * finds every key whose CreateKey had returned.
 */
class StoreCrashTest {

  @TempDir
  Path dir;

  @Test
  void killedWhileCreatingKeys_everyAcknowledgedKeyIsThere() throws Exception {
    Path store = dir.resolve("store");
    Path keyFile = dir.resolve("root.key");
    Path worldFile = dir.resolve("world.yaml");
    Files.writeString(worldFile, JdbcKeyStoreTest.WORLD);
    RootKey.createKeyFile(keyFile, new SecureRandom());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        StoreCrashChild.class.getName(), store.toString(), keyFile.toString(), worldFile.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> acknowledged = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < 40 && (line = out.readLine()) != null) {
        acknowledged.add(line.trim());
      }
      // kill while the child is still creating keys (killing closes our end of its output pipe, so lines
      // printed after the last read are not counted: the check covers every key id read)
      p.destroyForcibly();
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
    assertThat(acknowledged).as("the child printed keys before it was killed").hasSizeGreaterThanOrEqualTo(40);
    assertThat(p.exitValue()).as("killed by SIGKILL, not a normal exit").isEqualTo(128 + 9);
    try (JdbcKeyStore s = JdbcKeyStore.openDirectory(store, new JdbcKeyStore.KeyFile(keyFile, false));
        KmsRuntime kms = KmsRuntime.builder().world(JdbcKeyStoreTest.world(worldFile)).store(s).build()) {
      assertThat(s.integrityCheck()).isEqualTo("ok");
      List<String> ids = kms.listKeys(JdbcKeyStoreTest.CALLER).stream().map(k -> k.keyId()).toList();
      assertThat(ids).containsAll(acknowledged);
      for (String id : acknowledged) {
        assertThat(kms.describeKey(JdbcKeyStoreTest.CALLER, id).keyState()).isEqualTo("Enabled");
      }
      // the child made alias/k<i> for every third key before printing its id
      for (int i = 0; i < acknowledged.size(); i += 3) {
        assertThat(kms.describeKey(JdbcKeyStoreTest.CALLER, "alias/k" + i).keyId()).isEqualTo(acknowledged.get(i));
      }
    }
  }
}
