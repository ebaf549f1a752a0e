package dev.keyward.template;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.world.Bucket;
import dev.keyward.world.Grant;
import dev.keyward.world.Image;
import dev.keyward.world.KeyMetadata;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Keyward read from one CloudFormation template or Terraform plan: every policy with its location,
 * the keys with their declared configuration, the roles and users, the buckets and the AMI launch
 * permissions. Immutable. {@link TemplateWorld} turns it into a {@link dev.keyward.world.World}.
 *
 * @param file the file as the user named it
 * @param kind CloudFormation or Terraform plan
 * @param policies every policy, in document order
 * @param keys KMS keys (AWS::KMS::Key, AWS::KMS::ReplicaKey, aws_kms_key, aws_kms_replica_key)
 * @param principals IAM roles and users
 * @param buckets S3 buckets
 * @param images AMIs that the plan gives launch permissions for
 * @param account the account the resources are deployed in, or null when unknown
 * @param region the Region, or null when unknown
 * @param accounts accounts with the SCPs and RCPs the template attaches to them
 * @param vpcEndpoints KMS VPC endpoints with their policies
 * @param organizations the organization tree the template declares (at most one organization): its units, the
 *     accounts placed in them and the SCPs and RCPs attached to its root and units
 */
public record Template(
    String file,
    Kind kind,
    List<PolicySite> policies,
    List<TemplateKey> keys,
    List<TemplatePrincipal> principals,
    List<Bucket> buckets,
    List<Image> images,
    String account,
    String region,
    List<dev.keyward.world.Account> accounts,
    List<dev.keyward.world.VpcEndpoint> vpcEndpoints,
    List<dev.keyward.world.Organization> organizations) {

  public Template {
    accounts = List.copyOf(accounts);
    organizations = List.copyOf(organizations);
    vpcEndpoints = List.copyOf(vpcEndpoints);
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    policies = List.copyOf(policies);
    keys = List.copyOf(keys);
    principals = List.copyOf(principals);
    buckets = List.copyOf(buckets);
    images = List.copyOf(images);
  }

  /** A template without organization policies or VPC endpoints. */
  public Template(String file, Kind kind, List<PolicySite> policies, List<TemplateKey> keys,
      List<TemplatePrincipal> principals, List<Bucket> buckets, List<Image> images, String account, String region) {
    this(file, kind, policies, keys, principals, buckets, images, account, region, List.of(), List.of(), List.of());
  }

  /** The two formats. */
  public enum Kind {
    CLOUDFORMATION("CloudFormation template"),
    TERRAFORM_PLAN("Terraform plan");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One policy of the template.
   *
   * @param owner the logical id or resource address that holds it
   * @param type the policy type it is read as
   * @param written the policy as written (unknowns kept as their description), for lint
   * @param sound the policy made safe to evaluate (see {@link SoundPolicy}); null when it could not be read
   * @param problems the parser's problems and the {@code template.unknown} warnings
   * @param unknowns pointers of the values unknown until deployment, to what they stand for
   */
  public record PolicySite(String owner, PolicyType type, PolicyDocument written, PolicyDocument sound,
      List<Problem> problems, Map<String, String> unknowns, SourceRef source) {
    public PolicySite {
      problems = List.copyOf(problems);
      unknowns = Map.copyOf(unknowns);
    }
  }

  /**
   * A KMS key as declared.
   *
   * @param id the logical id or resource address
   * @param arn the key ARN, or null when the account or Region is unknown
   * @param policy the key policy (made sound), or null when none is declared (AWS then attaches the default)
   * @param policyDeclared whether the template declares a key policy (possibly unknown)
   * @param pendingWindowDays the deletion waiting period, or null when not declared (AWS uses 30)
   * @param replica for a replica key, true
   * @param declaredAt where each declared property was written, by its CloudFormation name
   *     (EnableKeyRotation, RotationPeriodInDays, PendingWindowInDays, KeySpec, KeyUsage, MultiRegion, Origin,
   *     KeyPolicy)
   */
  public record TemplateKey(String id, String arn, KeyMetadata metadata, PolicyDocument policy,
      boolean policyDeclared, Integer pendingWindowDays, boolean replica, List<Grant> grants,
      Map<String, SourceRef> declaredAt, SourceRef source) {
    public TemplateKey {
      grants = List.copyOf(grants);
      declaredAt = Map.copyOf(declaredAt);
    }
  }

  /**
   * A role or user.
   *
   * @param arn the ARN, or null when the account is unknown
   * @param policies identity policies (inline and attached from the template), made sound
   */
  public record TemplatePrincipal(String id, String arn, Map<String, String> tags, List<PolicyDocument> policies,
      PolicyDocument boundary, SourceRef source) {
    public TemplatePrincipal {
      tags = Map.copyOf(tags);
      policies = List.copyOf(policies);
    }
  }
}
