package dev.keyward.template;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import dev.keyward.world.AwsManagedPolicies;
import dev.keyward.world.Bucket;
import dev.keyward.world.Grant;
import dev.keyward.world.Image;
import dev.keyward.world.KeyMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON of {@code terraform show -json PLANFILE} (Terraform's "JSON output format",
 * https://developer.hashicorp.com/terraform/internals/json-format) into a {@link Template}: the resources of
 * {@code planned_values} (root and child modules), with {@code resource_changes[].change.after_unknown}
 * saying which values are known only after apply, and {@code configuration} giving the references between
 * resources (an alias's {@code target_key_id} is unknown in a plan that creates the key, but its expression
 * references {@code aws_kms_key.finance.key_id}). Attribute names follow the Terraform AWS provider.
 *
 * <p>Resources created by the plan get deterministic identities: a key's id is its resource address, a
 * role's ARN is built from its name and the account; see docs/templates.md.
 */
final class TerraformPlanReader {

  private final String file;
  private final Node.ObjectNode root;
  private TemplateInputs inputs;
  private final List<Problem> problems;
  private final Policies policyReader;
  private final String hint = "; `can`, `who-can` and `check` take the account and Region with --account and --region";

  /** A resource: address, type, values, after_unknown, configuration expressions, provider key. */
  private record Res(String address, String mode, String type, Node.ObjectNode values, Node.ObjectNode unknown,
      Node.ObjectNode expressions, String providerKey, SourceRef source) {}

  private final Map<String, Res> byAddress = new LinkedHashMap<>();
  private final Map<String, String> providerRegions = new HashMap<>();

  TerraformPlanReader(String file, Node.ObjectNode root, TemplateInputs inputs, List<Problem> problems) {
    this.file = file;
    this.root = root;
    this.inputs = inputs;
    this.problems = problems;
    this.policyReader = new Policies(problems, hint);
  }

  private static Node.ObjectNode obj(Node n) {
    return n instanceof Node.ObjectNode ? (Node.ObjectNode) n : null;
  }

  private static Node.ObjectNode obj(Node n, String key) {
    Node.ObjectNode o = obj(n);
    return o == null ? null : obj(o.get(key));
  }

  /** A field of an object, or null when {@code n} is not an object. */
  private static Node field(Node n, String key) {
    Node.ObjectNode o = obj(n);
    return o == null ? null : o.get(key);
  }

  /** A structural list of the plan format (resources, resource_changes, child_modules); wrong types reported. */
  private List<Node> list(Node n, String what) {
    if (n != null && !(n instanceof Node.ArrayNode) && !(n instanceof Node.ScalarNode
        && ((Node.ScalarNode) n).type() == Node.ScalarType.NULL)) {
      problems.add(Problem.error("template.wrong-type", "`" + what + "` must be an array, not " + n.typeName(),
          n.source()));
    }
    return arr(n);
  }

  private static List<Node> arr(Node n) {
    return n instanceof Node.ArrayNode ? ((Node.ArrayNode) n).items() : List.of();
  }

  private static String str(Node n) {
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() != Node.ScalarType.NULL
        ? ((Node.ScalarNode) n).text() : null;
  }

  Template read() {
    Map<String, Node.ObjectNode> afterUnknown = new HashMap<>();
    for (Node rc : list(root.get("resource_changes"), "resource_changes")) {
      Node.ObjectNode change = obj(rc, "change");
      String address = str(field(rc, "address"));
      if (change != null && address != null && obj(change.get("after_unknown")) != null) {
        afterUnknown.put(address, obj(change.get("after_unknown")));
      }
    }
    Map<String, Node.ObjectNode> expressions = new HashMap<>();
    Map<String, String> providers = new HashMap<>();
    Node.ObjectNode config = obj(root.get("configuration"));
    if (config != null) {
      Node.ObjectNode pc = obj(config.get("provider_config"));
      if (pc != null) {
        for (Node.Field f : pc.fields()) {
          Node.ObjectNode region = obj(obj(f.value(), "expressions"), "region");
          String r = region == null ? null : str(region.get("constant_value"));
          if (r != null) {
            providerRegions.put(f.key(), r);
          }
        }
      }
      configModule(obj(config.get("root_module")), "", expressions, providers);
    }
    inputs = inputs.withDefaultRegion(providerRegions.get("aws"));
    Node.ObjectNode planned = obj(root.get("planned_values"));
    if (planned == null) {
      Node pv = root.get("planned_values");
      problems.add(Problem.error("template.wrong-type", pv == null
          ? "the plan has no `planned_values`; give the output of `terraform show -json PLANFILE`"
          : "`planned_values` must be an object, not " + pv.typeName(), pv == null ? root.source() : pv.source()));
    }
    module(planned == null ? null : obj(planned.get("root_module")), afterUnknown, expressions, providers);
    Node.ObjectNode prior = obj(obj(root.get("prior_state")), "values");
    module(prior == null ? null : obj(prior.get("root_module")), afterUnknown, expressions, providers);
    for (Res r : byAddress.values()) {
      if (r.type.equals("aws_caller_identity") && str(r.values.get("account_id")) != null) {
        inputs = inputs.withDefaultAccount(str(r.values.get("account_id")));
      }
    }
    return build();
  }

  private void configModule(Node.ObjectNode m, String prefix, Map<String, Node.ObjectNode> expressions,
      Map<String, String> providers) {
    if (m == null) {
      return;
    }
    for (Node r : list(m.get("resources"), "resources")) {
      String address = str(field(r, "address"));
      if (address != null) {
        Node.ObjectNode e = obj(field(r, "expressions"));
        if (e != null) {
          expressions.put(prefix + address, e);
        }
        String pk = str(field(r, "provider_config_key"));
        if (pk != null) {
          providers.put(prefix + address, pk.contains(":") ? pk.substring(pk.indexOf(':') + 1) : pk);
        }
      }
    }
    Node.ObjectNode calls = obj(m.get("module_calls"));
    if (calls != null) {
      for (Node.Field f : calls.fields()) {
        configModule(obj(f.value(), "module"), prefix + "module." + f.key() + ".", expressions, providers);
      }
    }
  }

  private void module(Node.ObjectNode m, Map<String, Node.ObjectNode> afterUnknown,
      Map<String, Node.ObjectNode> expressions, Map<String, String> providers) {
    if (m == null) {
      return;
    }
    for (Node r : list(m.get("resources"), "resources")) {
      Node.ObjectNode o = obj(r);
      if (o == null) {
        continue;
      }
      String address = str(o.get("address"));
      String type = str(o.get("type"));
      if (address == null || type == null || byAddress.containsKey(address)) {
        continue;
      }
      Node.ObjectNode values = obj(o.get("values"));
      String configAddress = address.replaceAll("\\[[^\\]]*\\]", "");
      byAddress.put(address, new Res(address, str(o.get("mode")), type,
          values == null ? new Node.ObjectNode(List.of(), o.source()) : values, afterUnknown.get(address),
          expressions.get(configAddress), providers.get(configAddress), o.source()));
    }
    for (Node c : list(m.get("child_modules"), "child_modules")) {
      module(obj(c), afterUnknown, expressions, providers);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // values and references

  private boolean isUnknown(Res r, String attr) {
    if (r.values.get(attr) != null && !(r.values.get(attr) instanceof Node.ScalarNode
        && ((Node.ScalarNode) r.values.get(attr)).type() == Node.ScalarType.NULL)) {
      return false;
    }
    Node u = r.unknown == null ? null : r.unknown.get(attr);
    return u instanceof Node.ScalarNode && "true".equals(((Node.ScalarNode) u).text());
  }

  /** A string attribute: its planned value, else what the configuration's reference resolves to, else null. */
  private String attr(Res r, String name) {
    String v = str(r.values.get(name));
    if (v != null) {
      return v;
    }
    if (r.expressions != null && r.expressions.get(name) instanceof Node.ObjectNode) {
      for (Node ref : arr(((Node.ObjectNode) r.expressions.get(name)).get("references"))) {
        String resolved = reference(str(ref), r.address);
        if (resolved != null) {
          return resolved;
        }
      }
    }
    return null;
  }

  /** {@code aws_kms_key.finance.arn}: the attribute of a resource of the plan, known or constructed. */
  private String reference(String ref, String from) {
    if (ref == null) {
      return null;
    }
    String prefix = from.startsWith("module.") ? from.substring(0, from.indexOf('.', 7) + 1) : "";
    for (String candidate : List.of(prefix + ref, ref)) {
      int dot = candidate.lastIndexOf('.');
      if (dot < 0) {
        continue;
      }
      Res target = byAddress.get(candidate.substring(0, dot));
      if (target != null) {
        return attributeOf(target, candidate.substring(dot + 1));
      }
    }
    return null;
  }

  private String attributeOf(Res r, String attr) {
    String known = str(r.values.get(attr));
    if (known != null) {
      return known;
    }
    switch (attr) {
      case "arn":
        return arnOf(r);
      case "id":
      case "key_id":
        if (r.type.startsWith("aws_kms_")) {
          return keyId(r);
        }
        if (r.type.equals("aws_s3_bucket") || r.type.equals("aws_iam_role")) {
          return nameOf(r);
        }
        if (r.type.equals("aws_iam_policy")) {
          return arnOf(r);
        }
        return null;
      case "name":
      case "bucket":
        return nameOf(r);
      default:
        return null;
    }
  }

  private String nameOf(Res r) {
    return str(r.values.get(r.type.equals("aws_s3_bucket") ? "bucket" : "name"));
  }

  private String keyId(Res r) {
    String id = str(r.values.get("key_id"));
    return id != null ? id : r.address;
  }

  private String region(Res r) {
    String pr = r.providerKey == null ? null : providerRegions.get(r.providerKey);
    if (pr != null && r.providerKey != null && !r.providerKey.equals("aws")) {
      return pr;
    }
    return inputs.regionName();
  }

  private String arnOf(Res r) {
    String known = str(r.values.get("arn"));
    if (known != null) {
      return known;
    }
    String account = inputs.accountId();
    String region = region(r);
    String p = TemplateInputs.partitionOf(region);
    if (p == null) {
      p = inputs.partition();
    }
    switch (r.type) {
      case "aws_kms_key":
      case "aws_kms_external_key":
      case "aws_kms_replica_key":
        return account == null || region == null ? null : "arn:" + p + ":kms:" + region + ":" + account + ":key/"
            + keyId(r);
      case "aws_iam_role":
      case "aws_iam_policy": {
        String name = nameOf(r);
        String path = str(r.values.get("path"));
        return account == null || name == null || p == null ? null : "arn:" + p + ":iam::" + account + ":"
            + (r.type.equals("aws_iam_role") ? "role" : "policy") + (path == null ? "/" : path) + name;
      }
      case "aws_s3_bucket": {
        String name = nameOf(r);
        return name == null ? null : "arn:" + (p == null ? "aws" : p) + ":s3:::" + name;
      }
      default:
        return null;
    }
  }

  /** The policy attribute as a node located at the resource address, or an unknown, or null when absent. */
  private Node policyNode(Res r, String attr) {
    Node v = r.values.get(attr);
    SourceRef at = v != null ? v.source() : r.source;
    SourceRef where = new SourceRef(file + "#" + r.address, "", at.line(), at.column());
    if (isUnknown(r, attr)) {
      return CfnResolver.unknown("(known after apply)", where);
    }
    String text = str(v);
    if (text == null || text.isEmpty()) {
      return null;
    }
    return new Node.ScalarNode(Node.ScalarType.STRING, text, null, where);
  }

  private PolicyDocument policy(Res r, String attr, PolicyType type) {
    return policyReader.read(r.address, r.address + "." + attr, policyNode(r, attr), file + "#" + r.address + "."
        + attr, type);
  }

  // ---------------------------------------------------------------------------------------------------

  private Template build() {
    Map<String, Template.TemplateKey> keys = new LinkedHashMap<>();
    Map<String, PolicyDocument> keyPolicies = new HashMap<>();
    Map<String, List<String>> aliases = new HashMap<>();
    Map<String, List<Grant>> grants = new HashMap<>();
    Map<String, PolicyDocument> managed = new HashMap<>();
    Map<String, List<PolicyDocument>> rolePolicies = new HashMap<>();
    Map<String, PolicyDocument> bucketPolicies = new HashMap<>();
    Map<String, Bucket.Encryption> encryption = new HashMap<>();
    Map<String, Bucket.Replication> replication = new HashMap<>();
    Map<String, List<Res>> launchPermissions = new LinkedHashMap<>();
    OrganizationParts organization = new OrganizationParts(problems);
    List<Res> policyAttachments = new ArrayList<>();
    // first pass: things that attach to others
    for (Res r : byAddress.values()) {
      switch (r.type) {
        case "aws_iam_policy_document":
          if ("data".equals(r.mode)) {
            policy(r, "json", PolicyType.UNKNOWN);
          }
          break;
        case "aws_kms_key_policy": {
          PolicyDocument d = policy(r, "policy", PolicyType.KEY_POLICY);
          String key = attr(r, "key_id");
          if (d != null && key != null) {
            keyPolicies.put(key, d);
          }
          break;
        }
        case "aws_kms_alias": {
          String name = attr(r, "name");
          String key = attr(r, "target_key_id");
          if (name != null && key != null) {
            aliases.computeIfAbsent(key, k -> new ArrayList<>()).add(name);
          } else {
            problems.add(Problem.warning("template.unknown", "alias `" + r.address + "` has a name or target known "
                + "only after apply: it is attached to no key" + hint, r.source));
          }
          break;
        }
        case "aws_kms_grant": {
          String key = attr(r, "key_id");
          String grantee = attr(r, "grantee_principal");
          if (key == null || grantee == null) {
            problems.add(Problem.warning("template.unknown", "grant `" + r.address + "` has a key or grantee known only"
                + " after apply: it is left out (a grant only allows)" + hint, r.source));
            break;
          }
          List<String> ops = new ArrayList<>();
          for (Node op : arr(r.values.get("operations"))) {
            if (str(op) != null) {
              ops.add(str(op));
            }
          }
          Map<String, String> eq = null;
          Map<String, String> sub = null;
          for (Node c : arr(r.values.get("constraints"))) {
            eq = stringMap(obj(c, "encryption_context_equals"), eq);
            sub = stringMap(obj(c, "encryption_context_subset"), sub);
          }
          grants.computeIfAbsent(key, k -> new ArrayList<>()).add(new Grant(r.address, grantee, ops, eq, sub,
              attr(r, "retiring_principal"), null, str(r.values.get("name")), r.source));
          break;
        }
        case "aws_iam_policy": {
          PolicyDocument d = policy(r, "policy", PolicyType.IDENTITY);
          String arn = arnOf(r);
          if (d != null && arn != null) {
            managed.put(arn, d);
          }
          break;
        }
        case "aws_iam_role_policy": {
          PolicyDocument d = policy(r, "policy", PolicyType.IDENTITY);
          String role = attr(r, "role");
          if (d != null && role != null) {
            rolePolicies.computeIfAbsent(role, k -> new ArrayList<>()).add(d);
          }
          break;
        }
        case "aws_s3_bucket_policy": {
          PolicyDocument d = policy(r, "policy", PolicyType.RESOURCE);
          String bucket = attr(r, "bucket");
          if (d != null && bucket != null) {
            bucketPolicies.put(bucket, d);
          }
          break;
        }
        case "aws_s3_bucket_server_side_encryption_configuration": {
          String bucket = attr(r, "bucket");
          List<Node> rules = arr(r.values.get("rule"));
          if (bucket != null && !rules.isEmpty()) {
            Node.ObjectNode rule = obj(rules.get(0));
            if (rule == null) {
              break;
            }
            List<Node> def = arr(rule.get("apply_server_side_encryption_by_default"));
            String alg = def.isEmpty() ? null : str(field(def.get(0), "sse_algorithm"));
            String key = def.isEmpty() ? null : str(field(def.get(0), "kms_master_key_id"));
            if (key == null && !def.isEmpty() && alg != null && alg.startsWith("aws:kms")) {
              key = nestedReference(r, "kms_master_key_id");
            }
            String bk = str(rule.get("bucket_key_enabled"));
            encryption.put(bucket, new Bucket.Encryption(CloudFormationReader.encryptionType(alg), key,
                bk == null ? null : Boolean.valueOf(bk), rule.source()));
          }
          break;
        }
        case "aws_s3_bucket_replication_configuration": {
          String bucket = attr(r, "bucket");
          if (bucket == null) {
            break;
          }
          List<Bucket.ReplicationRule> rules = new ArrayList<>();
          for (Node rn : arr(r.values.get("rule"))) {
            Node.ObjectNode rule = obj(rn);
            if (rule == null || "Disabled".equals(str(rule.get("status")))) {
              continue;
            }
            List<Node> dests = arr(rule.get("destination"));
            Node.ObjectNode dest = dests.isEmpty() || obj(dests.get(0)) == null
                ? new Node.ObjectNode(List.of(), rule.source()) : obj(dests.get(0));
            String destBucket = str(dest.get("bucket"));
            if (destBucket == null) {
              destBucket = nestedReference(r, "bucket");
            }
            if (destBucket != null && destBucket.startsWith("arn:")) {
              destBucket = destBucket.substring(destBucket.lastIndexOf(':') + 1);
            }
            List<Node> ec = arr(dest.get("encryption_configuration"));
            String replicaKey = ec.isEmpty() ? null : str(field(ec.get(0), "replica_kms_key_id"));
            if (replicaKey == null && !ec.isEmpty()) {
              replicaKey = nestedReference(r, "replica_kms_key_id");
            }
            boolean sseKms = false;
            for (Node ssc : arr(rule.get("source_selection_criteria"))) {
              for (Node s : arr(field(ssc, "sse_kms_encrypted_objects"))) {
                sseKms |= "Enabled".equals(str(field(s, "status")));
              }
            }
            String id = str(rule.get("id"));
            rules.add(new Bucket.ReplicationRule(id == null ? "" : id, sseKms, destBucket == null ? "" : destBucket,
                str(dest.get("account")), replicaKey, rule.source()));
          }
          replication.put(bucket, new Bucket.Replication(attr(r, "role"), rules, r.source));
          break;
        }
        case "aws_organizations_policy_attachment":
          policyAttachments.add(r);
          break;
        case "aws_organizations_organization": {
          Node roots = r.values.get("roots");
          String rootId = roots instanceof Node.ArrayNode && !((Node.ArrayNode) roots).items().isEmpty()
              ? str(field(((Node.ArrayNode) roots).items().get(0), "id")) : null;
          organization.organization(r.address, str(r.values.get("id")), rootId, str(r.values.get("master_account_id")),
              r.source);
          break;
        }
        case "aws_organizations_organizational_unit":
          if (!"data".equals(r.mode)) {
            organization.unit(r.address, str(r.values.get("id")), str(r.values.get("name")),
                organizationRef(r, "parent_id"), r.source);
          }
          break;
        case "aws_organizations_account":
          if (!"data".equals(r.mode)) {
            organization.account(r.address, str(r.values.get("id")), organizationRef(r, "parent_id"), r.source);
          }
          break;
        case "aws_vpc_endpoint":
          vpcEndpoint(r, organization);
          break;
        case "aws_ami_launch_permission": {
          String image = attr(r, "image_id");
          if (image != null) {
            launchPermissions.computeIfAbsent(image, k -> new ArrayList<>()).add(r);
          }
          break;
        }
        default:
          break;
      }
    }
    // keys
    for (Res r : byAddress.values()) {
      if (!r.type.equals("aws_kms_key") && !r.type.equals("aws_kms_replica_key")
          && !r.type.equals("aws_kms_external_key")) {
        continue;
      }
      boolean replica = r.type.equals("aws_kms_replica_key");
      // the provider computes `policy` when the configuration sets none (AWS attaches the default key policy)
      boolean inConfig = r.expressions == null || r.expressions.get("policy") != null
          || str(r.values.get("policy")) != null;
      PolicyDocument inline = inConfig ? policy(r, "policy", PolicyType.KEY_POLICY) : null;
      String id = keyId(r);
      String arn = arnOf(r);
      PolicyDocument separate = keyPolicies.get(id);
      if (separate == null && arn != null) {
        separate = keyPolicies.get(arn);
      }
      Map<String, SourceRef> declared = new HashMap<>();
      declare(r, declared, "enable_key_rotation", "EnableKeyRotation");
      declare(r, declared, "rotation_period_in_days", "RotationPeriodInDays");
      declare(r, declared, "deletion_window_in_days", "PendingWindowInDays");
      declare(r, declared, "customer_master_key_spec", "KeySpec");
      declare(r, declared, "key_usage", "KeyUsage");
      declare(r, declared, "multi_region", "MultiRegion");
      declare(r, declared, "policy", "KeyPolicy");
      String rot = str(r.values.get("enable_key_rotation"));
      String period = str(r.values.get("rotation_period_in_days"));
      String window = str(r.values.get("deletion_window_in_days"));
      String spec = str(r.values.get("customer_master_key_spec"));
      String usage = str(r.values.get("key_usage"));
      String enabled = str(r.values.get(r.type.equals("aws_kms_key") ? "is_enabled" : "enabled"));
      String primary = replica ? attr(r, "primary_key_arn") : null;
      boolean multi = "true".equals(str(r.values.get("multi_region")));
      List<String> as = new ArrayList<>(aliases.getOrDefault(id, List.of()));
      if (arn != null) {
        as.addAll(aliases.getOrDefault(arn, List.of()));
      }
      List<Grant> gs = new ArrayList<>(grants.getOrDefault(id, List.of()));
      if (arn != null) {
        gs.addAll(grants.getOrDefault(arn, List.of()));
      }
      KeyMetadata m = new KeyMetadata("CUSTOMER", r.type.equals("aws_kms_external_key") ? "EXTERNAL" : "AWS_KMS",
          spec == null ? "SYMMETRIC_DEFAULT" : spec, usage == null ? "ENCRYPT_DECRYPT" : usage,
          "false".equals(enabled) ? "Disabled" : "Enabled", as,
          replica ? null : rot == null ? Boolean.FALSE : Boolean.valueOf(rot),
          integer(period),
          replica ? "REPLICA" : multi ? "PRIMARY" : null, primary);
      PolicyDocument pol = separate != null ? separate : inline;
      boolean declaredPolicy = separate != null || (inConfig && (str(r.values.get("policy")) != null
          || isUnknown(r, "policy")));
      keys.put(r.address, new Template.TemplateKey(r.address, arn, m, pol, declaredPolicy,
          integer(window), replica, gs, declared, r.source));
    }
    // roles
    List<Template.TemplatePrincipal> principals = new ArrayList<>();
    Map<String, List<String>> attachments = new HashMap<>();
    for (Res r : byAddress.values()) {
      if (r.type.equals("aws_iam_role_policy_attachment")) {
        String role = attr(r, "role");
        String arn = attr(r, "policy_arn");
        if (role != null && arn != null) {
          attachments.computeIfAbsent(role, k -> new ArrayList<>()).add(arn);
        } else {
          problems.add(Problem.warning("template.unknown", "attachment `" + r.address + "` has a role or policy known "
              + "only after apply: it is left out" + hint, r.source));
        }
      }
    }
    for (Res r : byAddress.values()) {
      if (!r.type.equals("aws_iam_role")) {
        continue;
      }
      policy(r, "assume_role_policy", PolicyType.TRUST);
      String name = nameOf(r);
      List<PolicyDocument> ps = new ArrayList<>();
      for (Node ip : arr(r.values.get("inline_policy"))) {
        Node pn = field(ip, "policy");
        if (pn != null && str(pn) != null && !str(pn).isEmpty()) {
          SourceRef where = new SourceRef(file + "#" + r.address, "", pn.source().line(), pn.source().column());
          String n = str(field(ip, "name"));
          PolicyDocument d = policyReader.read(r.address, r.address + ".inline_policy." + n,
              new Node.ScalarNode(Node.ScalarType.STRING, str(pn), null, where), file + "#" + r.address
                  + ".inline_policy." + n, PolicyType.IDENTITY);
          if (d != null) {
            ps.add(d);
          }
        }
      }
      if (name != null) {
        ps.addAll(rolePolicies.getOrDefault(name, List.of()));
      }
      List<String> arns = new ArrayList<>(name == null ? List.of() : attachments.getOrDefault(name, List.of()));
      for (Node m : arr(r.values.get("managed_policy_arns"))) {
        if (str(m) != null) {
          arns.add(str(m));
        }
      }
      for (String arn : arns) {
        PolicyDocument d = managed.get(arn);
        if (d == null) {
          d = AwsManagedPolicies.bundled().policy(arn).orElse(null);
        }
        if (d != null) {
          ps.add(d);
        } else {
          problems.add(Problem.warning("template.external-policy", "`" + r.address + "`: managed policy `" + arn
              + "` is not in this plan, so its statements are not counted; add it to the world to count them",
              r.source));
        }
      }
      Map<String, String> tags = stringMap(obj(r.values.get("tags")), null);
      String boundaryArn = attr(r, "permissions_boundary");
      PolicyDocument boundary = boundaryArn == null ? null : managed.get(boundaryArn);
      if (boundary == null && boundaryArn != null) {
        boundary = AwsManagedPolicies.bundled().policy(boundaryArn).orElse(null);
      }
      if (boundary == null && (boundaryArn != null || isUnknown(r, "permissions_boundary"))) {
        // a boundary only limits: one whose statements are not known is read as allowing nothing
        boundary = new PolicyDocument(file + "#" + r.address + ".permissions_boundary", PolicyType.IDENTITY,
            PolicyDocument.VERSION_2012, null, List.of(), r.source);
        problems.add(Problem.warning("template.external-policy", "`" + r.address + "`: permissions boundary `"
            + (boundaryArn == null ? "(known after apply)" : boundaryArn) + "` is not in this plan, so it is read as "
            + "allowing nothing", r.source));
      }
      principals.add(new Template.TemplatePrincipal(r.address, arnOf(r), tags == null ? Map.of() : tags, ps, boundary,
          r.source));
    }
    // buckets
    List<Bucket> buckets = new ArrayList<>();
    for (Res r : byAddress.values()) {
      if (!r.type.equals("aws_s3_bucket")) {
        continue;
      }
      String name = nameOf(r);
      if (name == null) {
        problems.add(Problem.warning("template.unknown", "bucket `" + r.address + "` has a name known only after apply:"
            + " it is left out" + hint, r.source));
        continue;
      }
      String account = inputs.accountId();
      String region = region(r);
      buckets.add(new Bucket(name, account == null ? "" : account, region == null ? "" : region,
          encryption.get(name), List.of(), List.of(), bucketPolicies.get(name), replication.get(name), r.source));
    }
    // images
    List<Image> images = new ArrayList<>();
    for (Map.Entry<String, List<Res>> e : launchPermissions.entrySet()) {
      List<String> accounts = new ArrayList<>();
      List<String> orgs = new ArrayList<>();
      List<String> ous = new ArrayList<>();
      boolean isPublic = false;
      Res first = e.getValue().get(0);
      for (Res r : e.getValue()) {
        addIf(accounts, attr(r, "account_id"));
        addIf(orgs, attr(r, "organization_arn"));
        addIf(ous, attr(r, "organizational_unit_arn"));
        isPublic |= "all".equals(str(r.values.get("group")));
      }
      String account = inputs.accountId();
      String region = region(first);
      images.add(new Image(e.getKey(), account == null ? "" : account, region == null ? "" : region, List.of(),
          new Image.LaunchPermissions(accounts, orgs, ous, isPublic, first.source), List.of(), first.source));
    }
    organizationPolicies(policyAttachments, organization);
    return new Template(file, Template.Kind.TERRAFORM_PLAN, policyReader.sites, new ArrayList<>(keys.values()),
        principals, buckets, images, inputs.accountId(), inputs.regionName(), organization.accounts(),
        organization.endpoints(), organization.organizations());
  }

  /**
   * SCPs and RCPs: {@code aws_organizations_policy} ({@code type}, {@code content}) attached by
   * {@code aws_organizations_policy_attachment} ({@code policy_id} by reference or by id, {@code target_id})
   * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_policy_attachment).
   */
  private void organizationPolicies(List<Res> attachments, OrganizationParts organization) {
    Map<String, PolicyDocument> byAddressOrId = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    for (Res r : byAddress.values()) {
      if (!r.type.equals("aws_organizations_policy") || "data".equals(r.mode)) {
        continue;
      }
      String type = str(r.values.get("type"));
      if (type == null) {
        type = OrganizationParts.SCP; // the provider's default
      }
      if (!OrganizationParts.evaluated(type)) {
        continue;
      }
      PolicyDocument d = policy(r, "content", OrganizationParts.SCP.equals(type) ? PolicyType.SCP : PolicyType.RCP);
      byAddressOrId.put(r.address, d);
      types.put(r.address, type);
      String id = str(r.values.get("id"));
      if (id != null) {
        byAddressOrId.put(id, d);
        types.put(id, type);
      }
    }
    for (Res a : attachments) {
      String policy = referencedAddress(a, "policy_id");
      if (policy == null) {
        policy = str(a.values.get("policy_id"));
      }
      if (policy == null || !types.containsKey(policy)) {
        continue; // an attachment of a policy that is not in the plan, or not an SCP or RCP
      }
      String target = organizationRef(a, "target_id");
      String shown = str(a.values.get("target_id"));
      organization.attach(policy, types.get(policy), byAddressOrId.get(policy), target,
          shown != null ? shown : target != null ? target.substring(1) : null, a.source);
    }
  }

  /**
   * A root, unit or account as {@link OrganizationParts} takes it: {@code @ADDRESS} when the attribute's
   * configuration references an Organizations resource of the plan ({@code @ADDRESS.root} for an organization,
   * whose {@code roots[0].id} it names), else the planned value; the organization's root when the configuration
   * does not set the attribute (a parent id's default); else null (unknown until apply).
   */
  private String organizationRef(Res r, String attr) {
    String ref = referencedAddress(r, attr);
    Res target = ref == null ? null : byAddress.get(ref);
    if (target != null && target.type.startsWith("aws_organizations_")) {
      return target.type.equals("aws_organizations_organization") ? "@" + ref + ".root" : "@" + ref;
    }
    String value = str(r.values.get(attr));
    if (value != null) {
      return value;
    }
    boolean configured = r.expressions == null || r.expressions.get(attr) != null;
    return configured ? null : OrganizationParts.ROOT;
  }

  /** The address of the resource of the plan that the attribute's configuration references, or null. */
  private String referencedAddress(Res r, String attr) {
    if (r.expressions == null || !(r.expressions.get(attr) instanceof Node.ObjectNode)) {
      return null;
    }
    String prefix = r.address.startsWith("module.") ? r.address.substring(0, r.address.indexOf('.', 7) + 1) : "";
    for (Node ref : arr(((Node.ObjectNode) r.expressions.get(attr)).get("references"))) {
      String s = str(ref);
      if (s == null) {
        continue;
      }
      for (String candidate : List.of(prefix + s, s)) {
        if (byAddress.containsKey(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /**
   * {@code aws_vpc_endpoint}: {@code service_name}, {@code vpc_id}, {@code policy}; its id is the planned {@code id},
   * else its address. A policy the configuration does not set is the default, full access (the provider then
   * plans it as known after apply).
   */
  private void vpcEndpoint(Res r, OrganizationParts organization) {
    boolean configured = r.expressions == null || r.expressions.get("policy") != null;
    PolicyDocument d = configured ? policy(r, "policy", PolicyType.RESOURCE) : null;
    String id = str(r.values.get("id"));
    organization.endpoint(id != null ? id : r.address, str(r.values.get("service_name")), attr(r, "vpc_id"),
        inputs.accountId(), d, r.source);
  }

  /** A reference inside a nested block's expressions (configuration keeps them per block). */
  private String nestedReference(Res r, String attr) {
    if (r.expressions == null) {
      return null;
    }
    List<String> refs = new ArrayList<>();
    findReferences(r.expressions, attr, refs);
    for (String ref : refs) {
      String v = reference(ref, r.address);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static void findReferences(Node n, String attr, List<String> out) {
    if (n instanceof Node.ObjectNode) {
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        if (f.key().equals(attr) && f.value() instanceof Node.ObjectNode) {
          for (Node ref : arr(((Node.ObjectNode) f.value()).get("references"))) {
            if (str(ref) != null) {
              out.add(str(ref));
            }
          }
        } else {
          findReferences(f.value(), attr, out);
        }
      }
    } else if (n instanceof Node.ArrayNode) {
      for (Node i : ((Node.ArrayNode) n).items()) {
        findReferences(i, attr, out);
      }
    }
  }

  private static Integer integer(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void addIf(List<String> out, String s) {
    if (s != null && !s.isEmpty()) {
      out.add(s);
    }
  }

  private static Map<String, String> stringMap(Node.ObjectNode o, Map<String, String> existing) {
    if (o == null) {
      return existing;
    }
    Map<String, String> m = existing == null ? new LinkedHashMap<>() : existing;
    for (Node.Field f : o.fields()) {
      if (str(f.value()) != null) {
        m.put(f.key(), str(f.value()));
      }
    }
    return m;
  }

  private static void declare(Res r, Map<String, SourceRef> out, String attr, String as) {
    Node v = r.values.get(attr);
    if (v != null && !(v instanceof Node.ScalarNode && ((Node.ScalarNode) v).type() == Node.ScalarType.NULL)) {
      out.put(as, v.source());
    }
  }
}
