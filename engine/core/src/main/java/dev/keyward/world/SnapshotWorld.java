package dev.keyward.world;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * Reads a snapshot folder (the AWS-shaped JSON files that {@code keyward snapshot} or the AWS CLI wrote) or
 * the JSON of {@code aws iam get-account-authorization-details} alone, and turns it into a world file's
 * tree, which {@link WorldLoader} then checks and loads like any world. Every value of that tree keeps the
 * place it was read from, so problems, reasons and findings point into the snapshot's own files.
 *
 * <p>What the snapshot could not read becomes the world's {@link Coverage}: a key whose policy was refused
 * is left out (its default policy would be a guess), a grant to a principal the world cannot name is left
 * out, and both are recorded as gaps, as are the calls the snapshot recorded as refused.
 */
public final class SnapshotWorld {

  /** Snapshot files can be larger than policies and world files: IAM's answer for a big account. */
  private static final long MAX_FILE_BYTES = 1024L * 1024 * 1024;
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private final DocumentReader reader = DocumentReader.withMaxBytes(MAX_FILE_BYTES);
  private final Path dir;
  private final String display;
  private final List<Problem> problems = new ArrayList<>();
  private final List<WorldGap> gaps = new ArrayList<>();
  private String account;
  private SourceRef accountAt;
  private SourceRef truncatedAt;
  private final Set<SourceRef> warned = new java.util.HashSet<>();

  // the world tree's sections
  private final List<Node> organizations = new ArrayList<>();
  private final List<Node> accounts = new ArrayList<>();
  private final List<Node> principals = new ArrayList<>();
  private final List<Node> keys = new ArrayList<>();
  private final List<Node> buckets = new ArrayList<>();
  private final List<Node> images = new ArrayList<>();

  private SnapshotWorld(Path dir, String display) {
    this.dir = dir;
    this.display = display.endsWith("/") ? display.substring(0, display.length() - 1) : display;
  }

  /** The result of reading: the world tree (null when unusable), problems, and what the snapshot covers. */
  record Tree(Node.ObjectNode root, List<Problem> problems, Coverage coverage) {}

  /** Reads the snapshot folder {@code dir}, named {@code display} in messages. */
  static Tree folder(Path dir, String display) {
    return new SnapshotWorld(dir, display).readFolder();
  }

  /** Converts the already read JSON of {@code aws iam get-account-authorization-details}. */
  static Tree authorizationDetails(Node.ObjectNode root, String display) {
    SnapshotWorld s = new SnapshotWorld(null, display);
    s.iam(root, true);
    return s.tree(root.source());
  }

  /** True when {@code root} looks like the output of get-account-authorization-details. */
  public static boolean isAuthorizationDetails(Node root) {
    if (!(root instanceof Node.ObjectNode)) {
      return false;
    }
    Node.ObjectNode o = (Node.ObjectNode) root;
    return o.get("RoleDetailList") != null || o.get("UserDetailList") != null || o.get("GroupDetailList") != null;
  }

  private Tree readFolder() {
    Node.ObjectNode caller = object(read(dir.resolve(SnapshotFiles.CALLER)), SnapshotFiles.CALLER,
        "what `aws sts get-caller-identity` prints");
    if (caller == null) {
      return new Tree(null, problems, Coverage.NONE);
    }
    Node acct = caller.get("Account");
    if (!(acct instanceof Node.ScalarNode) || !ACCOUNT.matcher(((Node.ScalarNode) acct).text()).matches()) {
      error("snapshot.shape", "`Account` must be the 12-digit account id, as `aws sts get-caller-identity` prints it",
          acct == null ? caller.source() : acct.source());
      return new Tree(null, problems, Coverage.NONE);
    }
    account = ((Node.ScalarNode) acct).text();
    accountAt = acct.source();
    checkKnownFiles();
    recordedGaps();
    Node.ObjectNode iam = object(readIfPresent(SnapshotFiles.IAM), SnapshotFiles.IAM,
        "what `aws iam get-account-authorization-details` prints");
    if (iam != null) {
      iam(iam, false);
    } else if (!Files.exists(dir.resolve(SnapshotFiles.IAM))) {
      gap("account", account, "the IAM users, groups and roles of account " + account + " were not collected"
          + " (`iam:GetAccountAuthorizationDetails` fills it)", accountAt);
    }
    organization();
    s3();
    Path regions = dir.resolve(SnapshotFiles.REGIONS);
    if (Files.isDirectory(regions)) {
      List<Path> list = new ArrayList<>();
      try (Stream<Path> s = Files.list(regions)) {
        s.filter(Files::isDirectory).sorted().forEach(list::add);
      } catch (IOException e) {
        error("io.error", "cannot list `" + shown(SnapshotFiles.REGIONS) + "`: " + e.getMessage(),
            SourceRef.synthetic(shown(SnapshotFiles.REGIONS), ""));
      }
      for (Path r : list) {
        String region = r.getFileName().toString();
        kms(region);
        ec2(region);
      }
    }
    return tree(SourceRef.synthetic(display, ""));
  }

  private Tree tree(SourceRef at) {
    List<Node.Field> top = new ArrayList<>();
    addList(top, "organizations", organizations, at);
    addList(top, "accounts", accounts, at);
    addList(top, "principals", principals, at);
    addList(top, "keys", keys, at);
    addList(top, "buckets", buckets, at);
    addList(top, "images", images, at);
    Set<String> covered = account == null ? Set.of() : Set.of(account);
    return new Tree(new Node.ObjectNode(top, at), problems, new Coverage(covered, gaps));
  }

  private static void addList(List<Node.Field> top, String name, List<Node> items, SourceRef at) {
    if (!items.isEmpty()) {
      top.add(new Node.Field(name, at, new Node.ArrayNode(items, at)));
    }
  }

  // ---- IAM ----

