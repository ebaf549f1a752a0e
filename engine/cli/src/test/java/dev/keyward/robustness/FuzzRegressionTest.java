package dev.keyward.robustness;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every input that found a bug in a fuzz run, kept as data under {@code fuzz-regressions/TARGET/}. */
final class FuzzRegressionTest {
  @TempDir
  Path work;

  @TestFactory
  Stream<DynamicTest> fuzzRegressions_eachKeptInput_noInternalError() throws IOException {
    Path root = Harness.resource("fuzz-regressions");
    List<DynamicTest> tests = new ArrayList<>();
    for (FuzzTarget target : List.of(FuzzTarget.policyParser(), FuzzTarget.worldLoader(work),
        FuzzTarget.languageParser())) {
      Path dir = root.resolve(target.name());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files.sorted()::iterator) {
          byte[] input = Files.readAllBytes(p);
          tests.add(DynamicTest.dynamicTest(target.name() + "/" + p.getFileName(),
              () -> assertThatCode(() -> target.run(input)).doesNotThrowAnyException()));
        }
      }
    }
    return tests.stream();
  }
}
