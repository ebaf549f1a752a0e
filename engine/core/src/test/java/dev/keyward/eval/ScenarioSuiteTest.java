package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.model.Problem;
import dev.keyward.request.Request;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The data-driven scenario suite: every folder under {@code src/test/resources/scenarios} holds a
 * {@code world.yaml} and a {@code requests.jsonl} whose lines carry, beside the request, the decision AWS
 * documentation calls for ({@code expect}), the page it rests on ({@code doc}), one line of why, and
 * {@code "open": true} when the documentation leaves the point open (the scenario's {@code NOTES.md} then
 * quotes the text and gives our reading).
 *
 * <p>The expectations are an independent oracle written from AWS's documentation, not from this engine's
 * answers. A request on which the engine is known to disagree is listed in
 * {@code scenarios/known-disagreements.txt} with the reason; such a test is reported as skipped, and
 * fails as soon as the engine agrees, so the list never goes stale.
 */
final class ScenarioSuiteTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REQUEST_FIELDS =
      Set.of("id", "principal", "action", "resource", "context", "session", "expect", "doc", "why", "open");
  private static final Set<String> VERDICTS = Set.of("ALLOW", "EXPLICIT_DENY", "IMPLICIT_DENY");

  /** One line of a scenario's requests.jsonl. */
  record Expectation(String scenario, int line, Request request, Verdict expect, String doc, String why, boolean open) {
    String name() {
      return scenario + "/" + request.id();
    }
  }

  /** One scenario folder, read but not yet loaded as a world. */
  record Scenario(String name, Path dir, List<Expectation> expectations, List<String> readErrors) {}

  static Path scenariosRoot() {
    URL url = ScenarioSuiteTest.class.getResource("/scenarios");
    if (url == null) {
      throw new IllegalStateException("test resource folder `scenarios` is missing");
    }
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad resource URL `" + url + "`", e);
    }
  }

  static List<Scenario> scenarios() throws IOException {
    Path root = scenariosRoot();
    List<Scenario> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().collect(Collectors.toList())) {
        out.add(readScenario(dir));
      }
    }
    return out;
  }

  static Scenario readScenario(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    List<Expectation> expectations = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Path file = dir.resolve("requests.jsonl");
    if (!Files.isRegularFile(file)) {
      errors.add(name + ": requests.jsonl is missing");
      return new Scenario(name, dir, expectations, errors);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty()) {
        continue;
      }
      String where = name + "/requests.jsonl:" + (i + 1);
      try {
        expectations.add(parseLine(name, i + 1, JSON.readTree(text)));
      } catch (IOException | IllegalArgumentException e) {
        errors.add(where + ": " + e.getMessage());
      }
    }
    return new Scenario(name, dir, expectations, errors);
  }

  private static Expectation parseLine(String scenario, int line, JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a request line must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!REQUEST_FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown field `" + f + "`");
      }
    }
    String id = text(node, "id");
    String expect = text(node, "expect");
    if (!VERDICTS.contains(expect)) {
      throw new IllegalArgumentException("`expect` must be one of " + VERDICTS + ", not `" + expect + "`");
    }
    String doc = text(node, "doc");
    if (!doc.startsWith("https://docs.aws.amazon.com/")) {
      throw new IllegalArgumentException("`doc` must be an AWS documentation URL, not `" + doc + "`");
    }
    Map<String, List<String>> context = new LinkedHashMap<>();
    JsonNode ctx = node.path("context");
    if (!ctx.isMissingNode() && !ctx.isObject()) {
      throw new IllegalArgumentException("`context` must be an object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = ctx.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> values = new ArrayList<>();
      if (e.getValue().isArray()) {
        e.getValue().forEach(v -> values.add(v.asText()));
      } else if (e.getValue().isTextual()) {
        values.add(e.getValue().asText());
      } else {
        throw new IllegalArgumentException("context value of `" + e.getKey() + "` must be a string or an array of strings");
      }
      context.put(e.getKey(), values);
    }
    Request request = new Request(id, text(node, "principal"), text(node, "action"), text(node, "resource"), context,
        session(scenario, line, node.path("session")));
    return new Expectation(scenario, line, request, Verdict.valueOf(expect), doc, text(node, "why"),
        node.path("open").asBoolean(false));
  }

  /**
   * A line's {@code session}: tags, inline session policies (parsed as identity policies), source identity, the
   * transitive keys and chain of a role session, the federating user of a federated user.
   */
  private static dev.keyward.request.Session session(String scenario, int line, JsonNode n) {
    if (n.isMissingNode()) {
      return dev.keyward.request.Session.NONE;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    n.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    List<dev.keyward.model.PolicyDocument> policies = new ArrayList<>();
    int i = 0;
    for (JsonNode p : n.path("policies")) {
      dev.keyward.parse.ParseResult r = dev.keyward.parse.PolicyParser.create().parseString(p.path("document").toString(),
          scenario + "/requests.jsonl:" + line + "#/session/policies/" + (i++), dev.keyward.model.PolicyType.IDENTITY);
      if (r.policy() == null || r.problems().stream().anyMatch(Problem::isError)) {
        throw new IllegalArgumentException("session policy does not parse: " + r.problems());
      }
      policies.add(r.policy());
    }
    JsonNode si = n.get("sourceIdentity");
    List<dev.keyward.request.Session.Link> chain = new ArrayList<>();
    for (JsonNode l : n.path("chain")) {
      Map<String, String> lt = new LinkedHashMap<>();
      l.path("tags").fields().forEachRemaining(e -> lt.put(e.getKey(), e.getValue().asText()));
      chain.add(new dev.keyward.request.Session.Link(l.hasNonNull("role") ? l.get("role").asText() : null, lt,
          strings(l.path("transitiveTagKeys"))));
    }
    JsonNode by = n.get("federatedBy");
    return new dev.keyward.request.Session(tags, policies, si == null ? null : si.asText(),
        strings(n.path("transitiveTagKeys")), chain, by == null ? null : by.asText());
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new java.util.LinkedHashSet<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("field `" + field + "` must be a non-empty string");
    }
    return v.asText();
  }

  /** {@code scenario/id -> reason} for requests on which the engine is known to disagree. */
  static Map<String, String> knownDisagreements() throws IOException {
    Path file = scenariosRoot().resolve("known-disagreements.txt");
    Map<String, String> out = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int sp = t.indexOf(' ');
      out.put(sp < 0 ? t : t.substring(0, sp), sp < 0 ? "" : t.substring(sp + 1).strip());
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> scenarios_eachRequest_matchesAwsDocumentedDecision() throws IOException {
    Map<String, String> known = knownDisagreements();
    List<DynamicTest> tests = new ArrayList<>();
    for (Scenario s : scenarios()) {
      WorldLoadResult loaded = WorldLoader.create().load(s.dir().resolve("world.yaml"), s.name() + "/world.yaml");
      List<String> problems = loaded.problems().stream().filter(Problem::isError).map(Problem::display)
          .collect(Collectors.toList());
      Authorizer authorizer = loaded.world() == null || loaded.hasErrors() ? null : Authorizer.create(loaded.world());
      tests.add(DynamicTest.dynamicTest(s.name() + "/world", () -> {
        if (!problems.isEmpty() || loaded.world() == null) {
          fail("world of scenario `" + s.name() + "` does not load:\n  " + String.join("\n  ", problems));
        }
        if (!s.readErrors().isEmpty()) {
          fail("requests of scenario `" + s.name() + "` are malformed:\n  " + String.join("\n  ", s.readErrors()));
        }
      }));
      for (Expectation e : s.expectations()) {
        tests.add(DynamicTest.dynamicTest(e.name(), () -> check(e, authorizer, problems, known)));
      }
    }
    return tests.stream();
  }

  private static void check(Expectation e, Authorizer authorizer, List<String> problems, Map<String, String> known) {
    if (authorizer == null) {
      fail("world does not load, so `" + e.name() + "` cannot be decided:\n  " + String.join("\n  ", problems));
    }
    Decision d = authorizer.authorize(e.request());
    boolean agrees = d.verdict() == e.expect();
    String knownReason = known.get(e.name());
    if (knownReason != null) {
      if (agrees) {
        fail("`" + e.name() + "` is listed in known-disagreements.txt but the engine now agrees ("
            + d.verdict() + "): remove the entry");
      }
      Assumptions.abort("known disagreement: " + knownReason + "\n" + describe(e, d));
    }
    if (!agrees) {
      fail(describe(e, d));
    }
    if (d.verdict() != Verdict.IMPLICIT_DENY) {
      assertThat(d.reasons()).as("reasons of %s decision for %s", d.verdict(), e.name()).isNotEmpty();
    }
    assertThat(d.requestId()).isEqualTo(e.request().id());
  }

  static String describe(Expectation e, Decision d) {
    StringBuilder b = new StringBuilder();
    b.append(e.name()).append(e.open() ? " [open point, see NOTES.md]" : "").append('\n');
    b.append("  request:  ").append(e.request().principal()).append(' ').append(e.request().action()).append(' ')
        .append(e.request().resource()).append(' ').append(e.request().context()).append('\n');
    b.append("  expected: ").append(e.expect()).append(" (").append(e.why()).append(")\n");
    b.append("  source:   ").append(e.doc()).append('\n');
    b.append("  engine:   ").append(d.verdict()).append('\n');
    for (Reason r : d.reasons()) {
      b.append("    - ").append(r.effect()).append(' ').append(r.policy());
      if (!r.statement().isEmpty()) {
        b.append(" [").append(r.statement()).append(']');
      }
      b.append(": ").append(r.message()).append('\n');
    }
    return b.toString();
  }

  @Test
  void suite_requests_coverEnoughAndCiteAwsDocs() throws IOException {
    List<Scenario> all = scenarios();
    int total = all.stream().mapToInt(s -> s.expectations().size()).sum();
    assertThat(total).as("requests in the scenario suite").isGreaterThanOrEqualTo(200);
    for (Scenario s : all) {
      assertThat(s.readErrors()).as("malformed lines of %s", s.name()).isEmpty();
      assertThat(s.expectations()).as("requests of %s", s.name()).isNotEmpty();
      assertThat(s.expectations().stream().map(e -> e.request().id()).distinct().count())
          .as("request ids of %s are unique", s.name()).isEqualTo(s.expectations().size());
      boolean anyOpen = s.expectations().stream().anyMatch(Expectation::open);
      if (anyOpen) {
        assertThat(s.dir().resolve("NOTES.md")).as("%s has open points, so it needs NOTES.md", s.name()).isRegularFile();
      }
    }
  }

  @Test
  void knownDisagreements_everyEntry_namesAnExistingRequest() throws IOException {
    Set<String> names = scenarios().stream().flatMap(s -> s.expectations().stream()).map(Expectation::name)
        .collect(Collectors.toSet());
    assertThat(knownDisagreements().keySet()).allSatisfy(n -> assertThat(names).contains(n));
  }
}
