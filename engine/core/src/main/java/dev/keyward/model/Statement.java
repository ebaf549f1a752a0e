package dev.keyward.model;

import java.util.List;
import java.util.Objects;

/**
 * One statement of a policy. Elements that the document did not have are null (principal, action,
 * resource) or empty (conditions). Which elements a policy type requires is checked by the parser,
 * which still builds the statement so that later stages can report more.
 *
 * @param index position in the Statement array (0 when Statement was a single object)
 * @param sid the Sid, or null
 * @param effect the Effect, or null when missing or invalid (evaluators skip such statements)
 */
public record Statement(
    int index,
    String sid,
    Effect effect,
    PrincipalElement principal,
    ActionElement action,
    ResourceElement resource,
    List<Condition> conditions,
    SourceRef source) {

  public Statement {
    conditions = List.copyOf(conditions);
    Objects.requireNonNull(source, "source");
  }

  /** The Sid if there is one, else {@code #index}: how reasons and findings name a statement. */
  public String label() {
    return sid != null && !sid.isEmpty() ? sid : "#" + index;
  }
}
