package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.IamNames;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.parse.ReadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads a world file (YAML or JSON, see docs/world-and-requests.md) into a {@link World}, collecting every
 * problem with its file, line and column: unknown field names (with a suggestion), wrong types, missing
 * required fields, invalid ARNs and account ids, duplicate principals and keys, missing policy files,
 * grant operations that cannot be granted, and every problem inside the policies themselves (located in
 * their own files). Never throws for bad input.
 *
 * <p>Policies are named in reasons by the path the world gives for their file ({@code policies/a.json},
 * relative to the world's folder), or, when written inline, by the world file's name and the JSON
 * Pointer of the policy entry ({@code world.yaml#/principals/0/policies/1}). Problem locations use paths
 * the user can open from the working directory.
 *
 * <p>Buckets, images and identities (for {@code keyward check} and {@code keyward serve}) are read with
 * the same strictness; their cross-references (keys, principals) are checked against the world where the
 * world can know them.
 *
 * <p>Thread-safe: every {@link #load} call keeps its own state.
 */
public final class WorldLoader {

  private static final Set<String> TOP = ordered("organizations", "accounts", "principals", "keys",
      "buckets", "images", "identities", "vpcEndpoints");
  private static final Set<String> VPC_ENDPOINT = ordered("id", "vpc", "account", "policy");
  private static final Pattern VPCE_ID = Pattern.compile("vpce-([0-9a-f]{8}|[0-9a-f]{17})");
  private static final Pattern VPC_ID = Pattern.compile("vpc-([0-9a-f]{8}|[0-9a-f]{17})");
  private static final Set<String> BUCKET = ordered("name", "account", "region", "encryption",
      "blockedEncryptionTypes", "objects", "policy", "replication");
  private static final Set<String> ENCRYPTION = ordered("type", "key", "bucketKey");
  private static final Set<String> REPLICATION = ordered("role", "rules");
  private static final Set<String> RULE = ordered("id", "sseKmsEncryptedObjects", "destination");
  private static final Set<String> DESTINATION = ordered("bucket", "account", "replicaKmsKeyId");
  private static final Set<String> IMAGE = ordered("id", "account", "region", "snapshots", "launchPermissions",
      "launches");
  private static final Set<String> SNAPSHOT = ordered("id", "key");
  private static final Set<String> LAUNCH_PERMISSIONS = ordered("accounts", "organizations",
      "organizationalUnits", "public");
  private static final Set<String> LAUNCH = ordered("principal", "key");
  private static final Set<String> IDENTITY = ordered("accessKeyId", "secretAccessKey", "principal", "sessionToken",
      "expiration", "session");
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern AMI_ID = Pattern.compile("ami-[0-9a-f]{8}([0-9a-f]{9})?");
  private static final Pattern SNAPSHOT_ID = Pattern.compile("snap-[0-9a-f]{8}([0-9a-f]{9})?");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z0-9]{12,124}");
  private static final Pattern ORG_ARN = Pattern.compile(
      "arn:aws(-[a-z]+)*:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}");
  private static final Pattern OU_ARN = Pattern.compile(
      "arn:aws(-[a-z]+)*:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
  private static final Set<String> ORGANIZATION = ordered("id", "rootId", "managementAccount", "scps", "rcps",
      "accounts", "units");
  private static final Set<String> UNIT = ordered("id", "name", "scps", "rcps", "accounts", "units");
  private static final Set<String> ACCOUNT = ordered("id", "scps", "rcps");
  private static final Pattern ROOT_ID = Pattern.compile("r-[0-9a-z]{4,32}");
  private static final Pattern OU_ID = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
  /** "OU maximum nesting in a root: five levels of OUs deep under a root" (Organizations quotas). */
  private static final int MAX_OU_DEPTH = 5;
  private static final Set<String> PRINCIPAL = ordered("arn", "tags", "policies", "boundary");
  private static final Set<String> POLICY_REF = ordered("name", "file", "document", "arn");
  private static final Set<String> KEY = ordered("arn", "policy", "manager", "origin", "spec", "usage", "state",
      "aliases", "tags", "rotation", "multiRegion", "grants");
  private static final Set<String> ROTATION = ordered("enabled", "periodDays");
  private static final Set<String> MULTI_REGION = ordered("role", "primary", "requiredRegions");
  private static final Set<String> GRANT = ordered("id", "name", "grantee", "operations", "constraints",
      "retiringPrincipal");
  private static final Set<String> CONSTRAINTS = ordered("encryptionContextEquals", "encryptionContextSubset");

  private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
  private static final Pattern KEY_ID = Pattern.compile(
      "(mrk-[0-9a-f]{32})|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  private static final Pattern ORG_ID = Pattern.compile("o-[a-z0-9]{10,32}");
  private static final Pattern ALIAS = Pattern.compile("alias/[a-zA-Z0-9/_-]+");
  /** Grant constraints: at most 8 pairs, values at most 384 characters (CreateGrant API reference). */
  private static final int MAX_CONSTRAINT_PAIRS = 8;
  private static final int MAX_CONSTRAINT_VALUE = 384;

  private final DocumentReader reader;
  private final PolicyParser parser;

  private WorldLoader(DocumentReader reader, PolicyParser parser) {
    this.reader = reader;
    this.parser = parser;
  }

  public static WorldLoader create() {
    return new WorldLoader(DocumentReader.create(), PolicyParser.create());
  }

  /** Loads the world file at {@code file}; problems name it as {@code file} was written. */
  public WorldLoadResult load(Path file) {
    return load(file, slashes(file.toString()));
  }

  /**
   * Loads the world file at {@code file}; {@code displayName} is how problems name it, and the folder
   * part of it is how they name the policy files it refers to.
   */
  public WorldLoadResult load(Path file, String displayName) {
    if (Files.isDirectory(file)) {
      if (!SnapshotFiles.isSnapshot(file)) {
        return new WorldLoadResult(null, List.of(Problem.error("world.not-a-snapshot", "`" + displayName
            + "` is a folder but not a snapshot: it has no `" + SnapshotFiles.CALLER + "` (what `aws sts"
            + " get-caller-identity` prints), which names the account", SourceRef.synthetic(displayName, ""))));
      }
      SnapshotWorld.Tree tree = SnapshotWorld.folder(file, displayName);
      return fromTree(tree, file.resolve(SnapshotFiles.CALLER), displayName);
    }
    return new Session(file, displayName).run();
  }

  /** Loads a snapshot's world tree; nothing of it is used when reading the snapshot found errors. */
  private WorldLoadResult fromTree(SnapshotWorld.Tree tree, Path file, String displayName) {
    if (tree.root() == null || tree.problems().stream().anyMatch(Problem::isError)) {
      return new WorldLoadResult(null, tree.problems());
    }
    Session s = new Session(file, displayName);
    s.problems.addAll(tree.problems());
    WorldLoadResult r = s.run(tree.root());
    if (r.world() == null) {
      return r;
    }
    return new WorldLoadResult(r.world().withCoverage(tree.coverage()), r.problems());
  }

  private static Set<String> ordered(String... names) {
    return new LinkedHashSet<>(List.of(names));
  }

  private static String slashes(String s) {
    return s.replace('\\', '/');
  }

  /** The state of one load. */
  private final class Session {
    private final Path file;
    private final String display;
    private final Path folder;
    private final String folderDisplay;
    private final String worldName;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, PolicyDocument> policyCache = new HashMap<>();

    Session(Path file, String display) {
      this.file = file;
      this.display = display;
      Path parent = file.toAbsolutePath().getParent();
      this.folder = parent;
      int slash = display.lastIndexOf('/');
      this.folderDisplay = slash >= 0 ? display.substring(0, slash + 1) : "";
      this.worldName = slash >= 0 ? display.substring(slash + 1) : display;
    }

    WorldLoadResult run() {
      ReadResult read = reader.readFile(file, display);
      problems.addAll(read.problems());
      if (read.root() == null) {
        return new WorldLoadResult(null, problems);
      }
      if (SnapshotWorld.isAuthorizationDetails(read.root())) {
        SnapshotWorld.Tree tree = SnapshotWorld.authorizationDetails((Node.ObjectNode) read.root(), display);
        problems.addAll(tree.problems());
        if (problems.stream().anyMatch(Problem::isError)) {
          return new WorldLoadResult(null, problems);
        }
        WorldLoadResult r = run(tree.root());
        return r.world() == null ? r : new WorldLoadResult(r.world().withCoverage(tree.coverage()), r.problems());
      }
      return run(read.root());
    }

    WorldLoadResult run(Node top) {
      Node.ObjectNode root = object(top, "the world file");
      if (root == null) {
        return new WorldLoadResult(null, problems);
      }
      checkFields(root, TOP, "the world file");
      List<Organization> orgs = new ArrayList<>();
      List<Account> accounts = new ArrayList<>();
      List<IamPrincipal> principals = new ArrayList<>();
      List<KmsKey> keys = new ArrayList<>();
      for (Node n : items(root.get("organizations"), "organizations")) {
        Organization o = organization(n);
        if (o != null) {
          orgs.add(o);
        }
      }
      for (Node n : items(root.get("accounts"), "accounts")) {
        Account a = account(n);
        if (a != null) {
          accounts.add(a);
        }
      }
      for (Node n : items(root.get("principals"), "principals")) {
        IamPrincipal p = principal(n);
        if (p != null) {
          principals.add(p);
        }
      }
      for (Node n : items(root.get("keys"), "keys")) {
        KmsKey k = key(n);
        if (k != null) {
          keys.add(k);
        }
      }
      List<Bucket> buckets = new ArrayList<>();
      for (Node n : items(root.get("buckets"), "buckets")) {
        Bucket b = bucket(n);
        if (b != null) {
          buckets.add(b);
        }
      }
      List<Image> images = new ArrayList<>();
      for (Node n : items(root.get("images"), "images")) {
        Image i = image(n);
        if (i != null) {
          images.add(i);
        }
      }
      List<Identity> identities = new ArrayList<>();
      for (Node n : items(root.get("identities"), "identities")) {
        Identity i = identity(n);
        if (i != null) {
          identities.add(i);
        }
      }
      List<VpcEndpoint> endpoints = new ArrayList<>();
      Map<String, SourceRef> endpointIds = new HashMap<>();
      for (Node n : items(root.get("vpcEndpoints"), "vpcEndpoints")) {
        VpcEndpoint v = vpcEndpoint(n);
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
      checkOrganizations(orgs, accounts);
      checkDuplicates(accounts, principals, keys);
      checkBuckets(buckets, keys);
      checkImages(images);
      checkReferences(buckets, images, keys);
      checkIdentities(identities);
      return new WorldLoadResult(new World(display, orgs, accounts, principals, keys, buckets, images, identities,
          endpoints, root.source()), problems);
    }

    /** A VPC endpoint: id, VPC, account and policy (absent: the default policy, full access). */
    private VpcEndpoint vpcEndpoint(Node n) {
      Node.ObjectNode o = object(n, "a VPC endpoint");
      if (o == null) {
        return null;
      }
      checkFields(o, VPC_ENDPOINT, "a VPC endpoint");
      String id = requiredString(o, "id", "a VPC endpoint");
      if (id != null && !VPCE_ID.matcher(id).matches()) {
        error("world.invalid-vpc-endpoint-id", "VPC endpoint id `" + id + "` must look like"
            + " `vpce-0123456789abcdef0` (`vpce-` and 8 or 17 hex digits)", o.get("id").source());
        id = null;
      }
      String vpc = string(o.get("vpc"), "vpc");
      if (vpc != null && !VPC_ID.matcher(vpc).matches()) {
        error("world.invalid-vpc-id", "VPC id `" + vpc + "` must look like `vpc-0123abcd` (`vpc-` and 8 or 17"
            + " hex digits)", o.get("vpc").source());
        vpc = null;
      }
      String account = o.get("account") == null ? null : accountId(o.get("account"));
      PolicyDocument policy = o.get("policy") == null ? null : policy(o.get("policy"), PolicyType.RESOURCE);
      return id == null ? null : new VpcEndpoint(id, vpc, account, policy, o.source());
    }

    // ---- sections ----

    private Organization organization(Node n) {
      Node.ObjectNode o = object(n, "an organization");
      if (o == null) {
        return null;
      }
      checkFields(o, ORGANIZATION, "an organization");
      String id = requiredString(o, "id", "an organization");
      if (id != null && !ORG_ID.matcher(id).matches()) {
        error("world.invalid-org-id", "organization id `" + id + "` must look like `o-` followed by 10 to 32"
            + " lowercase letters or digits", o.get("id").source());
      }
      String management = accountId(o.get("managementAccount"));
      List<String> members = new ArrayList<>();
      Map<String, SourceRef> seen = new HashMap<>();
      for (Node m : items(o.get("accounts"), "accounts")) {
        String a = accountId(m);
        if (a != null) {
          SourceRef first = seen.putIfAbsent(a, m.source());
          if (first != null) {
            error("world.duplicate-account", "account `" + a + "` is listed twice; first at line "
                + first.line(), m.source());
          } else {
            members.add(a);
          }
        }
      }
      String rootId = string(o.get("rootId"), "rootId");
      if (rootId != null && !ROOT_ID.matcher(rootId).matches()) {
        error("world.invalid-root-id", "root id `" + rootId + "` must look like `r-` followed by 4 to 32 lowercase"
            + " letters or digits", o.get("rootId").source());
        rootId = null;
      }
      List<PolicyDocument> scps = policies(o.get("scps"), PolicyType.SCP, "scps");
      List<PolicyDocument> rcps = rcps(o.get("rcps"));
      // every account of the tree, with where it was placed (an account sits in one place only)
      Map<String, String> placed = new HashMap<>();
      for (String a : members) {
        placed.put(a, "the root");
      }
      List<OrganizationalUnit> units = units(o.get("units"), new ArrayList<>(), new HashMap<>(), placed, members);
      if (management != null && !members.contains(management)) {
        members.add(management);
      }
      return new Organization(id == null ? "" : id, rootId, management, members, scps, rcps, units, o.source());
    }

    /**
     * The units of a {@code units} list. {@code ancestors} are the ids on the path from the root; {@code seen}
     * every unit id met so far; {@code placed} where each account was listed; {@code members} collects accounts.
     */
    private List<OrganizationalUnit> units(Node n, List<String> ancestors, Map<String, SourceRef> seen,
        Map<String, String> placed, List<String> members) {
      List<OrganizationalUnit> out = new ArrayList<>();
      for (Node item : items(n, "units")) {
        Node.ObjectNode u = object(item, "an organizational unit");
        if (u == null) {
          continue;
        }
        checkFields(u, UNIT, "an organizational unit");
        String id = requiredString(u, "id", "an organizational unit");
        if (id != null && !OU_ID.matcher(id).matches()) {
          error("world.invalid-ou-id", "organizational unit id `" + id + "` must look like `ou-ab12-11111111`"
              + " (`ou-`, 4 to 32 lowercase letters or digits, `-`, 8 to 32 more)", u.get("id").source());
          id = null;
        }
        if (id != null && ancestors.contains(id)) {
          error("world.ou-cycle", "organizational unit `" + id + "` is nested inside itself (" + String.join(" > ",
              ancestors) + " > " + id + "); units form a tree", u.get("id").source());
          continue;
        }
        if (id != null) {
          SourceRef first = seen.putIfAbsent(id, u.get("id").source());
          if (first != null) {
            error("world.duplicate-ou", "organizational unit `" + id + "` is declared twice; first at line "
                + first.line() + " (a unit has one parent)", u.get("id").source());
            continue;
          }
        }
        if (ancestors.size() + 1 > MAX_OU_DEPTH) {
          error("world.ou-too-deep", "organizational unit `" + id + "` is " + (ancestors.size() + 1) + " levels"
              + " under the root; AWS Organizations nests units at most " + MAX_OU_DEPTH + " levels deep",
              u.source());
        }
        String name = string(u.get("name"), "name");
        List<PolicyDocument> scps = policies(u.get("scps"), PolicyType.SCP, "scps");
        List<PolicyDocument> rcps = rcps(u.get("rcps"));
        List<String> accounts = new ArrayList<>();
        String here = "organizational unit `" + id + "`";
        for (Node m : items(u.get("accounts"), "accounts")) {
          String a = accountId(m);
          if (a == null) {
            continue;
          }
          String where = placed.putIfAbsent(a, here);
          if (where != null) {
            error("world.account-in-two-units", "account `" + a + "` is in " + where + " and in " + here
                + "; an account sits in one place of the organization", m.source());
            continue;
          }
          accounts.add(a);
          members.add(a);
        }
        List<String> path = new ArrayList<>(ancestors);
        path.add(id == null ? "?" : id);
        List<OrganizationalUnit> children = units(u.get("units"), path, seen, placed, members);
        if (id != null) {
          out.add(new OrganizationalUnit(id, name, scps, rcps, accounts, children, u.source()));
        }
      }
      return out;
    }

    /**
     * RCPs, parsed as RCPs. AWS attaches {@code RCPFullAWSAccess} to every root, unit and account and it cannot
     * be detached, so an RCP's only effect is its Deny statements; the parser refuses any other Allow
     * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
     */
    private List<PolicyDocument> rcps(Node n) {
      return policies(n, PolicyType.RCP, "rcps");
    }

    private Account account(Node n) {
      Node.ObjectNode o = object(n, "an account");
      if (o == null) {
        return null;
      }
      checkFields(o, ACCOUNT, "an account");
      Node idNode = o.get("id");
      if (idNode == null) {
        missing("id", "an account", o);
      }
      String id = accountId(idNode);
      List<PolicyDocument> scps = policies(o.get("scps"), PolicyType.SCP, "scps");
      List<PolicyDocument> rcps = rcps(o.get("rcps"));
      return id == null ? null : new Account(id, scps, rcps, o.source());
    }

    private IamPrincipal principal(Node n) {
      Node.ObjectNode o = object(n, "a principal");
      if (o == null) {
        return null;
      }
      checkFields(o, PRINCIPAL, "a principal");
      String arn = requiredString(o, "arn", "a principal");
      String account = null;
      if (arn != null) {
        account = principalArn(arn, o.get("arn").source());
      }
      Map<String, String> tags = stringMap(o.get("tags"), "tags");
      List<PolicyDocument> policies = policies(o.get("policies"), PolicyType.IDENTITY, "policies");
      PolicyDocument boundary = null;
      Node b = o.get("boundary");
      if (b != null) {
        boundary = policy(b, PolicyType.IDENTITY);
      }
      if (arn == null || account == null) {
        return null;
      }
      return new IamPrincipal(arn, account, tags, policies, boundary, o.source());
    }

    private KmsKey key(Node n) {
      Node.ObjectNode o = object(n, "a key");
      if (o == null) {
        return null;
      }
      checkFields(o, KEY, "a key");
      String arnText = requiredString(o, "arn", "a key");
      Arn arn = arnText == null ? null : keyArn(arnText, o.get("arn").source());

      String manager = choice(o, "manager", KeySpecs.MANAGERS, "CUSTOMER", true);
      String origin = choice(o, "origin", KeySpecs.ORIGINS, "AWS_KMS", true);
      String spec = choice(o, "spec", KeySpecs.SPECS, "SYMMETRIC_DEFAULT", false);
      String usage = choice(o, "usage", KeySpecs.USAGES, KeySpecs.defaultUsage(spec), true);
      String state = choice(o, "state", KeySpecs.STATES, "Enabled", true);
      Set<String> usages = KeySpecs.usagesFor(spec);
      if (!usages.isEmpty() && !usages.contains(usage) && o.get("usage") != null) {
        error("world.invalid-usage", "a `" + spec + "` key cannot have usage `" + usage + "`; it allows "
            + quoted(usages), o.get("usage").source());
      }
      List<String> aliases = aliases(o.get("aliases"));

      Boolean rotationEnabled = null;
      Integer rotationPeriod = null;
      Node rot = o.get("rotation");
      if (rot != null) {
        Node.ObjectNode r = object(rot, "`rotation`");
        if (r != null) {
          checkFields(r, ROTATION, "`rotation`");
          rotationEnabled = bool(r.get("enabled"), "enabled");
          rotationPeriod = integer(r.get("periodDays"), "periodDays");
        }
      }

      String mrRole = null;
      String primary = null;
      List<String> requiredRegions = new ArrayList<>();
      Node mr = o.get("multiRegion");
      if (mr != null) {
        Node.ObjectNode m = object(mr, "`multiRegion`");
        if (m != null) {
          checkFields(m, MULTI_REGION, "`multiRegion`");
          mrRole = choice(m, "role", KeySpecs.MULTI_REGION_ROLES, null, true);
          if (m.get("role") == null) {
            missing("role", "`multiRegion`", m);
          }
          primary = string(m.get("primary"), "primary");
          if (primary != null) {
            Arn p = keyArn(primary, m.get("primary").source());
            if (p != null && arn != null && !p.resourceId().equals(arn.resourceId())) {
              warning("world.replica-id", "a replica has the same key id as its primary, but `"
                  + arn.resourceId() + "` differs from `" + p.resourceId() + "`", m.get("primary").source());
            }
          }
          if ("REPLICA".equals(mrRole) && primary == null) {
            error("world.missing-field", "a `REPLICA` key needs `primary`: the ARN of its primary key",
                m.source());
          }
          if ("PRIMARY".equals(mrRole) && primary != null) {
            error("world.unexpected-field", "only a `REPLICA` key names a `primary`", m.get("primary").source());
          }
          for (Node rn : items(m.get("requiredRegions"), "requiredRegions")) {
            String region = string(rn, "requiredRegions");
            if (region != null && !REGION.matcher(region).matches()) {
              error("world.invalid-region", "`" + region + "` is not a Region name such as `us-east-1`",
                  rn.source());
            } else if (region != null && !requiredRegions.contains(region)) {
              requiredRegions.add(region);
            }
          }
          if (m.get("requiredRegions") != null && !"PRIMARY".equals(mrRole)) {
            error("world.unexpected-field", "only the `PRIMARY` key lists `requiredRegions`; they apply to"
                + " every key related to it", m.get("requiredRegions").source());
          }
          if (arn != null && !arn.resourceId().startsWith("mrk-")) {
            warning("world.multi-region-id", "multi-Region key ids start with `mrk-`, but this key's is `"
                + arn.resourceId() + "`", m.source());
          }
        }
      }

      PolicyDocument policy = null;
      boolean defaultPolicy = false;
      Node pn = o.get("policy");
      if (pn != null) {
        policy = policy(pn, PolicyType.KEY_POLICY);
      }
      List<Grant> grants = new ArrayList<>();
      int gi = 0;
      for (Node g : items(o.get("grants"), "grants")) {
        Grant grant = grant(g, gi++, arn, spec, usage);
        if (grant != null) {
          grants.add(grant);
        }
      }
      if (arn == null) {
        return null;
      }
      if (policy == null) {
        defaultPolicy = pn == null;
        policy = defaultPolicy
            ? ("AWS".equals(manager)
                ? DefaultKeyPolicy.forAwsManaged(arn, aliases, DefaultKeyPolicy.awsManagedNameFor(arn.toString()))
                : DefaultKeyPolicy.forAccount(arn.account(), DefaultKeyPolicy.nameFor(arn.toString())))
            : empty(worldName + "#" + pn.source().pointer(), PolicyType.KEY_POLICY, pn.source());
      }
      Map<String, String> tags = o.get("tags") == null ? null : stringMap(o.get("tags"), "tags");
      KeyMetadata meta = new KeyMetadata(manager, origin, spec, usage, state, aliases, rotationEnabled,
          rotationPeriod, mrRole, primary, requiredRegions, tags);
      return new KmsKey(arn, policy, defaultPolicy, grants, meta, o.source());
    }

    private Grant grant(Node n, int index, Arn key, String spec, String usage) {
      Node.ObjectNode o = object(n, "a grant");
      if (o == null) {
        return null;
      }
      checkFields(o, GRANT, "a grant");
      String id = string(o.get("id"), "id");
      String name = string(o.get("name"), "name");
      String grantee = requiredString(o, "grantee", "a grant");
      if (grantee != null) {
        grantee = grantPrincipal(grantee, o.get("grantee").source(), "grantee");
      }
      String retiring = string(o.get("retiringPrincipal"), "retiringPrincipal");
      if (retiring != null) {
        retiring = grantPrincipal(retiring, o.get("retiringPrincipal").source(), "retiringPrincipal");
      }
      List<String> operations = new ArrayList<>();
      Node opsNode = o.get("operations");
      if (opsNode == null) {
        missing("operations", "a grant", o);
      } else if (opsNode instanceof Node.ArrayNode && ((Node.ArrayNode) opsNode).items().isEmpty()) {
        error("world.empty-operations", "a grant needs at least one operation", opsNode.source());
      }
      Set<String> supported = KeySpecs.grantOperationsFor(spec, usage);
      for (Node op : items(opsNode, "operations")) {
        String s = string(op, "operations");
        if (s == null) {
          continue;
        }
        if (!KeySpecs.GRANT_OPERATIONS.contains(s)) {
          String hint = s.regionMatches(true, 0, "kms:", 0, 4)
              ? "; write grant operations without `kms:`, e.g. `" + s.substring(4) + "`"
              : Suggest.didYouMean(s, KeySpecs.GRANT_OPERATIONS);
          error("world.invalid-grant-operation", "`" + s + "` is not a grant operation" + hint, op.source());
        } else if (!supported.contains(s)) {
          error("world.unsupported-grant-operation", "a `" + spec + "` key with usage `" + usage
              + "` does not support `" + s + "`, so a grant cannot allow it", op.source());
        } else if (operations.contains(s)) {
          warning("world.duplicate-grant-operation", "operation `" + s + "` is listed twice", op.source());
        } else {
          operations.add(s);
        }
      }
      Map<String, String> equals = null;
      Map<String, String> subset = null;
      Node cn = o.get("constraints");
      if (cn != null) {
        Node.ObjectNode c = object(cn, "`constraints`");
        if (c != null) {
          checkFields(c, CONSTRAINTS, "`constraints`");
          Node eq = c.get("encryptionContextEquals");
          Node sub = c.get("encryptionContextSubset");
          if (eq != null && sub != null) {
            error("world.grant-constraints", "a grant takes `encryptionContextEquals` or"
                + " `encryptionContextSubset`, not both", c.source());
          }
          if (eq != null) {
            equals = constraint(eq, "encryptionContextEquals");
          }
          if (sub != null) {
            subset = constraint(sub, "encryptionContextSubset");
          }
          if (c.fields().isEmpty()) {
            error("world.grant-constraints", "`constraints` needs `encryptionContextEquals` or"
                + " `encryptionContextSubset`", c.source());
          }
          if ((eq != null || sub != null) && !KeySpecs.isSymmetric(spec)) {
            error("world.grant-constraints", "encryption context constraints work only on symmetric"
                + " encryption keys, and this key is `" + spec + "`", c.source());
          }
        }
      }
      if (grantee == null || key == null) {
        return null;
      }
      String gid = id != null ? id : name != null ? name : "grant-" + index;
      return new Grant(gid, grantee, operations, equals, subset, retiring, key.account(), name, o.source());
    }

    private Map<String, String> constraint(Node n, String field) {
      Map<String, String> m = stringMap(n, field);
      if (m.isEmpty() && n instanceof Node.ObjectNode) {
        error("world.grant-constraints", "`" + field + "` needs at least one pair", n.source());
      }
      if (m.size() > MAX_CONSTRAINT_PAIRS) {
        error("world.grant-constraints", "`" + field + "` has " + m.size() + " pairs; KMS allows at most "
            + MAX_CONSTRAINT_PAIRS, n.source());
      }
      if (n instanceof Node.ObjectNode) {
        for (Node.Field f : ((Node.ObjectNode) n).fields()) {
          if (f.value() instanceof Node.ScalarNode
              && ((Node.ScalarNode) f.value()).text().length() > MAX_CONSTRAINT_VALUE) {
            error("world.grant-constraints", "the value of `" + f.key() + "` is longer than "
                + MAX_CONSTRAINT_VALUE + " characters, the most KMS allows", f.value().source());
          }
        }
      }
      return m;
    }

    private List<String> aliases(Node n) {
      List<String> out = new ArrayList<>();
      for (Node a : items(n, "aliases")) {
        String s = string(a, "aliases");
        if (s == null) {
          continue;
        }
        if (!ALIAS.matcher(s).matches()) {
          error("world.invalid-alias", "alias `" + s + "` must be `alias/` followed by letters, digits, `/`,"
              + " `_` or `-`", a.source());
        } else if (out.contains(s)) {
          warning("world.duplicate-alias", "alias `" + s + "` is listed twice", a.source());
        } else {
          out.add(s);
        }
      }
      return out;
    }

    private Bucket bucket(Node n) {
      Node.ObjectNode o = object(n, "a bucket");
      if (o == null) {
        return null;
      }
      checkFields(o, BUCKET, "a bucket");
      String name = requiredString(o, "name", "a bucket");
      if (name != null && (!BUCKET_NAME.matcher(name).matches() || name.contains(".."))) {
        error("world.invalid-bucket-name", "bucket name `" + name + "` must be 3 to 63 lowercase letters,"
            + " digits, dots or hyphens, starting and ending with a letter or digit", o.get("name").source());
      }
      Node accountNode = o.get("account");
      if (accountNode == null) {
        missing("account", "a bucket", o);
      }
      String account = accountId(accountNode);
      String region = region(o, "a bucket");
      Bucket.Encryption encryption = null;
      Node en = o.get("encryption");
      if (en != null) {
        Node.ObjectNode e = object(en, "`encryption`");
        if (e != null) {
          checkFields(e, ENCRYPTION, "`encryption`");
          String type = choice(e, "type", Bucket.ENCRYPTION_TYPES, null, true);
          if (e.get("type") == null) {
            missing("type", "`encryption`", e);
          }
          String key = string(e.get("key"), "key");
          if (key != null) {
            keyReference(key, e.get("key").source(), "key");
          }
          boolean kms = "SSE-KMS".equals(type) || "DSSE-KMS".equals(type);
          if (key != null && type != null && !kms) {
            error("world.unexpected-field", "only SSE-KMS and DSSE-KMS encryption name a `key`",
                e.get("key").source());
          }
          Boolean bucketKey = bool(e.get("bucketKey"), "bucketKey");
          if (Boolean.TRUE.equals(bucketKey) && type != null && !kms) {
            error("world.unexpected-field", "an S3 Bucket Key works only with SSE-KMS or DSSE-KMS",
                e.get("bucketKey").source());
          }
          if (type != null) {
            encryption = new Bucket.Encryption(type, key, bucketKey, e.source());
          }
        }
      }
      List<String> blocked = enumList(o.get("blockedEncryptionTypes"), "blockedEncryptionTypes",
          Bucket.BLOCKABLE_ENCRYPTION_TYPES);
      List<String> objects = enumList(o.get("objects"), "objects", Bucket.OBJECT_ENCRYPTION_TYPES);
      PolicyDocument policy = null;
      if (o.get("policy") != null) {
        policy = policy(o.get("policy"), PolicyType.RESOURCE);
      }
      Bucket.Replication replication = null;
      Node rn = o.get("replication");
      if (rn != null) {
        Node.ObjectNode r = object(rn, "`replication`");
        if (r != null) {
          checkFields(r, REPLICATION, "`replication`");
          String role = requiredString(r, "role", "`replication`");
          if (role != null && principalArn(role, r.get("role").source()) != null
              && !role.contains(":role/")) {
            error("world.invalid-principal-arn", "the replication `role` must be an IAM role ARN, not `" + role
                + "`", r.get("role").source());
          }
          List<Bucket.ReplicationRule> rules = new ArrayList<>();
          for (Node item : items(r.get("rules"), "rules")) {
            Bucket.ReplicationRule rule = replicationRule(item);
            if (rule != null) {
              rules.add(rule);
            }
          }
          replication = new Bucket.Replication(role, rules, r.source());
        }
      }
      if (name == null || account == null || region == null) {
        return null;
      }
      return new Bucket(name, account, region, encryption, blocked, objects, policy, replication, o.source());
    }

    private Bucket.ReplicationRule replicationRule(Node n) {
      Node.ObjectNode o = object(n, "a replication rule");
      if (o == null) {
        return null;
      }
      checkFields(o, RULE, "a replication rule");
      String id = string(o.get("id"), "id");
      Boolean sseKms = bool(o.get("sseKmsEncryptedObjects"), "sseKmsEncryptedObjects");
      Node dn = o.get("destination");
      if (dn == null) {
        missing("destination", "a replication rule", o);
        return null;
      }
      Node.ObjectNode d = object(dn, "`destination`");
      if (d == null) {
        return null;
      }
      checkFields(d, DESTINATION, "`destination`");
      String bucket = requiredString(d, "bucket", "`destination`");
      String account = accountId(d.get("account"));
      String replicaKey = string(d.get("replicaKmsKeyId"), "replicaKmsKeyId");
      if (replicaKey != null) {
        keyReference(replicaKey, d.get("replicaKmsKeyId").source(), "replicaKmsKeyId");
      }
      if (bucket == null) {
        return null;
      }
      return new Bucket.ReplicationRule(id == null ? "" : id, Boolean.TRUE.equals(sseKms), bucket, account,
          replicaKey, o.source());
    }

    private Image image(Node n) {
      Node.ObjectNode o = object(n, "an image");
      if (o == null) {
        return null;
      }
      checkFields(o, IMAGE, "an image");
      String id = requiredString(o, "id", "an image");
      if (id != null && !AMI_ID.matcher(id).matches()) {
        error("world.invalid-image-id", "image id `" + id + "` must look like `ami-` followed by 8 or 17"
            + " lowercase hex digits", o.get("id").source());
      }
      Node accountNode = o.get("account");
      if (accountNode == null) {
        missing("account", "an image", o);
      }
      String account = accountId(accountNode);
      String region = region(o, "an image");
      List<Image.Snapshot> snapshots = new ArrayList<>();
      for (Node item : items(o.get("snapshots"), "snapshots")) {
        Node.ObjectNode s = object(item, "a snapshot");
        if (s == null) {
          continue;
        }
        checkFields(s, SNAPSHOT, "a snapshot");
        String sid = requiredString(s, "id", "a snapshot");
        if (sid != null && !SNAPSHOT_ID.matcher(sid).matches()) {
          error("world.invalid-snapshot-id", "snapshot id `" + sid + "` must look like `snap-` followed by 8"
              + " or 17 lowercase hex digits", s.get("id").source());
        }
        String key = string(s.get("key"), "key");
        if (key != null) {
          keyReference(key, s.get("key").source(), "key");
        }
        if (sid != null) {
          snapshots.add(new Image.Snapshot(sid, key, s.source()));
        }
      }
      Image.LaunchPermissions permissions = Image.LaunchPermissions.none(o.source());
      Node lp = o.get("launchPermissions");
      if (lp != null) {
        Node.ObjectNode p = object(lp, "`launchPermissions`");
        if (p != null) {
          checkFields(p, LAUNCH_PERMISSIONS, "`launchPermissions`");
          List<String> accounts = new ArrayList<>();
          for (Node a : items(p.get("accounts"), "accounts")) {
            String acct = accountId(a);
            if (acct != null) {
              accounts.add(acct);
            }
          }
          List<String> orgs = arnList(p.get("organizations"), "organizations", ORG_ARN,
              "an organization ARN, `arn:aws:organizations::MANAGEMENT_ACCOUNT:organization/o-...`");
          List<String> ous = arnList(p.get("organizationalUnits"), "organizationalUnits", OU_ARN,
              "an organizational unit ARN, `arn:aws:organizations::MANAGEMENT_ACCOUNT:ou/o-.../ou-...`");
          Boolean pub = bool(p.get("public"), "public");
          permissions = new Image.LaunchPermissions(accounts, orgs, ous, Boolean.TRUE.equals(pub), p.source());
        }
      }
      List<Image.Launch> launches = new ArrayList<>();
      for (Node item : items(o.get("launches"), "launches")) {
        Node.ObjectNode l = object(item, "a launch");
        if (l == null) {
          continue;
        }
        checkFields(l, LAUNCH, "a launch");
        String principal = requiredString(l, "principal", "a launch");
        if (principal != null && grantPrincipal(principal, l.get("principal").source(), "principal") == null) {
          continue;
        }
        String key = string(l.get("key"), "key");
        if (key != null) {
          keyReference(key, l.get("key").source(), "key");
        }
        if (principal != null) {
          launches.add(new Image.Launch(principal, key, l.source()));
        }
      }
      if (id == null || account == null || region == null) {
        return null;
      }
      return new Image(id, account, region, snapshots, permissions, launches, o.source());
    }

    private Identity identity(Node n) {
      Node.ObjectNode o = object(n, "an identity");
      if (o == null) {
        return null;
      }
      checkFields(o, IDENTITY, "an identity");
      String keyId = requiredString(o, "accessKeyId", "an identity");
      if (keyId != null && !ACCESS_KEY_ID.matcher(keyId).matches()) {
        error("world.invalid-access-key-id", "access key id `" + keyId + "` must start with `AKIA` or `ASIA`"
            + " followed by at least 12 uppercase letters or digits", o.get("accessKeyId").source());
        keyId = null;
      }
      String secret = requiredString(o, "secretAccessKey", "an identity");
      if (secret != null && secret.isEmpty()) {
        error("world.invalid-secret", "`secretAccessKey` is empty", o.get("secretAccessKey").source());
        secret = null;
      }
      String principal = requiredString(o, "principal", "an identity");
      if (principal != null) {
        Arn a = Arn.parse(principal).orElse(null);
        boolean ok = a != null && Arn.isAccountId(a.account()) && a.region().isEmpty()
            && (a.service().equals("iam") && (a.resource().equals("root") || a.resourceType().equals("user"))
                || a.service().equals("sts") && a.resourceType().equals("assumed-role")
                    && a.resourceId().indexOf('/') > 0);
        if (ok && a.resourceType().equals("user") && !iamNameOk(principal, a, o.get("principal").source())) {
          principal = null;
        } else if (!ok) {
          error("world.invalid-identity-principal", "credentials belong to a user, a role session"
              + " (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) or an account root, not `" + principal + "`",
              o.get("principal").source());
          principal = null;
        }
      }
      String token = string(o.get("sessionToken"), "sessionToken");
      if (token != null && (token.isEmpty() || keyId != null && !keyId.startsWith("ASIA"))) {
        error("world.invalid-session-token", token.isEmpty() ? "`sessionToken` is empty" : "a session token belongs"
            + " to temporary credentials, whose access key id starts with `ASIA`, not `" + keyId + "`",
            o.get("sessionToken").source());
        token = null;
      }
      java.time.Instant expiration = null;
      String exp = string(o.get("expiration"), "expiration");
      if (exp != null) {
        try {
          expiration = java.time.OffsetDateTime.parse(exp).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
          error("world.invalid-expiration", "`expiration` must be an ISO 8601 date-time with its offset, e.g."
              + " `2030-01-01T00:00:00Z`, not `" + exp + "`", o.get("expiration").source());
        }
        if (keyId != null && !keyId.startsWith("ASIA")) {
          error("world.invalid-expiration", "only temporary credentials (access key id `ASIA...`) expire",
              o.get("expiration").source());
        }
      }
      dev.keyward.world.Session session = dev.keyward.world.Session.NONE;
      Node sn = o.get("session");
      if (sn != null) {
        if (principal != null && !principal.contains(":assumed-role/")) {
          error("world.session-without-role-session", "`session` belongs to credentials of a role session, not"
              + " to `" + principal + "`", sn.source());
        }
        SessionReader.Result sr = SessionReader.read(sn, worldName + "#" + sn.source().pointer(), parser);
        problems.addAll(sr.problems());
        session = sr.session();
      }
      if (keyId == null || secret == null || principal == null || session == null) {
        return null;
      }
      return new Identity(keyId, secret, principal, token, expiration, session, o.source());
    }

    /** A key named by key ARN or alias ARN (for buckets, images, replication). */
    private void keyReference(String ref, SourceRef at, String field) {
      Arn a = Arn.parse(ref).orElse(null);
      boolean ok = a != null && a.service().equals("kms") && Arn.isAccountId(a.account())
          && REGION.matcher(a.region()).matches()
          && (a.resourceType().equals("key") && !a.resourceId().isEmpty()
              || a.resourceType().equals("alias") && ALIAS.matcher(a.resource()).matches());
      if (!ok) {
        error("world.invalid-key-reference", "`" + field + "` must be a key ARN or an alias ARN"
            + " (`arn:aws:kms:REGION:ACCOUNT:key/ID` or `arn:aws:kms:REGION:ACCOUNT:alias/NAME`), not `" + ref
            + "`", at);
      }
    }

    private String region(Node.ObjectNode o, String what) {
      String region = requiredString(o, "region", what);
      if (region != null && !REGION.matcher(region).matches()) {
        error("world.invalid-region", "`" + region + "` is not a Region name such as `us-east-1`",
            o.get("region").source());
        return null;
      }
      return region;
    }

    private List<String> enumList(Node n, String field, List<String> allowed) {
      List<String> out = new ArrayList<>();
      for (Node item : items(n, field)) {
        String s = string(item, field);
        if (s == null) {
          continue;
        }
        if (!allowed.contains(s)) {
          error("world.invalid-value", "`" + s + "` is not a valid value of `" + field + "`"
              + Suggest.didYouMean(s, allowed) + "; expected one of " + quoted(allowed), item.source());
        } else if (!out.contains(s)) {
          out.add(s);
        }
      }
      return out;
    }

    private List<String> arnList(Node n, String field, Pattern shape, String expected) {
      List<String> out = new ArrayList<>();
      for (Node item : items(n, field)) {
        String s = string(item, field);
        if (s == null) {
          continue;
        }
        if (!shape.matcher(s).matches()) {
          error("world.invalid-arn", "`" + s + "` in `" + field + "` must be " + expected, item.source());
        } else {
          out.add(s);
        }
      }
      return out;
    }

    // ---- policies ----

    private List<PolicyDocument> policies(Node n, PolicyType type, String field) {
      List<PolicyDocument> out = new ArrayList<>();
      for (Node item : items(n, field)) {
        PolicyDocument p = policy(item, type);
        if (p != null) {
          out.add(p);
        }
      }
      return out;
    }

    /** A policy reference: {@code {name?, file}} or {@code {name?, document}}; null when unusable. */
    private PolicyDocument policy(Node n, PolicyType type) {
      Node.ObjectNode o = object(n, "a policy (`{file: ...}` or `{document: ...}`)");
      if (o == null) {
        return null;
      }
      checkFields(o, POLICY_REF, "a policy");
      string(o.get("name"), "name");
      Node fileNode = o.get("file");
      Node doc = o.get("document");
      Node arnNode = o.get("arn");
      int sources = (fileNode != null ? 1 : 0) + (doc != null ? 1 : 0) + (arnNode != null ? 1 : 0);
      if (sources > 1) {
        error("world.policy-source", "a policy takes one of `file`, `document` and `arn`", o.source());
        return null;
      }
      if (sources == 0) {
        error("world.missing-field", "a policy needs `file` (a path relative to the world file), `document` (the"
            + " policy itself) or `arn` (an AWS managed policy)", o.source());
        return null;
      }
      if (arnNode != null) {
        String arn = string(arnNode, "arn");
        if (arn == null) {
          return null;
        }
        if (type != PolicyType.IDENTITY) {
          error("world.policy-source", "`arn` names AWS managed identity policies; give this policy as `file` or"
              + " `document`", arnNode.source());
          return null;
        }
        PolicyDocument managed = AwsManagedPolicies.bundled().policy(arn).orElse(null);
        if (managed == null) {
          error("world.unknown-policy", AwsManagedPolicies.isAwsManagedArn(arn)
              ? "`" + arn + "` is not an AWS managed policy Keyward knows; give its text as `file` or `document`"
              : "`" + arn + "` is not an AWS managed policy ARN (`arn:aws:iam::aws:policy/NAME`); a customer"
                  + " managed policy is given as `file` or `document`", arnNode.source());
          return null;
        }
        return managed;
      }
      if (doc != null) {
        // A snapshot's policies keep the file they were read from; a world file's are named after it.
        String file = o.source().file();
        String name = (file.isEmpty() || file.equals(display) ? worldName : file) + "#" + o.source().pointer();
        String cacheKey = type + " " + name;
        PolicyDocument cached = policyCache.get(cacheKey);
        if (cached != null) {
          return cached;
        }
        ParseResult r = parser.parseNode(doc, file.isEmpty() ? display : file, type);
        problems.addAll(r.problems());
        PolicyDocument p = r.policy() == null ? empty(name, type, doc.source()) : r.policy().withName(name);
        if (!file.equals(display)) {
          // A managed policy that many roles attach is one entry of the snapshot: parsed once.
          policyCache.put(cacheKey, p);
        }
        return p;
      }
      String rel = string(fileNode, "file");
      if (rel == null) {
        return null;
      }
      if (rel.isBlank()) {
        error("world.invalid-file", "`file` is empty", fileNode.source());
        return null;
      }
      Path path = folder.resolve(rel).normalize();
      String shown = slashes(Path.of(folderDisplay.isEmpty() ? "." : folderDisplay).resolve(rel).normalize()
          .toString());
      if (!Files.isRegularFile(path)) {
        error("world.missing-file", Files.isDirectory(path)
            ? "policy file `" + rel + "` is a directory" : "policy file `" + rel + "` does not exist"
            + " (looked for `" + shown + "`)", fileNode.source());
        return null;
      }
      String cacheKey = type + " " + path;
      PolicyDocument cached = policyCache.get(cacheKey);
      if (cached != null) {
        return cached.withName(slashes(rel));
      }
      ParseResult r = parser.parseFile(path, shown, type);
      problems.addAll(r.problems());
      PolicyDocument p = r.policy() == null
          ? empty(slashes(rel), type, SourceRef.synthetic(shown, ""))
          : r.policy().withName(slashes(rel));
      policyCache.put(cacheKey, p);
      return p;
    }

    private PolicyDocument empty(String name, PolicyType type, SourceRef where) {
      return new PolicyDocument(name, type, PolicyDocument.VERSION_2012, null, List.of(), where);
    }

    // ---- whole-world checks ----

    private void checkOrganizations(List<Organization> orgs, List<Account> accounts) {
      for (Account a : accounts) {
        for (Organization o : orgs) {
          if (a.id().equals(o.managementAccount()) && !a.scps().isEmpty()) {
            // Source: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
            // ("SCPs don't affect users or roles in the management account").
            warning("world.scp-on-management-account", "account `" + a.id() + "` is the management account of `"
                + o.id() + "`; SCPs never restrict it, so these SCPs have no effect", a.source());
          }
        }
      }
      Map<String, Organization> member = new HashMap<>();
      for (Organization o : orgs) {
        for (String a : o.accounts()) {
          Organization other = member.putIfAbsent(a, o);
          if (other != null && other != o) {
            error("world.account-in-two-orgs", "account `" + a + "` is in organization `" + other.id()
                + "` and in `" + o.id() + "`; an account belongs to one organization", o.source());
          }
        }
      }
    }

    private void checkBuckets(List<Bucket> buckets, List<KmsKey> keys) {
      Map<String, SourceRef> seen = new HashMap<>();
      Set<String> keyArns = new java.util.HashSet<>();
      for (KmsKey k : keys) {
        keyArns.add(k.arn().toString());
      }
      for (Bucket b : buckets) {
        SourceRef first = seen.putIfAbsent(b.name(), b.source());
        if (first != null) {
          error("world.duplicate-bucket", "bucket `" + b.name() + "` is declared twice; first at line "
              + first.line() + " (bucket names are global)", b.source());
        }
        Bucket.Encryption e = b.encryption();
        if (e != null && e.key() != null && e.key().contains(":key/") && !keyArns.contains(e.key())) {
          warning("world.unknown-key", "key `" + e.key() + "` is not in the world, so nothing can be said"
              + " about its policy", e.source());
        }
      }
      for (Bucket b : buckets) {
        if (b.replication() == null) {
          continue;
        }
        for (Bucket.ReplicationRule r : b.replication().rules()) {
          if (!seen.containsKey(r.destinationBucket())) {
            warning("world.unknown-bucket", "destination bucket `" + r.destinationBucket() + "` is not in the"
                + " world", r.source());
          }
        }
      }
    }

    /**
     * References that {@code keyward check} follows: key ARNs and alias ARNs of replica keys, snapshots
     * and launches (a warning with the closest key of the world: nothing can be said about an unknown
     * key), a replication role outside the source bucket's account and a destination account that is not
     * the destination bucket's (errors: S3 refuses both).
     */
    private void checkReferences(List<Bucket> buckets, List<Image> images, List<KmsKey> keys) {
      Set<String> known = new LinkedHashSet<>();
      for (KmsKey k : keys) {
        known.add(k.arn().toString());
        for (String alias : k.metadata().aliases()) {
          known.add("arn:" + k.arn().partition() + ":kms:" + k.region() + ":" + k.account() + ":" + alias);
        }
      }
      Map<String, Bucket> byName = new HashMap<>();
      for (Bucket b : buckets) {
        byName.putIfAbsent(b.name(), b);
      }
      for (Bucket b : buckets) {
        if (b.encryption() != null && b.encryption().key() != null && b.encryption().key().contains(":alias/")) {
          unknownKey(b.encryption().key(), known, b.encryption().source());
        }
        if (b.replication() == null) {
          continue;
        }
        String role = b.replication().role();
        String[] roleParts = role == null ? new String[0] : role.split(":", -1);
        // A role that is not an ARN was reported where it was read; only a well-formed one is compared here.
        if (roleParts.length > 5 && role.contains(":role/") && !roleParts[4].equals(b.account())) {
          error("world.replication-role-account", "the replication role `" + role + "` must belong to the"
              + " source bucket's account `" + b.account() + "`", b.replication().source());
        }
        for (Bucket.ReplicationRule r : b.replication().rules()) {
          if (r.replicaKmsKeyId() != null) {
            unknownKey(r.replicaKmsKeyId(), known, r.source());
          }
          Bucket dst = byName.get(r.destinationBucket());
          if (dst != null && r.destinationAccount() != null && !r.destinationAccount().equals(dst.account())) {
            error("world.destination-account", "rule `" + r.id() + "` names account `" + r.destinationAccount()
                + "` for bucket `" + dst.name() + "`, which belongs to `" + dst.account() + "`", r.source());
          }
        }
      }
      Map<String, KmsKey> keysByArn = new HashMap<>();
      for (KmsKey k : keys) {
        keysByArn.putIfAbsent(k.arn().toString(), k);
      }
      for (KmsKey k : keys) {
        String primary = k.metadata().primaryArn();
        Arn p = primary == null ? null : Arn.parse(primary).orElse(null);
        if (p == null || !"REPLICA".equals(k.metadata().multiRegionRole())) {
          continue;
        }
        if (!p.account().equals(k.account())) {
          error("world.replica-account", "a replica belongs to its primary's account, but `" + k.arn()
              + "` is in `" + k.account() + "` and its primary in `" + p.account() + "`", k.source());
        } else if (p.region().equals(k.region())) {
          error("world.replica-region", "a replica must be in another Region than its primary, and `" + k.arn()
              + "` is in `" + k.region() + "` like its primary", k.source());
        }
        KmsKey pk = keysByArn.get(primary);
        if (pk != null && !"PRIMARY".equals(pk.metadata().multiRegionRole())) {
          error("world.replica-primary", "the primary `" + primary + "` of replica `" + k.arn()
              + "` is not declared with `multiRegion: { role: PRIMARY }`", k.source());
        }
      }
      for (Image i : images) {
        for (Image.Snapshot s : i.snapshots()) {
          if (s.key() != null) {
            unknownKey(s.key(), known, s.source());
          }
        }
        for (Image.Launch l : i.launches()) {
          if (l.key() != null) {
            unknownKey(l.key(), known, l.source());
          }
        }
      }
    }

    private void unknownKey(String ref, Set<String> known, SourceRef at) {
      if (ref.startsWith("arn:") && ref.contains(":kms:") && !known.contains(ref)) {
        warning("world.unknown-key", "key `" + ref + "` is not in the world, so nothing can be said about its"
            + " policy" + Suggest.didYouMean(ref, known), at);
      }
    }

    private void checkImages(List<Image> images) {
      Map<String, SourceRef> seen = new HashMap<>();
      for (Image i : images) {
        SourceRef first = seen.putIfAbsent(i.region() + "/" + i.id(), i.source());
        if (first != null) {
          error("world.duplicate-image", "image `" + i.id() + "` is declared twice in `" + i.region()
              + "`; first at line " + first.line(), i.source());
        }
      }
    }

    private void checkIdentities(List<Identity> identities) {
      Map<String, SourceRef> seen = new HashMap<>();
      for (Identity i : identities) {
        SourceRef first = seen.putIfAbsent(i.accessKeyId(), i.source());
        if (first != null) {
          error("world.duplicate-identity", "access key id `" + i.accessKeyId() + "` is declared twice; first"
              + " at line " + first.line(), i.source());
        }
      }
    }

    private void checkDuplicates(List<Account> accounts, List<IamPrincipal> principals, List<KmsKey> keys) {
      Map<String, SourceRef> seen = new HashMap<>();
      for (Account a : accounts) {
        SourceRef first = seen.putIfAbsent(a.id(), a.source());
        if (first != null) {
          error("world.duplicate-account", "account `" + a.id() + "` is declared twice; first at line "
              + first.line(), a.source());
        }
      }
      seen.clear();
      Map<String, IamPrincipal> roleNames = new HashMap<>();
      for (IamPrincipal p : principals) {
        SourceRef first = seen.putIfAbsent(p.arn(), p.source());
        if (first != null) {
          error("world.duplicate-principal", "principal `" + p.arn() + "` is declared twice; first at line "
              + first.line(), p.source());
          continue;
        }
        // a role session names its role without the path, so a role name is one role per account, whatever
        // the path ("names must be unique within the account", not distinguished by case: API_CreateRole)
        String kind = p.isRole() ? "role" : "user";
        IamPrincipal same = roleNames.putIfAbsent(p.account() + "/" + kind + "/"
            + IamNames.name(p.arn()).toLowerCase(java.util.Locale.ROOT), p);
        if (same != null) {
          error("world.duplicate-" + kind + "-name", kind + " name `" + IamNames.name(p.arn()) + "` is used by `"
              + same.arn() + "` (line " + same.source().line() + ") and `" + p.arn() + "`; IAM names are unique"
              + " in an account whatever their path or case", p.source());
        }
      }
      seen.clear();
      Map<String, KmsKey> byId = new HashMap<>();
      Map<String, KmsKey> aliasOwner = new HashMap<>();
      for (KmsKey k : keys) {
        String arn = k.arn().toString();
        SourceRef first = seen.putIfAbsent(arn, k.source());
        if (first != null) {
          error("world.duplicate-key", "key `" + arn + "` is declared twice; first at line " + first.line(),
              k.source());
          continue;
        }
        KmsKey sameId = byId.putIfAbsent(k.arn().resourceId() + "@" + k.account(), k);
        if (sameId != null && !"REPLICA".equals(k.metadata().multiRegionRole())
            && !"REPLICA".equals(sameId.metadata().multiRegionRole())) {
          error("world.duplicate-key-id", "key id `" + k.arn().resourceId() + "` is used by two keys of"
              + " account `" + k.account() + "`; only multi-Region replicas share a key id", k.source());
        }
        for (String alias : k.metadata().aliases()) {
          String scope = k.account() + "/" + k.region() + "/" + alias;
          KmsKey owner = aliasOwner.putIfAbsent(scope, k);
          if (owner != null) {
            error("world.duplicate-alias", "alias `" + alias + "` already names key `" + owner.arn()
                + "` in account `" + k.account() + "` and Region `" + k.region() + "`", k.source());
          }
        }
      }
    }

    // ---- values ----

    /** The account of a valid role or user ARN, else null after reporting why. */
    private String principalArn(String arn, SourceRef at) {
      Arn a = Arn.parse(arn).orElse(null);
      String shape = "a principal must be an IAM role or user ARN, `arn:aws:iam::ACCOUNT:role/NAME` or"
          + " `arn:aws:iam::ACCOUNT:user/NAME`, not `" + arn + "`";
      if (a == null || !PARTITION.matcher(a.partition()).matches() || !a.service().equals("iam")
          || !a.region().isEmpty()) {
        error("world.invalid-principal-arn", shape, at);
        return null;
      }
      String type = a.resourceType();
      if (!type.equals("role") && !type.equals("user")) {
        error("world.invalid-principal-arn", shape, at);
        return null;
      }
      if (!iamNameOk(arn, a, at)) {
        return null;
      }
      if (!Arn.isAccountId(a.account())) {
        error("world.invalid-account-id", "account id `" + a.account() + "` in `" + arn
            + "` must be 12 digits", at);
        return null;
      }
      return a.account();
    }

    /** Whether a role or user ARN's path and name are ones IAM accepts; reports why not. */
    private boolean iamNameOk(String arn, Arn a, SourceRef at) {
      String problem = IamNames.problem(a.resourceId());
      if (problem != null) {
        error("world.invalid-iam-path", "`" + arn + "` is not a valid " + a.resourceType() + " ARN: " + problem,
            at);
        return false;
      }
      return true;
    }

    private Arn keyArn(String arn, SourceRef at) {
      Arn a = Arn.parse(arn).orElse(null);
      if (a == null || !PARTITION.matcher(a.partition()).matches() || !a.service().equals("kms")
          || !a.resourceType().equals("key") || a.resourceId().isEmpty() || a.resourceId().contains("/")) {
        error("world.invalid-key-arn", "a key ARN looks like `arn:aws:kms:REGION:ACCOUNT:key/ID`, not `" + arn
            + "`", at);
        return null;
      }
      if (!REGION.matcher(a.region()).matches()) {
        error("world.invalid-key-arn", "`" + a.region() + "` in `" + arn + "` is not a Region name such as"
            + " `us-east-1`", at);
        return null;
      }
      if (!Arn.isAccountId(a.account())) {
        error("world.invalid-account-id", "account id `" + a.account() + "` in `" + arn
            + "` must be 12 digits", at);
        return null;
      }
      if (!KEY_ID.matcher(a.resourceId()).matches()) {
        warning("world.unusual-key-id", "key id `" + a.resourceId() + "` is not a KMS key id (a lowercase"
            + " UUID, or `mrk-` and 32 hex digits for multi-Region keys)", at);
      }
      return a;
    }

    /**
     * A grantee or retiring principal: an account (12 digits, normalized to its root ARN), an account
     * root, a user, a role, a role session or a federated user; null when invalid.
     */
    private String grantPrincipal(String s, SourceRef at, String field) {
      if (Arn.isAccountId(s)) {
        return Arn.accountRoot(s);
      }
      Arn a = Arn.parse(s).orElse(null);
      boolean ok = a != null && PARTITION.matcher(a.partition()).matches() && a.region().isEmpty();
      if (ok) {
        String type = a.resourceType();
        if (a.service().equals("iam")) {
          ok = a.resource().equals("root") || type.equals("role") || type.equals("user");
          if (ok && !a.resource().equals("root") && !iamNameOk(s, a, at)) {
            return null;
          }
        } else if (a.service().equals("sts")) {
          ok = type.equals("assumed-role") && a.resourceId().indexOf('/') > 0
              || type.equals("federated-user") && !a.resourceId().isEmpty();
        } else {
          ok = false;
        }
      }
      if (!ok) {
        error("world.invalid-grantee", "`" + field + "` must be an account id or the ARN of an account,"
            + " user, role or role session, not `" + s + "`", at);
        return null;
      }
      if (!Arn.isAccountId(a.account())) {
        error("world.invalid-account-id", "account id `" + a.account() + "` in `" + s + "` must be 12 digits",
            at);
        return null;
      }
      return s;
    }

    /** An account id: a 12-digit string (a 12-digit YAML number is accepted as written). */
    private String accountId(Node n) {
      if (n == null) {
        return null;
      }
      if (!(n instanceof Node.ScalarNode) || ((Node.ScalarNode) n).type() == Node.ScalarType.NULL
          || ((Node.ScalarNode) n).type() == Node.ScalarType.BOOLEAN) {
        error("world.wrong-type", "an account id must be a string of 12 digits, not " + n.typeName(),
            n.source());
        return null;
      }
      String s = ((Node.ScalarNode) n).text();
      if (!Arn.isAccountId(s)) {
        String hint = ((Node.ScalarNode) n).type() == Node.ScalarType.NUMBER
            ? "; quote account ids so that leading zeros survive, e.g. `\"011111111111\"`" : "";
        error("world.invalid-account-id", "account id `" + s + "` must be 12 digits" + hint, n.source());
        return null;
      }
      return s;
    }

    private String choice(Node.ObjectNode o, String field, List<String> allowed, String dflt, boolean strict) {
      Node n = o.get(field);
      if (n == null) {
        return dflt;
      }
      String s = string(n, field);
      if (s == null) {
        return dflt;
      }
      if (!allowed.contains(s)) {
        String message = "`" + s + "` is not a valid `" + field + "`" + Suggest.didYouMean(s, allowed);
        if (Suggest.closest(s, allowed) == null) {
          message += "; expected one of " + quoted(allowed);
        }
        if (strict) {
          error("world.invalid-value", message, n.source());
          return dflt;
        }
        warning("world.unknown-value", message, n.source());
      }
      return s;
    }

    private Map<String, String> stringMap(Node n, String field) {
      Map<String, String> out = new LinkedHashMap<>();
      if (n == null) {
        return out;
      }
      Node.ObjectNode o = object(n, "`" + field + "`");
      if (o == null) {
        return out;
      }
      for (Node.Field f : o.fields()) {
        Node v = f.value();
        if (v instanceof Node.ScalarNode && ((Node.ScalarNode) v).type() != Node.ScalarType.NULL) {
          Node.ScalarNode s = (Node.ScalarNode) v;
          if (!s.isString()) {
            warning("world.not-a-string", "the value of `" + f.key() + "` is a " + s.typeName()
                + "; it is used as the text `" + s.text() + "`", v.source());
          }
          out.put(f.key(), s.text());
        } else {
          error("world.wrong-type", "the value of `" + f.key() + "` in `" + field + "` must be a string, not "
              + v.typeName(), v.source());
        }
      }
      return out;
    }

    private Boolean bool(Node n, String field) {
      if (n == null) {
        return null;
      }
      if (n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.BOOLEAN) {
        return Boolean.parseBoolean(((Node.ScalarNode) n).text());
      }
      error("world.wrong-type", "`" + field + "` must be true or false, not " + n.typeName(), n.source());
      return null;
    }

    private Integer integer(Node n, String field) {
      if (n == null) {
        return null;
      }
      if (n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NUMBER) {
        try {
          return Integer.valueOf(((Node.ScalarNode) n).text());
        } catch (NumberFormatException e) {
          error("world.wrong-type", "`" + field + "` must be a whole number, not `"
              + ((Node.ScalarNode) n).text() + "`", n.source());
          return null;
        }
      }
      error("world.wrong-type", "`" + field + "` must be a number, not " + n.typeName(), n.source());
      return null;
    }

    private String requiredString(Node.ObjectNode o, String field, String what) {
      Node n = o.get(field);
      if (n == null) {
        missing(field, what, o);
        return null;
      }
      return string(n, field);
    }

    private String string(Node n, String field) {
      if (n == null) {
        return null;
      }
      if (n instanceof Node.ScalarNode && ((Node.ScalarNode) n).isString()) {
        return ((Node.ScalarNode) n).text();
      }
      error("world.wrong-type", "`" + field + "` must be a string, not " + n.typeName(), n.source());
      return null;
    }

    /** The items of a list field; a missing field is an empty list, any other type is reported. */
    private List<Node> items(Node n, String field) {
      if (n == null) {
        return List.of();
      }
      if (n instanceof Node.ArrayNode) {
        return ((Node.ArrayNode) n).items();
      }
      if (n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NULL) {
        return List.of();
      }
      error("world.wrong-type", "`" + field + "` must be a list, not " + n.typeName(), n.source());
      return List.of();
    }

    private Node.ObjectNode object(Node n, String what) {
      if (n instanceof Node.ObjectNode) {
        return (Node.ObjectNode) n;
      }
      error("world.wrong-type", what + " must be an object, not " + n.typeName(), n.source());
      return null;
    }

    private void checkFields(Node.ObjectNode o, Set<String> allowed, String what) {
      for (Node.Field f : o.fields()) {
        if (!allowed.contains(f.key())) {
          String hint = Suggest.didYouMean(f.key(), allowed);
          if (hint.isEmpty()) {
            hint = "; expected " + quoted(allowed);
          }
          error("world.unknown-field", "unknown field `" + f.key() + "` in " + what + hint, f.keySource());
        }
      }
    }

    private void missing(String field, String what, Node.ObjectNode o) {
      error("world.missing-field", what + " needs `" + field + "`", o.source());
    }

    private void error(String code, String message, SourceRef at) {
      problems.add(Problem.error(code, message, at));
    }

    private void warning(String code, String message, SourceRef at) {
      problems.add(Problem.warning(code, message, at));
    }
  }

  private static String quoted(java.util.Collection<String> names) {
    StringBuilder b = new StringBuilder();
    for (String n : names) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append('`').append(n).append('`');
    }
    return b.toString();
  }
}
