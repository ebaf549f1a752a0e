package dev.keyward.world;

import dev.keyward.model.SourceRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A KMS grant on one key. A grant only allows; it lets {@code grantee} call exactly {@code operations}
 * (KMS operation names without the {@code kms:} prefix, e.g. {@code Decrypt}), subject to the
 * encryption-context constraints, which are ignored for DescribeKey and RetireGrant.
 *
 * @param id a stable id (from the world, or derived from the position)
 * @param grantee the grantee principal ARN (account root, user, role or role session)
 * @param operations the granted operations
 * @param encryptionContextEquals exact-match constraint, or null
 * @param encryptionContextSubset subset constraint, or null
 * @param retiringPrincipal the retiring principal ARN, or null
 * @param issuingAccount the account in which the grant was created (the key's account by default)
 * @param name the grant's name (CreateGrant's {@code Name}), or null
 */
public record Grant(
    String id,
    String grantee,
    List<String> operations,
    Map<String, String> encryptionContextEquals,
    Map<String, String> encryptionContextSubset,
    String retiringPrincipal,
    String issuingAccount,
    String name,
    SourceRef source) {

  public Grant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(grantee, "grantee");
    operations = List.copyOf(operations);
    encryptionContextEquals = encryptionContextEquals == null ? null : Map.copyOf(encryptionContextEquals);
    encryptionContextSubset = encryptionContextSubset == null ? null : Map.copyOf(encryptionContextSubset);
    Objects.requireNonNull(source, "source");
  }

  /** A grant without a name (the shape before {@code name} was added). */
  public Grant(String id, String grantee, List<String> operations, Map<String, String> encryptionContextEquals,
      Map<String, String> encryptionContextSubset, String retiringPrincipal, String issuingAccount,
      SourceRef source) {
    this(id, grantee, operations, encryptionContextEquals, encryptionContextSubset, retiringPrincipal,
        issuingAccount, null, source);
  }
}
