package dev.keyward.world;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Two snapshots given for one account: the same folder content twice is harmless (one is used), two that
 * differ cannot both be true, and which one is right is not Keyward's to guess.
 */
public final class SnapshotConflicts {

  private SnapshotConflicts() {}

  /**
   * Null when the snapshot folders {@code a} and {@code b} hold the same files with the same bytes; otherwise
   * the error naming the first difference, located in {@code b} (displayed as {@code shownB}).
   */
  public static Problem compare(String account, Path a, String shownA, Path b, String shownB) {
    TreeSet<String> files = new TreeSet<>();
    files.addAll(list(a));
    files.addAll(list(b));
    for (String f : files) {
      Path fa = a.resolve(f);
      Path fb = b.resolve(f);
      String where = shownB + "/" + f;
      if (!Files.isRegularFile(fa) || !Files.isRegularFile(fb)) {
        return Problem.error("snapshot.conflict", "`" + shownA + "` and `" + shownB + "` are both snapshots of"
            + " account " + account + " and disagree: `" + f + "` is only in `" + (Files.isRegularFile(fa) ? shownA
            : shownB) + "`; give one snapshot per account", SourceRef.synthetic(where, ""));
      }
      try {
        List<String> la = Files.readAllLines(fa);
        List<String> lb = Files.readAllLines(fb);
        int n = Math.min(la.size(), lb.size());
        for (int i = 0; i <= n; i++) {
          boolean differ = i == n ? la.size() != lb.size() : !la.get(i).equals(lb.get(i));
          if (differ) {
            return Problem.error("snapshot.conflict", "`" + shownA + "` and `" + shownB + "` are both snapshots"
                + " of account " + account + " and disagree from line " + (i + 1) + " of `" + f + "` on; give one"
                + " snapshot per account", new SourceRef(where, "", i + 1, 1));
          }
        }
      } catch (IOException e) {
        return Problem.error("io.error", "cannot read `" + where + "`: " + e.getMessage(),
            SourceRef.synthetic(where, ""));
      }
    }
    return null;
  }

  private static List<String> list(Path dir) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir, 5)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
    } catch (IOException e) {
      // an unreadable folder was reported when it was loaded
    }
    return out;
  }
}