  private void iam(Node.ObjectNode root, boolean alone) {
    Node truncated = root.get("IsTruncated");
    if (truncated instanceof Node.ScalarNode && "true".equals(((Node.ScalarNode) truncated).text())) {
      // Resolved once the account is known (below): the gap names it.
      truncatedAt = truncated.source();
    }
    Map<String, Node> managed = new HashMap<>();
    for (Node p : list(root, "Policies")) {
      Node.ObjectNode o = asObject(p, "a managed policy");
      String arn = text(o, "Arn");
      if (arn == null) {
        continue;
      }
      Node doc = null;
      for (Node v : list(o, "PolicyVersionList")) {
        Node.ObjectNode vo = asObject(v, "a policy version");
        if (vo != null && vo.get("IsDefaultVersion") instanceof Node.ScalarNode
            && "true".equals(((Node.ScalarNode) vo.get("IsDefaultVersion")).text())) {
          doc = vo.get("Document") == null ? null : ref(vo.get("Document"), vo.source());
        }
      }
      if (doc != null) {
        managed.put(arn, doc);
      }
    }
    Map<String, Node.ObjectNode> groups = new HashMap<>();
    for (Node g : list(root, "GroupDetailList")) {
      Node.ObjectNode o = asObject(g, "a group");
      String name = text(o, "GroupName");
      if (name != null) {
        groups.put(name, o);
      }
    }
    for (Node r : list(root, "RoleDetailList")) {
      principal(asObject(r, "a role"), "RolePolicyList", managed, List.of(), alone);
    }
    for (Node u : list(root, "UserDetailList")) {
      Node.ObjectNode o = asObject(u, "a user");
      List<Node.ObjectNode> member = new ArrayList<>();
      for (Node gn : list(o, "GroupList")) {
        String name = gn instanceof Node.ScalarNode ? ((Node.ScalarNode) gn).text() : null;
        Node.ObjectNode group = name == null ? null : groups.get(name);
        if (group != null) {
          member.add(group);
        } else if (name != null) {
          gap("principal", text(o, "Arn") == null ? "" : text(o, "Arn"), "group `" + name + "` of this user is not"
              + " in the snapshot; its policies are unknown", gn.source());
        }
      }
      principal(o, "UserPolicyList", managed, member, alone);
    }
    if (truncatedAt != null) {
      String about = account == null ? "" : account;
      gap("account", about, "the IAM answer of account " + about + " is one page (`IsTruncated` is true): the users,"
          + " groups, roles and policies of later pages are missing (`aws iam get-account-authorization-details`"
          + " without --max-items reads every page)", truncatedAt);
    }
  }

  private void principal(Node.ObjectNode o, String inlineField, Map<String, Node> managed,
      List<Node.ObjectNode> groups, boolean alone) {
    if (o == null) {
      return;
    }
    Node arn = o.get("Arn");
    if (arn == null) {
      error("snapshot.shape", "this entry has no `Arn`", o.source());
      return;
    }
    String arnText = arn instanceof Node.ScalarNode ? ((Node.ScalarNode) arn).text() : "";
    if (alone && account == null && arnText.split(":").length > 4) {
      account = arnText.split(":")[4];
      accountAt = arn.source();
    }
    List<Node> policies = new ArrayList<>();
    inline(o, inlineField, policies);
    attached(o, managed, policies, arnText);
    String groupInline = "GroupPolicyList";
    for (Node.ObjectNode g : groups) {
      inline(g, groupInline, policies);
      attached(g, managed, policies, arnText);
    }
    List<Node.Field> fields = new ArrayList<>();
    fields.add(field("arn", arn));
    Map<String, Node> tags = tags(o.get("Tags"), "Key", "Value");
    if (!tags.isEmpty()) {
      fields.add(new Node.Field("tags", o.source(), objectOf(tags, o.get("Tags").source())));
    }
    fields.add(new Node.Field("policies", o.source(), new Node.ArrayNode(policies, o.source())));
    Node boundary = o.get("PermissionsBoundary");
    if (boundary instanceof Node.ObjectNode) {
      Node barn = ((Node.ObjectNode) boundary).get("PermissionsBoundaryArn");
      Node doc = barn instanceof Node.ScalarNode ? managedRef(((Node.ScalarNode) barn).text(), managed,
          barn.source(), arnText) : null;
      if (doc != null) {
        fields.add(new Node.Field("boundary", boundary.source(), doc));
      }
    }
    principals.add(new Node.ObjectNode(fields, o.source()));
  }

  private void inline(Node.ObjectNode o, String field, List<Node> into) {
    for (Node p : list(o, field)) {
      Node.ObjectNode po = asObject(p, "an inline policy");
      if (po == null) {
        continue;
      }
      Node doc = po.get("PolicyDocument");
      if (doc == null) {
        error("snapshot.shape", "an inline policy needs `PolicyDocument`", po.source());
        continue;
      }
      into.add(ref(doc, po.source()));
    }
  }

  private void attached(Node.ObjectNode o, Map<String, Node> managed, List<Node> into, String who) {
    for (Node a : list(o, "AttachedManagedPolicies")) {
      Node.ObjectNode ao = asObject(a, "an attached policy");
      Node arn = ao == null ? null : ao.get("PolicyArn");
      if (!(arn instanceof Node.ScalarNode)) {
        if (ao != null) {
          error("snapshot.shape", "an attached policy needs `PolicyArn`", ao.source());
        }
        continue;
      }
      Node doc = managedRef(((Node.ScalarNode) arn).text(), managed, arn.source(), who);
      if (doc != null) {
        into.add(doc);
      }
    }
  }

  /** The policy reference for a managed policy: its default version, the bundled AWS policy, or a gap. */
  private Node managedRef(String arn, Map<String, Node> managed, SourceRef at, String who) {
    Node doc = managed.get(arn);
    if (doc != null) {
      return doc;
    }
    if (AwsManagedPolicies.isAwsManagedArn(arn) && AwsManagedPolicies.bundled().policy(arn).isPresent()) {
      return new Node.ObjectNode(List.of(new Node.Field("arn", at, str(arn, at))), at);
    }
    gap("principal", who, "the default version of managed policy `" + arn + "` is not in the snapshot"
        + " (`iam:GetAccountAuthorizationDetails` or `iam:GetPolicyVersion` fills it)", at);
    return null;
  }

