package dev.keyward.runtime.store;

import java.time.Instant;
import java.util.Objects;

/** An alias: {@code arn:aws:kms:REGION:ACCOUNT:alias/NAME} pointing at a key of the same account and Region. */
public record StoredAlias(String aliasArn, String aliasName, String account, String region, String targetKeyArn,
    Instant created) {

  public StoredAlias {
    Objects.requireNonNull(aliasArn, "aliasArn");
    Objects.requireNonNull(aliasName, "aliasName");
    Objects.requireNonNull(targetKeyArn, "targetKeyArn");
  }
}
