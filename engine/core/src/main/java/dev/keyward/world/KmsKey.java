package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Objects;

/**
 * A KMS key of the world.
 *
 * @param arn the key ARN
 * @param policy the key policy; when the world gave none, AWS's default key policy for the key's account
 * @param defaultPolicy true when {@code policy} is the default key policy
 * @param grants the key's grants
 * @param metadata the key's configuration (manager, origin, spec, usage, state, rotation, ...)
 */
public record KmsKey(
    Arn arn,
    PolicyDocument policy,
    boolean defaultPolicy,
    List<Grant> grants,
    KeyMetadata metadata,
    SourceRef source) {

  public KmsKey {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(policy, "policy");
    grants = List.copyOf(grants);
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(source, "source");
  }

  public String account() {
    return arn.account();
  }

  public String region() {
    return arn.region();
  }
}
