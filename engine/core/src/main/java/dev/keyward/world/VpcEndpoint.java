package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.Objects;

/**
 * An interface VPC endpoint for KMS: its id, its VPC, its account and its endpoint policy. A request whose
 * context has {@code aws:SourceVpce} naming it comes through it, so the endpoint policy must allow the request
 * as well (https://docs.aws.amazon.com/kms/latest/developerguide/vpce-policy.html).
 *
 * @param policy the endpoint policy, or null for the default policy, which allows full access
 */
public record VpcEndpoint(String id, String vpc, String account, PolicyDocument policy, SourceRef source) {

  public VpcEndpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
  }
}
