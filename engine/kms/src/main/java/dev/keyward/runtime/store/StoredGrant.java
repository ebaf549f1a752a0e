package dev.keyward.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A grant as the store keeps it. The token is a bearer secret of low value (it only names the grant), kept
 * in clear so that RetireGrant by token works after a restart.
 *
 * @param constraintEquals EncryptionContextEquals, or null
 * @param constraintSubset EncryptionContextSubset, or null
 */
public record StoredGrant(
    String grantId,
    String keyArn,
    String token,
    String name,
    String grantee,
    String retiringPrincipal,
    String issuingAccount,
    List<String> operations,
    Map<String, String> constraintEquals,
    Map<String, String> constraintSubset,
    Instant created) {

  public StoredGrant {
    Objects.requireNonNull(grantId, "grantId");
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(grantee, "grantee");
    operations = List.copyOf(operations);
    constraintEquals = constraintEquals == null ? null : Map.copyOf(constraintEquals);
    constraintSubset = constraintSubset == null ? null : Map.copyOf(constraintSubset);
  }
}
