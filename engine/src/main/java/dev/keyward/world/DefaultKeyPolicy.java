package dev.keyward.world;

import dev.keyward.model.ActionElement;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.ConditionValue;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.ResourceElement;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import dev.keyward.model.ValueKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

  /** The Sid of the AWS managed key policy's statement that lets the account read the key's metadata. */
  public static final String AWS_MANAGED_METADATA_SID = "Allow direct access to key metadata to the account";

  /** The AWS managed keys whose policy also lets the service create grants (EBS and RDS attach volumes). */
  private static final Set<String> GRANTING_SERVICES = Set.of("ec2", "rds");

  /**
   * The key policy of an AWS managed key ({@code alias/aws/SERVICE}) whose world gives none. AWS writes
   * these policies and nobody can change them. They let every principal of the key's account use the key,
   * but only through the service that owns it in the key's Region ({@code kms:ViaService =
   * SERVICE.REGION.amazonaws.com} and {@code kms:CallerAccount = ACCOUNT}), and let the account read the
   * key's metadata ({@code kms:Describe*}, {@code kms:Get*}, {@code kms:List*}) directly. Nobody may change
   * the policy, schedule the key's deletion, disable it or use it from another account.
   *
   * <p>The use statement allows {@code kms:Encrypt}, {@code kms:Decrypt}, {@code kms:ReEncrypt*},
   * {@code kms:GenerateDataKey*} and {@code kms:DescribeKey}; for EBS ({@code alias/aws/ebs}, through
   * {@code ec2}) and RDS also {@code kms:CreateGrant}, and their metadata statement also
   * {@code kms:RevokeGrant}. A key with no {@code alias/aws/...} alias has only the
   * metadata statement, since the service it serves is unknown. A world that needs the exact policy of a
   * particular key writes it out (for example from {@code aws kms get-key-policy}); a snapshot always has it.
   *
   * <p>Sources: https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key ("you
   * cannot change any properties of AWS managed keys ... their key policies"),
   * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
   * and #conditions-kms-caller-account (the key policies of AWS managed keys use {@code kms:ViaService}
   * and {@code kms:CallerAccount}), and
   * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html (EBS uses grants on the key).
   */
  public static PolicyDocument forAwsManaged(Arn key, List<String> aliases, String name) {
    String account = key.account();
    SourceRef where = SourceRef.synthetic(name, "");
    List<Statement> statements = new ArrayList<>();
    String service = serviceOf(aliases);
    if (service != null) {
      SourceRef stmt = SourceRef.synthetic(name, "/Statement/0");
      PrincipalElement anyone = new PrincipalElement(false, false,
          List.of(new PrincipalValue(PrincipalType.AWS, "*", "*", stmt.child("Principal").child("AWS"))),
          stmt.child("Principal"));
      List<String> actions = new ArrayList<>(List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
          "kms:GenerateDataKey*", "kms:DescribeKey"));
      if (GRANTING_SERVICES.contains(service)) {
        actions.add("kms:CreateGrant");
      }
      SourceRef cond = stmt.child("Condition").child("StringEquals");
      List<Condition> conditions = List.of(
          equals("kms:ViaService", service + "." + key.region() + ".amazonaws.com", cond),
          equals("kms:CallerAccount", account, cond));
      String shown = aliasService(aliases).toUpperCase(java.util.Locale.ROOT);
      String sid = "Allow access through " + shown + " for all principals in the account that are authorized to use "
          + shown;
      statements.add(new Statement(0, sid, Effect.ALLOW, anyone, actions(actions, stmt),
          anyResource(stmt), conditions, stmt));
    }
    int index = statements.size();
    SourceRef stmt = SourceRef.synthetic(name, "/Statement/" + index);
    String root = Arn.accountRoot(account);
    PrincipalElement accountRoot = new PrincipalElement(false, false,
        List.of(new PrincipalValue(PrincipalType.AWS, root, root, stmt.child("Principal").child("AWS"))),
        stmt.child("Principal"));
    statements.add(new Statement(index, AWS_MANAGED_METADATA_SID, Effect.ALLOW, accountRoot,
        actions(service != null && GRANTING_SERVICES.contains(service)
            ? List.of("kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant")
            : List.of("kms:Describe*", "kms:Get*", "kms:List*"), stmt), anyResource(stmt), List.of(), stmt));
    return new PolicyDocument(name, PolicyType.KEY_POLICY, PolicyDocument.VERSION_2012,
        "auto-" + (service == null ? "aws" : aliasService(aliases)), statements, where);
  }

  /**
   * The service of an AWS managed key from its alias: {@code alias/aws/s3} is {@code s3}; the EBS key
   * {@code alias/aws/ebs} serves {@code ec2}. Null when no alias is of the {@code alias/aws/} form.
   */
  static String serviceOf(List<String> aliases) {
    for (String alias : aliases) {
      String a = alias.startsWith("arn:") ? alias.substring(alias.indexOf(":alias/") + 1) : alias;
      if (a.startsWith("alias/aws/") && a.length() > "alias/aws/".length()) {
        String service = a.substring("alias/aws/".length());
        return service.equals("ebs") ? "ec2" : service;
      }
    }
    return null;
  }

  private static String aliasService(List<String> aliases) {
    String service = serviceOf(aliases);
    return "ec2".equals(service) ? "ebs" : service;
  }

  /** How an AWS managed key's policy is named in reasons when the world does not give it. */
  public static String awsManagedNameFor(String keyArn) {
    return "<AWS managed key policy of " + keyArn + ">";
  }

  private static ActionElement actions(List<String> names, SourceRef stmt) {
    List<Located> located = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      located.add(new Located(names.get(i), stmt.child("Action").child(String.valueOf(i))));
    }
    return new ActionElement(false, located, stmt.child("Action"));
  }

  private static ResourceElement anyResource(SourceRef stmt) {
    return new ResourceElement(false, List.of(new Located("*", stmt.child("Resource"))), stmt.child("Resource"));
  }

  private static Condition equals(String key, String value, SourceRef block) {
    SourceRef at = block.child(key);
    return new Condition("StringEquals", ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false, key,
        List.of(new ConditionValue(value, ValueKind.STRING, at)), at);
  }

  /** How a key's default policy is named in reasons. */
  public static String nameFor(String keyArn) {
    return "<default key policy of " + keyArn + ">";
  }
}
