package dev.keyward.access;

import java.util.Set;
import java.util.TreeSet;

/**
 * A zone of trust: principals of these accounts, and principals of accounts in these organizations
 * (by {@code aws:PrincipalOrgID}), are inside; everyone else, including service principals, is outside.
 */
public record Zone(Set<String> accounts, Set<String> organizations) {

  public Zone {
    accounts = Set.copyOf(new TreeSet<>(accounts));
    organizations = Set.copyOf(new TreeSet<>(organizations));
  }

  /** The zone of one account. */
  public static Zone ofAccount(String account) {
    return new Zone(Set.of(account), Set.of());
  }

  /** The zone of one organization. */
  public static Zone ofOrganization(String orgId) {
    return new Zone(Set.of(), Set.of(orgId));
  }

  /** This zone with one more account. */
  public Zone withAccount(String account) {
    Set<String> a = new TreeSet<>(accounts);
    a.add(account);
    return new Zone(a, organizations);
  }

  /** Whether a principal of {@code account} (null for a service principal) in {@code org} is inside. */
  public boolean contains(String account, String org) {
    return account != null && (accounts.contains(account) || (org != null && organizations.contains(org)));
  }

  /** For messages: {@code account 111111111111, organization o-...}. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (String a : new TreeSet<>(accounts)) {
      b.append(b.length() == 0 ? "" : ", ").append("account ").append(a);
    }
    for (String o : new TreeSet<>(organizations)) {
      b.append(b.length() == 0 ? "" : ", ").append("organization ").append(o);
    }
    return b.toString();
  }
}
