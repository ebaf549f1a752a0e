package dev.keyward.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Facts about KMS operations that the authorizer, the access analysis and the local KMS all rely on, kept in one
 * small immutable table. Each operation is named as the KMS API names it ({@code ReEncryptFrom}); the sets of
 * actions are lower-case with the {@code kms:} prefix, as the evaluator compares them.
 *
 * <p>Sources:
 * <ul>
 *   <li>cross-account use: KMS Developer Guide, "Allowing users in other accounts to use a KMS key"
 *       (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html) and
 *       the "Cross-account use" line of each API reference page (DeriveSharedSecret: Yes);</li>
 *   <li>grant operations: KMS Developer Guide, "Grants in AWS KMS", grant operations
 *       (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations) and the
 *       {@code GrantOperation} enum of CreateGrant, which includes DeriveSharedSecret;</li>
 *   <li>encryption context: the {@code Constraints} member of CreateGrant
 *       (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html): grant constraints apply only to
 *       operations with an EncryptionContext parameter; a grant may include DescribeKey and RetireGrant, to which
 *       the constraint does not apply; operations with asymmetric and HMAC keys take no encryption context.</li>
 * </ul>
 */
public final class KmsOperationFacts {

  /** How an operation takes part in grants: not at all, constrained by encryption context, or unconstrained. */
  public enum InGrants {
    /** A grant cannot allow the operation. */
    NO,
    /** A grant can allow it; the operation takes an encryption context, so constraints apply to it. */
    WITH_CONTEXT,
    /** A grant can allow it; constraints are ignored for it (DescribeKey, RetireGrant). */
    CONSTRAINTS_IGNORED,
    /** A grant can allow it; it takes no encryption context, so a constrained grant cannot name it. */
    NO_CONTEXT
  }

  /** One row of the table. */
  public record Operation(String name, boolean crossAccount, InGrants inGrants) {

    /** The IAM action, lower-case with the prefix ({@code kms:reencryptfrom}). */
    public String action() {
      return "kms:" + name.toLowerCase(Locale.ROOT);
    }

    public boolean grantable() {
      return inGrants != InGrants.NO;
    }
  }

  /** The table, grant operations first, in the order of CreateGrant's enum as {@link #GRANT_OPERATIONS} lists. */
  public static final List<Operation> OPERATIONS = List.of(
      new Operation("Decrypt", true, InGrants.WITH_CONTEXT),
      new Operation("Encrypt", true, InGrants.WITH_CONTEXT),
      new Operation("GenerateDataKey", true, InGrants.WITH_CONTEXT),
      new Operation("GenerateDataKeyPair", true, InGrants.WITH_CONTEXT),
      new Operation("GenerateDataKeyPairWithoutPlaintext", true, InGrants.WITH_CONTEXT),
      new Operation("GenerateDataKeyWithoutPlaintext", true, InGrants.WITH_CONTEXT),
      new Operation("GenerateMac", true, InGrants.NO_CONTEXT),
      new Operation("ReEncryptFrom", true, InGrants.WITH_CONTEXT),
      new Operation("ReEncryptTo", true, InGrants.WITH_CONTEXT),
      new Operation("Sign", true, InGrants.NO_CONTEXT),
      new Operation("Verify", true, InGrants.NO_CONTEXT),
      new Operation("VerifyMac", true, InGrants.NO_CONTEXT),
      new Operation("CreateGrant", true, InGrants.WITH_CONTEXT),
      new Operation("DescribeKey", true, InGrants.CONSTRAINTS_IGNORED),
      new Operation("GetPublicKey", true, InGrants.NO_CONTEXT),
      new Operation("RetireGrant", true, InGrants.CONSTRAINTS_IGNORED),
      new Operation("DeriveSharedSecret", true, InGrants.NO_CONTEXT),
      new Operation("GetKeyRotationStatus", true, InGrants.NO),
      new Operation("ListGrants", true, InGrants.NO),
      new Operation("RevokeGrant", true, InGrants.NO));

  /** The operations a grant may allow, by API name, in the table's order; any other fails CreateGrant. */
  public static final List<String> GRANT_OPERATIONS = names(o -> o.grantable());

  /** Grant operations that take no encryption context: a grant with constraints cannot allow them. */
  public static final Set<String> NO_CONTEXT_GRANT_OPERATIONS =
      Set.copyOf(names(o -> o.inGrants() == InGrants.NO_CONTEXT));

  /** The actions of {@link #GRANT_OPERATIONS} ({@code kms:decrypt}, ...). */
  public static final Set<String> GRANT_ACTIONS = actions(o -> o.grantable());

  /** Actions that work on a key of another account; any other action on a foreign key fails whatever the policies. */
  public static final Set<String> CROSS_ACCOUNT_ACTIONS = actions(Operation::crossAccount);

  /** Actions a grant allows whatever its constraints say. */
  public static final Set<String> CONSTRAINTS_IGNORED_ACTIONS =
      actions(o -> o.inGrants() == InGrants.CONSTRAINTS_IGNORED);

  /** RetireGrant's action: the grant's retiring principal and its issuing account may always call it. */
  public static final String RETIRE_GRANT_ACTION = "kms:retiregrant";

  private KmsOperationFacts() {}

  private static List<String> names(java.util.function.Predicate<Operation> p) {
    List<String> out = new ArrayList<>();
    for (Operation o : OPERATIONS) {
      if (p.test(o)) {
        out.add(o.name());
      }
    }
    return List.copyOf(out);
  }

  private static Set<String> actions(java.util.function.Predicate<Operation> p) {
    List<String> out = new ArrayList<>();
    for (Operation o : OPERATIONS) {
      if (p.test(o)) {
        out.add(o.action());
      }
    }
    return Set.copyOf(out);
  }
}
