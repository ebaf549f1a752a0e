package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/** An account of the world and the SCPs attached directly to it (below its organization's). */
public record Account(String id, List<PolicyDocument> scps, SourceRef source) {

  public Account {
    Objects.requireNonNull(id, "id");
    scps = List.copyOf(scps);
    Objects.requireNonNull(source, "source");
  }
}
