package dev.keyward.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Checks that the committed resource is what the generator makes of the source data. The source lives
 * outside the repository ({@code ../shared/data/iam-reference} beside the clone, or {@code -Diam.source});
 * where it is absent these tests are skipped, not failed.
 */
class IamReferenceGeneratorTest {

  private static final Path COMMITTED = Path.of("src/main/resources/dev/keyward/iam");

  @Test
  void generate_currentSource_matchesTheCommittedResource() throws IOException {
    Path source = source();
    String expected = IamReferenceGenerator.generateText(source);
    // NOTE: compares the uncompressed text, so a JDK with another zlib cannot fail the check.
    assertThat(gunzip(Files.readAllBytes(COMMITTED.resolve(IamReferenceGenerator.RESOURCE_FILE))))
        .as("the committed IAM reference data is stale: regenerate it (docs/iam-reference.md)")
        .isEqualTo(expected);
    Map<String, byte[]> files = IamReferenceGenerator.generate(source);
    assertThat(Files.readString(COMMITTED.resolve("SOURCE.md")))
        .isEqualTo(new String(files.get("SOURCE.md"), StandardCharsets.UTF_8));
    assertThat(Files.readAllBytes(COMMITTED.resolve("LICENSE.txt"))).isEqualTo(files.get("LICENSE.txt"));
  }

  @Test
  void generate_sameSourceTwice_givesTheSameBytes() throws IOException {
    Path source = source();
    Map<String, byte[]> first = IamReferenceGenerator.generate(source);
    Map<String, byte[]> second = IamReferenceGenerator.generate(source);
    assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
    for (String name : first.keySet()) {
      assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
    }
  }

  @Test
  void generate_currentSource_readsBackWithEveryServiceAndAction() throws IOException {
    Path source = source();
    IamReference read = IamReference.read(
        new java.io.ByteArrayInputStream(IamReferenceGenerator.generate(source).get(IamReferenceGenerator.RESOURCE_FILE)));
    long services;
    try (var files = Files.list(source.resolve("actions"))) {
      services = files.count();
    }
    assertThat(read.services()).hasSize((int) services);
    assertThat(read.expand("kms:*")).isEqualTo(IamReference.bundled().expand("kms:*"));
  }

  @Test
  void committedResource_isSmall() throws IOException {
    assertThat(Files.size(COMMITTED.resolve(IamReferenceGenerator.RESOURCE_FILE))).isLessThan(1_500_000L);
  }

  /** The source folder, or a skipped test when it is not on this machine. */
  private static Path source() {
    Optional<Path> found = Optional.ofNullable(System.getProperty("iam.source"))
        .map(Path::of)
        .filter(IamReferenceGeneratorTest::isSource);
    if (found.isEmpty()) {
      // engine/core/ in a clone beside shared/ (../../../shared), or in a worktree one level deeper (../../../../shared)
      for (String candidate : new String[] {"../../../shared/data/iam-reference", "../../../../shared/data/iam-reference"}) {
        Path p = Path.of(candidate);
        if (isSource(p)) {
          found = Optional.of(p);
          break;
        }
      }
    }
    assumeTrue(found.isPresent(), "no IAM reference source data beside the repository");
    return found.get();
  }

  private static boolean isSource(Path p) {
    return Files.isRegularFile(p.resolve("services.json")) && Files.isRegularFile(p.resolve("SOURCE.md"));
  }

  private static String gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