  /** {@code {document: DOC}} located at the policy's entry, so the policy is named after it. */
  private static Node ref(Node doc, SourceRef entry) {
    if (doc instanceof Node.ScalarNode && ((Node.ScalarNode) doc).isString()
        && ((Node.ScalarNode) doc).text().startsWith("%7B")) {
      // IAM's API sends policies URL-encoded; the AWS CLI decodes them, a raw API answer does not
      String text = ((Node.ScalarNode) doc).text();
      doc = new Node.ScalarNode(Node.ScalarType.STRING, java.net.URLDecoder.decode(text.replace("+", "%2B"),
          java.nio.charset.StandardCharsets.UTF_8), null, doc.source());
    }
    return new Node.ObjectNode(List.of(new Node.Field("document", doc.source(), doc)), entry);
  }

  // ---- Organizations ----

  private void organization() {
    Node.ObjectNode d = object(readIfPresent(SnapshotFiles.ORG), SnapshotFiles.ORG,
        "what `aws organizations describe-organization` prints");
    if (d == null) {
      return;
    }
    Node.ObjectNode org = asObject(d.get("Organization"), "`Organization`");
    if (org == null) {
      return;
    }
    Node id = org.get("Id");
    Node management = org.get("MasterAccountId");
    boolean isManagement = management instanceof Node.ScalarNode
        && ((Node.ScalarNode) management).text().equals(account);
    // Only the management account's snapshot describes the organization: a member's view of it is partial.
    Node.ObjectNode roots = isManagement ? object(readIfPresent(SnapshotFiles.ORG_ROOTS), SnapshotFiles.ORG_ROOTS,
        "what `aws organizations list-roots` prints") : null;
    if (roots == null) {
      gap("scps", account, "the organization's SCPs and RCPs that apply to account " + account + " were not"
          + " collected (read them from the management account: `organizations:ListRoots`,"
          + " `organizations:ListPolicies`, `organizations:DescribePolicy`, `organizations:ListTargetsForPolicy`)",
          id == null ? org.source() : id.source());
      return;
    }
    String rootId = null;
    for (Node r : list(roots, "Roots")) {
      rootId = text(asObject(r, "a root"), "Id");
    }
    Node.ObjectNode units = object(readIfPresent(SnapshotFiles.ORG_UNITS), SnapshotFiles.ORG_UNITS, "");
    Node.ObjectNode accountsByParent = object(readIfPresent(SnapshotFiles.ORG_ACCOUNTS),
        SnapshotFiles.ORG_ACCOUNTS, "");
    Node.ObjectNode described = object(readIfPresent(SnapshotFiles.ORG_POLICY), SnapshotFiles.ORG_POLICY,
        "");
    Node.ObjectNode targets = object(readIfPresent(SnapshotFiles.ORG_TARGETS), SnapshotFiles.ORG_TARGETS,
        "");
    // target id -> policy refs, by type
    Map<String, List<Node>> scps = new LinkedHashMap<>();
    Map<String, List<Node>> rcps = new LinkedHashMap<>();
    if (described != null && targets != null) {
      for (Node.Field f : described.fields()) {
        Node.ObjectNode policy = asObject(asObject(f.value(), "a policy") == null ? null
            : ((Node.ObjectNode) f.value()).get("Policy"), "`Policy`");
        if (policy == null) {
          continue;
        }
        Node.ObjectNode summary = asObject(policy.get("PolicySummary"), "`PolicySummary`");
        String type = text(summary, "Type");
        Node content = policy.get("Content");
        if (content == null) {
          error("snapshot.shape", "a policy needs `Content`", policy.source());
          continue;
        }
        Node named = new Node.ObjectNode(List.of(new Node.Field("name", policy.source(),
            str(text(summary, "Name") == null ? f.key() : text(summary, "Name"), policy.source())),
            new Node.Field("document", content.source(), content)), policy.source());
        Node.ObjectNode t = asObject(targets.get(f.key()), "the targets of `" + f.key() + "`");
        for (Node target : list(t, "Targets")) {
          String targetId = text(asObject(target, "a target"), "TargetId");
          if (targetId != null) {
            ("RESOURCE_CONTROL_POLICY".equals(type) ? rcps : scps).computeIfAbsent(targetId,
                k -> new ArrayList<>()).add(named);
          }
        }
      }
    }
    List<Node> members = new ArrayList<>();
    List<Node> unitNodes = rootId == null ? List.of() : units(rootId, units, accountsByParent, scps, rcps, members,
        0);
    List<Node.Field> fields = new ArrayList<>();
    fields.add(field("id", id));
    fields.add(field("managementAccount", management));
    if (rootId != null && !unitNodes.isEmpty()) {
      fields.add(new Node.Field("rootId", org.source(), str(rootId, org.source())));
    }
    fields.add(new Node.Field("accounts", org.source(), new Node.ArrayNode(members, org.source())));
    fields.add(new Node.Field("scps", org.source(), new Node.ArrayNode(
        rootId == null ? List.of() : scps.getOrDefault(rootId, List.of()), org.source())));
    List<Node> rootRcps = rootId == null ? List.of() : rcps.getOrDefault(rootId, List.of());
    if (!rootRcps.isEmpty()) {
      fields.add(new Node.Field("rcps", org.source(), new Node.ArrayNode(rootRcps, org.source())));
    }
    if (!unitNodes.isEmpty()) {
      fields.add(new Node.Field("units", org.source(), new Node.ArrayNode(unitNodes, org.source())));
    }
    organizations.add(new Node.ObjectNode(fields, org.source()));
    // Accounts with policies attached directly; none for the management account, which they never restrict.
    Set<String> attachedTo = new LinkedHashSet<>(scps.keySet());
    attachedTo.addAll(rcps.keySet());
    for (String target : attachedTo) {
      if (ACCOUNT.matcher(target).matches() && !target.equals(account)) {
        List<Node> as = scps.getOrDefault(target, List.of());
        List<Node.Field> af = new ArrayList<>();
        SourceRef at = (as.isEmpty() ? rcps.get(target) : as).get(0).source();
        af.add(new Node.Field("id", at, str(target, at)));
        af.add(new Node.Field("scps", at, new Node.ArrayNode(as, at)));
        List<Node> ar = rcps.getOrDefault(target, List.of());
        if (!ar.isEmpty()) {
          af.add(new Node.Field("rcps", at, new Node.ArrayNode(ar, at)));
        }
        accounts.add(new Node.ObjectNode(af, at));
      }
    }
  }

