package dev.keyward.template;

import java.util.Map;
import java.util.Objects;

/**
 * What the user tells Keyward about a deployment that the template itself cannot say: parameter values
 * ({@code --parameter Name=Value}, also for pseudo parameters such as {@code AWS::StackName}), the account
 * ({@code --account}) and the Region ({@code --region}). Whatever is not given stays unknown.
 *
 * @param parameters parameter values by name; a name {@code AWS::...} sets that pseudo parameter
 * @param account the 12-digit account id, or null when unknown
 * @param region the Region, e.g. {@code us-east-1}, or null when unknown
 */
public record TemplateInputs(Map<String, String> parameters, String account, String region) {

  public TemplateInputs {
    parameters = Map.copyOf(Objects.requireNonNull(parameters, "parameters"));
  }

  /** Nothing known. */
  public static TemplateInputs none() {
    return new TemplateInputs(Map.of(), null, null);
  }

  /** The account: {@code --account}, else {@code --parameter AWS::AccountId=...}, else null. */
  public String accountId() {
    return account != null ? account : parameters.get("AWS::AccountId");
  }

  /** The Region: {@code --region}, else {@code --parameter AWS::Region=...}, else null. */
  public String regionName() {
    return region != null ? region : parameters.get("AWS::Region");
  }

  /**
   * The partition: {@code --parameter AWS::Partition=...}, else the one the Region belongs to (aws-cn for
   * {@code cn-*}, aws-us-gov for {@code us-gov-*}, aws-iso for {@code us-iso-*}, aws-iso-b for
   * {@code us-isob-*}, aws otherwise); null when neither is known.
   */
  public String partition() {
    String p = parameters.get("AWS::Partition");
    if (p != null) {
      return p;
    }
    return partitionOf(regionName());
  }

  static String partitionOf(String region) {
    if (region == null) {
      return null;
    }
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.startsWith("us-isob-")) {
      return "aws-iso-b";
    }
    if (region.startsWith("us-iso-")) {
      return "aws-iso";
    }
    return "aws";
  }

  /** The same inputs with the Region filled in when none was given (from a Terraform provider block). */
  TemplateInputs withDefaultRegion(String r) {
    return regionName() != null || r == null ? this : new TemplateInputs(parameters, account, r);
  }

  /** The same inputs with the account filled in when none was given (from aws_caller_identity). */
  TemplateInputs withDefaultAccount(String a) {
    return accountId() != null || a == null ? this : new TemplateInputs(parameters, a, region);
  }
}
