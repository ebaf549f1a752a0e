package dev.keyward.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options the {@code keyward} launcher gives the one-shot commands (report, who-can, check, lint, ...),
 * for the harnesses that time whole processes as a user of the CLI waits for them: the quick JIT, the serial
 * collector, and transparent huge pages where the kernel offers them on request (the launcher reads the same
 * file).
 */
final class LauncherOptions {

  private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  private LauncherOptions() {}

  static List<String> get() {
    List<String> out = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    try {
      String mode = Files.isReadable(THP) ? Files.readString(THP) : "";
      if (mode.contains("[always]") || mode.contains("[madvise]")) {
        out.add("-XX:+UseTransparentHugePages");
      }
    } catch (IOException e) {
      // NOTE: without the file the launcher gives no huge-page option either
    }
    return List.copyOf(out);
  }
}
