package dev.keyward.template;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.world.Account;
import dev.keyward.world.VpcEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a template or plan that restrict requests from around a key: SCPs and RCPs
 * ({@code AWS::Organizations::Policy}, {@code aws_organizations_policy} with its attachments) and KMS VPC
 * endpoints with their policies ({@code AWS::EC2::VPCEndpoint}, {@code aws_vpc_endpoint}). A policy attached to
 * an account becomes that account's SCP or RCP; a policy attached to a root or organizational unit cannot be
 * applied, since the accounts under it are not in the template, and says so (docs/templates.md).
 */
final class OrganizationParts {

  static final String SCP = "SERVICE_CONTROL_POLICY";
  static final String RCP = "RESOURCE_CONTROL_POLICY";

  private final List<Problem> problems;
  private final Map<String, List<PolicyDocument>> scps = new LinkedHashMap<>();
  private final Map<String, List<PolicyDocument>> rcps = new LinkedHashMap<>();
  private final Map<String, SourceRef> accountAt = new LinkedHashMap<>();
  private final List<VpcEndpoint> endpoints = new ArrayList<>();

  OrganizationParts(List<Problem> problems) {
    this.problems = problems;
  }

  /** Whether an Organizations policy type is one Keyward evaluates (SCPs and RCPs; tag, backup and other policies are not). */
  static boolean evaluated(String type) {
    return SCP.equals(type) || RCP.equals(type);
  }

  /**
   * Attaches an SCP or RCP to its targets: account ids are applied; a root ({@code r-...}), an
   * organizational unit ({@code ou-...}) or a target unknown until deployment is a {@code
   * template.organization-target} warning.
   */
  void attach(String owner, String type, PolicyDocument policy, String target, SourceRef at) {
    if (policy == null || !evaluated(type)) {
      return;
    }
    String what = SCP.equals(type) ? "SCP" : "RCP";
    if (target != null && Arn.isAccountId(target)) {
      (SCP.equals(type) ? scps : rcps).computeIfAbsent(target, k -> new ArrayList<>()).add(policy);
      accountAt.putIfAbsent(target, at);
      return;
    }
    String shown = target == null ? "a target unknown until deployment" : "`" + target + "`";
    problems.add(Problem.warning("template.organization-target", what + " `" + owner + "` is attached to " + shown
        + ", " + (target != null && (target.startsWith("r-") || target.startsWith("ou-"))
        ? "a root or organizational unit whose accounts are not in the template"
        : "which is not an account id") + ": it is not applied (it can only deny, so answers for the accounts"
        + " under it may be ALLOW where AWS denies); declare the organization with its units and accounts in a"
        + " world file", at));
  }

  /**
   * A VPC endpoint: kept when it is an endpoint of KMS ({@code com.amazonaws.REGION.kms} or
   * {@code kms-fips}) or its service is unknown (then its policy may apply; it can only deny).
   */
  void endpoint(String id, String serviceName, String vpc, String account, PolicyDocument policy, SourceRef at) {
    if (serviceName != null) {
      String s = serviceName.toLowerCase(Locale.ROOT);
      if (!s.endsWith(".kms") && !s.endsWith(".kms-fips")) {
        return;
      }
    }
    endpoints.add(new VpcEndpoint(id, vpc, account, policy, at));
  }

  List<Account> accounts() {
    List<Account> out = new ArrayList<>();
    for (Map.Entry<String, SourceRef> e : accountAt.entrySet()) {
      out.add(new Account(e.getKey(), scps.getOrDefault(e.getKey(), List.of()), rcps.getOrDefault(e.getKey(),
          List.of()), e.getValue()));
    }
    return out;
  }

  List<VpcEndpoint> endpoints() {
    return List.copyOf(endpoints);
  }
}
