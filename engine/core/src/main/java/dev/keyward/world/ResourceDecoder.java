package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes the resources a world may declare beside its keys: buckets (with replication), images, identities
 * and VPC endpoints, and checks the key references they make.
 */
final class ResourceDecoder extends WorldReading {

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

  private final PolicyDecoder policyDecoder;
  private final PrincipalDecoder principalDecoder;
  private final KeyDecoder keyDecoder;

  ResourceDecoder(WorldReading from, PolicyDecoder policyDecoder, PrincipalDecoder principalDecoder,
      KeyDecoder keyDecoder) {
    super(from);
    this.policyDecoder = policyDecoder;
    this.principalDecoder = principalDecoder;
    this.keyDecoder = keyDecoder;
  }

  /** A VPC endpoint: id, VPC, account and policy (absent: the default policy, full access). */
  VpcEndpoint vpcEndpoint(Node n) {
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
    PolicyDocument policy = o.get("policy") == null ? null : policyDecoder.policy(o.get("policy"), PolicyType.RESOURCE);
    return id == null ? null : new VpcEndpoint(id, vpc, account, policy, o.source());
  }
  Bucket bucket(Node n) {
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
      policy = policyDecoder.policy(o.get("policy"), PolicyType.RESOURCE);
    }
    Bucket.Replication replication = null;
    Node rn = o.get("replication");
    if (rn != null) {
      Node.ObjectNode r = object(rn, "`replication`");
      if (r != null) {
        checkFields(r, REPLICATION, "`replication`");
        String role = requiredString(r, "role", "`replication`");
        if (role != null && principalDecoder.principalArn(role, r.get("role").source()) != null
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

  Bucket.ReplicationRule replicationRule(Node n) {
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

  Image image(Node n) {
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
      if (principal != null && keyDecoder.grantPrincipal(principal, l.get("principal").source(), "principal") == null) {
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

  Identity identity(Node n) {
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
                  && a.resourceId().indexOf('/') > 0
              || a.service().equals("sts") && a.resourceType().equals("federated-user")
                  && !a.resourceId().isEmpty());
      if (ok && a.resourceType().equals("user")
          && !principalDecoder.iamNameOk(principal, a, o.get("principal").source())) {
        principal = null;
      } else if (!ok) {
        error("world.invalid-identity-principal", "credentials belong to a user, a role session"
            + " (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), a federated user"
            + " (`arn:aws:sts::ACCOUNT:federated-user/NAME`) or an account root, not `" + principal + "`",
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
    dev.keyward.request.Session session = dev.keyward.request.Session.NONE;
    Node sn = o.get("session");
    if (sn != null) {
      SessionReader.Result sr = SessionReader.read(sn, worldName + "#" + sn.source().pointer(), parser);
      problems().addAll(sr.problems());
      session = sr.session();
    }
    if (principal != null && session != null && (sn != null || principal.contains(":federated-user/"))) {
      Node.ObjectNode so = sn instanceof Node.ObjectNode ? (Node.ObjectNode) sn : null;
      for (Problem p : SessionReader.checkFor(principal, session, sn != null ? sn.source() : o.get("principal")
          .source(), f -> so != null && so.get(f) != null ? so.get(f).source() : sn.source())) {
        String code = p.code().equals("session.without-session-principal") ? "world.session-without-role-session"
            : p.code();
        error(code, p.message(), p.where());
        session = null;
      }
    }
    if (keyId == null || secret == null || principal == null || session == null) {
      return null;
    }
    return new Identity(keyId, secret, principal, token, expiration, session, o.source());
  }

  /** A key named by key ARN or alias ARN (for buckets, images, replication). */
  void keyReference(String ref, SourceRef at, String field) {
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
}
