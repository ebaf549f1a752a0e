package dev.keyward.template;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import dev.keyward.world.AwsManagedPolicies;
import dev.keyward.world.Bucket;
import dev.keyward.world.KeyMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CloudFormation template (JSON or YAML, short-form tags included) into a {@link Template}.
 * Source of the resource properties: the AWS CloudFormation resource and property reference
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html).
 */
final class CloudFormationReader {

  private final String file;
  private final Node.ObjectNode root;
  private final TemplateInputs inputs;
  private final CfnResolver resolver;
  private final Policies policyReader;
  private final List<Problem> problems;
  private final String hint;

  private final List<Template.TemplateKey> keys = new ArrayList<>();
  private final List<Bucket> buckets = new ArrayList<>();
  /** Resources that exist only under a condition that is unknown: their policies allow nothing. */
  private final java.util.Set<String> conditional = new java.util.HashSet<>();
  /** SCPs and RCPs attached to accounts, and KMS VPC endpoints. */
  private final OrganizationParts organization;

  CloudFormationReader(String file, Node.ObjectNode root, TemplateInputs inputs, List<Problem> problems) {
    this.file = file;
    this.root = root;
    this.inputs = inputs;
    this.resolver = new CfnResolver(root, inputs);
    this.problems = problems;
    this.hint = "; `can`, `who-can` and `check` take it with --parameter, --account or --region";
    this.policyReader = new Policies(problems, hint);
    this.organization = new OrganizationParts(problems);
  }

  /** A resource: its logical id, its resolved properties and where it was written. */
  private record Res(String id, String type, Node.ObjectNode props, SourceRef source) {
    Node get(String name) {
      return props.get(name);
    }

    SourceRef at(String name) {
      Node n = props.get(name);
      return n == null ? source : n.source();
    }
  }