  /**
   * The units below {@code parent}, each with its policies, accounts and units; the accounts directly
   * below the root go to {@code rootAccounts}.
   */
  private List<Node> units(String parent, Node.ObjectNode units, Node.ObjectNode accountsByParent,
      Map<String, List<Node>> scps, Map<String, List<Node>> rcps, List<Node> rootAccounts, int depth) {
    Node.ObjectNode here = asObject(accountsByParent == null ? null : accountsByParent.get(parent), "");
    for (Node a : list(here, "Accounts")) {
      Node id = asObject(a, "an account") == null ? null : ((Node.ObjectNode) a).get("Id");
      if (id != null) {
        rootAccounts.add(id);
      }
    }
    List<Node> out = new ArrayList<>();
    if (depth > 5 || units == null) {
      return out;
    }
    Node.ObjectNode below = asObject(units.get(parent), "");
    for (Node u : list(below, "OrganizationalUnits")) {
      Node.ObjectNode uo = asObject(u, "a unit");
      String id = text(uo, "Id");
      if (id == null) {
        continue;
      }
      List<Node> unitAccounts = new ArrayList<>();
      List<Node> children = units(id, units, accountsByParent, scps, rcps, unitAccounts, depth + 1);
      List<Node.Field> f = new ArrayList<>();
      f.add(field("id", uo.get("Id")));
      if (uo.get("Name") != null) {
        f.add(field("name", uo.get("Name")));
      }
      f.add(new Node.Field("scps", uo.source(), new Node.ArrayNode(scps.getOrDefault(id, List.of()), uo.source())));
      List<Node> ur = rcps.getOrDefault(id, List.of());
      if (!ur.isEmpty()) {
        f.add(new Node.Field("rcps", uo.source(), new Node.ArrayNode(ur, uo.source())));
      }
      f.add(new Node.Field("accounts", uo.source(), new Node.ArrayNode(unitAccounts, uo.source())));
      f.add(new Node.Field("units", uo.source(), new Node.ArrayNode(children, uo.source())));
      out.add(new Node.ObjectNode(f, uo.source()));
    }
    return out;
  }

  // ---- S3 ----

