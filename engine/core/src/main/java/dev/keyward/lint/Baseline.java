package dev.keyward.lint;

import dev.keyward.model.Problem;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A baseline: the fingerprints of known findings, which later runs hide. The file is JSON, sorted, one
 * finding per line, so that it diffs well:
 * <pre>
 * {"version": 1, "findings": [
 *   {"fingerprint": "...", "rule": "KW104", "file": "keys/partner.json", "message": "..."}
 * ]}
 * </pre>
 * Only the fingerprint matters when reading; the rest is for people reviewing the file.
 */
public final class Baseline {

  private final String file;
  private final Set<String> fingerprints;

  private Baseline(String file, Set<String> fingerprints) {
    this.file = file;
    this.fingerprints = Set.copyOf(fingerprints);
  }

  public static Baseline none() {
    return new Baseline("", Set.of());
  }

  public String file() {
    return file;
  }

  public boolean contains(Finding f) {
    return fingerprints.contains(f.fingerprint());
  }

  public int size() {
    return fingerprints.size();
  }

  /** The baseline of a file, or the problems that make it unreadable. */
  public record Loaded(Baseline baseline, List<Problem> problems) {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  public static Loaded read(byte[] bytes, String shown) {
    ReadResult read = DocumentReader.create().read(bytes, shown, DocumentFormat.JSON);
    List<Problem> problems = new ArrayList<>(read.problems());
    Set<String> fps = new TreeSet<>();
    Node findings = read.root() instanceof Node.ObjectNode ? ((Node.ObjectNode) read.root()).get("findings") : null;
    if (read.root() != null && !(findings instanceof Node.ArrayNode)) {
      problems.add(Problem.error("baseline.format", "a baseline is an object with a `findings` list; write one with "
          + "`--write-baseline`", read.root().source()));
    } else if (findings != null) {
      for (Node item : ((Node.ArrayNode) findings).items()) {
        Node fp = item instanceof Node.ObjectNode ? ((Node.ObjectNode) item).get("fingerprint") : null;
        if (fp instanceof Node.ScalarNode) {
          fps.add(((Node.ScalarNode) fp).text());
        } else {
          problems.add(Problem.error("baseline.format", "a baseline entry needs a `fingerprint`", item.source()));
        }
      }
    }
    boolean bad = problems.stream().anyMatch(Problem::isError);
    return new Loaded(bad ? none() : new Baseline(shown, fps), problems);
  }

  /** The text of a baseline holding {@code findings}, sorted by fingerprint. */
  public static String write(Collection<Finding> findings) {
    TreeMap<String, Finding> byFp = new TreeMap<>();
    for (Finding f : findings) {
      byFp.putIfAbsent(f.fingerprint(), f);
    }
    StringBuilder b = new StringBuilder("{\"version\": 1, \"findings\": [");
    int i = 0;
    for (Finding f : byFp.values()) {
      b.append(i++ == 0 ? "\n  " : ",\n  ").append("{\"fingerprint\": ");
      NodeJson.string(f.fingerprint(), b);
      b.append(", \"rule\": ");
      NodeJson.string(f.ruleId(), b);
      b.append(", \"file\": ");
      NodeJson.string(f.file(), b);
      b.append(", \"message\": ");
      NodeJson.string(f.message(), b);
      b.append('}');
    }
    return b.append(byFp.isEmpty() ? "]}\n" : "\n]}\n").toString();
  }
}
