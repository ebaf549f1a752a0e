package dev.keyward.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Reads one account's environment with read-only calls into a folder of plain JSON files, each in the shape
 * the AWS CLI prints for its call (see the snapshot documentation for the command behind every file). A call
 * that AWS refuses is recorded as a {@link Gap} and the snapshot goes on; throttled calls are retried with
 * backoff. Nothing is ever written to AWS.
 */
public final class SnapshotCollector {

  /** What to read and where to write it. {@code endpoint} null means AWS itself. */
  public record Options(String profile, List<String> regions, boolean allRegions, URI endpoint, Path out) {
    public Options {
      regions = List.copyOf(regions);
    }
  }

  /** What was read: the account, counts by kind (in a stable order) and every gap. */
  public record Result(String account, String callerArn, Map<String, Integer> counts, List<Gap> gaps,
      int retries) {
    public Result {
      counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
      gaps = List.copyOf(gaps);
    }
  }

  /** Told of each step, for progress on a terminal. */
  public interface Progress {
    void step(String text);
  }

  /** The snapshot cannot start: no region, no credentials, or the endpoint answers no identity. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    StartException(String message) {
      super(message);
    }
  }

  private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException",
      "UnauthorizedOperation", "AuthorizationError", "UnauthorizedAccess", "Forbidden", "AllAccessDisabled",
      "InvalidClientTokenId", "UnrecognizedClientException", "NotAuthorized");

  private final Options options;
  private final Progress progress;
  private final Backoff backoff;
  private final List<Gap> gaps = new ArrayList<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();

  private SnapshotCollector(Options options, Progress progress, Backoff backoff) {
    this.options = options;
    this.progress = progress;
    this.backoff = backoff;
  }

  /** Collects; throws only when the snapshot cannot start, and for failures to write the folder. */
  public static Result collect(Options options, Progress progress) throws StartException, IOException {
    return new SnapshotCollector(options, progress, Backoff.standard()).run();
  }

  private Result run() throws StartException, IOException {
    String home = homeRegion();
    AwsCredentialsProvider credentials = new CredentialSources(System.getenv()).find(options.profile());
    try (SdkHttpClient http = Apache5HttpClient.create()) {
      StsClient sts = client(StsClient.builder(), http, credentials, home);
      GetCallerIdentityResponse me;
      try {
        me = backoff.run(sts::getCallerIdentity);
      } catch (SdkException e) {
        throw new StartException("cannot tell who the credentials belong to (sts:GetCallerIdentity): "
            + message(e));
      }
      Files.createDirectories(options.out());
      write("sts/get-caller-identity.json", AwsShapes.of(me, false));
      progress.step("account " + me.account());
      iam(client(IamClient.builder(), http, credentials, home));
      URI orgEndpoint = options.endpoint() == null ? OrganizationsCalls.defaultEndpoint() : options.endpoint();
      organizations(new OrganizationsCalls(http, credentials, orgEndpoint, "us-east-1"));
      s3(client(S3Client.builder().forcePathStyle(options.endpoint() != null).crossRegionAccessEnabled(true),
          http, credentials, home));
      List<String> regions = options.regions();
      if (options.allRegions()) {
        Ec2Client ec2 = client(Ec2Client.builder(), http, credentials, home);
        ArrayNode names = AwsShapes.array();
        List<String> found = new ArrayList<>();
        Object r = call("ec2:DescribeRegions", home, "the list of Regions enabled for the account",
            () -> ec2.describeRegions());
        if (r instanceof software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse) {
          for (var region : ((software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse) r).regions()) {
            found.add(region.regionName());
            names.add(region.regionName());
          }
        }
        regions = found.isEmpty() ? List.of(home) : found;
      }
      for (String region : regions) {
        kms(client(KmsClient.builder(), http, credentials, region), region);
        ec2(client(Ec2Client.builder(), http, credentials, region), region);
      }
      writeGaps();
      return new Result(me.account(), me.arn(), counts, gaps, backoff.retries());
    }
  }

  private String homeRegion() throws StartException {
    if (!options.regions().isEmpty()) {
      return options.regions().get(0);
    }
    try {
      var chain = software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain.builder();
      if (options.profile() != null) {
        chain.profileName(options.profile());
      }
      return chain.build().getRegion().id();
    } catch (SdkClientException e) {
      if (options.allRegions()) {
        return "us-east-1";
      }
      throw new StartException("no Region: name one or more with --region, or use --all-regions");
    }
  }

