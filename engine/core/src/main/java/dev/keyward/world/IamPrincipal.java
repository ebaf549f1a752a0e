package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An IAM role or user of the world, with its tags, identity policies and permissions boundary.
 *
 * @param arn the role or user ARN ({@code arn:aws:iam::ACCOUNT:role/NAME} or {@code :user/NAME})
 * @param tags principal tags (keys keep their case; aws:PrincipalTag lookups ignore it)
 * @param policies identity policies (inline and attached), each named by file or world path
 * @param boundary the permissions boundary, or null
 */
public record IamPrincipal(
    String arn,
    String account,
    Map<String, String> tags,
    List<PolicyDocument> policies,
    PolicyDocument boundary,
    SourceRef source) {

  public IamPrincipal {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(account, "account");
    tags = Map.copyOf(tags);
    policies = List.copyOf(policies);
    Objects.requireNonNull(source, "source");
  }

  public boolean isRole() {
    return arn.contains(":role/");
  }

  public boolean isUser() {
    return arn.contains(":user/");
  }
}
