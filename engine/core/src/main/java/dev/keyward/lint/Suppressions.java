package dev.keyward.lint;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.NodeReader;
import dev.keyward.parse.ReadResult;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The suppressions of a {@code .keyward.yaml} file:
 * <pre>
 * suppressions:
 *   - rule: KW104                          # a rule id, or "*" for every rule
 *     file: policies/partner/*.json        # a glob over the path as reported (/ separated); ** crosses folders
 *     pointer: /Statement/1                # optional: the element and everything inside it
 *     sid: Partner                         # optional, instead of pointer: the statement with this Sid
 *     reason: approved in SEC-123          # required
 * </pre>
 * A suppression without pointer or sid covers the whole file. Immutable.
 */
public final class Suppressions {

  /** One entry; {@code line} is where it was written in the config file. */
  public record Entry(String rule, String file, String pointer, String sid, String reason, SourceRef where) {

    /** True when this entry covers {@code f}. */
    public boolean matches(Finding f) {
      if (!rule.equals("*") && !rule.equals(f.ruleId())) {
        return false;
      }
      if (!glob(file).matches(Path.of(f.file().replace('\\', '/')))) {
        return false;
      }
      if (pointer != null) {
        return f.pointer().equals(pointer) || f.pointer().startsWith(pointer.endsWith("/") ? pointer : pointer + "/");
      }
      if (sid != null) {
        return sid.equals(f.statement());
      }
      return true;
    }

    /** How the entry shows in reports: {@code rule KW104, file x, sid Partner}. */
    public String describe() {
      return "rule " + rule + ", file `" + file + "`" + (pointer != null ? ", pointer `" + pointer + "`" : "")
          + (sid != null ? ", sid `" + sid + "`" : "");
    }

    private PathMatcher glob(String pattern) {
      return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }
  }

  private static final Set<String> FIELDS = Set.of("rule", "file", "pointer", "sid", "reason");

  private final String file;
  private final List<Entry> entries;

  private Suppressions(String file, List<Entry> entries) {
    this.file = file;
    this.entries = List.copyOf(entries);
  }

  public static Suppressions none() {
    return new Suppressions("", List.of());
  }

  /** The config file these came from ("" for none). */
  public String file() {
    return file;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The first entry covering {@code f}, or null. */
  public Entry find(Finding f) {
    for (Entry e : entries) {
      if (e.matches(f)) {
        return e;
      }
    }
    return null;
  }

  /** The result of reading a config file: the suppressions, or the problems that make it unusable. */
  public record Loaded(Suppressions suppressions, List<Problem> problems) {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  /** Reads a {@code .keyward.yaml}; every problem is reported with its line and column. */
  public static Loaded read(byte[] bytes, String shown) {
    ReadResult read = DocumentReader.create().read(bytes, shown, DocumentFormat.YAML);
    List<Problem> problems = new ArrayList<>(read.problems());
    List<Entry> entries = new ArrayList<>();
    if (read.root() == null) {
      return new Loaded(none(), problems);
    }
    if (!(read.root() instanceof Node.ObjectNode)) {
      problems.add(Problem.error("config.not-object", "the configuration must be a YAML mapping", read.root().source()));
      return new Loaded(none(), problems);
    }
    Node.ObjectNode root = (Node.ObjectNode) read.root();
    NodeReader in = new NodeReader("config", false, problems);
    in.unknownFields(root, Set.of("suppressions"),
        key -> "unknown field `" + key + "`; the configuration has `suppressions`");
    for (Node item : in.list(root.get("suppressions"), "`suppressions`", "a list")) {
      Node.ObjectNode o = in.object(item, "a suppression", "a mapping");
      if (o == null) {
        continue;
      }
      in.unknownFields(o, FIELDS, key -> "unknown suppression field `" + key
          + "`; use rule, file, pointer, sid and reason");
      String rule = text(o, "rule");
      String file = text(o, "file");
      String pointer = text(o, "pointer");
      String sid = text(o, "sid");
      String reason = text(o, "reason");
      if (rule == null) {
        in.missing("a suppression needs `rule` (a rule id or `*`)", o.source());
      }
      if (reason == null || reason.isBlank()) {
        in.missing("a suppression needs a `reason`", o.source());
      }
      if (pointer != null && sid != null) {
        problems.add(Problem.error("config.conflict", "give `pointer` or `sid`, not both", o.source()));
      }
      if (pointer != null && !pointer.isEmpty() && !pointer.startsWith("/")) {
        problems.add(Problem.error("config.bad-pointer", "`pointer` must be a JSON Pointer starting with `/`, like "
            + "`/Statement/0`", o.get("pointer").source()));
      }
      if (rule != null && reason != null && !reason.isBlank()) {
        entries.add(new Entry(rule, file == null ? "**" : file, pointer, sid, reason, o.source()));
      }
    }
    boolean bad = problems.stream().anyMatch(Problem::isError);
    return new Loaded(bad ? none() : new Suppressions(shown, entries), problems);
  }

  private static String text(Node.ObjectNode o, String key) {
    return NodeReader.scalarText(o.get(key));
  }
}