  private void s3() {
    Node.ObjectNode list = object(readIfPresent(SnapshotFiles.BUCKETS), SnapshotFiles.BUCKETS,
        "what `aws s3api list-buckets` prints");
    if (list == null) {
      return;
    }
    Node.ObjectNode location = object(readIfPresent(SnapshotFiles.BUCKET_LOCATION),
        SnapshotFiles.BUCKET_LOCATION, "");
    Node.ObjectNode encryption = object(readIfPresent(SnapshotFiles.BUCKET_ENCRYPTION),
        SnapshotFiles.BUCKET_ENCRYPTION, "");
    Node.ObjectNode policy = object(readIfPresent(SnapshotFiles.BUCKET_POLICY),
        SnapshotFiles.BUCKET_POLICY, "");
    Node.ObjectNode replication = object(readIfPresent(SnapshotFiles.BUCKET_REPLICATION),
        SnapshotFiles.BUCKET_REPLICATION, "");
    Map<String, Node> locationBy = index(location);
    Map<String, Node> encryptionBy = index(encryption);
    Map<String, Node> policyBy = index(policy);
    Map<String, Node> replicationBy = index(replication);
    for (Node b : list(list, "Buckets")) {
      Node.ObjectNode bo = asObject(b, "a bucket");
      String name = text(bo, "Name");
      if (name == null) {
        continue;
      }
      SourceRef at = bo.source();
      String region = "us-east-1";
      Node.ObjectNode loc = asObject(locationBy.get(name), "a bucket location");
      String constraint = text(loc, "LocationConstraint");
      if (constraint != null && !constraint.isEmpty()) {
        region = constraint.equals("EU") ? "eu-west-1" : constraint;
      }
      List<Node.Field> f = new ArrayList<>();
      f.add(field("name", bo.get("Name")));
      f.add(new Node.Field("account", at, str(account, accountAt)));
      f.add(new Node.Field("region", at, str(region, loc == null ? at : loc.source())));
      Node.ObjectNode enc = asObject(encryptionBy.get(name), "a bucket encryption");
      if (enc != null) {
        Node.ObjectNode config = asObject(enc.get("ServerSideEncryptionConfiguration"),
            "`ServerSideEncryptionConfiguration`");
        List<Node> rules = list(config, "Rules");
        Node.ObjectNode rule = rules.isEmpty() ? null : asObject(rules.get(0), "a rule");
        Node.ObjectNode def = rule == null ? null : asObject(rule.get("ApplyServerSideEncryptionByDefault"), "");
        if (def != null) {
          String algorithm = text(def, "SSEAlgorithm");
          String type = "aws:kms".equals(algorithm) ? "SSE-KMS" : "aws:kms:dsse".equals(algorithm) ? "DSSE-KMS"
              : "AES256".equals(algorithm) ? "SSE-S3" : algorithm;
          List<Node.Field> ef = new ArrayList<>();
          ef.add(new Node.Field("type", def.source(), str(type == null ? "" : type, def.source())));
          String keyId = text(def, "KMSMasterKeyID");
          if (keyId != null && !keyId.isEmpty()) {
            ef.add(new Node.Field("key", def.source(), str(keyArn(keyId, region), def.get("KMSMasterKeyID")
                .source())));
          }
          if (rule.get("BucketKeyEnabled") != null) {
            ef.add(field("bucketKey", rule.get("BucketKeyEnabled")));
          }
          f.add(new Node.Field("encryption", def.source(), new Node.ObjectNode(ef, def.source())));
        }
        Node.ObjectNode blocked = rule == null ? null : asObject(rule.get("BlockedEncryptionTypes"), "");
        if (blocked != null && blocked.get("EncryptionType") != null) {
          f.add(field("blockedEncryptionTypes", blocked.get("EncryptionType")));
        }
      }
      Node.ObjectNode pol = asObject(policyBy.get(name), "a bucket policy");
      if (pol != null && pol.get("Policy") != null) {
        f.add(new Node.Field("policy", pol.source(), ref(pol.get("Policy"), pol.source())));
      }
      Node.ObjectNode rep = asObject(replicationBy.get(name), "a replication answer");
      Node.ObjectNode rc = rep == null ? null : asObject(rep.get("ReplicationConfiguration"),
          "`ReplicationConfiguration`");
      if (rc != null) {
        List<Node> rules = new ArrayList<>();
        for (Node r : list(rc, "Rules")) {
          Node.ObjectNode ro = asObject(r, "a replication rule");
          if (ro == null || "Disabled".equals(text(ro, "Status"))) {
            continue;
          }
          List<Node.Field> rf = new ArrayList<>();
          if (ro.get("ID") != null) {
            rf.add(field("id", ro.get("ID")));
          }
          Node.ObjectNode ssc = asObject(ro.get("SourceSelectionCriteria"), "");
          Node.ObjectNode sse = ssc == null ? null : asObject(ssc.get("SseKmsEncryptedObjects"), "");
          boolean kmsObjects = sse != null && "Enabled".equals(text(sse, "Status"));
          rf.add(new Node.Field("sseKmsEncryptedObjects", ro.source(), bool(kmsObjects, ro.source())));
          Node.ObjectNode dest = asObject(ro.get("Destination"), "`Destination`");
          if (dest != null) {
            List<Node.Field> df = new ArrayList<>();
            String bucket = text(dest, "Bucket");
            if (bucket != null) {
              df.add(new Node.Field("bucket", dest.source(), str(bucket.startsWith("arn:aws:s3:::")
                  ? bucket.substring("arn:aws:s3:::".length()) : bucket, dest.get("Bucket").source())));
            }
            if (dest.get("Account") != null) {
              df.add(field("account", dest.get("Account")));
            }
            Node.ObjectNode ec = asObject(dest.get("EncryptionConfiguration"), "");
            if (ec != null && text(ec, "ReplicaKmsKeyID") != null) {
              df.add(field("replicaKmsKeyId", ec.get("ReplicaKmsKeyID")));
            }
            rf.add(new Node.Field("destination", dest.source(), new Node.ObjectNode(df, dest.source())));
          }
          rules.add(new Node.ObjectNode(rf, ro.source()));
        }
        List<Node.Field> repf = new ArrayList<>();
        if (rc.get("Role") != null) {
          repf.add(field("role", rc.get("Role")));
        }
        repf.add(new Node.Field("rules", rc.source(), new Node.ArrayNode(rules, rc.source())));
        f.add(new Node.Field("replication", rc.source(), new Node.ObjectNode(repf, rc.source())));
      }
      buckets.add(new Node.ObjectNode(f, at));
    }
  }

  /** A key ARN for what a bucket names: an ARN as it is, a key id or alias name in the bucket's Region. */
  private String keyArn(String id, String region) {
    if (id.startsWith("arn:")) {
      return id;
    }
    return "arn:aws:kms:" + region + ":" + account + ":" + (id.startsWith("alias/") ? id : "key/" + id);
  }

  // ---- KMS ----

