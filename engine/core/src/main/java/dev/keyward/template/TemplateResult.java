package dev.keyward.template;

import dev.keyward.model.Problem;
import java.util.List;

/**
 * A template read, and every problem found: reading errors, policy problems, unknowns
 * ({@code template.unknown} warnings) and resources Keyward does not model.
 *
 * @param template what was read; null when the file could not be read or is not a template or plan
 */
public record TemplateResult(Template template, List<Problem> problems) {

  public TemplateResult {
    problems = List.copyOf(problems);
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }
}
