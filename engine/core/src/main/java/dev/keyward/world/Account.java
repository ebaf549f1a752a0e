package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/** An account of the world and the SCPs and RCPs attached directly to it (below its units' and root's). */
public record Account(String id, List<PolicyDocument> scps, List<PolicyDocument> rcps, SourceRef source) {

  public Account {
    Objects.requireNonNull(id, "id");
    scps = List.copyOf(scps);
    rcps = List.copyOf(rcps);
    Objects.requireNonNull(source, "source");
  }

  /** An account with SCPs only. */
  public Account(String id, List<PolicyDocument> scps, SourceRef source) {
    this(id, scps, List.of(), source);
  }
}
