package dev.keyward.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.keyward.lint.Baseline;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.LintRun;
import dev.keyward.lint.Linter;
import dev.keyward.lint.RuleLoader;
import dev.keyward.lint.Suppressions;
import dev.keyward.model.PolicyType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyward's SARIF against the official SARIF 2.1.0 schema (src/test/resources/sarif, see SOURCE.md). */
class SarifReportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static Schema schema;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadSchema() throws Exception {
    try (InputStream in = SarifReportTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
    }
  }

  private LintReport lintSample() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys dir"));
    Files.writeString(keys.resolve("partner.json"), String.join("\n",
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [",
        "    {\"Sid\": \"EnableIAM\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},"
            + " \"Action\": \"kms:*\", \"Resource\": \"*\"},",
        "    {\"Sid\": \"Partner\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::444455556666:root\"},"
            + " \"Action\": [\"kms:Decrypt\", \"kms:ScheduleKeyDeletion\"], \"Resource\": \"*\"},",
        "    {\"Sid\": \"Public\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}",
        "  ]",
        "}"), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("broken.json"), "{\"Statement\": [", StandardCharsets.UTF_8);
    Suppressions.Loaded s = Suppressions.read(String.join("\n",
        "suppressions:",
        "  - rule: KW104",
        "    file: \"keys dir/*.json\"",
        "    sid: Partner",
        "    reason: partner account approved in SEC-123",
        "  - rule: KW200",
        "    file: nothing/*.json",
        "    reason: stale",
        "").getBytes(StandardCharsets.UTF_8), ".keyward.yaml");
    assertThat(s.problems()).isEmpty();
    LintRun run = LintRun.create(Linter.create(RuleLoader.create().builtIn().rules()), PolicyType.UNKNOWN,
        s.suppressions(), Baseline.none(), dir);
    return run.run(run.select(List.of(dir)), n -> { });
  }

  @Test
  void render_sampleWithSuppressions_isValidSarif() throws Exception {
    LintReport report = lintSample();
    assertThat(report.suppressed()).isNotEmpty();
    assertThat(report.unusedSuppressions()).hasSize(1);
    String sarif = SarifReport.render(report, "0.1.0-SNAPSHOT", dir);
    List<Error> errors = schema.validate(sarif, com.networknt.schema.InputFormat.JSON);
    assertThat(errors).extracting(Error::getMessage).isEmpty();

    JsonNode run = MAPPER.readTree(sarif).get("runs").get(0);
    assertThat(run.at("/tool/driver/rules").size()).isGreaterThanOrEqualTo(40);
    JsonNode first = run.get("results").get(0);
    int index = first.get("ruleIndex").asInt();
    assertThat(run.at("/tool/driver/rules/" + index + "/id").asText()).isEqualTo(first.get("ruleId").asText());
    assertThat(run.at("/tool/driver/rules/0/help/markdown").asText()).contains("## How to fix");
    assertThat(run.at("/tool/driver/rules/0/helpUri").asText()).startsWith("https://");
    boolean sawSuppressed = false;
    for (JsonNode r : run.get("results")) {
      assertThat(r.at("/partialFingerprints/keyward~1v1").asText()).hasSize(32);
      assertThat(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).doesNotStartWith("/");
      if (r.has("suppressions")) {
        sawSuppressed = true;
        assertThat(r.at("/suppressions/0/kind").asText()).isEqualTo("external");
        assertThat(r.at("/suppressions/0/justification").asText()).contains("SEC-123");
      }
    }
    assertThat(sawSuppressed).isTrue();
    assertThat(run.toString()).contains("keys%20dir/partner.json");
    assertThat(run.at("/invocations/0/toolConfigurationNotifications/0/message/text").asText())
        .contains("unused suppression");
  }

  @Test
  void schema_documentWithoutVersion_isRejected() throws Exception {
    ObjectNode broken = (ObjectNode) MAPPER.readTree(SarifReport.render(lintSample(), "0.1.0", dir));
    broken.remove("version");
    ((ObjectNode) broken.at("/runs/0/results/0")).put("level", "fatal");
    assertThat(schema.validate(broken.toString(), com.networknt.schema.InputFormat.JSON)).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void render_sameInputTwice_isIdentical() throws Exception {
    LintReport report = lintSample();
    assertThat(SarifReport.render(report, "0.1.0", dir)).isEqualTo(SarifReport.render(report, "0.1.0", dir));
    assertThat(JsonReport.render(report)).isEqualTo(JsonReport.render(lintSample()));
  }

  @Test
  void text_groupsByFileWithPositions() throws Exception {
    String text = TextReport.render(lintSample(), false);
    assertThat(text).contains("keys dir/partner.json\n  keys dir/partner.json:5:");
    assertThat(text).contains("error KW200");
    assertThat(text).contains(".keyward.yaml:6:").contains("unused suppression");
    assertThat(text).doesNotContain("\u001b[");
    assertThat(TextReport.render(lintSample(), true)).contains("\u001b[31merror");
  }
}
