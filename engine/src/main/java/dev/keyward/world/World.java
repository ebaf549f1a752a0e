package dev.keyward.world;

import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * The environment that queries and checks run against. Immutable; lookups are the job of
 * {@code WorldIndex} (built once per world), not of this record.
 *
 * @param name the world file as the user named it
 */
public record World(
    String name,
    List<Organization> organizations,
    List<Account> accounts,
    List<IamPrincipal> principals,
    List<KmsKey> keys,
    SourceRef source) {

  public World {
    Objects.requireNonNull(name, "name");
    organizations = List.copyOf(organizations);
    accounts = List.copyOf(accounts);
    principals = List.copyOf(principals);
    keys = List.copyOf(keys);
    Objects.requireNonNull(source, "source");
  }
}