  private <C, B extends AwsClientBuilder<B, C>> C client(B builder, SdkHttpClient http,
      AwsCredentialsProvider credentials, String region) {
    builder.credentialsProvider(credentials).region(Region.of(region))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder) {
      ((software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?>) builder).httpClient(http);
    }
    return builder.build();
  }

  // ---- IAM ----

  private void iam(IamClient iam) throws IOException {
    progress.step("iam: get-account-authorization-details");
    ObjectNode merged = AwsShapes.object();
    String[] lists = {"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"};
    for (String l : lists) {
      merged.putArray(l);
    }
    String marker = null;
    boolean complete = true;
    do {
      String m = marker;
      Object page = call("iam:GetAccountAuthorizationDetails", "IAM",
          "the account's users, groups, roles and managed policies",
          () -> iam.getAccountAuthorizationDetails(b -> b.marker(m)));
      if (!(page instanceof GetAccountAuthorizationDetailsResponse)) {
        complete = false;
        break;
      }
      GetAccountAuthorizationDetailsResponse r = (GetAccountAuthorizationDetailsResponse) page;
      ObjectNode shaped = AwsShapes.of(r, true);
      for (String l : lists) {
        if (shaped.get(l) instanceof ArrayNode) {
          ((ArrayNode) merged.get(l)).addAll((ArrayNode) shaped.get(l));
        }
      }
      marker = Boolean.TRUE.equals(r.isTruncated()) ? r.marker() : null;
      progress.step("iam: " + merged.get("RoleDetailList").size() + " roles");
    } while (marker != null);
    if (complete) {
      write("iam/get-account-authorization-details.json", merged);
      count("roles", merged.get("RoleDetailList").size());
      count("users", merged.get("UserDetailList").size());
      count("groups", merged.get("GroupDetailList").size());
      count("managed policies", merged.get("Policies").size());
    }
  }

  // ---- Organizations ----

  private void organizations(OrganizationsCalls org) throws IOException {
    progress.step("organizations: describe-organization");
    Object d = call("organizations:DescribeOrganization", "Organizations",
        "the organization the account belongs to", () -> org.call("DescribeOrganization", AwsShapes.object()),
        "AWSOrganizationsNotInUseException");
    if (!(d instanceof ObjectNode)) {
      return;
    }
    write("organizations/describe-organization.json", (ObjectNode) d);
    Object roots = call("organizations:ListRoots", "Organizations",
        "the organization's root, units, accounts and SCPs/RCPs (readable from the management account or a"
            + " delegated administrator)", () -> org.all("ListRoots", AwsShapes.object(), "Roots", backoff));
    if (!(roots instanceof ObjectNode)) {
      return;
    }
    write("organizations/list-roots.json", (ObjectNode) roots);
    ObjectNode units = AwsShapes.object();
    ObjectNode accounts = AwsShapes.object();
    List<String> parents = new ArrayList<>();
    for (JsonNode r : ((ObjectNode) roots).path("Roots")) {
      parents.add(r.path("Id").asText());
    }
    int unitCount = 0;
    int accountCount = 0;
    // Breadth first through the tree of units: every parent's units and accounts.
    for (int i = 0; i < parents.size(); i++) {
      String parent = parents.get(i);
      progress.step("organizations: " + parent);
      ObjectNode req = AwsShapes.object().put("ParentId", parent);
      Object u = call("organizations:ListOrganizationalUnitsForParent", parent,
          "the organizational units below `" + parent + "`",
          () -> org.all("ListOrganizationalUnitsForParent", req, "OrganizationalUnits", backoff));
      if (u instanceof ObjectNode) {
        units.set(parent, (ObjectNode) u);
        for (JsonNode ou : ((ObjectNode) u).get("OrganizationalUnits")) {
          parents.add(ou.path("Id").asText());
          unitCount++;
        }
      }
      Object a = call("organizations:ListAccountsForParent", parent, "the accounts directly below `" + parent + "`",
          () -> org.all("ListAccountsForParent", req, "Accounts", backoff));
      if (a instanceof ObjectNode) {
        accounts.set(parent, (ObjectNode) a);
        accountCount += ((ObjectNode) a).get("Accounts").size();
      }
    }
    write("organizations/list-organizational-units-for-parent.json", units);
    write("organizations/list-accounts-for-parent.json", accounts);
    count("organizational units", unitCount);
    count("organization accounts", accountCount);
    ObjectNode lists = AwsShapes.object();
    ObjectNode described = AwsShapes.object();
    ObjectNode targets = AwsShapes.object();
    int policies = 0;
    for (String filter : List.of("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY")) {
      ObjectNode req = AwsShapes.object().put("Filter", filter);
      Object l = call("organizations:ListPolicies", filter, "the organization's " + filter + " policies",
          () -> org.all("ListPolicies", req, "Policies", backoff), "PolicyTypeNotEnabledException");
      if (!(l instanceof ObjectNode)) {
        continue;
      }
      lists.set(filter, (ObjectNode) l);
      for (JsonNode p : ((ObjectNode) l).get("Policies")) {
        String id = p.path("Id").asText();
        progress.step("organizations: policy " + id);
        ObjectNode byId = AwsShapes.object().put("PolicyId", id);
        Object dp = call("organizations:DescribePolicy", id, "the text of policy `" + id + "`",
            () -> org.call("DescribePolicy", byId));
        if (dp instanceof ObjectNode) {
          described.set(id, (ObjectNode) dp);
          policies++;
        }
        Object t = call("organizations:ListTargetsForPolicy", id, "where policy `" + id + "` is attached",
            () -> org.all("ListTargetsForPolicy", byId, "Targets", backoff));
        if (t instanceof ObjectNode) {
          targets.set(id, (ObjectNode) t);
        }
      }
    }
    write("organizations/list-policies.json", lists);
    write("organizations/describe-policy.json", described);
    write("organizations/list-targets-for-policy.json", targets);
    count("SCPs and RCPs", policies);
  }

  // ---- S3 ----

  private void s3(S3Client s3) throws IOException {
    progress.step("s3: list-buckets");
    Object list = call("s3:ListAllMyBuckets", "S3", "the account's buckets", () -> {
      ObjectNode merged = AwsShapes.object();
      ArrayNode buckets = merged.putArray("Buckets");
      for (var page : s3.listBucketsPaginator(b -> { })) {
        ObjectNode shaped = AwsShapes.of(page, false);
        if (shaped.get("Buckets") instanceof ArrayNode) {
          buckets.addAll((ArrayNode) shaped.get("Buckets"));
        }
        if (shaped.has("Owner")) {
          merged.set("Owner", shaped.get("Owner"));
        }
      }
      return merged;
    });
    if (!(list instanceof ObjectNode)) {
      return;
    }
    write("s3/list-buckets.json", (ObjectNode) list);
    ObjectNode location = AwsShapes.object();
    ObjectNode encryption = AwsShapes.object();
    ObjectNode policy = AwsShapes.object();
    ObjectNode replication = AwsShapes.object();
    int n = 0;
    for (JsonNode b : ((ObjectNode) list).get("Buckets")) {
      String name = b.path("Name").asText();
      progress.step("s3: " + name);
      n++;
      put(location, name, call("s3:GetBucketLocation", name, "the Region of bucket `" + name + "`",
          () -> s3.getBucketLocation(r -> r.bucket(name))));
      put(encryption, name, call("s3:GetEncryptionConfiguration", name,
          "the default encryption of bucket `" + name + "`", () -> s3.getBucketEncryption(r -> r.bucket(name)),
          "ServerSideEncryptionConfigurationNotFoundError"));
      put(policy, name, call("s3:GetBucketPolicy", name, "the bucket policy of `" + name + "`",
          () -> s3.getBucketPolicy(r -> r.bucket(name)), "NoSuchBucketPolicy"));
      put(replication, name, call("s3:GetReplicationConfiguration", name,
          "the replication configuration of bucket `" + name + "`",
          () -> s3.getBucketReplication(r -> r.bucket(name)), "ReplicationConfigurationNotFoundError"));
    }
    write("s3/get-bucket-location.json", location);
    write("s3/get-bucket-encryption.json", encryption);
    write("s3/get-bucket-policy.json", policy);
    write("s3/get-bucket-replication.json", replication);
    count("buckets", n);
  }

  // ---- KMS ----

  private void kms(KmsClient kms, String region) throws IOException {
    String dir = "regions/" + region + "/kms/";
    progress.step("kms " + region + ": list-keys");
    Object keys = call("kms:ListKeys", region, "the keys in " + region, () -> {
      ObjectNode merged = AwsShapes.object();
      ArrayNode all = merged.putArray("Keys");
      for (KeyListEntry k : kms.listKeysPaginator(b -> { }).keys()) {
        all.add(AwsShapes.of(k, false));
      }
      return merged;
    });
    if (!(keys instanceof ObjectNode)) {
      return;
    }
    write(dir + "list-keys.json", (ObjectNode) keys);
    Object aliases = call("kms:ListAliases", region, "the aliases in " + region, () -> {
      ObjectNode merged = AwsShapes.object();
      ArrayNode all = merged.putArray("Aliases");
      for (var a : kms.listAliasesPaginator(b -> { }).aliases()) {
        all.add(AwsShapes.of(a, false));
      }
      return merged;
    });
    if (aliases instanceof ObjectNode) {
      write(dir + "list-aliases.json", (ObjectNode) aliases);
    }
    ObjectNode describe = AwsShapes.object();
    ObjectNode policies = AwsShapes.object();
    ObjectNode grants = AwsShapes.object();
    ObjectNode rotation = AwsShapes.object();
    ObjectNode tags = AwsShapes.object();
    int keyCount = 0;
    int grantCount = 0;
    for (JsonNode k : ((ObjectNode) keys).get("Keys")) {
      String id = k.path("KeyId").asText();
      String arn = k.path("KeyArn").asText(id);
      keyCount++;
      progress.step("kms " + region + ": key " + keyCount + " of " + ((ObjectNode) keys).get("Keys").size());
      put(describe, id, call("kms:DescribeKey", arn, "the configuration of key `" + arn + "`",
          () -> kms.describeKey(r -> r.keyId(id))));
      put(policies, id, call("kms:GetKeyPolicy", arn, "the key policy of `" + arn + "`",
          () -> kms.getKeyPolicy(r -> r.keyId(id).policyName("default"))));
      Object g = call("kms:ListGrants", arn, "the grants of key `" + arn + "`", () -> {
        ObjectNode merged = AwsShapes.object();
        ArrayNode all = merged.putArray("Grants");
        for (var grant : kms.listGrantsPaginator(r -> r.keyId(id)).grants()) {
          all.add(AwsShapes.of(grant, false));
        }
        return merged;
      }, "KMSInvalidStateException");
      if (g instanceof ObjectNode) {
        grants.set(id, (ObjectNode) g);
        grantCount += ((ObjectNode) g).get("Grants").size();
      }
      // Rotation status and tags exist only for some keys (customer managed, symmetric); AWS answers
      // UnsupportedOperationException or AccessDenied-free errors for the rest, which are not gaps.
      put(rotation, id, call("kms:GetKeyRotationStatus", arn, "the rotation status of key `" + arn + "`",
          () -> kms.getKeyRotationStatus(r -> r.keyId(id)), "UnsupportedOperationException",
          "KMSInvalidStateException"));
      put(tags, id, call("kms:ListResourceTags", arn, "the tags of key `" + arn + "`", () -> {
        ObjectNode merged = AwsShapes.object();
        ArrayNode all = merged.putArray("Tags");
        for (var t : kms.listResourceTagsPaginator(r -> r.keyId(id)).tags()) {
          all.add(AwsShapes.of(t, false));
        }
        return merged;
      }, "UnsupportedOperationException", "KMSInvalidStateException"));
    }
    write(dir + "describe-key.json", describe);
    write(dir + "get-key-policy.json", policies);
    write(dir + "list-grants.json", grants);
    write(dir + "get-key-rotation-status.json", rotation);
    write(dir + "list-resource-tags.json", tags);
    count("keys", keyCount);
    count("grants", grantCount);
  }

  // ---- EC2 ----

  private void ec2(Ec2Client ec2, String region) throws IOException {
    String dir = "regions/" + region + "/ec2/";
    progress.step("ec2 " + region + ": describe-images");
    Object images = call("ec2:DescribeImages", region, "the AMIs the account owns in " + region, () -> {
      DescribeImagesResponse r = ec2.describeImages(b -> b.owners("self"));
      return AwsShapes.of(r, false);
    });
    if (images instanceof ObjectNode) {
      write(dir + "describe-images.json", (ObjectNode) images);
      ObjectNode attributes = AwsShapes.object();
      int n = 0;
      for (JsonNode image : ((ObjectNode) images).path("Images")) {
        String id = image.path("ImageId").asText();
        n++;
        put(attributes, id, call("ec2:DescribeImageAttribute", id, "the launch permissions of AMI `" + id + "`",
            () -> ec2.describeImageAttribute(b -> b.imageId(id).attribute(ImageAttributeName.LAUNCH_PERMISSION))));
      }
      write(dir + "describe-image-attribute.json", attributes);
      count("images", n);
    }
    Object snapshots = call("ec2:DescribeSnapshots", region, "the EBS snapshots the account owns in " + region,
        () -> {
          ObjectNode merged = AwsShapes.object();
          ArrayNode all = merged.putArray("Snapshots");
          for (DescribeSnapshotsResponse page : ec2.describeSnapshotsPaginator(b -> b.ownerIds("self"))) {
            ObjectNode shaped = AwsShapes.of(page, false);
            if (shaped.get("Snapshots") instanceof ArrayNode) {
              all.addAll((ArrayNode) shaped.get("Snapshots"));
            }
          }
          return merged;
        });
    if (snapshots instanceof ObjectNode) {
      write(dir + "describe-snapshots.json", (ObjectNode) snapshots);
    }
  }

  // ---- calls, gaps and files ----

  /** Marks an answer AWS gave as "there is none" (an expected not-found error): nothing to write. */
  private static final Object NONE = new Object();

  /**
   * Runs one read call with backoff. Returns the response (an SDK response or a JSON object), {@link #NONE}
   * when AWS answered with one of {@code absent} (the thing does not exist), or null when the call failed:
   * then a gap is recorded and the snapshot goes on.
   */
  private Object call(String permission, String subject, String missing, Supplier<?> call, String... absent) {
    try {
      return backoff.run(call);
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (code != null && List.of(absent).contains(code)) {
        return NONE;
      }
      String text = (code == null ? "HTTP " + e.statusCode() : code) + ": " + detail(e);
      gaps.add(new Gap(permission, subject, missing, permission, text));
      return null;
    } catch (SdkClientException e) {
      gaps.add(new Gap(permission, subject, missing, permission, "no answer: " + message(e)));
      return null;
    }
  }

  private static String detail(AwsServiceException e) {
    String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return m == null || m.isBlank() ? "(no message)" : m.strip();
  }

  private static String message(SdkException e) {
    String m = e.getMessage();
    if (m == null) {
      return "no answer";
    }
    if (m.startsWith("Unable to load credentials")) {
      return "no AWS credentials found: name a profile with --profile (or AWS_PROFILE), or set"
          + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
    }
    if (m.startsWith("Profile file contained no credentials")) {
      return "the profile has no credentials: " + m.replaceAll(": ProfileFile\\(.*", "");
    }
    m = m.lines().findFirst().orElse(m).strip();
    int cut = m.indexOf(" (SDK Attempt Count");
    return cut > 0 ? m.substring(0, cut) : m;
  }

  private static void put(ObjectNode into, String field, Object response) {
    if (response instanceof SdkPojo) {
      into.set(field, AwsShapes.of((SdkPojo) response, false));
    } else if (response instanceof ObjectNode) {
      into.set(field, (ObjectNode) response);
    }
  }

  private void count(String what, int n) {
    counts.merge(what, n, Integer::sum);
  }

  private void write(String relative, JsonNode json) throws IOException {
    Path file = options.out().resolve(relative);
    Files.createDirectories(file.getParent());
    AwsShapes.MAPPER.writeValue(file.toFile(), json);
  }

  private void writeGaps() throws IOException {
    ObjectNode root = AwsShapes.object();
    ArrayNode list = root.putArray("Gaps");
    for (Gap g : gaps) {
      list.addObject().put("Call", g.call()).put("Subject", g.subject()).put("Missing", g.missing())
          .put("Permission", g.permission()).put("Error", g.error());
    }
    write(dev.keyward.world.SnapshotFiles.GAPS, root);
  }
}
