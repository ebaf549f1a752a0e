package dev.keyward.analysis;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.ConditionalDecision;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Reason;
import dev.keyward.request.Request;
import dev.keyward.eval.Verdict;
import dev.keyward.model.Arn;
import dev.keyward.model.Severity;
import dev.keyward.world.Bucket;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns a refused request into findings: which policy must change and the statement that repairs it.
 * Candidate fixes (the key policy or bucket policy, the caller's identity policy, or both) are applied to
 * a copy of the world, which the same engine decides again; the first candidate that makes the request
 * allowed is reported. When two policies must change, there is one finding per policy (the two fixes
 * together repair the request). An explicit Deny, an SCP or a permissions boundary gets a finding
 * without a fix: what to change there is the owner's decision.
 */
final class Repairs {

  /** One policy change: the policy's name and the statement to add. */
  record Change(String policy, String fix, String why) {}

  private Repairs() {}

  /**
   * Findings for a KMS request, empty when it is allowed. {@code conditions} are the least-privilege
   * conditions the suggested statements carry (they must hold for the request).
   */
  static List<Finding> kms(CheckContext ctx, String analysis, Severity severity, String subject, String what,
      Request req, Map<String, Map<String, List<String>>> conditions) {
    Decision d = ctx.authorizer().authorize(req);
    if (d.verdict().allowed()) {
      return List.of();
    }
    return kmsRefused(ctx, analysis, severity, subject, what, req, conditions, d,
        w -> Authorizer.create(w).authorize(req).verdict().allowed());
  }

  /** As {@link #kms}, for a request allowed in some context: the request-side keys left open ({@link OpenKeys}). */
  static List<Finding> kmsSymbolic(CheckContext ctx, String analysis, Severity severity, String subject,
      String what, Request req, Map<String, Map<String, List<String>>> conditions) {
    ConditionalDecision cd = ctx.authorizer().authorizeSymbolic(req,
        OpenKeys.forCaller(accountOf(req.principal()), ctx.index()));
    if (cd.outcome() != ConditionalDecision.Outcome.DENY) {
      return List.of();
    }
    Decision d = new Decision(req.id(), cd.verdict(), cd.reasons());
    return kmsRefused(ctx, analysis, severity, subject, what, req, conditions, d,
        w -> {
          Authorizer a = Authorizer.create(w);
          return a.authorizeSymbolic(req, OpenKeys.forCaller(accountOf(req.principal()), a.index())).outcome()
              != ConditionalDecision.Outcome.DENY;
        });
  }

  private static List<Finding> kmsRefused(CheckContext ctx, String analysis, Severity severity, String subject,
      String what, Request req, Map<String, Map<String, List<String>>> conditions, Decision d,
      Predicate<World> allowed) {
    MissingRequest missing = MissingRequest.of(req);
    if (d.verdict() == Verdict.EXPLICIT_DENY && !d.reasons().isEmpty()) {
      Reason r = d.reasons().get(0);
      return List.of(new Finding(analysis, severity, subject, what + ": statement `" + r.statement() + "` of `"
          + r.policy() + "` denies it", List.of(missing), r.policy(), null));
    }
    World w = ctx.world();
    KmsKey key = ctx.index().resolveKey(req.resource(), null).orElse(null);
    IamPrincipal caller = ctx.index().principal(req.principal()).orElse(null);
    String action = req.action();
    String op = action.substring(action.indexOf(':') + 1);
    List<List<Change>> candidates = new ArrayList<>();
    Change keyChange = null;
    Change idChange = null;
    if (key != null && !key.metadata().awsManaged()) {
      String who = caller != null ? caller.arn() : req.principal();
      keyChange = new Change(key.policy().name(),
          Statements.allow(Statements.sid("Allow", lastName(who), op), who, List.of(action), List.of("*"), conditions),
          "the key policy of `" + key.arn() + "` does not allow it");
    }
    if (caller != null && key != null) {
      idChange = new Change(WorldPatch.identityPolicyName(caller),
          Statements.allow(Statements.sid("Allow", op, "On", shortId(key)), null, List.of(action),
              List.of(key.arn().toString()), conditions),
          "no identity policy of `" + caller.arn() + "` allows it");
    }
    boolean sameAccount = key != null && key.account().equals(accountOf(req.principal()));
    if (sameAccount) {
      add(candidates, idChange);
      add(candidates, keyChange);
    } else {
      add(candidates, keyChange);
      add(candidates, idChange);
    }
    if (keyChange != null && idChange != null) {
      candidates.add(List.of(keyChange, idChange));
    }
    for (List<Change> changes : candidates) {
      World patched = w;
      for (Change c : changes) {
        patched = c == keyChange ? WorldPatch.keyStatement(patched, key.arn().toString(), c.fix(), null)
            : WorldPatch.identityStatement(patched, caller.arn(), c.fix());
      }
      if (allowed.test(patched)) {
        return findings(analysis, severity, subject, what, missing, changes);
      }
    }
    String why = "it is refused";
    for (Reason r : d.reasons()) {
      if (!r.message().isEmpty()) {
        why = r.message();
        break;
      }
    }
    if (key != null && key.metadata().awsManaged()) {
      why = "the key is AWS managed, so its key policy cannot be changed; " + why;
    }
    return List.of(new Finding(analysis, severity, subject, what + ": " + why, List.of(missing), null, null));
  }

  /** Findings for an S3 request on {@code bucket}, empty when allowed. */
  static List<Finding> s3(CheckContext ctx, String analysis, Severity severity, String subject, String what,
      Request req, Bucket bucket, String resourcePattern) {
    S3Access.Answer a = ctx.s3().decide(req.principal(), req.action(), req.resource(), bucket, req.context());
    if (a.allowed()) {
      return List.of();
    }
    MissingRequest missing = MissingRequest.of(req);
    if (a.explicitDeny()) {
      return List.of(new Finding(analysis, severity, subject, what + ": " + a.why(), List.of(missing),
          a.denyingPolicy(), null));
    }
    IamPrincipal caller = ctx.index().principal(req.principal()).orElse(null);
    String op = req.action().substring(req.action().indexOf(':') + 1);
    Change idChange = caller == null ? null : new Change(WorldPatch.identityPolicyName(caller),
        Statements.allow(Statements.sid("Allow", op), null, List.of(req.action()), List.of(resourcePattern),
            Map.of()),
        "no identity policy of `" + caller.arn() + "` allows it");
    Change bucketChange = new Change(bucket.policy() != null ? bucket.policy().name()
        : WorldPatch.newBucketPolicyName(bucket.name()),
        Statements.allow(Statements.sid("Allow", lastName(req.principal()), op), req.principal(),
            List.of(req.action()), List.of(resourcePattern), Map.of()),
        "the bucket policy of `" + bucket.name() + "` does not allow it");
    List<List<Change>> candidates = new ArrayList<>();
    add(candidates, idChange);
    if (!bucket.account().equals(accountOf(req.principal()))) {
      candidates.add(List.of(bucketChange));
      if (idChange != null) {
        candidates.add(List.of(idChange, bucketChange));
      }
    }
    for (List<Change> changes : candidates) {
      World patched = ctx.world();
      for (Change c : changes) {
        patched = c == idChange ? WorldPatch.identityStatement(patched, caller.arn(), c.fix())
            : WorldPatch.bucketStatement(patched, bucket.name(), c.fix());
      }
      Bucket pb = bucket;
      for (Bucket b : patched.buckets()) {
        if (b.name().equals(bucket.name())) {
          pb = b;
        }
      }
      if (S3Access.create(patched).decide(req.principal(), req.action(), req.resource(), pb, req.context())
          .allowed()) {
        return findings(analysis, severity, subject, what, missing, changes);
      }
    }
    return List.of(new Finding(analysis, severity, subject, what + ": " + a.why(), List.of(missing), null, null));
  }

  private static List<Finding> findings(String analysis, Severity severity, String subject, String what,
      MissingRequest missing, List<Change> changes) {
    List<Finding> out = new ArrayList<>();
    for (Change c : changes) {
      String others = "";
      for (Change o : changes) {
        if (o != c) {
          String name = o.policy().contains("`") ? o.policy() : "`" + o.policy() + "`";
          others += (others.isEmpty() ? "" : ", ") + name;
        }
      }
      String msg = what + ": " + c.why() + (others.isEmpty() ? "" : " (" + others + " must change too)");
      out.add(new Finding(analysis, severity, subject, msg, List.of(missing), c.policy(), c.fix()));
    }
    return out;
  }

  private static void add(List<List<Change>> candidates, Change c) {
    if (c != null) {
      candidates.add(List.of(c));
    }
  }

  private static String shortId(KmsKey key) {
    String id = key.arn().resourceId();
    int length = id.startsWith("mrk-") ? 12 : 8;
    return id.substring(0, Math.min(length, id.length()));
  }

  static String accountOf(String arn) {
    return Arn.parse(arn).map(Arn::account).orElse("");
  }

  /** The last path segment of an ARN: a role's name, a key's id. */
  static String lastName(String arn) {
    int i = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
    return arn.substring(i + 1);
  }
}
