package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * An AWS Organizations organization: its id, root id, management account (which SCPs and RCPs never
 * restrict), every member account, the SCPs and RCPs attached at its root, and its organizational units.
 *
 * @param rootId the root's id ({@code r-ab12}), or null when the world does not give it (then
 *     {@code aws:PrincipalOrgPaths} and {@code aws:ResourceOrgPaths} cannot be derived)
 * @param accounts every member account, wherever it sits in the tree (the management account included); an
 *     account that no unit lists sits directly under the root
 * @param units the organizational units directly under the root
 */
public record Organization(
    String id,
    String rootId,
    String managementAccount,
    List<String> accounts,
    List<PolicyDocument> scps,
    List<PolicyDocument> rcps,
    List<OrganizationalUnit> units,
    SourceRef source) {

  public Organization {
    Objects.requireNonNull(id, "id");
    accounts = List.copyOf(accounts);
    scps = List.copyOf(scps);
    rcps = List.copyOf(rcps);
    units = List.copyOf(units);
    Objects.requireNonNull(source, "source");
  }

  /** An organization with SCPs at its root only: no root id, RCPs or units. */
  public Organization(String id, String managementAccount, List<String> accounts, List<PolicyDocument> scps,
      SourceRef source) {
    this(id, null, managementAccount, accounts, scps, List.of(), List.of(), source);
  }
}