  private void kms(String region) {
    String base = SnapshotFiles.REGIONS + "/" + region + "/";
    Node.ObjectNode describe = object(readIfPresent(base + SnapshotFiles.DESCRIBE_KEY),
        base + SnapshotFiles.DESCRIBE_KEY, "");
    if (describe == null) {
      return;
    }
    Node.ObjectNode policies = object(readIfPresent(base + SnapshotFiles.KEY_POLICY),
        base + SnapshotFiles.KEY_POLICY, "");
    Node.ObjectNode grants = object(readIfPresent(base + SnapshotFiles.GRANTS), base + SnapshotFiles.GRANTS,
        "");
    Node.ObjectNode rotation = object(readIfPresent(base + SnapshotFiles.ROTATION),
        base + SnapshotFiles.ROTATION, "");
    Node.ObjectNode tags = object(readIfPresent(base + SnapshotFiles.KEY_TAGS),
        base + SnapshotFiles.KEY_TAGS, "");
    Node.ObjectNode aliasFile = object(readIfPresent(base + SnapshotFiles.ALIASES),
        base + SnapshotFiles.ALIASES, "");
    Map<String, Node> policyById = index(policies);
    Map<String, Node> grantsById = index(grants);
    Map<String, Node> rotationById = index(rotation);
    Map<String, Node> tagsById = index(tags);
    Map<String, List<Node>> aliases = new HashMap<>();
    for (Node a : list(aliasFile, "Aliases")) {
      Node.ObjectNode ao = asObject(a, "an alias");
      String target = text(ao, "TargetKeyId");
      if (target != null && ao.get("AliasName") != null) {
        aliases.computeIfAbsent(target, k -> new ArrayList<>()).add(ao.get("AliasName"));
      }
    }
    for (Node.Field entry : describe.fields()) {
      Node.ObjectNode md = asObject(asObject(entry.value(), "a describe-key answer") == null ? null
          : ((Node.ObjectNode) entry.value()).get("KeyMetadata"), "`KeyMetadata`");
      if (md == null) {
        continue;
      }
      String id = entry.key();
      Node arn = md.get("Arn");
      String arnText = text(md, "Arn");
      if (arnText == null) {
        error("snapshot.shape", "`KeyMetadata` needs `Arn`", md.source());
        continue;
      }
      if ("PendingReplicaDeletion".equals(text(md, "KeyState"))) {
        continue;
      }
      Node.ObjectNode pol = asObject(policyById.get(id), "a get-key-policy answer");
      if (pol == null || pol.get("Policy") == null) {
        gap("key", arnText, "the key policy of `" + arnText + "` is not in the snapshot, so the key is left out"
            + " (`kms:GetKeyPolicy` fills it)", md.source());
        continue;
      }
      List<Node.Field> f = new ArrayList<>();
      f.add(field("arn", arn));
      f.add(new Node.Field("policy", pol.source(), ref(pol.get("Policy"), pol.source())));
      copy(md, "KeyManager", "manager", f);
      copy(md, "Origin", "origin", f);
      copy(md, "KeySpec", "spec", f);
      copy(md, "KeyUsage", "usage", f);
      copy(md, "KeyState", "state", f);
      List<Node> as = aliases.getOrDefault(id, List.of());
      if (!as.isEmpty()) {
        f.add(new Node.Field("aliases", md.source(), new Node.ArrayNode(as, md.source())));
      }
      Node.ObjectNode t = asObject(tagsById.get(id), "");
      Map<String, Node> tagMap = t == null ? Map.of() : tags(t.get("Tags"), "TagKey", "TagValue");
      if (!tagMap.isEmpty()) {
        f.add(new Node.Field("tags", t.source(), objectOf(tagMap, t.source())));
      }
      Node.ObjectNode rot = asObject(rotationById.get(id), "");
      if (rot != null && rot.get("KeyRotationEnabled") != null) {
        List<Node.Field> rf = new ArrayList<>();
        rf.add(field("enabled", rot.get("KeyRotationEnabled")));
        if (rot.get("RotationPeriodInDays") != null) {
          rf.add(field("periodDays", rot.get("RotationPeriodInDays")));
        }
        f.add(new Node.Field("rotation", rot.source(), new Node.ObjectNode(rf, rot.source())));
      }
      Node.ObjectNode mrc = asObject(md.get("MultiRegionConfiguration"), "");
      if (mrc != null && text(mrc, "MultiRegionKeyType") != null) {
        List<Node.Field> mf = new ArrayList<>();
        mf.add(field("role", mrc.get("MultiRegionKeyType")));
        Node.ObjectNode primary = asObject(mrc.get("PrimaryKey"), "");
        if ("REPLICA".equals(text(mrc, "MultiRegionKeyType")) && primary != null && primary.get("Arn") != null) {
          mf.add(field("primary", primary.get("Arn")));
        }
        f.add(new Node.Field("multiRegion", mrc.source(), new Node.ObjectNode(mf, mrc.source())));
      }
      Node.ObjectNode g = asObject(grantsById.get(id), "a list-grants answer");
      if (g == null && grants != null) {
        gap("key", arnText, "the grants of `" + arnText + "` are not in the snapshot (`kms:ListGrants` fills it)",
            md.source());
      }
      List<Node> grantNodes = new ArrayList<>();
      for (Node gn : list(g, "Grants")) {
        Node grant = grant(asObject(gn, "a grant"), arnText);
        if (grant != null) {
          grantNodes.add(grant);
        }
      }
      if (!grantNodes.isEmpty()) {
        f.add(new Node.Field("grants", g.source(), new Node.ArrayNode(grantNodes, g.source())));
      }
      keys.add(new Node.ObjectNode(f, md.source()));
    }
  }

  private Node grant(Node.ObjectNode o, String key) {
    if (o == null) {
      return null;
    }
    String grantee = text(o, "GranteePrincipal");
    if (grantee == null) {
      error("snapshot.shape", "a grant needs `GranteePrincipal`", o.source());
      return null;
    }
    if (!grantee.startsWith("arn:") && !ACCOUNT.matcher(grantee).matches()) {
      gap("key", key, "grant `" + text(o, "GrantId") + "` of `" + key + "` is for `" + grantee
          + "`, a principal Keyward does not model as a grantee; it is left out", o.source());
      return null;
    }
    List<Node.Field> f = new ArrayList<>();
    if (o.get("GrantId") != null) {
      f.add(field("id", o.get("GrantId")));
    }
    String name = text(o, "Name");
    if (name != null && !name.isEmpty()) {
      f.add(field("name", o.get("Name")));
    }
    f.add(field("grantee", o.get("GranteePrincipal")));
    Node ops = o.get("Operations");
    if (ops != null) {
      f.add(field("operations", ops));
    }
    Node.ObjectNode c = asObject(o.get("Constraints"), "`Constraints`");
    if (c != null) {
      List<Node.Field> cf = new ArrayList<>();
      if (c.get("EncryptionContextEquals") != null) {
        cf.add(field("encryptionContextEquals", c.get("EncryptionContextEquals")));
      }
      if (c.get("EncryptionContextSubset") != null) {
        cf.add(field("encryptionContextSubset", c.get("EncryptionContextSubset")));
      }
      f.add(new Node.Field("constraints", c.source(), new Node.ObjectNode(cf, c.source())));
    }
    String retiring = text(o, "RetiringPrincipal");
    if (retiring != null && (retiring.startsWith("arn:") || ACCOUNT.matcher(retiring).matches())) {
      f.add(field("retiringPrincipal", o.get("RetiringPrincipal")));
    }
    return new Node.ObjectNode(f, o.source());
  }

  // ---- EC2 ----

