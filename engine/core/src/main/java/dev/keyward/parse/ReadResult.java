package dev.keyward.parse;

import dev.keyward.model.Problem;
import java.util.List;

/**
 * The located tree of a document and every problem found while reading it. {@code root} is null when
 * the document could not be read at all (then {@code problems} says why).
 */
public record ReadResult(Node root, List<Problem> problems) {

  public ReadResult {
    problems = List.copyOf(problems);
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }
}
