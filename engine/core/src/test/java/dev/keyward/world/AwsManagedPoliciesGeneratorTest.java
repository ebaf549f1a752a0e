package dev.keyward.world;

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
 * Checks that the committed AWS managed policies are what the generator makes of the corpus. The corpus lives
 * outside the repository ({@code ../shared/corpus} beside the clone, or {@code -Dcorpus.source}); where it is
 * absent this test is skipped, not failed.
 */
class AwsManagedPoliciesGeneratorTest {

  private static final Path COMMITTED = Path.of("src/main/resources/dev/keyward/world");

  @Test
  void generate_currentCorpus_matchesTheCommittedResource() throws IOException {
    Path corpus = corpus();
    String expected = AwsManagedPoliciesGenerator.generateText(corpus);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(
        COMMITTED.resolve(AwsManagedPoliciesGenerator.RESOURCE_FILE)))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .as("the committed AWS managed policies are stale: regenerate them (docs/templates.md)")
          .isEqualTo(expected);
    }
    Map<String, byte[]> files = AwsManagedPoliciesGenerator.generate(corpus);
    assertThat(Files.readAllBytes(COMMITTED.resolve(AwsManagedPoliciesGenerator.SOURCE_FILE)))
        .isEqualTo(files.get(AwsManagedPoliciesGenerator.SOURCE_FILE));
    assertThat(Files.readAllBytes(COMMITTED.resolve(AwsManagedPoliciesGenerator.LICENSE_FILE)))
        .isEqualTo(files.get(AwsManagedPoliciesGenerator.LICENSE_FILE));
    assertThat(expected.lines().count()).isEqualTo(AwsManagedPolicies.bundled().size());
  }

  private static Path corpus() {
    Optional<Path> found = Optional.ofNullable(System.getProperty("corpus.source")).map(Path::of)
        .filter(p -> Files.isRegularFile(p.resolve("aws-managed-policies.json")));
    for (String candidate : new String[] {"../../../shared/corpus", "../../../../shared/corpus"}) {
      if (found.isEmpty() && Files.isRegularFile(Path.of(candidate, "aws-managed-policies.json"))) {
        found = Optional.of(Path.of(candidate));
      }
    }
    assumeTrue(found.isPresent(), "the AWS managed policy corpus (../shared/corpus) is not beside this clone");
    return found.get();
  }
}
