package dev.keyward.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.lint.Finding;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.Rule;
import dev.keyward.lint.Suppressions;
import dev.keyward.model.Severity;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it: one run; every rule of the run in
 * {@code tool.driver.rules} (short and full description, Markdown help and help link, default level);
 * results with ruleId, ruleIndex, level, message, a physical location relative to {@code %SRCROOT%}
 * (the working directory) with 1-based startLine/startColumn in Unicode code points, the JSON Pointer as
 * a logical location, and {@code partialFingerprints}; suppressed findings carry {@code suppressions}
 * with kind {@code external} and the justification; unused suppressions are tool configuration
 * notifications. Deterministic: no times, no absolute paths outside originalUriBaseIds.
 */
public final class SarifReport {

  public static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** GitHub shows at most 1024 characters of a description. */
  private static final int DESCRIPTION_LIMIT = 1024;

  private SarifReport() {}

  /**
   * @param version Keyward's version
   * @param baseDir the folder relative paths are relative to (becomes %SRCROOT%)
   */
  public static String render(LintReport r, String version, Path baseDir) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "Keyward");
    driver.put("version", version);
    if (version.matches("[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?")) {
      driver.put("semanticVersion", version);
    }
    driver.put("informationUri", "https://keyward.dev");
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> index = new HashMap<>();
    for (Rule rule : r.rules()) {
      index.put(rule.id(), index.size());
      rule(rules.addObject(), rule);
    }
    run.putObject("originalUriBaseIds").putObject("%SRCROOT%")
        .put("uri", baseDir.toAbsolutePath().normalize().toUri().toString());
    run.put("columnKind", "unicodeCodePoints");
    ArrayNode results = run.putArray("results");
    for (Finding f : r.findings()) {
      result(results.addObject(), f, index);
    }
    for (LintReport.Suppressed s : r.suppressed()) {
      ObjectNode o = result(results.addObject(), s.finding(), index);
      o.putArray("suppressions").addObject().put("kind", s.kind()).put("status", "accepted")
          .put("justification", s.justification());
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", r.ruleFailures().isEmpty());
    if (!r.unusedSuppressions().isEmpty()) {
      ArrayNode notes = invocation.putArray("toolConfigurationNotifications");
      for (Suppressions.Entry e : r.unusedSuppressions()) {
        ObjectNode n = notes.addObject();
        n.putObject("descriptor").put("id", "unused-suppression");
        n.put("level", "note");
        n.putObject("message").put("text", "unused suppression (" + e.describe() + "): it matched no finding");
        location(n.putArray("locations").addObject(), e.where().file(), e.where().line(), e.where().column());
      }
    }
    if (!r.ruleFailures().isEmpty()) {
      ArrayNode notes = invocation.putArray("toolExecutionNotifications");
      for (String failure : r.ruleFailures()) {
        ObjectNode n = notes.addObject();
        n.putObject("descriptor").put("id", "rule-failure");
        n.put("level", "error");
        n.putObject("message").put("text", failure);
      }
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static void rule(ObjectNode o, Rule rule) {
    o.put("id", rule.id());
    o.put("name", rule.name());
    o.putObject("shortDescription").put("text", rule.summary());
    o.putObject("fullDescription").put("text", clip(firstSection(rule.docs())));
    o.put("helpUri", rule.helpUri());
    String help = rule.docs() + "\n\n" + rule.helpUri();
    o.putObject("help").put("text", help).put("markdown", rule.docs() + "\n\n[" + rule.id() + " "
        + rule.name() + "](" + rule.helpUri() + ")");
    o.putObject("defaultConfiguration").put("level", level(rule.severity()));
    ObjectNode props = o.putObject("properties");
    ArrayNode tags = props.putArray("tags");
    for (String t : new java.util.LinkedHashSet<>(java.util.List.of("security", "kms", rule.category()))) {
      tags.add(t);
    }
    props.put("precision", "high");
  }

  private static ObjectNode result(ObjectNode o, Finding f, Map<String, Integer> index) {
    o.put("ruleId", f.ruleId());
    Integer i = index.get(f.ruleId());
    if (i != null) {
      o.put("ruleIndex", i);
    }
    o.put("level", level(f.severity()));
    o.putObject("message").put("text", f.message());
    ObjectNode loc = o.putArray("locations").addObject();
    location(loc, f.file(), f.line(), f.column());
    if (!f.pointer().isEmpty()) {
      loc.putArray("logicalLocations").addObject().put("fullyQualifiedName", f.pointer()).put("kind", "element");
    }
    o.putObject("partialFingerprints").put("keyward/v1", f.fingerprint());
    return o;
  }

  private static void location(ObjectNode loc, String file, int line, int column) {
    ObjectNode physical = loc.putObject("physicalLocation");
    ObjectNode artifact = physical.putObject("artifactLocation");
    if (Path.of(file).isAbsolute()) {
      artifact.put("uri", Path.of(file).toUri().toString());
    } else {
      artifact.put("uri", relativeUri(file));
      artifact.put("uriBaseId", "%SRCROOT%");
    }
    if (line > 0) {
      ObjectNode region = physical.putObject("region");
      region.put("startLine", line);
      region.put("startColumn", Math.max(1, column));
    }
  }

  /** A relative path as a URI reference: {@code /} separators, special characters percent-encoded. */
  static String relativeUri(String path) {
    try {
      return new URI(null, null, path.replace('\\', '/'), null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot make a URI of `" + path + "`", e);
    }
  }

  static String level(Severity s) {
    switch (s) {
      case ERROR: return "error";
      case WARNING: return "warning";
      default: return "note";
    }
  }

  /** The text of the docs' first section (its "Why it matters"), without the heading. */
  static String firstSection(String docs) {
    String d = docs == null ? "" : docs.strip();
    if (d.startsWith("## ")) {
      int nl = d.indexOf('\n');
      d = nl < 0 ? "" : d.substring(nl + 1);
    }
    int next = d.indexOf("\n## ");
    return (next < 0 ? d : d.substring(0, next)).strip().replaceAll("\\s*\n\\s*", " ");
  }

  private static String clip(String s) {
    return s.length() <= DESCRIPTION_LIMIT ? s : s.substring(0, DESCRIPTION_LIMIT - 3) + "...";
  }
}
