package dev.keyward.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the process's standard error is a terminal, for progress output that must stay off pipes. */
final class Terminal {

  private Terminal() {}

  /**
   * True when file descriptor 2 is a terminal. Java 17 has no portable test for one stream, so this
   * reads Linux's {@code /proc/self/fd/2} link; elsewhere it answers false, which keeps the CLI silent.
   */
  static boolean stderrIsTerminal() {
    try {
      Path link = Path.of("/proc/self/fd/2");
      if (!Files.isSymbolicLink(link)) {
        return false;
      }
      String target = Files.readSymbolicLink(link).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }
}
