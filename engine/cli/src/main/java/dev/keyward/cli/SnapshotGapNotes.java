package dev.keyward.cli;

import dev.keyward.world.WorldGap;
import java.io.PrintWriter;
import java.util.List;

/** Notes on standard error for what a world's snapshots could not read, so no answer hides a gap. */
final class SnapshotGapNotes {

  private SnapshotGapNotes() {}

  static void print(List<WorldGap> gaps, String consequence, PrintWriter err) {
    if (gaps.isEmpty()) {
      return;
    }
    err.println("keyward: note: the snapshots could not read " + gaps.size() + (gaps.size() == 1 ? " thing" : " things")
        + "; " + consequence + ":");
    for (WorldGap g : gaps) {
      err.println("  - " + g.message() + (g.source().file().isEmpty() ? "" : " (" + g.source().display() + ")"));
    }
    err.flush();
  }
}
