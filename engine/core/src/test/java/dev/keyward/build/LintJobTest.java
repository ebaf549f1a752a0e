package dev.keyward.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.lint.Finding;
import dev.keyward.lint.LintReport;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintJobTest {

  private static final String DECRYPT_ALL = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"All\","
      + " \"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";

  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private LintJob.Options options(List<String> includes, List<String> excludes, Path suppressions, Path baseline) {
    return new LintJob.Options(dir, List.of(dir.resolve("policies")), includes, excludes, PolicyType.UNKNOWN,
        List.of(), suppressions, baseline);
  }

  @Test
  void run_includesAndExcludes_selectFilesRelativeToTheFolder() throws Exception {
    write("policies/a.json", DECRYPT_ALL);
    write("policies/keep/b.json", DECRYPT_ALL);
    write("policies/keep/skip-c.json", DECRYPT_ALL);
    LintJob.Result r = LintJob.run(options(List.of("**/*.json"), List.of("**/skip-*.json", "a.json"), null, null));
    assertThat(r.ok()).isTrue();
    assertThat(r.report().files()).extracting(LintReport.LintedFile::file).containsExactly("policies/keep/b.json");
    assertThat(r.report().findings()).extracting(Finding::ruleId).containsExactly("KW300");
  }

  @Test
  void run_noPatterns_lintsEveryPolicyFile() throws Exception {
    write("policies/a.json", DECRYPT_ALL);
    write("policies/package.json", "{\"name\": \"not a policy\"}");
    LintJob.Result r = LintJob.run(options(List.of(), List.of(), null, null));
    assertThat(r.report().files()).extracting(LintReport.LintedFile::file).containsExactly("policies/a.json");
  }

  @Test
  void run_suppressionsFile_hidesTheFinding() throws Exception {
    write("policies/a.json", DECRYPT_ALL);
    Path cfg = write(".keyward.yaml", "suppressions:\n  - rule: KW300\n    file: \"**/a.json\"\n    reason: test data\n");
    LintJob.Result r = LintJob.run(options(List.of(), List.of(), cfg, null));
    assertThat(r.report().findings()).isEmpty();
    assertThat(r.report().suppressed()).hasSize(1);
  }

  @Test
  void run_missingBaselineAndBadSuppressions_areProblemsNotExceptions() throws Exception {
    write("policies/a.json", DECRYPT_ALL);
    Path cfg = write("bad.yaml", "suppressions:\n  - rule: KW300\n");
    LintJob.Result r = LintJob.run(options(List.of(), List.of(), cfg, dir.resolve("nope.json")));
    assertThat(r.ok()).isFalse();
    assertThat(r.problems()).extracting(Problem::display)
        .anyMatch(p -> p.startsWith("bad.yaml:2:5: error: a suppression needs a `reason`"))
        .anyMatch(p -> p.contains("baseline `" + dir.resolve("nope.json") + "` does not exist"));
  }

  @Test
  void format_named_acceptsAnyCase() {
    assertThat(LintJob.Format.named(" SARIF ")).isEqualTo(LintJob.Format.SARIF);
    assertThat(LintJob.Format.named("xml")).isNull();
  }
}
