package dev.keyward.lint;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
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
    for (Node.Field f : root.fields()) {
      if (!f.key().equals("suppressions")) {
        problems.add(Problem.error("config.unknown-field", "unknown field `" + f.key() + "`; the configuration has "
            + "`suppressions`", f.keySource()));
      }
    }
    Node list = root.get("suppressions");
    if (list != null && !(list instanceof Node.ArrayNode)) {
      problems.add(Problem.error("config.wrong-type", "`suppressions` must be a list", list.source()));
    } else if (list != null) {
      for (Node item : ((Node.ArrayNode) list).items()) {
        if (!(item instanceof Node.ObjectNode)) {
          problems.add(Problem.error("config.wrong-type", "a suppression must be a mapping", item.source()));
          continue;
        }
        Node.ObjectNode o = (Node.ObjectNode) item;
        for (Node.Field f : o.fields()) {
          if (!FIELDS.contains(f.key())) {
            problems.add(Problem.error("config.unknown-field", "unknown suppression field `" + f.key()
                + "`; use rule, file, pointer, sid and reason", f.keySource()));
          }
        }
        String rule = text(o, "rule");
        String file = text(o, "file");
        String pointer = text(o, "pointer");
        String sid = text(o, "sid");
        String reason = text(o, "reason");
        if (rule == null) {
          problems.add(Problem.error("config.missing-field", "a suppression needs `rule` (a rule id or `*`)", o.source()));
        }
        if (reason == null || reason.isBlank()) {
          problems.add(Problem.error("config.missing-field", "a suppression needs a `reason`", o.source()));
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
    }
    boolean bad = problems.stream().anyMatch(Problem::isError);
    return new Loaded(bad ? none() : new Suppressions(shown, entries), problems);
  }

  private static String text(Node.ObjectNode o, String key) {
    Node n = o.get(key);
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() != Node.ScalarType.NULL
        ? ((Node.ScalarNode) n).text() : null;
  }
}