  Template read() {
    Node rs = root.get("Resources");
    List<Res> all = new ArrayList<>();
    if (rs != null && !(rs instanceof Node.ObjectNode)) {
      problems.add(Problem.error("template.wrong-type", "`Resources` must be an object of named resources, not "
          + rs.typeName(), rs.source()));
    }
    if (rs instanceof Node.ObjectNode) {
      for (Node.Field f : ((Node.ObjectNode) rs).fields()) {
        if (!(f.value() instanceof Node.ObjectNode)) {
          problems.add(Problem.error("template.wrong-type", "resource `" + f.key() + "` must be an object with a"
              + " `Type`, not " + f.value().typeName(), f.value().source()));
          continue;
        }
        Node.ObjectNode r = (Node.ObjectNode) f.value();
        String type = CfnResolver.typeOf(r);
        if (type == null) {
          problems.add(Problem.error("template.missing-type", "resource `" + f.key() + "` has no `Type`",
              f.keySource()));
          continue;
        }
        Boolean created = resolver.created(r);
        if (Boolean.FALSE.equals(created)) {
          continue;
        }
        if (created == null) {
          conditional.add(f.key());
          problems.add(Problem.warning("template.conditional-resource", "resource `" + f.key() + "` exists only if "
              + "condition `" + CfnResolver.text(r.get("Condition")) + "` holds, which is unknown until deployment; "
              + "its policies' denies are counted and their allows are not", f.keySource()));
        }
        Node props = resolver.resolve(r.get("Properties"));
        all.add(new Res(f.key(), type, props instanceof Node.ObjectNode ? (Node.ObjectNode) props
            : new Node.ObjectNode(List.of(), r.source()), f.keySource()));
      }
    }
    // identity policies attached to roles and users by name (AWS::IAM::Policy, AWS::IAM::ManagedPolicy)
    Map<String, List<PolicyDocument>> byRoleName = new HashMap<>();
    Map<String, List<PolicyDocument>> byUserName = new HashMap<>();
    Map<String, PolicyDocument> managedByArn = new HashMap<>();
    Map<String, String> aliasTargets = new LinkedHashMap<>();
    Map<String, List<String>> bucketPolicyNames = new HashMap<>();
    Map<String, PolicyDocument> bucketPolicies = new HashMap<>();
    for (Res r : all) {
      switch (r.type) {
        case "AWS::IAM::Policy":
        case "AWS::IAM::ManagedPolicy": {
          PolicyDocument d = policy(r, "PolicyDocument", PolicyType.IDENTITY);
          if (d == null) {
            break;
          }
          for (String n : strings(r.get("Roles"))) {
            byRoleName.computeIfAbsent(n, k -> new ArrayList<>()).add(d);
          }
          for (String n : strings(r.get("Users"))) {
            byUserName.computeIfAbsent(n, k -> new ArrayList<>()).add(d);
          }
          if (r.type.equals("AWS::IAM::ManagedPolicy")) {
            String arn = resolver.arn(r.id, resolver.resource(r.id));
            if (arn != null) {
              managedByArn.put(arn, d);
            }
            // `!Ref Policy` stays unknown without the account, but it still names this policy
            managedByArn.put("!Ref " + r.id, d);
          }
          break;
        }
        case "AWS::KMS::Alias": {
          String name = CfnResolver.text(r.get("AliasName"));
          String target = CfnResolver.text(r.get("TargetKeyId"));
          if (name != null && target != null) {
            aliasTargets.put(name, target);
          } else {
            problems.add(Problem.warning("template.unknown", "alias `" + r.id + "` has a name or target unknown until "
                + "deployment: it is not attached to any key" + hint, r.source));
          }
          break;
        }
        case "AWS::S3::BucketPolicy": {
          PolicyDocument d = policy(r, "PolicyDocument", PolicyType.RESOURCE);
          String bucket = CfnResolver.text(r.get("Bucket"));
          if (d != null && bucket != null) {
            bucketPolicies.put(bucket, d);
          } else if (d != null) {
            problems.add(Problem.warning("template.unknown", "bucket policy `" + r.id + "` names a bucket unknown until "
                + "deployment: it is attached to no bucket" + hint, r.at("Bucket")));
          }
          break;
        }
        case "AWS::Organizations::Policy":
          organizationPolicy(r);
          break;
        case "AWS::Organizations::Organization":
          organization.organization(r.id, resolver.physicalId(r.id, resolver.resource(r.id)), null, null, r.source);
          break;
        case "AWS::Organizations::OrganizationalUnit":
          organization.unit(r.id, resolver.physicalId(r.id, resolver.resource(r.id)), CfnResolver.text(r.get("Name")),
              organizationRef(r.get("ParentId")), r.source);
          break;
        case "AWS::Organizations::Account": {
          // AWS allows one parent; ParentIds is a list of one
          Node parents = r.get("ParentIds");
          Node parent = parents instanceof Node.ArrayNode && !((Node.ArrayNode) parents).items().isEmpty()
              ? ((Node.ArrayNode) parents).items().get(0) : parents;
          organization.account(r.id, resolver.physicalId(r.id, resolver.resource(r.id)),
              parent == null ? OrganizationParts.ROOT : organizationRef(parent), r.source);
          break;
        }
        case "AWS::EC2::VPCEndpoint": {
          // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpoint.html
          PolicyDocument d = r.get("PolicyDocument") == null ? null : policy(r, "PolicyDocument", PolicyType.RESOURCE);
          organization.endpoint(r.id, CfnResolver.text(r.get("ServiceName")), CfnResolver.text(r.get("VpcId")),
              inputs.accountId(), d, r.source);
          break;
        }
        default:
          otherPolicies(r);
          break;
      }
    }
    List<Template.TemplatePrincipal> principals = new ArrayList<>();
    for (Res r : all) {
      switch (r.type) {
        case "AWS::KMS::Key":
        case "AWS::KMS::ReplicaKey":
          keys.add(key(r));
          break;
        case "AWS::IAM::Role":
        case "AWS::IAM::User":
          principals.add(principal(r, r.type.equals("AWS::IAM::Role") ? byRoleName : byUserName, managedByArn));
          break;
        case "AWS::S3::Bucket":
          bucket(r, bucketPolicies);
          break;
        default:
          break;
      }
    }
    List<Template.TemplateKey> withAliases = new ArrayList<>();
    for (Template.TemplateKey k : keys) {
      List<String> aliases = new ArrayList<>(k.metadata().aliases());
      for (Map.Entry<String, String> a : aliasTargets.entrySet()) {
        String t = a.getValue();
        if (t.equals(k.id()) || t.equals(k.arn()) || (k.arn() != null && k.arn().endsWith(":key/" + t))) {
          aliases.add(a.getKey());
        }
      }
      KeyMetadata m = k.metadata();
      withAliases.add(new Template.TemplateKey(k.id(), k.arn(), new KeyMetadata(m.manager(), m.origin(), m.spec(),
          m.usage(), m.state(), aliases, m.rotationEnabled(), m.rotationPeriodDays(), m.multiRegionRole(),
          m.primaryArn()), k.policy(), k.policyDeclared(), k.pendingWindowDays(), k.replica(), k.grants(),
          k.declaredAt(), k.source()));
    }
    return new Template(file, Template.Kind.CLOUDFORMATION, policyReader.sites, withAliases, principals, buckets, List.of(),
        inputs.accountId(), inputs.regionName(), organization.accounts(), organization.endpoints(),
        organization.organizations());
  }

