package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * An AWS Organizations organization: its id, management account (which SCPs never restrict), member
 * accounts, and the SCPs attached at its root.
 */
public record Organization(
    String id,
    String managementAccount,
    List<String> accounts,
    List<PolicyDocument> scps,
    SourceRef source) {

  public Organization {
    Objects.requireNonNull(id, "id");
    accounts = List.copyOf(accounts);
    scps = List.copyOf(scps);
    Objects.requireNonNull(source, "source");
  }
}
