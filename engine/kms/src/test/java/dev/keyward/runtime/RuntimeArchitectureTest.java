package dev.keyward.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Bouncy Castle stays inside dev.keyward.runtime.crypto (STYLE.md), so that it can be swapped or audited there. */
class RuntimeArchitectureTest {

  @Test
  void bouncyCastle_usedOnlyInRuntimeCrypto() throws IOException {
    Path main = Path.of("src", "main", "java");
    try (Stream<Path> files = Files.walk(main)) {
      List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.startsWith(main.resolve(Path.of("dev", "keyward", "runtime", "crypto"))))
          .filter(f -> {
            try {
              return Files.readString(f).contains("org.bouncycastle");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(Path::toString).toList();
      assertThat(offenders).isEmpty();
    }
    assertThat(Files.readString(main.resolve("dev/keyward/runtime/crypto/AsymmetricKey.java")))
        .contains("org.bouncycastle");
  }
}