  /**
   * {@code AWS::Organizations::Policy}: {@code Type}, {@code Content} (an object or a JSON string) and
   * {@code TargetIds}
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-organizations-policy.html).
   * SCPs and RCPs are read; other policy types (tag, backup, AI opt-out, ...) do not decide requests.
   */
  private void organizationPolicy(Res r) {
    String type = CfnResolver.text(r.get("Type"));
    if (type == null) {
      if (r.get("Type") != null) {
        problems.add(Problem.warning("template.unknown", "`" + r.id + ".Type` is unknown until deployment: if the"
            + " policy is an SCP or RCP, it is not applied" + hint, r.at("Type")));
      }
      return;
    }
    if (!OrganizationParts.evaluated(type)) {
      return;
    }
    PolicyDocument d = policy(r, "Content", OrganizationParts.SCP.equals(type) ? PolicyType.SCP : PolicyType.RCP);
    Node targets = r.get("TargetIds");
    if (targets instanceof Node.ArrayNode) {
      for (Node t : ((Node.ArrayNode) targets).items()) {
        organization.attach(r.id, type, d, organizationRef(t), shown(t), t.source());
      }
    } else if (targets != null) {
      organization.attach(r.id, type, d, organizationRef(targets), shown(targets), targets.source());
    }
  }

  /**
   * A root, unit or account as {@link OrganizationParts} takes it: the id as written, {@code @LOGICAL_ID} for an
   * Organizations resource of the template named by {@code !Ref} or {@code !GetAtt} whose id is unknown until
   * deployment ({@code @LOGICAL_ID.root} for an organization's {@code RootId}), else null.
   */
  private String organizationRef(Node n) {
    String text = CfnResolver.text(n);
    if (text != null) {
      return text;
    }
    if (!CfnResolver.isUnknown(n)) {
      return null;
    }
    String what = ((Node.ScalarNode) n).text();
    String logical;
    String attr = null;
    if (what.startsWith("!Ref ")) {
      logical = what.substring(5);
    } else if (what.startsWith("!GetAtt ") && what.indexOf('.') > 8) {
      logical = what.substring(8, what.indexOf('.'));
      attr = what.substring(what.indexOf('.') + 1);
    } else {
      return null;
    }
    Node.ObjectNode r = resolver.resource(logical);
    String type = r == null ? null : CfnResolver.typeOf(r);
    if (type == null || !type.startsWith("AWS::Organizations::")) {
      return null;
    }
    return "AWS::Organizations::Organization".equals(type) && "RootId".equals(attr) ? "@" + logical + ".root"
        : "@" + logical;
  }

  /** How a target is written, for messages: its text, or what an unknown value stands for. */
  private static String shown(Node n) {
    String text = CfnResolver.text(n);
    return text != null ? text : CfnResolver.isUnknown(n) ? ((Node.ScalarNode) n).text() : null;
  }

  // ---------------------------------------------------------------------------------------------------

  /**
   * The policies of resource types that Keyward does not model (topics, queues, secrets, repositories, log
   * groups, domains, vaults, file systems, APIs, access points, groups, permission sets): read so that the
   * linter checks their statements (actions, condition keys, principals), as it checks those of the types it
   * models; they take no part in the world's answers.
   */
  private void otherPolicies(Res r) {
    switch (r.type) {
      case "AWS::SNS::TopicPolicy":
      case "AWS::SQS::QueuePolicy":
      case "AWS::Logs::ResourcePolicy":
        policy(r, "PolicyDocument", PolicyType.RESOURCE);
        break;
      case "AWS::SecretsManager::ResourcePolicy":
        policy(r, "ResourcePolicy", PolicyType.RESOURCE);
        break;
      case "AWS::ECR::Repository":
        // A repository policy's statements name no resource: the repository is the resource
        policyReader.read(r.id, r.id + ".RepositoryPolicyText", r.get("RepositoryPolicyText"),
            file + "#" + r.id + ".RepositoryPolicyText", PolicyType.RESOURCE, true);
        break;
      case "AWS::OpenSearchService::Domain":
      case "AWS::Elasticsearch::Domain":
        policy(r, "AccessPolicies", PolicyType.RESOURCE);
        break;
      case "AWS::Backup::BackupVault":
        policy(r, "AccessPolicy", PolicyType.RESOURCE);
        break;
      case "AWS::EFS::FileSystem":
        policy(r, "FileSystemPolicy", PolicyType.RESOURCE);
        break;
      case "AWS::ApiGateway::RestApi":
      case "AWS::S3::AccessPoint":
        policy(r, "Policy", PolicyType.RESOURCE);
        break;
      case "AWS::SSO::PermissionSet":
        policy(r, "InlinePolicy", PolicyType.IDENTITY);
        break;
      case "AWS::IAM::Group": {
        Node inline = r.get("Policies");
        if (inline instanceof Node.ArrayNode) {
          for (Node p : ((Node.ArrayNode) inline).items()) {
            if (p instanceof Node.ObjectNode) {
              String pn = CfnResolver.text(((Node.ObjectNode) p).get("PolicyName"));
              policy(r.id, ((Node.ObjectNode) p).get("PolicyDocument"), "Policies." + (pn == null ? "?" : pn),
                  PolicyType.IDENTITY);
            }
          }
        }
        break;
      }
      default:
        break;
    }
  }

