package dev.keyward.cli;

import dev.keyward.world.WorldGap;
import java.io.PrintWriter;
import java.util.List;

/**
 * What a world's snapshots could not read, written beside the answers that depend on it so that no answer
 * hides a gap: in text as {@code gap:} lines, in JSON as a {@code gaps} array, and as a note on standard error.
 */
final class SnapshotGapNotes {

  private SnapshotGapNotes() {}

  /** A note on standard error listing {@code gaps}, saying what they mean for the answer; nothing when none. */
  public static void print(List<WorldGap> gaps, String consequence, PrintWriter err) {
    if (gaps.isEmpty()) {
      return;
    }
    err.println("keyward: note: the snapshots could not read " + gaps.size() + (gaps.size() == 1 ? " thing" : " things")
        + "; " + consequence + ":");
    for (WorldGap g : gaps) {
      err.println("  - " + line(g));
    }
    err.flush();
  }

  /** One gap on one line: what is missing and which permission fills it, then where it was recorded. */
  public static String line(WorldGap g) {
    return g.message() + (g.source().file().isEmpty() ? "" : " (" + g.source().display() + ")");
  }

  /** Appends {@code gap: ...} lines, each indented by {@code indent}. */
  public static void text(StringBuilder b, List<WorldGap> gaps, String indent) {
    for (WorldGap g : gaps) {
      b.append(indent).append("gap: ").append(line(g)).append('\n');
    }
  }

  /**
   * Appends {@code ,"gaps":[{"about":...,"subject":...,"message":...,"source":...}]} to an object under
   * construction when there are gaps; nothing otherwise, so answers without gaps keep their shape.
   */
  static void json(StringBuilder b, List<WorldGap> gaps) {
    if (gaps.isEmpty()) {
      return;
    }
    Json.field(b, "gaps").append('[');
    boolean first = true;
    for (WorldGap g : gaps) {
      b.append(first ? "{" : ",{");
      first = false;
      Json.field(b, "about");
      Json.string(b, g.scope());
      Json.field(b, "subject");
      Json.string(b, g.subject());
      Json.field(b, "message");
      Json.string(b, g.message());
      Json.field(b, "source");
      Json.string(b, g.source().file().isEmpty() ? null : g.source().display());
      b.append('}');
    }
    b.append(']');
  }

  /** The gaps as JSON-ready maps, in the same shape as {@link #json}. */
  public static List<java.util.Map<String, Object>> maps(List<WorldGap> gaps) {
    List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
    for (WorldGap g : gaps) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("about", g.scope());
      m.put("subject", g.subject());
      m.put("message", g.message());
      m.put("source", g.source().file().isEmpty() ? null : g.source().display());
      out.add(m);
    }
    return out;
  }
}