  private void ec2(String region) {
    String base = SnapshotFiles.REGIONS + "/" + region + "/";
    Node.ObjectNode images = object(readIfPresent(base + SnapshotFiles.IMAGES), base + SnapshotFiles.IMAGES,
        "what `aws ec2 describe-images --owners self` prints");
    if (images == null) {
      return;
    }
    Node.ObjectNode attributes = object(readIfPresent(base + SnapshotFiles.IMAGE_ATTRIBUTE),
        base + SnapshotFiles.IMAGE_ATTRIBUTE, "");
    Node.ObjectNode snaps = object(readIfPresent(base + SnapshotFiles.SNAPSHOTS),
        base + SnapshotFiles.SNAPSHOTS, "");
    Map<String, Node> snapshotKeys = new HashMap<>();
    for (Node s : list(snaps, "Snapshots")) {
      Node.ObjectNode so = asObject(s, "a snapshot");
      if (text(so, "SnapshotId") != null && so.get("KmsKeyId") != null) {
        snapshotKeys.put(text(so, "SnapshotId"), so.get("KmsKeyId"));
      }
    }
    Map<String, Node> attributesBy = index(attributes);
    for (Node i : list(images, "Images")) {
      Node.ObjectNode io = asObject(i, "an image");
      String id = text(io, "ImageId");
      if (id == null) {
        continue;
      }
      List<Node.Field> f = new ArrayList<>();
      f.add(field("id", io.get("ImageId")));
      f.add(new Node.Field("account", io.source(), io.get("OwnerId") != null ? io.get("OwnerId")
          : str(account, io.source())));
      f.add(new Node.Field("region", io.source(), str(region, io.source())));
      List<Node> snapshots = new ArrayList<>();
      for (Node m : list(io, "BlockDeviceMappings")) {
        Node.ObjectNode mo = asObject(m, "a block device mapping");
        Node.ObjectNode ebs = mo == null ? null : asObject(mo.get("Ebs"), "");
        String sid = text(ebs, "SnapshotId");
        if (sid == null) {
          continue;
        }
        List<Node.Field> sf = new ArrayList<>();
        sf.add(field("id", ebs.get("SnapshotId")));
        Node key = ebs.get("KmsKeyId") != null ? ebs.get("KmsKeyId") : snapshotKeys.get(sid);
        if (key != null) {
          sf.add(field("key", key));
        }
        snapshots.add(new Node.ObjectNode(sf, ebs.source()));
      }
      f.add(new Node.Field("snapshots", io.source(), new Node.ArrayNode(snapshots, io.source())));
      Node.ObjectNode attr = asObject(attributesBy.get(id), "");
      List<Node> accountsList = new ArrayList<>();
      List<Node> orgs = new ArrayList<>();
      List<Node> ous = new ArrayList<>();
      boolean isPublic = false;
      SourceRef lpAt = attr == null ? io.source() : attr.source();
      for (Node p : list(attr, "LaunchPermissions")) {
        Node.ObjectNode po = asObject(p, "a launch permission");
        if (po == null) {
          continue;
        }
        if (po.get("UserId") != null) {
          accountsList.add(po.get("UserId"));
        } else if ("all".equals(text(po, "Group"))) {
          isPublic = true;
        } else if (po.get("OrganizationArn") != null) {
          orgs.add(po.get("OrganizationArn"));
        } else if (po.get("OrganizationalUnitArn") != null) {
          ous.add(po.get("OrganizationalUnitArn"));
        }
      }
      List<Node.Field> lf = new ArrayList<>();
      lf.add(new Node.Field("accounts", lpAt, new Node.ArrayNode(accountsList, lpAt)));
      lf.add(new Node.Field("organizations", lpAt, new Node.ArrayNode(orgs, lpAt)));
      lf.add(new Node.Field("organizationalUnits", lpAt, new Node.ArrayNode(ous, lpAt)));
      lf.add(new Node.Field("public", lpAt, bool(isPublic, lpAt)));
      f.add(new Node.Field("launchPermissions", lpAt, new Node.ObjectNode(lf, lpAt)));
      this.images.add(new Node.ObjectNode(f, io.source()));
    }
  }

  // ---- gaps the snapshot recorded ----

  private void recordedGaps() {
    Node.ObjectNode root = object(readIfPresent(SnapshotFiles.GAPS), SnapshotFiles.GAPS,
        "the gaps `keyward snapshot` records");
    for (Node g : list(root, "Gaps")) {
      Node.ObjectNode o = asObject(g, "a gap");
      if (o == null) {
        continue;
      }
      String call = text(o, "Call");
      String subject = text(o, "Subject");
      String missing = text(o, "Missing");
      String permission = text(o, "Permission");
      if (call == null || subject == null || missing == null || permission == null) {
        error("snapshot.shape", "a gap needs `Call`, `Subject`, `Missing` and `Permission`", o.source());
        continue;
      }
      if (call.startsWith("organizations:") && !call.equals("organizations:DescribeOrganization")
          && !isManagementSnapshot()) {
        // a member account's view of the organization is not used; one gap says so (see organization())
        continue;
      }
      String scope = subject.startsWith("arn:aws:kms:") ? "key" : call.startsWith("organizations:") ? "scps"
          : call.startsWith("iam:") ? "account" : "region";
      String about = scope.equals("key") ? subject : scope.equals("region") ? account + "/" + subject : account;
      gaps.add(new WorldGap(scope, about, missing + " was not read: `" + call + "` failed ("
          + (text(o, "Error") == null ? "" : text(o, "Error")) + "); `" + permission + "` fills it", o.source()));
    }
  }

  /** True when the organization file names this snapshot's account as the management account. */
  private boolean isManagementSnapshot() {
    Node d = readIfPresentQuiet(SnapshotFiles.ORG);
    if (!(d instanceof Node.ObjectNode)) {
      return false;
    }
    Node org = ((Node.ObjectNode) d).get("Organization");
    return org instanceof Node.ObjectNode && account != null
        && account.equals(text((Node.ObjectNode) org, "MasterAccountId"));
  }