  /** Parses a policy property; registers it; returns its sound form (null when absent or unreadable). */
  private PolicyDocument policy(Res r, String property, PolicyType type) {
    return policy(r.id, r.get(property), property, type);
  }

  private PolicyDocument policy(String owner, Node node, String property, PolicyType type) {
    PolicyDocument d = policyReader.read(owner, owner + "." + property, node, file + "#" + owner + "." + property,
        type);
    return d != null && conditional.contains(owner) ? SoundPolicy.withoutAllows(d) : d;
  }

  private static List<String> strings(Node n) {
    List<String> out = new ArrayList<>();
    if (n instanceof Node.ArrayNode) {
      for (Node i : ((Node.ArrayNode) n).items()) {
        String s = CfnResolver.text(i);
        if (s != null) {
          out.add(s);
        }
      }
    } else if (CfnResolver.text(n) != null) {
      out.add(CfnResolver.text(n));
    }
    return out;
  }

  private Boolean bool(Res r, String name) {
    String s = CfnResolver.text(r.get(name));
    if (s == null) {
      if (r.get(name) != null) {
        problems.add(Problem.warning("template.unknown", "`" + r.id + "." + name + "` is unknown until deployment"
            + hint, r.at(name)));
      }
      return null;
    }
    return s.equalsIgnoreCase("true");
  }

  private Integer integer(Res r, String name) {
    String s = CfnResolver.text(r.get(name));
    if (s == null) {
      return null;
    }
    try {
      return Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      problems.add(Problem.error("template.invalid-value", "`" + r.id + "." + name + "` must be a whole number, not `"
          + s + "`", r.at(name)));
      return null;
    }
  }

  private Template.TemplateKey key(Res r) {
    boolean replica = r.type.equals("AWS::KMS::ReplicaKey");
    Map<String, SourceRef> declared = new HashMap<>();
    for (String p : List.of("EnableKeyRotation", "RotationPeriodInDays", "PendingWindowInDays", "KeySpec", "KeyUsage",
        "MultiRegion", "Origin", "KeyPolicy", "Enabled")) {
      if (r.get(p) != null) {
        declared.put(p, r.at(p));
      }
    }
    PolicyDocument policy = policy(r, "KeyPolicy", PolicyType.KEY_POLICY);
    String spec = CfnResolver.text(r.get("KeySpec"));
    String usage = CfnResolver.text(r.get("KeyUsage"));
    String origin = CfnResolver.text(r.get("Origin"));
    Boolean enabled = bool(r, "Enabled");
    Boolean rotation = bool(r, "EnableKeyRotation");
    Boolean multi = bool(r, "MultiRegion");
    String primary = replica ? CfnResolver.text(r.get("PrimaryKeyArn")) : null;
    if (replica && primary == null) {
      problems.add(Problem.warning("template.unknown", "replica key `" + r.id + "` has a primary key ARN unknown "
          + "until deployment" + hint, r.at("PrimaryKeyArn")));
    }
    KeyMetadata m = new KeyMetadata("CUSTOMER", origin == null ? "AWS_KMS" : origin,
        spec == null ? "SYMMETRIC_DEFAULT" : spec, usage == null ? "ENCRYPT_DECRYPT" : usage,
        Boolean.FALSE.equals(enabled) ? "Disabled" : "Enabled", List.of(),
        replica ? null : (rotation == null && r.get("EnableKeyRotation") == null ? Boolean.FALSE : rotation),
        replica ? null : integer(r, "RotationPeriodInDays"),
        replica ? "REPLICA" : Boolean.TRUE.equals(multi) ? "PRIMARY" : null, primary);
    String arn = resolver.arn(r.id, resolver.resource(r.id));
    return new Template.TemplateKey(r.id, arn, m, policy, r.get("KeyPolicy") != null, integer(r, "PendingWindowInDays"),
        replica, List.of(), declared, r.source);
  }

