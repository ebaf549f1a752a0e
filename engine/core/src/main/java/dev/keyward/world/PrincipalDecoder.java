package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.IamNames;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes IAM principals (roles and users, with their tags, policies and permissions boundary) and checks
 * principal ARNs.
 */
final class PrincipalDecoder extends WorldReading {

  private static final Set<String> PRINCIPAL = ordered("arn", "tags", "policies", "boundary");

  private final PolicyDecoder policyDecoder;

  PrincipalDecoder(WorldReading from, PolicyDecoder policyDecoder) {
    super(from);
    this.policyDecoder = policyDecoder;
  }

  IamPrincipal principal(Node n) {
    Node.ObjectNode o = object(n, "a principal");
    if (o == null) {
      return null;
    }
    checkFields(o, PRINCIPAL, "a principal");
    String arn = requiredString(o, "arn", "a principal");
    String account = null;
    if (arn != null) {
      account = principalArn(arn, o.get("arn").source());
    }
    Map<String, String> tags = stringMap(o.get("tags"), "tags");
    List<PolicyDocument> policies = policyDecoder.policies(o.get("policies"), PolicyType.IDENTITY, "policies");
    PolicyDocument boundary = null;
    Node b = o.get("boundary");
    if (b != null) {
      boundary = policyDecoder.policy(b, PolicyType.IDENTITY);
    }
    if (arn == null || account == null) {
      return null;
    }
    return new IamPrincipal(arn, account, tags, policies, boundary, o.source());
  }
  /** The account of a valid role or user ARN, else null after reporting why. */
  String principalArn(String arn, SourceRef at) {
    Arn a = Arn.parse(arn).orElse(null);
    String shape = "a principal must be an IAM role or user ARN, `arn:aws:iam::ACCOUNT:role/NAME` or"
        + " `arn:aws:iam::ACCOUNT:user/NAME`, not `" + arn + "`";
    if (a == null || !PARTITION.matcher(a.partition()).matches() || !a.service().equals("iam")
        || !a.region().isEmpty()) {
      error("world.invalid-principal-arn", shape, at);
      return null;
    }
    String type = a.resourceType();
    if (!type.equals("role") && !type.equals("user")) {
      error("world.invalid-principal-arn", shape, at);
      return null;
    }
    if (!iamNameOk(arn, a, at)) {
      return null;
    }
    if (!Arn.isAccountId(a.account())) {
      error("world.invalid-account-id", "account id `" + a.account() + "` in `" + arn
          + "` must be 12 digits", at);
      return null;
    }
    return a.account();
  }

  /** Whether a role or user ARN's path and name are ones IAM accepts; reports why not. */
  boolean iamNameOk(String arn, Arn a, SourceRef at) {
    String problem = IamNames.problem(a.resourceId());
    if (problem != null) {
      error("world.invalid-iam-path", "`" + arn + "` is not a valid " + a.resourceType() + " ARN: " + problem,
          at);
      return false;
    }
    return true;
  }
}
