package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static final String NOT_ACTION = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Wide\", "
      + "\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}]}";
  private static final String CLEAN_KEY = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
      + "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}";

  @Test
  void lint_cleanKeyPolicy_exitsZero() throws Exception {
    assertThat(run("lint", write("k.json", CLEAN_KEY).toString())).isEqualTo(0);
    assertThat(out.toString()).contains("0 errors, 0 warnings, 0 notes in 1 file");
  }

  @Test
  void lint_warningBelowDefaultThreshold_exitsZeroButOneWithFailOnWarning() throws Exception {
    Path p = write("id.json", NOT_ACTION);
    assertThat(run("lint", p.toString())).isEqualTo(0);
    assertThat(out.toString()).contains("warning KW302");
    assertThat(run("lint", "--fail-on", "warning", p.toString())).isEqualTo(1);
    assertThat(run("lint", "--fail-on", "none", "--type", "identity-policy", p.toString())).isEqualTo(0);
  }

  @Test
  void lint_unparseableFile_isAFindingAndExitsOne() throws Exception {
    assertThat(run("lint", write("bad.json", "{\"Statement\": [").toString())).isEqualTo(1);
    assertThat(out.toString()).contains("error KW001");
  }

  @Test
  void lint_badUsage_exitsTwo() throws Exception {
    assertThat(run("lint", dir.resolve("missing.json").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("does not exist");
    assertThat(run("lint", "--type", "bucket", write("k.json", CLEAN_KEY).toString())).isEqualTo(2);
    assertThat(run("lint")).isEqualTo(2);
  }

  @Test
  void lint_jsonFormatToFile_writesReport() throws Exception {
    Path report = dir.resolve("r.json");
    assertThat(run("lint", "--format", "json", "--output", report.toString(), write("id.json", NOT_ACTION).toString()))
        .isEqualTo(0);
    assertThat(Files.readString(report)).contains("\"rule\" : \"KW302\"").contains("\"statement\" : \"Wide\"");
  }

  @Test
  void lint_suppressionBySid_hidesFindingAndReportsUnused() throws Exception {
    Path p = write("id.json", NOT_ACTION);
    Path cfg = write("cfg.yaml", String.join("\n", "suppressions:",
        "  - {rule: \"*\", file: \"**/id.json\", sid: Wide, reason: reviewed}",
        "  - {rule: KW999, reason: never matches}", ""));
    assertThat(run("lint", "--fail-on", "warning", "--config", cfg.toString(), p.toString())).isEqualTo(0);
    assertThat(out.toString()).doesNotContain("warning KW302").contains("2 suppressed")
        .contains("unused suppression (rule KW999");
  }

  @Test
  void lint_suppressionWithoutReason_isBadUsage() throws Exception {
    Path cfg = write("cfg.yaml", "suppressions:\n  - {rule: KW302}\n");
    assertThat(run("lint", "--config", cfg.toString(), write("id.json", NOT_ACTION).toString())).isEqualTo(2);
    assertThat(err.toString()).contains("needs a `reason`");
  }

  @Test
  void lint_baseline_hidesKnownFindingsOnly() throws Exception {
    Path p = write("id.json", NOT_ACTION);
    Path baseline = dir.resolve("baseline.json");
    assertThat(run("lint", "--write-baseline", baseline.toString(), p.toString())).isEqualTo(0);
    assertThat(Files.readString(baseline)).contains("KW302");
    assertThat(run("lint", "--fail-on", "warning", "--baseline", baseline.toString(), p.toString())).isEqualTo(0);
    Files.writeString(p, NOT_ACTION.replace("\"Resource\": \"*\"", "\"NotResource\": \"arn:aws:s3:::b\""));
    assertThat(run("lint", "--fail-on", "warning", "--baseline", baseline.toString(), p.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("KW303");
  }

  @Test
  void lint_folder_skipsNonPoliciesAndHiddenFolders() throws Exception {
    write("repo/keys/k.json", CLEAN_KEY);
    write("repo/package.json", "{\"name\": \"app\", \"version\": \"1.0.0\"}");
    write("repo/.git/policy.json", NOT_ACTION);
    write("repo/notes.txt", NOT_ACTION);
    assertThat(run("lint", "--format", "json", dir.resolve("repo").toString())).isEqualTo(0);
    assertThat(out.toString()).contains("\"files\" : 1").contains("\"skipped\" : 1").contains("k.json")
        .doesNotContain("policy.json");
  }

  @Test
  void lint_sarifToFile_isWrittenAndSummaryGoesToStderr() throws Exception {
    Path sarif = dir.resolve("out.sarif");
    assertThat(run("lint", "--format", "sarif", "-o", sarif.toString(), write("id.json", NOT_ACTION).toString()))
        .isEqualTo(0);
    assertThat(Files.readString(sarif)).contains("\"version\" : \"2.1.0\"").contains("\"ruleId\" : \"KW302\"");
    assertThat(err.toString()).contains("0 errors, 2 warnings");
  }

  @Test
  void rulesList_printsCatalogue() {
    assertThat(run("rules", "list")).isEqualTo(0);
    assertThat(out.toString()).contains("KW101").contains("key-policy-resource-not-star").containsPattern("\\d+ rules");
  }

  @Test
  void rulesTest_userRules_runsTheirCases() throws Exception {
    Path rules = dir.resolve("my-rules");
    write("my-rules/org/ACME001-no-sids.yaml", String.join("\n",
        "id: ACME001", "name: no-sids", "summary: a statement has no Sid", "severity: note",
        "appliesTo: [identity-policy]", "since: 1.0.0",
        "docs: |", "  ## Why it matters", "  ## How to fix", "  ## References",
        "check: |", "  for s in statements", "  where s.sid == null", "  report s \"statement {s.label} has no Sid\"",
        "cases:", "  flagged:", "    - policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: \"s3:GetObject\", Resource: \"*\"}]}",
        "      pointers: [/Statement/0]",
        "  clean:", "    - policy: {Version: \"2012-10-17\", Statement: [{Sid: A, Effect: Allow, Action: \"s3:GetObject\", Resource: \"*\"}]}",
        ""));
    assertThat(run("rules", "test", rules.toString())).isEqualTo(0);
    assertThat(out.toString()).contains("2 passed, 0 failed");
    assertThat(run("lint", "--rules", rules.toString(), "--fail-on", "note", write("x.json",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
            + "\"Resource\": \"arn:aws:s3:::b/*\"}]}").toString())).isEqualTo(1);
    assertThat(out.toString()).contains("note ACME001");
  }

  @Test
  void rulesTest_brokenRuleFile_isBadUsage() throws Exception {
    write("bad-rules/x/XX001-broken.yaml", "id: XX001\nname: broken\n");
    assertThat(run("rules", "test", dir.resolve("bad-rules").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("missing `summary`");
  }
}
