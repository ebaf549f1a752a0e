package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * An organizational unit: its id ({@code ou-ab12-11111111}), name, the SCPs and RCPs attached to it, the
 * accounts directly in it and the units nested in it (AWS allows five levels of units under the root).
 */
public record OrganizationalUnit(
    String id,
    String name,
    List<PolicyDocument> scps,
    List<PolicyDocument> rcps,
    List<String> accounts,
    List<OrganizationalUnit> units,
    SourceRef source) {

  public OrganizationalUnit {
    Objects.requireNonNull(id, "id");
    name = name == null ? "" : name;
    scps = List.copyOf(scps);
    rcps = List.copyOf(rcps);
    accounts = List.copyOf(accounts);
    units = List.copyOf(units);
    Objects.requireNonNull(source, "source");
  }
}
