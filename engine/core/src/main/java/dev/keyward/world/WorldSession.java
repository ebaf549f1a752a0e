package dev.keyward.world;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.PolicyParser;
import dev.keyward.parse.ReadResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One load of a world file: reads the file, decodes every section with the decoders, then runs the
 * whole-world checks over what was decoded.
 */
final class WorldSession extends WorldReading {

  /** The sections a world file may have at its top level. */
  static final Set<String> TOP = ordered("organizations", "accounts", "principals", "keys",
      "buckets", "images", "identities", "vpcEndpoints");

  private final WorldChecks checks;
  private final PolicyDecoder policyDecoder;
  private final PrincipalDecoder principalDecoder;
  private final KeyDecoder keyDecoder;
  private final OrganizationDecoder orgDecoder;
  private final ResourceDecoder resourceDecoder;

  WorldSession(DocumentReader reader, PolicyParser parser, Path file, String display) {
    super(reader, parser, file, display);
    this.checks = new WorldChecks(this);
    this.policyDecoder = new PolicyDecoder(this);
    this.principalDecoder = new PrincipalDecoder(this, policyDecoder);
    this.keyDecoder = new KeyDecoder(this, policyDecoder, principalDecoder);
    this.orgDecoder = new OrganizationDecoder(this, policyDecoder);
    this.resourceDecoder = new ResourceDecoder(this, policyDecoder, principalDecoder, keyDecoder);
  }

  WorldLoadResult run() {
    return run(reader.readFile(file, display));
  }

  /** As {@link #run()} with the file already read. */
  WorldLoadResult run(ReadResult read) {
    problems().addAll(read.problems());
    if (read.root() == null) {
      return new WorldLoadResult(null, problems());
    }
    if (SnapshotWorld.isAuthorizationDetails(read.root())) {
      SnapshotWorld.Tree tree = SnapshotWorld.authorizationDetails((Node.ObjectNode) read.root(), display);
      problems().addAll(tree.problems());
      if (problems().stream().anyMatch(Problem::isError)) {
        return new WorldLoadResult(null, problems());
      }
      WorldLoadResult r = run(tree.root());
      return r.world() == null ? r : new WorldLoadResult(r.world().withCoverage(tree.coverage()), r.problems());
    }
    return run(read.root());
  }

  WorldLoadResult run(Node top) {
    Node.ObjectNode root = object(top, "the world file");
    if (root == null) {
      return new WorldLoadResult(null, problems());
    }
    checkFields(root, TOP, "the world file");
    List<Organization> orgs = new ArrayList<>();
    List<Account> accounts = new ArrayList<>();
    List<IamPrincipal> principals = new ArrayList<>();
    List<KmsKey> keys = new ArrayList<>();
    for (Node n : items(root.get("organizations"), "organizations")) {
      Organization o = orgDecoder.organization(n);
      if (o != null) {
        orgs.add(o);
      }
    }
    for (Node n : items(root.get("accounts"), "accounts")) {
      Account a = orgDecoder.account(n);
      if (a != null) {
        accounts.add(a);
      }
    }
    for (Node n : items(root.get("principals"), "principals")) {
      IamPrincipal p = principalDecoder.principal(n);
      if (p != null) {
        principals.add(p);
      }
    }
    for (Node n : items(root.get("keys"), "keys")) {
      KmsKey k = keyDecoder.key(n);
      if (k != null) {
        keys.add(k);
      }
    }
    List<Bucket> buckets = new ArrayList<>();
    for (Node n : items(root.get("buckets"), "buckets")) {
      Bucket b = resourceDecoder.bucket(n);
      if (b != null) {
        buckets.add(b);
      }
    }
    List<Image> images = new ArrayList<>();
    for (Node n : items(root.get("images"), "images")) {
      Image i = resourceDecoder.image(n);
      if (i != null) {
        images.add(i);
      }
    }
    List<Identity> identities = new ArrayList<>();
    for (Node n : items(root.get("identities"), "identities")) {
      Identity i = resourceDecoder.identity(n);
      if (i != null) {
        identities.add(i);
      }
    }
    List<VpcEndpoint> endpoints = new ArrayList<>();
    Map<String, SourceRef> endpointIds = new HashMap<>();
    for (Node n : items(root.get("vpcEndpoints"), "vpcEndpoints")) {
      VpcEndpoint v = resourceDecoder.vpcEndpoint(n);
      if (v != null) {
        SourceRef first = endpointIds.putIfAbsent(v.id(), v.source());
        if (first != null) {
          error("world.duplicate-vpc-endpoint", "VPC endpoint `" + v.id() + "` is declared twice; first at line "
              + first.line(), v.source());
        } else {
          endpoints.add(v);
        }
      }
    }
    checks.checkOrganizations(orgs, accounts);
    checks.checkDuplicates(accounts, principals, keys);
    checks.checkBuckets(buckets, keys);
    checks.checkImages(images);
    checks.checkReferences(buckets, images, keys);
    checks.checkIdentities(identities);
    return new WorldLoadResult(new World(display, orgs, accounts, principals, keys, buckets, images, identities,
        endpoints, root.source()), problems());
  }
}
