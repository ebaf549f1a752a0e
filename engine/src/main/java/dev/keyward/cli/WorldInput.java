package dev.keyward.cli;

import dev.keyward.model.Problem;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loads the {@code --world} file for a command and reports its problems on the error stream. */
final class WorldInput {

  private WorldInput() {}

  /**
   * Loads the world, printing every problem ({@code file:line:column: severity: message [code]}) to
   * {@code err}; null when it has errors (the caller then exits with {@link ExitCode#BAD_INPUT}).
   */
  static World load(String worldOption, PrintWriter err) {
    WorldLoadResult r = WorldLoader.create().load(Path.of(worldOption), worldOption.replace('\\', '/'));
    int errors = 0;
    for (Problem p : r.problems()) {
      err.println(p.display());
      if (p.isError()) {
        errors++;
      }
    }
    if (errors > 0 || r.world() == null) {
      err.println("keyward: the world `" + worldOption + "` has " + (errors == 1 ? "1 error" : errors + " errors")
          + "; nothing was decided");
      err.flush();
      return null;
    }
    return r.world();
  }
}
