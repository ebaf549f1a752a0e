package dev.keyward.world;

import dev.keyward.model.ActionElement;
import dev.keyward.model.Arn;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import java.util.List;

/**
 * AWS's default key policy for a key created through the API, an SDK or the CLI without a policy: one
 * statement, Sid {@code Enable IAM policies}, that allows the account principal
 * {@code arn:aws:iam::ACCOUNT:root} every KMS action on the key. It grants nobody anything by itself; it
 * lets the account's IAM policies decide (delegation to the account).
 *
 * <p>Source: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html (section
 * "Default key policy", "Allows access to the AWS account and enables IAM policies"). The console adds
 * key administrator and key user statements; a world that means the console policy must write it out.
 */
public final class DefaultKeyPolicy {

  /** The Sid AWS gives the single statement of the API-created default key policy. */
  public static final String SID = "Enable IAM policies";

  private DefaultKeyPolicy() {}

  /**
   * The default key policy of a key in {@code account}, named {@code name} in reasons (for example
   * {@code <default key policy of arn:aws:kms:...>}).
   */
  public static PolicyDocument forAccount(String account, String name) {
    SourceRef where = SourceRef.synthetic(name, "");
    SourceRef stmt = SourceRef.synthetic(name, "/Statement/0");
    String root = Arn.accountRoot(account);
    PrincipalElement principal = new PrincipalElement(false, false,
        List.of(new PrincipalValue(PrincipalType.AWS, root, root, stmt.child("Principal").child("AWS"))),
        stmt.child("Principal"));
    ActionElement action = new ActionElement(false,
        List.of(new Located("kms:*", stmt.child("Action"))), stmt.child("Action"));
    ResourceElement resource = new ResourceElement(false,
        List.of(new Located("*", stmt.child("Resource"))), stmt.child("Resource"));
    Statement statement = new Statement(0, SID, Effect.ALLOW, principal, action, resource, List.of(), stmt);
    return new PolicyDocument(name, PolicyType.KEY_POLICY, PolicyDocument.VERSION_2012, "key-default-1",
        List.of(statement), where);
  }

  /** How a key's default policy is named in reasons. */
  public static String nameFor(String keyArn) {
    return "<default key policy of " + keyArn + ">";
  }
}
