package dev.keyward.lint;

import dev.keyward.lang.CheckProgram;
import dev.keyward.lang.LangParser;
import dev.keyward.lang.Parsed;
import dev.keyward.lang.SyntaxError;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.JsonOut;
import dev.keyward.parse.Node;
import dev.keyward.parse.NodeReader;
import dev.keyward.parse.ReadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads rule files ({@code <category>/<ID>-<name>.yaml}) into {@link Rule}s, reporting every problem of
 * a file with its line and column instead of stopping at the first. The format is described in
 * rules/README.md.
 */
public final class RuleLoader {

  /** Where the built-in rules are packaged in the engine jar (engine/pom.xml copies rules/ there). */
  public static final String RESOURCE_ROOT = "dev/keyward/rules";

  static final Pattern ID = Pattern.compile("[A-Z][A-Z0-9]{1,7}[0-9]{3}");
  static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  static final Set<String> KNOWN_FIELDS = Set.of("id", "name", "summary", "severity", "appliesTo", "since",
      "docs", "check", "javaCheck", "problemCodes", "cases");
  private static final Set<String> CASE_FIELDS = Set.of("name", "type", "policy", "pointers", "messages");

  private static final Object JAR_LOCK = new Object();

  private final DocumentReader reader = DocumentReader.create();
  private final LangParser lang = LangParser.create();

  private RuleLoader() {}

  public static RuleLoader create() {
    return new RuleLoader();
  }

  /** The rules and the problems of a set of rule files. */
  public record Loaded(List<Rule> rules, List<Problem> problems) {
    public Loaded {
      rules = List.copyOf(rules);
      problems = List.copyOf(problems);
    }

    public boolean hasErrors() {
      return problems.stream().anyMatch(Problem::isError);
    }
  }

  /** The built-in rule pack, from the classpath. */
  public Loaded builtIn() {
    URL marker = RuleLoader.class.getClassLoader().getResource(RESOURCE_ROOT + "/README.md");
    if (marker == null) {
      throw new IllegalStateException("the built-in rules are missing from the classpath (" + RESOURCE_ROOT + ")");
    }
    try {
      URI uri = marker.toURI();
      if (uri.getScheme().equals("jar")) {
        // INVARIANT: one zip file system per jar at a time; the lock keeps two threads of one build (the
        // Maven plugin runs in parallel builds) from closing it under each other.
        synchronized (JAR_LOCK) {
          FileSystem fs;
          try {
            fs = FileSystems.newFileSystem(uri, Map.of());
          } catch (java.nio.file.FileSystemAlreadyExistsException e) {
            // NOTE: the host application has the jar open; read through its file system and leave it open.
            return load(FileSystems.getFileSystem(uri).getPath(RESOURCE_ROOT), RESOURCE_ROOT);
          }
          try (fs) {
            return load(fs.getPath(RESOURCE_ROOT), RESOURCE_ROOT);
          }
        }
      }
      return load(Path.of(uri).getParent(), "rules");
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the built-in rules: " + e.getMessage(), e);
    }
  }