  private Node readIfPresentQuiet(String rel) {
    Path file = dir.resolve(rel);
    return Files.exists(file) ? reader.readFile(file, shown(rel)).root() : null;
  }

  /** Files of the folder that this reader does not know: a folder of another shape, or a misspelling. */
  private void checkKnownFiles() {
    Set<String> known = new LinkedHashSet<>(SnapshotFiles.TOP_LEVEL);
    try (Stream<Path> s = Files.walk(dir, 4)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        String name = rel;
        if (rel.startsWith(SnapshotFiles.REGIONS + "/")) {
          String[] parts = rel.split("/", 3);
          name = parts.length == 3 ? parts[2] : rel;
          if (!SnapshotFiles.REGIONAL.contains(name)) {
            error("snapshot.unknown-file", "`" + shown(rel) + "` is not a file of a snapshot; a Region's folder"
                + " holds " + String.join(", ", SnapshotFiles.REGIONAL), SourceRef.synthetic(shown(rel), ""));
          }
        } else if (!known.contains(name)) {
          error("snapshot.unknown-file", "`" + shown(rel) + "` is not a file of a snapshot; see the snapshot"
              + " documentation for the files it holds", SourceRef.synthetic(shown(rel), ""));
        }
      });
    } catch (IOException e) {
      error("io.error", "cannot list `" + display + "`: " + e.getMessage(), SourceRef.synthetic(display, ""));
    }
  }

  // ---- helpers ----

  /** The fields of a per-resource file by resource id (the last one of a repeated id, as JSON readers do). */
  private static Map<String, Node> index(Node.ObjectNode o) {
    Map<String, Node> out = new HashMap<>();
    if (o != null) {
      for (Node.Field f : o.fields()) {
        out.put(f.key(), f.value());
      }
    }
    return out;
  }

  private Node read(Path file) {
    String rel = dir.relativize(file).toString().replace('\\', '/');
    ReadResult r = reader.readFile(file, shown(rel));
    problems.addAll(r.problems());
    return r.root();
  }

  private Node readIfPresent(String rel) {
    Path file = dir.resolve(rel);
    return Files.exists(file) ? read(file) : null;
  }

  private String shown(String rel) {
    return display + "/" + rel;
  }

  private Node.ObjectNode object(Node n, String rel, String expected) {
    if (n == null) {
      return null;
    }
    if (!(n instanceof Node.ObjectNode)) {
      error("snapshot.shape", "`" + rel + "` must hold a JSON object" + (expected.isEmpty() ? "" : " (" + expected
          + ")") + ", not " + article(n.typeName()), n.source());
      return null;
    }
    return (Node.ObjectNode) n;
  }

  private Node.ObjectNode asObject(Node n, String what) {
    if (n == null || n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NULL) {
      return null;
    }
    if (!(n instanceof Node.ObjectNode)) {
      error("snapshot.shape", (what.isEmpty() ? "this" : what) + " must be an object, not " + article(n.typeName()),
          n.source());
      return null;
    }
    return (Node.ObjectNode) n;
  }

  private List<Node> list(Node.ObjectNode o, String field) {
    if (o == null) {
      return List.of();
    }
    Node n = o.get(field);
    if (n == null || n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NULL) {
      return List.of();
    }
    if (n instanceof Node.ObjectNode && field.equals("AttachedManagedPolicies")) {
      // The AWS CLI documentation's own sample prints one attached policy as an object, not a list of one.
      if (warned.add(n.source())) {
        problems.add(Problem.warning("snapshot.shape", "`" + field + "` should be an array; read as a list of"
            + " one", n.source()));
      }
      return List.of(n);
    }
    if (!(n instanceof Node.ArrayNode)) {
      error("snapshot.shape", "`" + field + "` must be an array, not " + article(n.typeName()), n.source());
      return List.of();
    }
    return ((Node.ArrayNode) n).items();
  }

  private static String text(Node.ObjectNode o, String field) {
    if (o == null) {
      return null;
    }
    Node n = o.get(field);
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() != Node.ScalarType.NULL
        ? ((Node.ScalarNode) n).text() : null;
  }

  private Map<String, Node> tags(Node n, String keyField, String valueField) {
    Map<String, Node> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    if (!(n instanceof Node.ArrayNode)) {
      error("snapshot.shape", "tags must be an array of `{" + keyField + ", " + valueField + "}`", n.source());
      return out;
    }
    for (Node t : ((Node.ArrayNode) n).items()) {
      Node.ObjectNode to = asObject(t, "a tag");
      String k = text(to, keyField);
      if (k != null && to.get(valueField) != null) {
        out.put(k, to.get(valueField));
      }
    }
    return out;
  }

  private static Node objectOf(Map<String, Node> fields, SourceRef at) {
    List<Node.Field> f = new ArrayList<>();
    fields.forEach((k, v) -> f.add(new Node.Field(k, v.source(), v)));
    return new Node.ObjectNode(f, at);
  }

  private static void copy(Node.ObjectNode from, String awsName, String worldName, List<Node.Field> into) {
    Node n = from.get(awsName);
    if (n != null) {
      into.add(field(worldName, n));
    }
  }

  private static Node.Field field(String name, Node value) {
    return new Node.Field(name, value.source(), value);
  }

  private static Node str(String text, SourceRef at) {
    return new Node.ScalarNode(Node.ScalarType.STRING, text, null, at);
  }

  private static Node bool(boolean b, SourceRef at) {
    return new Node.ScalarNode(Node.ScalarType.BOOLEAN, Boolean.toString(b), null, at);
  }

  private static String article(String type) {
    return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
  }

  private void gap(String scope, String subject, String message, SourceRef at) {
    gaps.add(new WorldGap(scope, subject == null ? "" : subject, message, at));
  }

  private void error(String code, String message, SourceRef at) {
    problems.add(Problem.error(code, message, at));
  }
}
