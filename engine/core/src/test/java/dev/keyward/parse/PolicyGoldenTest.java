package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests over {@code src/test/resources/policies}: {@code valid/<type>/X.json|yaml} must parse with
 * no problem to exactly the model in {@code X.model}; {@code invalid/<type>/X.json|yaml} must give exactly
 * the problems (errors or warnings) in {@code X.expected}, one {@code line:column code} per line, in order. The folder name is
 * the policy type's label ({@code key-policy}, {@code identity-policy}, {@code unknown}, ...).
 *
 * <p>To rewrite the sidecar files after a deliberate change, run with {@code -Dkeyward.golden.update=true}
 * and review the diff.
 */
class PolicyGoldenTest {

  private static final Path ROOT = Paths.get("src/test/resources/policies");
  private static final boolean UPDATE = Boolean.getBoolean("keyward.golden.update");
  private static final PolicyParser PARSER = PolicyParser.create();

  @TestFactory
  Stream<DynamicTest> valid_everyFixture_parsesToTheExpectedModel() throws IOException {
    return fixtures(ROOT.resolve("valid")).stream().map(f -> DynamicTest.dynamicTest(name(f), () -> {
      ParseResult r = parse(f);
      assertThat(r.problems()).as("problems of a valid policy").isEmpty();
      assertThat(r.policy()).isNotNull();
      String actual = ModelDump.dump(r.policy());
      Path sidecar = sidecar(f, ".model");
      if (UPDATE) {
        Files.writeString(sidecar, actual, StandardCharsets.UTF_8);
      }
      assertThat(sidecar).as("golden model file").exists();
      assertThat(actual).isEqualTo(Files.readString(sidecar, StandardCharsets.UTF_8));
    }));
  }

  @TestFactory
  Stream<DynamicTest> invalid_everyFixture_givesTheExpectedProblems() throws IOException {
    return fixtures(ROOT.resolve("invalid")).stream().map(f -> DynamicTest.dynamicTest(name(f), () -> {
      ParseResult r = parse(f);
      String actual = r.problems().stream()
          .map(p -> p.where().line() + ":" + p.where().column() + " " + p.code())
          .collect(Collectors.joining("\n", "", "\n"));
      Path sidecar = sidecar(f, ".expected");
      if (UPDATE) {
        Files.writeString(sidecar, actual, StandardCharsets.UTF_8);
      }
      assertThat(sidecar).as("expected problems file").exists();
      assertThat(r.problems()).as("an invalid fixture has problems").isNotEmpty();
      assertThat(actual).isEqualTo(Files.readString(sidecar, StandardCharsets.UTF_8));
      for (Problem p : r.problems()) {
        assertThat(p.where().line()).as("line of %s", p).isPositive();
        assertThat(p.where().file()).isEqualTo(f.getFileName().toString());
        // Message style (STYLE.md): one line, lowercase first word, no final period.
        assertThat(p.message()).as("message of %s", p).doesNotContain("\n").doesNotEndWith(".");
        assertThat(Character.isUpperCase(p.message().charAt(0))).as("capitalised: %s", p.message()).isFalse();
      }
    }));
  }

  @Test
  void fixtures_coverEveryPolicyType() throws IOException {
    List<String> validTypes = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(ROOT.resolve("valid"))) {
      dirs.forEach(d -> validTypes.add(d.getFileName().toString()));
    }
    assertThat(validTypes).contains("key-policy", "identity-policy", "resource-policy", "trust-policy", "scp",
        "rcp", "unknown");
  }

  private static ParseResult parse(Path f) throws IOException {
    String typeLabel = f.getParent().getFileName().toString();
    PolicyType type = PolicyType.fromLabel(typeLabel);
    assertThat(type).as("policy type folder `%s`", typeLabel).isNotNull();
    return PARSER.parse(Files.readAllBytes(f), f.getFileName().toString(), type);
  }

  private static List<Path> fixtures(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> out = files.filter(Files::isRegularFile)
          .filter(p -> {
            String n = p.getFileName().toString();
            return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
          })
          .sorted()
          .collect(Collectors.toList());
      assertThat(out).as("fixtures under %s", dir).isNotEmpty();
      return out;
    }
  }

  private static String name(Path f) {
    return f.getParent().getFileName() + "/" + f.getFileName();
  }

  private static Path sidecar(Path f, String ext) {
    String n = f.getFileName().toString();
    return f.resolveSibling(n.substring(0, n.lastIndexOf('.')) + ext);
  }
}
