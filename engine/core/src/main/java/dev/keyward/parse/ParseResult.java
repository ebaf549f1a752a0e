package dev.keyward.parse;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Problem;
import java.util.List;

/**
 * A parsed policy and every problem found in it.
 *
 * @param policy the policy; null only when the document could not be read at all (malformed JSON or
 *     YAML, not an object, unreadable file). A document with errors that could still be read yields a
 *     policy holding what could be understood (a statement with an invalid Effect has a null effect)
 * @param problems every problem, in document order
 */
public record ParseResult(PolicyDocument policy, List<Problem> problems) {

  public ParseResult {
    problems = List.copyOf(problems);
  }

  /** True when at least one problem is an error. */
  public boolean hasErrors() {
    for (Problem p : problems) {
      if (p.isError()) {
        return true;
      }
    }
    return false;
  }
}
