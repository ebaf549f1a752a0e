package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The environment that queries and checks run against. Immutable; lookups are the job of
 * {@code WorldIndex} (built once per world), not of this record.
 *
 * @param name the world file as the user named it
 * @param buckets S3 buckets (for {@code keyward check})
 * @param images AMIs (for {@code keyward check})
 * @param identities SigV4 credentials (for {@code keyward serve})
 * @param vpcEndpoints VPC endpoints and their policies
 * @param coverage what the world's snapshots read and could not read ({@link Coverage#NONE} for a world
 *     written by hand)
 */
public record World(
    String name,
    List<Organization> organizations,
    List<Account> accounts,
    List<IamPrincipal> principals,
    List<KmsKey> keys,
    List<Bucket> buckets,
    List<Image> images,
    List<Identity> identities,
    List<VpcEndpoint> vpcEndpoints,
    SourceRef source,
    Coverage coverage) {

  public World {
    Objects.requireNonNull(name, "name");
    organizations = List.copyOf(organizations);
    accounts = List.copyOf(accounts);
    principals = List.copyOf(principals);
    keys = List.copyOf(keys);
    buckets = List.copyOf(buckets);
    images = List.copyOf(images);
    identities = List.copyOf(identities);
    vpcEndpoints = List.copyOf(vpcEndpoints);
    Objects.requireNonNull(source, "source");
    coverage = coverage == null ? Coverage.NONE : coverage;
  }

  /** A world written by hand (no snapshot coverage). */
  public World(String name, List<Organization> organizations, List<Account> accounts,
      List<IamPrincipal> principals, List<KmsKey> keys, List<Bucket> buckets, List<Image> images,
      List<Identity> identities, List<VpcEndpoint> vpcEndpoints, SourceRef source) {
    this(name, organizations, accounts, principals, keys, buckets, images, identities, vpcEndpoints, source,
        Coverage.NONE);
  }

  /** A world without VPC endpoints. */
  public World(String name, List<Organization> organizations, List<Account> accounts,
      List<IamPrincipal> principals, List<KmsKey> keys, List<Bucket> buckets, List<Image> images,
      List<Identity> identities, SourceRef source) {
    this(name, organizations, accounts, principals, keys, buckets, images, identities, List.of(), source);
  }

  /** A world without buckets, images or identities. */
  public World(String name, List<Organization> organizations, List<Account> accounts,
      List<IamPrincipal> principals, List<KmsKey> keys, SourceRef source) {
    this(name, organizations, accounts, principals, keys, List.of(), List.of(), List.of(), List.of(), source);
  }

  /** This world with {@code coverage}. */
  public World withCoverage(Coverage coverage) {
    return new World(name, organizations, accounts, principals, keys, buckets, images, identities, vpcEndpoints,
        source, coverage);
  }

  /**
   * The SCPs and RCPs of the world, in world order: each organization's root, then its units depth first,
   * then the accounts' own.
   */
  public List<PolicyDocument> organizationPolicies() {
    List<PolicyDocument> out = new ArrayList<>();
    for (Organization o : organizations) {
      out.addAll(o.scps());
      out.addAll(o.rcps());
      addUnitPolicies(o.units(), out);
    }
    for (Account a : accounts) {
      out.addAll(a.scps());
      out.addAll(a.rcps());
    }
    return out;
  }

  private static void addUnitPolicies(List<OrganizationalUnit> units, List<PolicyDocument> out) {
    for (OrganizationalUnit u : units) {
      out.addAll(u.scps());
      out.addAll(u.rcps());
      addUnitPolicies(u.units(), out);
    }
  }
}
