package dev.keyward.analysis;

import dev.keyward.request.Request;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A request that an analysis made and that was refused: who, what, on which resource, with the context
 * the calling AWS service really sends. The context is kept sorted by key.
 */
public record MissingRequest(String principal, String action, String resource, Map<String, List<String>> context) {

  public MissingRequest {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    context.forEach((k, v) -> sorted.put(k, List.copyOf(v)));
    context = java.util.Collections.unmodifiableMap(sorted);
  }

  static MissingRequest of(Request r) {
    return new MissingRequest(r.principal(), r.action(), r.resource(), r.context());
  }

  /** One line for people: {@code principal action resource [k=v, ...]}. */
  public String display() {
    StringBuilder b = new StringBuilder().append(principal).append(' ').append(action).append(' ').append(resource);
    if (!context.isEmpty()) {
      b.append(" with ");
      boolean first = true;
      for (Map.Entry<String, List<String>> e : context.entrySet()) {
        b.append(first ? "" : ", ").append(e.getKey()).append('=')
            .append(e.getValue().size() == 1 ? e.getValue().get(0) : e.getValue().toString());
        first = false;
      }
    }
    return b.toString();
  }
}
