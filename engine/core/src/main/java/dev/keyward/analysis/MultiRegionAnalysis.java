package dev.keyward.analysis;

import dev.keyward.eval.ConditionalDecision;
import dev.keyward.request.Request;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.model.Severity;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code multi-region}: related multi-Region keys (a primary and its replicas: same account, same
 * {@code mrk-} key id, different Regions) share key material but not key policies, grants or aliases
 * (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html). Reports
 * (1) each principal of the world that may call a cryptographic operation on one related key but on
 * no context on another, decided by the authorizer with every context key left open, with the statement
 * that would align the other key; (2) each Region that the primary's {@code multiRegion.requiredRegions}
 * lists and in which no related key exists, with the ReplicateKey request that creates one.
 */
final class MultiRegionAnalysis implements Analysis {

  static final String NAME = "multi-region";
  static final List<String> ACTIONS = List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Finding> run(CheckContext ctx) {
    List<Finding> out = new ArrayList<>();
    Map<String, List<KmsKey>> families = new LinkedHashMap<>();
    for (KmsKey k : ctx.world().keys()) {
      if (k.metadata().multiRegionRole() != null) {
        families.computeIfAbsent(k.account() + "/" + k.arn().resourceId(), x -> new ArrayList<>()).add(k);
      }
    }
    for (List<KmsKey> family : families.values()) {
      KmsKey primary = null;
      for (KmsKey k : family) {
        if ("PRIMARY".equals(k.metadata().multiRegionRole())) {
          primary = k;
        }
      }
      if (primary != null) {
        for (String region : primary.metadata().requiredRegions()) {
          boolean present = false;
          for (KmsKey k : family) {
            present |= k.region().equals(region);
          }
          if (!present) {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("Operation", "ReplicateKey");
            req.put("KeyId", primary.arn().toString());
            req.put("ReplicaRegion", region);
            out.add(new Finding(NAME, Severity.ERROR, primary.arn().toString(), "multi-Region key `"
                + primary.arn().resourceId() + "` has no replica in Region `" + region + "`, which its"
                + " requiredRegions list", List.of(), "replicas of `" + primary.arn() + "`", JsonText.of(req)));
          }
        }
      }
      if (family.size() > 1) {
        divergence(ctx, family, out);
      }
    }
    return out;
  }

  private void divergence(CheckContext ctx, List<KmsKey> family, List<Finding> out) {
    for (IamPrincipal p : ctx.world().principals()) {
      for (String action : ACTIONS) {
        List<KmsKey> allowed = new ArrayList<>();
        List<KmsKey> denied = new ArrayList<>();
        List<ConditionalDecision> allowedDecisions = new ArrayList<>();
        for (KmsKey k : family) {
          if (!k.metadata().usage().equals("ENCRYPT_DECRYPT")) {
            continue;
          }
          ConditionalDecision d = ctx.authorizer().authorizeSymbolic(
              new Request("", p.arn(), action, k.arn().toString(), Map.of()),
              OpenKeys.forCaller(p.account(), ctx.index()));
          if (d.outcome() == ConditionalDecision.Outcome.DENY) {
            denied.add(k);
          } else {
            allowed.add(k);
            allowedDecisions.add(d);
          }
        }
        if (allowed.isEmpty() || denied.isEmpty()) {
          continue;
        }
        KmsKey other = allowed.get(0);
        // the fix carries the conditions under which the other key allows (e.g. an encryption context)
        Statements.Conditions conditions = new Statements.Conditions();
        ConditionalDecision od = allowedDecisions.get(0);
        if (od.outcome() == ConditionalDecision.Outcome.CONDITIONAL && !od.alternatives().isEmpty()) {
          for (ResidualCondition c : od.alternatives().get(0)) {
            if (c.mustHold()) {
              conditions.add(c.operator(), c.key(), c.values().toArray(new String[0]));
            }
          }
        }
        for (KmsKey k : denied) {
          Request req = new Request("", p.arn(), action, k.arn().toString(), Map.of());
          out.addAll(Repairs.kmsSymbolic(ctx, NAME, Severity.WARNING, k.arn().toString(), "`" + p.arn()
              + "` may call `" + action + "` on `" + other.arn() + "` (Region " + other.region() + ") but not on"
              + " the related key in Region " + k.region() + "; related keys share key material, not policies",
              req, conditions.build()));
        }
      }
    }
  }
}
