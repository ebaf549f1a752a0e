package dev.keyward.world;

import dev.keyward.model.Problem;
import java.util.List;

/**
 * A loaded world and every problem found while loading it, in the world file and in the policy files
 * it refers to.
 *
 * @param world the world; null only when the world file could not be read at all. When there are
 *     errors the world holds what could be understood, and callers must not answer questions from it
 * @param problems every problem, errors and warnings, in the order found
 */
public record WorldLoadResult(World world, List<Problem> problems) {

  public WorldLoadResult {
    problems = List.copyOf(problems);
  }

  /** True when at least one problem is an error: the world must not be used for answers. */
  public boolean hasErrors() {
    for (Problem p : problems) {
      if (p.isError()) {
        return true;
      }
    }
    return false;
  }
}
