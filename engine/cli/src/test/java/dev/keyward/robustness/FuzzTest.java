package dev.keyward.robustness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The fuzz targets in the default test run: a few hundred inputs each (the million-input run is
 * {@link FuzzMain}, profile {@code -Pfuzz}), and every input that ever found a bug, kept under
 * {@code fuzz-regressions/TARGET/}.
 */
class FuzzTest {
  private static Path work;
  private static FuzzTarget policy;
  private static FuzzTarget world;
  private static FuzzTarget language;

  @BeforeContainer
  static void setUp() throws IOException {
    work = Files.createTempDirectory("keyward-fuzz-test");
    policy = FuzzTarget.policyParser();
    world = FuzzTarget.worldLoader(work);
    language = FuzzTarget.languageParser();
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (Stream<Path> walk = Files.walk(work)) {
      walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  private static Arbitrary<byte[]> from(FuzzInputs inputs) {
    return Arbitraries.randoms().map(inputs::next);
  }

  @Provide
  Arbitrary<byte[]> policyInputs() throws IOException {
    return from(FuzzInputs.policies(FuzzMain.repositoryRoot()));
  }

  @Provide
  Arbitrary<byte[]> worldInputs() throws IOException {
    return from(FuzzInputs.worlds(FuzzMain.repositoryRoot()));
  }

  @Provide
  Arbitrary<byte[]> languageInputs() throws IOException {
    return from(FuzzInputs.language(FuzzMain.repositoryRoot()));
  }

  @Property(tries = 500)
  void policyParser_mutatedAndRandomInput_neverAnInternalError(@ForAll("policyInputs") byte[] input) throws Exception {
    policy.run(input);
  }

  @Property(tries = 200)
  void worldLoader_mutatedAndRandomInput_neverAnInternalError(@ForAll("worldInputs") byte[] input) throws Exception {
    world.run(input);
  }

  @Property(tries = 500)
  void languageParser_mutatedAndRandomInput_neverAnInternalError(@ForAll("languageInputs") byte[] input)
      throws Exception {
    language.run(input);
  }
}
