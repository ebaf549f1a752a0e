package dev.keyward.world;

import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * The environment that queries and checks run against. Immutable; lookups are the job of
 * {@code WorldIndex} (built once per world), not of this record.
 *
 * @param name the world file as the user named it
 * @param buckets S3 buckets (for {@code keyward check})
 * @param images EC2 AMIs (for {@code keyward check})
 */
public record World(
    String name,
    List<Organization> organizations,
    List<Account> accounts,
    List<IamPrincipal> principals,
    List<KmsKey> keys,
    List<Bucket> buckets,
    List<Image> images,
    SourceRef source) {

  public World {
    Objects.requireNonNull(name, "name");
    organizations = List.copyOf(organizations);
    accounts = List.copyOf(accounts);
    principals = List.copyOf(principals);
    keys = List.copyOf(keys);
    buckets = List.copyOf(buckets);
    images = List.copyOf(images);
    Objects.requireNonNull(source, "source");
  }

  /** A world without buckets and images (the shape before {@code check} added them). */
  public World(String name, List<Organization> organizations, List<Account> accounts,
      List<IamPrincipal> principals, List<KmsKey> keys, SourceRef source) {
    this(name, organizations, accounts, principals, keys, List.of(), List.of(), source);
  }
}
