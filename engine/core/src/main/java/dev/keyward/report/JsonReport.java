package dev.keyward.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.lint.Finding;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.Suppressions;
import dev.keyward.model.Severity;

/**
 * The machine-readable report: one JSON object, keys in a fixed order, findings sorted by file, position
 * and rule. Stable across runs for the same input (no times, no absolute paths), so it can be diffed.
 * <pre>
 * {"summary": {"files": 3, "errors": 1, "warnings": 0, "notes": 0, "suppressed": 1, "skipped": 0},
 *  "files": [{"file": "keys/a.json", "type": "key-policy"}],
 *  "findings": [{"file", "line", "column", "pointer", "statement", "rule", "severity", "message", "fingerprint"}],
 *  "suppressed": [{..., "suppression": {"kind": "external", "justification": "..."}}],
 *  "unusedSuppressions": [{"file", "line", "rule", "message"}],
 *  "ruleFailures": ["..."]}
 * </pre>
 */
public final class JsonReport {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(LintReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode summary = root.putObject("summary");
    summary.put("files", r.files().size());
    summary.put("errors", r.count(Severity.ERROR));
    summary.put("warnings", r.count(Severity.WARNING));
    summary.put("notes", r.count(Severity.NOTE));
    summary.put("suppressed", r.suppressed().size());
    summary.put("skipped", r.skipped().size());
    ArrayNode files = root.putArray("files");
    for (LintReport.LintedFile f : r.files()) {
      files.addObject().put("file", f.file()).put("type", f.type().label());
    }
    ArrayNode findings = root.putArray("findings");
    for (Finding f : r.findings()) {
      finding(findings.addObject(), f);
    }
    ArrayNode suppressed = root.putArray("suppressed");
    for (LintReport.Suppressed s : r.suppressed()) {
      ObjectNode o = finding(suppressed.addObject(), s.finding());
      o.putObject("suppression").put("kind", s.kind()).put("justification", s.justification());
    }
    ArrayNode unused = root.putArray("unusedSuppressions");
    for (Suppressions.Entry e : r.unusedSuppressions()) {
      unused.addObject().put("file", e.where().file()).put("line", e.where().line()).put("rule", e.rule())
          .put("message", "unused suppression (" + e.describe() + "): it matched no finding");
    }
    ArrayNode failures = root.putArray("ruleFailures");
    r.ruleFailures().forEach(failures::add);
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static ObjectNode finding(ObjectNode o, Finding f) {
    o.put("file", f.file());
    o.put("line", f.line());
    o.put("column", f.column());
    o.put("pointer", f.pointer());
    if (f.statement() != null) {
      o.put("statement", f.statement());
    } else {
      o.putNull("statement");
    }
    o.put("rule", f.ruleId());
    o.put("severity", f.severity().label());
    o.put("message", f.message());
    o.put("fingerprint", f.fingerprint());
    return o;
  }
}
