package dev.keyward.analysis;

import dev.keyward.condition.ContextValues;
import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Statement;
import dev.keyward.world.Bucket;
import dev.keyward.world.World;
import dev.keyward.world.WorldIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides S3 requests on a bucket of the world with IAM's evaluation logic
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html and
 * .../reference_policies_evaluation-logic-cross-account.html): an explicit Deny in an identity policy,
 * the permissions boundary, an SCP of the caller's account or the bucket policy denies; every SCP level
 * must allow; then, in the bucket's own account, an identity policy (within the boundary) or a bucket
 * policy statement naming the caller allows, and across accounts both an identity policy and the bucket
 * policy must allow.
 *
 * <p>Why not the authorizer: bucket ARNs carry no account, and the authorizer decides only KMS keys and
 * resources whose ARN names the caller's own account; it models no S3 bucket policies. Object ACLs,
 * S3 Access Points, Object Ownership and RCPs are not modelled.
 */
final class S3Access {

  /** The answer: allowed or not, and why not in one line. */
  record Answer(boolean allowed, boolean explicitDeny, String why, String denyingPolicy) {}

  private final World world;
  private final WorldIndex index;

  private S3Access(World world) {
    this.world = world;
    this.index = WorldIndex.create(world);
  }

  static S3Access create(World world) {
    return new S3Access(world);
  }

  Answer decide(String principal, String action, String resource, Bucket bucket, Map<String, List<String>> context) {
    PolicyEval.Caller c = PolicyEval.Caller.of(principal, index);
    ContextValues ctx = PolicyEval.context(c, bucket.account(), context);
    List<PolicyDocument> identity = c.principal() == null ? List.of() : c.principal().policies();
    PolicyDocument boundary = c.principal() == null ? null : c.principal().boundary();
    List<PolicyDocument> scps = new ArrayList<>();
    List<List<PolicyDocument>> levels = index.scpLevels(c.account());
    levels.forEach(scps::addAll);
    List<PolicyDocument> callerSide = new ArrayList<>(identity);
    if (boundary != null) {
      callerSide.add(boundary);
    }
    callerSide.addAll(scps);
    for (PolicyDocument p : callerSide) {
      if (!PolicyEval.applying(p, Effect.DENY, c, action, resource, ctx, false, null).isEmpty()) {
        return new Answer(false, true, "`" + p.name() + "` denies it", p.name());
      }
    }
    if (!PolicyEval.applying(bucket.policy(), Effect.DENY, c, action, resource, ctx, true, null).isEmpty()) {
      return new Answer(false, true, "the bucket policy of `" + bucket.name() + "` denies it",
          bucket.policy().name());
    }
    for (List<PolicyDocument> level : levels) {
      boolean any = false;
      for (PolicyDocument p : level) {
        any |= !PolicyEval.applying(p, Effect.ALLOW, c, action, resource, ctx, false, null).isEmpty();
      }
      if (!any) {
        return new Answer(false, false, "no SCP of account " + c.account() + " allows it", null);
      }
    }
    boolean withinBoundary = boundary == null
        || !PolicyEval.applying(boundary, Effect.ALLOW, c, action, resource, ctx, false, null).isEmpty();
    boolean identityAllows = c.isRoot();
    for (PolicyDocument p : identity) {
      identityAllows |= !PolicyEval.applying(p, Effect.ALLOW, c, action, resource, ctx, false, null).isEmpty();
    }
    identityAllows &= withinBoundary || c.isRoot();
    List<PolicyEval.Match> matches = new ArrayList<>();
    List<Statement> bucketAllows = PolicyEval.applying(bucket.policy(), Effect.ALLOW, c, action, resource, ctx,
        true, matches);
    boolean bucketDirect = matches.contains(PolicyEval.Match.DIRECT);
    boolean bucketAny = !bucketAllows.isEmpty();
    boolean sameAccount = c.account().equals(bucket.account());
    if (sameAccount) {
      if (identityAllows || bucketDirect && withinBoundary) {
        return new Answer(true, false, "", null);
      }
      return new Answer(false, false, "no identity policy of `" + principal + "` allows it", null);
    }
    if (identityAllows && bucketAny) {
      return new Answer(true, false, "", null);
    }
    if (!bucketAny && !identityAllows) {
      return new Answer(false, false, "neither an identity policy of `" + principal + "` nor the bucket policy"
          + " of `" + bucket.name() + "` (account " + bucket.account() + ") allows it", null);
    }
    return new Answer(false, false, bucketAny ? "no identity policy of `" + principal + "` allows it"
        : "the bucket policy of `" + bucket.name() + "` (account " + bucket.account() + ") does not allow it",
        null);
  }

  World world() {
    return world;
  }
}