  private Template.TemplatePrincipal principal(Res r, Map<String, List<PolicyDocument>> attachedByName,
      Map<String, PolicyDocument> managedByArn) {
    boolean role = r.type.equals("AWS::IAM::Role");
    if (role) {
      policy(r, "AssumeRolePolicyDocument", PolicyType.TRUST);
    }
    List<PolicyDocument> ps = new ArrayList<>();
    Node inline = r.get("Policies");
    if (inline instanceof Node.ArrayNode) {
      for (Node p : ((Node.ArrayNode) inline).items()) {
        if (p instanceof Node.ObjectNode) {
          String pn = CfnResolver.text(((Node.ObjectNode) p).get("PolicyName"));
          PolicyDocument d = policy(r.id, ((Node.ObjectNode) p).get("PolicyDocument"),
              "Policies." + (pn == null ? "?" : pn), PolicyType.IDENTITY);
          if (d != null) {
            ps.add(d);
          }
        }
      }
    }
    String name = resolver.physicalId(r.id, resolver.resource(r.id));
    if (name != null) {
      ps.addAll(attachedByName.getOrDefault(name, List.of()));
    }
    Node managed = r.get("ManagedPolicyArns");
    if (managed instanceof Node.ArrayNode) {
      for (Node m : ((Node.ArrayNode) managed).items()) {
        String arn = CfnResolver.text(m);
        String key = arn != null ? arn : CfnResolver.isUnknown(m) ? ((Node.ScalarNode) m).text() : "?";
        PolicyDocument d = key == null ? null : managedByArn.get(key);
        if (d == null && arn != null) {
          d = AwsManagedPolicies.bundled().policy(arn).orElse(null);
        }
        if (d != null) {
          ps.add(d);
        } else if (arn == null) {
          problems.add(Problem.warning("template.unknown", "`" + r.id + "`: managed policy `" + key + "` is unknown "
              + "until deployment, so its statements are not counted" + hint, m.source()));
        } else {
          problems.add(Problem.warning("template.external-policy", "`" + r.id + "`: managed policy `" + arn
              + "` is not defined in this template, so its statements are not counted; add it to the world to count "
              + "them", m.source()));
        }
      }
    }
    PolicyDocument boundary = null;
    Node bn = r.get("PermissionsBoundary");
    if (bn != null) {
      String b = CfnResolver.text(bn);
      String key = b != null ? b : CfnResolver.isUnknown(bn) ? ((Node.ScalarNode) bn).text() : "?";
      boundary = managedByArn.get(key);
      if (boundary == null && b != null) {
        boundary = AwsManagedPolicies.bundled().policy(b).orElse(null);
      }
      if (boundary == null) {
        // a boundary only limits: one whose statements are not known is read as allowing nothing
        boundary = new PolicyDocument(file + "#" + r.id + ".PermissionsBoundary", PolicyType.IDENTITY,
            PolicyDocument.VERSION_2012, null, List.of(), bn.source());
        problems.add(Problem.warning("template.external-policy", "`" + r.id + "`: permissions boundary `" + key
            + "` is not defined in this template, so it is read as allowing nothing", bn.source()));
      }
    }
    Map<String, String> tags = new LinkedHashMap<>();
    Node t = r.get("Tags");
    if (t instanceof Node.ArrayNode) {
      for (Node tag : ((Node.ArrayNode) t).items()) {
        if (tag instanceof Node.ObjectNode) {
          String k = CfnResolver.text(((Node.ObjectNode) tag).get("Key"));
          String v = CfnResolver.text(((Node.ObjectNode) tag).get("Value"));
          if (k != null && v != null) {
            tags.put(k, v);
          }
        }
      }
    }
    return new Template.TemplatePrincipal(r.id, resolver.arn(r.id, resolver.resource(r.id)), tags, ps, boundary,
        r.source);
  }