  /** Every {@code *.yaml}/{@code *.yml} rule file under {@code dir}, recursively; rules sorted by id. */
  public Loaded loadDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return new Loaded(List.of(), List.of(Problem.error("rules.not-a-directory", "`" + dir
          + "` is not a directory of rule files", SourceRef.synthetic(dir.toString(), ""))));
    }
    try {
      Loaded loaded = load(dir, dir.toString());
      if (loaded.rules().isEmpty() && loaded.problems().isEmpty()) {
        // A folder given for its rules that holds none is a mistake (a wrong path), not an empty rule set.
        return new Loaded(List.of(), List.of(Problem.error("rules.empty", "`" + dir
            + "` holds no rule files (*.yaml or *.yml)", SourceRef.synthetic(dir.toString(), ""))));
      }
      return loaded;
    } catch (IOException e) {
      return new Loaded(List.of(), List.of(Problem.error("rules.io", "cannot read `" + dir + "`: "
          + e.getMessage(), SourceRef.synthetic(dir.toString(), ""))));
    }
  }

  private Loaded load(Path root, String shownRoot) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
      }).sorted().collect(Collectors.toList());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<Rule> rules = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path f : files) {
      String rel = root.relativize(f).toString().replace('\\', '/');
      String shown = shownRoot + "/" + rel;
      Path parent = root.relativize(f).getParent();
      String category = parent == null ? "custom" : parent.getFileName().toString();
      Rule r = loadFile(Files.readAllBytes(f), shown, f.getFileName().toString(), category, problems);
      if (r != null) {
        rules.add(r);
      }
    }
    rules.sort(java.util.Comparator.comparing(Rule::id));
    Set<String> ids = new LinkedHashSet<>();
    for (Rule r : rules) {
      if (!ids.add(r.id())) {
        problems.add(Problem.error("rules.duplicate-id", "rule id `" + r.id() + "` is used by more than one file",
            SourceRef.synthetic(r.origin(), "/id")));
      }
    }
    return new Loaded(rules, problems);
  }

  /** Reads one rule file; null when it has errors (they are added to {@code problems}). */
  Rule loadFile(byte[] bytes, String shown, String fileName, String category, List<Problem> problems) {
    ReadResult read = reader.read(bytes, shown, DocumentFormat.YAML);
    int before = problems.size();
    problems.addAll(read.problems());
    if (read.root() == null) {
      return null;
    }
    if (!(read.root() instanceof Node.ObjectNode)) {
      problems.add(Problem.error("rules.not-object", "a rule file must be a YAML mapping", read.root().source()));
      return null;
    }
    Node.ObjectNode o = (Node.ObjectNode) read.root();
    NodeReader in = new NodeReader("rules", false, problems);
    in.unknownFields(o, KNOWN_FIELDS, key -> "unknown field `" + key + "`; rule files have "
        + String.join(", ", new java.util.TreeSet<>(KNOWN_FIELDS)));
    String id = string(in, o, "id", true);
    String name = string(in, o, "name", true);
    String summary = string(in, o, "summary", true);
    String severityText = string(in, o, "severity", true);
    String since = string(in, o, "since", true);
    String docs = string(in, o, "docs", true);
    String checkText = string(in, o, "check", false);
    String javaCheck = string(in, o, "javaCheck", false);
    if (id != null && !ID.matcher(id).matches()) {
      problems.add(Problem.error("rules.bad-id", "rule id `" + id + "` must be letters then three or four digits, "
          + "like `KW101`", o.get("id").source()));
    }
    if (name != null && !NAME.matcher(name).matches()) {
      problems.add(Problem.error("rules.bad-name", "rule name `" + name + "` must be kebab-case", o.get("name").source()));
    }
    if (id != null && name != null) {
      String expected = id + "-" + name;
      String base = fileName.replaceFirst("\\.ya?ml$", "");
      if (!base.equals(expected)) {
        problems.add(Problem.error("rules.file-name", "the file must be named `" + expected + ".yaml` after its id "
            + "and name", o.source()));
      }
    }
    Severity severity = null;
    if (severityText != null) {
      for (Severity s : Severity.values()) {
        if (s.label().equals(severityText)) {
          severity = s;
        }
      }
      if (severity == null) {
        problems.add(Problem.error("rules.bad-severity", "severity must be error, warning or note, not `"
            + severityText + "`", o.get("severity").source()));
      }
    }
    Set<PolicyType> types = policyTypes(in, o);
    List<String> problemCodes = stringList(in, o.get("problemCodes"), "problemCodes");
    CheckProgram program = null;
    if ((checkText == null) == (javaCheck == null)) {
      problems.add(Problem.error("rules.check", "a rule needs exactly one of `check` (Keyward language) and "
          + "`javaCheck` (the name of a built-in Java check)", o.source()));
    } else if (checkText != null) {
      program = parseCheck(checkText, o.get("check"), problems);
    } else if (!JavaChecks.NAMES.contains(javaCheck)) {
      problems.add(Problem.error("rules.unknown-java-check", "unknown Java check `" + javaCheck + "`; known: "
          + String.join(", ", JavaChecks.NAMES), o.get("javaCheck").source()));
    }
    List<RuleCase> flagged = new ArrayList<>();
    List<RuleCase> clean = new ArrayList<>();
    PolicyType defaultType = types.isEmpty() ? PolicyType.UNKNOWN : firstType(types);
    Node cases = o.get("cases");
    if (cases == null) {
      in.missing("missing `cases` (flagged and clean policies)", o.source());
    } else {
      Node.ObjectNode c = in.object(cases, "`cases`", "a mapping with `flagged` and `clean`");
      if (c != null) {
        readCases(in, c.get("flagged"), true, defaultType, flagged, c.source());
        readCases(in, c.get("clean"), false, defaultType, clean, c.source());
      }
    }
    if (problems.subList(before, problems.size()).stream().anyMatch(Problem::isError)) {
      return null;
    }
    return new Rule(id, name, summary, severity, category, types, since, docs, program, javaCheck, problemCodes,
        flagged, clean, shown);
  }

  /** The first type in a fixed order, so that a case without `type` is deterministic. */
  private static PolicyType firstType(Set<PolicyType> types) {
    for (PolicyType t : PolicyType.values()) {
      if (types.contains(t)) {
        return t;
      }
    }
    return PolicyType.UNKNOWN;
  }

  private CheckProgram parseCheck(String text, Node at, List<Problem> problems) {
    Parsed<CheckProgram> parsed = lang.parseCheck(text);
    List<SyntaxError> errors = new ArrayList<>(parsed.errors());
    if (parsed.ok()) {
      errors.addAll(CheckValidator.validate(parsed.value()));
    }
    for (SyntaxError e : errors) {
      problems.add(Problem.error("rules.check-syntax", "in `check` at line " + e.line() + ", column " + e.column()
          + ": " + e.message(), at.source()));
    }
    return errors.isEmpty() ? parsed.value() : null;
  }

  private static Set<PolicyType> policyTypes(NodeReader in, Node.ObjectNode o) {
    Node n = o.get("appliesTo");
    Set<PolicyType> types = new LinkedHashSet<>();
    if (n == null) {
      in.missing("missing `appliesTo` (policy types the rule runs on)", o.source());
      return types;
    }
    for (String s : stringList(in, n, "appliesTo")) {
      PolicyType t = PolicyType.fromLabel(s);
      if (t == null || t == PolicyType.UNKNOWN || !t.label().equals(s)) {
        in.error("rules.bad-policy-type", "unknown policy type `" + s + "`; use key-policy, "
            + "identity-policy, resource-policy, trust-policy, scp or rcp", n.source());
      } else {
        types.add(t);
      }
    }
    if (types.isEmpty()) {
      in.error("rules.bad-policy-type", "`appliesTo` names no policy type", n.source());
    }
    return types;
  }

  private static void readCases(NodeReader in, Node n, boolean isFlagged, PolicyType defaultType,
      List<RuleCase> out, SourceRef parent) {
    String kind = isFlagged ? "flagged" : "clean";
    if (n == null) {
      in.missing("missing `cases." + kind + "`", parent);
      return;
    }
    int i = 0;
    for (Node item : in.list(n, "`cases." + kind + "`", "a list")) {
      i++;
      Node.ObjectNode c = in.object(item, "a case", "a mapping with `policy`");
      if (c == null) {
        continue;
      }
      in.unknownFields(c, CASE_FIELDS, key -> "unknown case field `" + key
          + "`; cases have name, type, policy, pointers and messages");
      String name = string(in, c, "name", false);
      String typeText = string(in, c, "type", false);
      PolicyType type = defaultType;
      if (typeText != null) {
        type = PolicyType.fromLabel(typeText);
        if (type == null) {
          in.error("rules.bad-policy-type", "unknown policy type `" + typeText + "`", c.get("type").source());
          continue;
        }
      }
      Node policy = c.get("policy");
      String text;
      if (policy == null) {
        in.missing("a case needs `policy`", c.source());
        continue;
      } else if (NodeReader.isString(policy)) {
        text = ((Node.ScalarNode) policy).text();
      } else {
        text = JsonOut.indented(policy) + "\n";
      }
      List<String> pointers = stringList(in, c.get("pointers"), "pointers");
      if (isFlagged && pointers.isEmpty()) {
        in.missing("a flagged case needs `pointers`: where each finding must point", c.source());
      }
      if (!isFlagged && !pointers.isEmpty()) {
        in.error("rules.wrong-type", "a clean case has no `pointers`", c.get("pointers").source());
      }
      List<String> messages = stringList(in, c.get("messages"), "messages");
      if (!isFlagged && !messages.isEmpty()) {
        in.error("rules.wrong-type", "a clean case has no `messages`", c.get("messages").source());
      }
      out.add(new RuleCase(name != null ? name : kind + " #" + i, text, type, pointers, messages,
          c.source().line()));
    }
  }

  /** A field's text (a number or boolean as written); a missing required field is reported. */
  private static String string(NodeReader in, Node.ObjectNode o, String key, boolean required) {
    Node n = o.get(key);
    if (n == null && required) {
      in.missing("missing `" + key + "`", o.source());
    }
    return in.text(n, key);
  }

  /** One string, or a list of them; missing is an empty list. */
  private static List<String> stringList(NodeReader in, Node n, String key) {
    if (n == null) {
      return List.of();
    }
    if (n instanceof Node.ScalarNode) {
      return List.of(((Node.ScalarNode) n).text());
    }
    List<String> out = new ArrayList<>();
    for (Node i : in.list(n, "`" + key + "`", "a string or a list of strings")) {
      if (i instanceof Node.ScalarNode) {
        out.add(((Node.ScalarNode) i).text());
      } else {
        in.wrongType(i, "`" + key + "` must hold strings");
      }
    }
    return Collections.unmodifiableList(out);
  }
}