  private void bucket(Res r, Map<String, PolicyDocument> bucketPolicies) {
    String name = resolver.physicalId(r.id, resolver.resource(r.id));
    if (name == null) {
      problems.add(Problem.warning("template.unknown", "bucket `" + r.id + "` has a name unknown until deployment: it"
          + " is left out" + hint, r.at("BucketName")));
      return;
    }
    Bucket.Encryption enc = null;
    Node be = r.get("BucketEncryption");
    if (be instanceof Node.ObjectNode) {
      Node rules = ((Node.ObjectNode) be).get("ServerSideEncryptionConfiguration");
      if (rules instanceof Node.ArrayNode && !((Node.ArrayNode) rules).items().isEmpty()
          && ((Node.ArrayNode) rules).items().get(0) instanceof Node.ObjectNode) {
        Node.ObjectNode rule = (Node.ObjectNode) ((Node.ArrayNode) rules).items().get(0);
        Node def = rule.get("ServerSideEncryptionByDefault");
        String alg = def instanceof Node.ObjectNode ? CfnResolver.text(((Node.ObjectNode) def).get("SSEAlgorithm")) : null;
        String key = def instanceof Node.ObjectNode ? CfnResolver.text(((Node.ObjectNode) def).get("KMSMasterKeyID"))
            : null;
        String bk = CfnResolver.text(rule.get("BucketKeyEnabled"));
        enc = new Bucket.Encryption(encryptionType(alg), key, bk == null ? null : bk.equalsIgnoreCase("true"),
            rule.source());
      }
    }
    Bucket.Replication replication = null;
    Node rc = r.get("ReplicationConfiguration");
    if (rc instanceof Node.ObjectNode) {
      Node.ObjectNode c = (Node.ObjectNode) rc;
      List<Bucket.ReplicationRule> rules = new ArrayList<>();
      Node rl = c.get("Rules");
      if (rl instanceof Node.ArrayNode) {
        for (Node item : ((Node.ArrayNode) rl).items()) {
          if (!(item instanceof Node.ObjectNode)) {
            continue;
          }
          Node.ObjectNode rule = (Node.ObjectNode) item;
          if ("Disabled".equals(CfnResolver.text(rule.get("Status")))) {
            continue;
          }
          Node.ObjectNode dest = rule.get("Destination") instanceof Node.ObjectNode
              ? (Node.ObjectNode) rule.get("Destination") : new Node.ObjectNode(List.of(), rule.source());
          String destBucket = CfnResolver.text(dest.get("Bucket"));
          if (destBucket != null && destBucket.startsWith("arn:")) {
            destBucket = destBucket.substring(destBucket.lastIndexOf(':') + 1);
          }
          String replicaKey = null;
          if (dest.get("EncryptionConfiguration") instanceof Node.ObjectNode) {
            replicaKey = CfnResolver.text(((Node.ObjectNode) dest.get("EncryptionConfiguration")).get("ReplicaKmsKeyID"));
          }
          boolean sseKms = false;
          if (rule.get("SourceSelectionCriteria") instanceof Node.ObjectNode) {
            Node s = ((Node.ObjectNode) rule.get("SourceSelectionCriteria")).get("SseKmsEncryptedObjects");
            sseKms = s instanceof Node.ObjectNode && "Enabled".equals(CfnResolver.text(((Node.ObjectNode) s).get("Status")));
          }
          String id = CfnResolver.text(rule.get("Id"));
          if (destBucket == null) {
            problems.add(Problem.warning("template.unknown", "replication rule of `" + r.id + "` has a destination "
                + "bucket unknown until deployment" + hint, dest.source()));
            destBucket = "";
          }
          rules.add(new Bucket.ReplicationRule(id == null ? "" : id, sseKms, destBucket,
              CfnResolver.text(dest.get("Account")), replicaKey, rule.source()));
        }
      }
      replication = new Bucket.Replication(CfnResolver.text(c.get("Role")), rules, c.source());
    }
    String account = inputs.accountId();
    String region = inputs.regionName();
    buckets.add(new Bucket(name, account == null ? "" : account, region == null ? "" : region, enc, List.of(),
        List.of(), bucketPolicies.get(name), replication, r.source));
  }

  static String encryptionType(String alg) {
    if (alg == null) {
      return "NONE";
    }
    switch (alg.toLowerCase(Locale.ROOT)) {
      case "aws:kms":
        return "SSE-KMS";
      case "aws:kms:dsse":
        return "DSSE-KMS";
      case "aes256":
        return "SSE-S3";
      default:
        return "NONE";
    }
  }
}
