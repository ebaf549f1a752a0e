package dev.keyward.analysis;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.Bucket;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.List;

/**
 * A world with one policy statement added or replaced: how an analysis verifies that the fix it suggests
 * really repairs the refused request (the patched world is decided again by the same engine).
 */
final class WorldPatch {

  private static final PolicyParser PARSER = PolicyParser.create();

  private WorldPatch() {}

  /** Parses a statement's JSON text as the only statement of a policy of this type. */
  static Statement parse(String json, PolicyType type) {
    ParseResult r = PARSER.parseString("{\"Version\":\"2012-10-17\",\"Statement\":[" + json + "]}", "fix", type);
    if (r.policy() == null || r.hasErrors() || r.policy().statements().size() != 1) {
      throw new IllegalStateException("a fix statement does not parse: " + json + " " + r.problems());
    }
    return r.policy().statements().get(0);
  }

  /** The policy with the statement added at the end, or put in place of the statement labelled {@code replace}. */
  static PolicyDocument with(PolicyDocument p, String json, String replace) {
    Statement s = parse(json, p.type());
    List<Statement> out = new ArrayList<>();
    boolean replaced = false;
    for (Statement old : p.statements()) {
      if (replace != null && !replaced && old.label().equals(replace)) {
        out.add(reindex(s, old.index()));
        replaced = true;
      } else {
        out.add(old);
      }
    }
    if (!replaced) {
      out.add(reindex(s, p.statements().size()));
    }
    String version = p.version() == null ? PolicyDocument.VERSION_2012 : p.version();
    return new PolicyDocument(p.name(), p.type(), version, p.id(), out, p.source());
  }

  private static Statement reindex(Statement s, int index) {
    return new Statement(index, s.sid(), s.effect(), s.principal(), s.action(), s.resource(), s.conditions(),
        s.source());
  }

  static World keyStatement(World w, String keyArn, String json, String replace) {
    List<KmsKey> keys = new ArrayList<>();
    for (KmsKey k : w.keys()) {
      keys.add(!k.arn().toString().equals(keyArn) ? k
          : new KmsKey(k.arn(), with(k.policy(), json, replace), false, k.grants(), k.metadata(), k.source()));
    }
    return new World(w.name(), w.organizations(), w.accounts(), w.principals(), keys, w.buckets(), w.images(),
        w.identities(), w.vpcEndpoints(), w.source());
  }

  static World identityStatement(World w, String principalArn, String json) {
    List<IamPrincipal> ps = new ArrayList<>();
    for (IamPrincipal p : w.principals()) {
      if (!p.arn().equals(principalArn)) {
        ps.add(p);
        continue;
      }
      List<PolicyDocument> policies = new ArrayList<>(p.policies());
      if (policies.isEmpty()) {
        policies.add(with(new PolicyDocument(newIdentityPolicyName(p.arn()), PolicyType.IDENTITY,
            PolicyDocument.VERSION_2012, null, List.of(), SourceRef.none()), json, null));
      } else {
        policies.set(0, with(policies.get(0), json, null));
      }
      ps.add(new IamPrincipal(p.arn(), p.account(), p.tags(), policies, p.boundary(), p.source()));
    }
    return new World(w.name(), w.organizations(), w.accounts(), ps, w.keys(), w.buckets(), w.images(),
        w.identities(), w.vpcEndpoints(), w.source());
  }

  static World bucketStatement(World w, String bucket, String json) {
    List<Bucket> bs = new ArrayList<>();
    for (Bucket b : w.buckets()) {
      if (!b.name().equals(bucket)) {
        bs.add(b);
        continue;
      }
      PolicyDocument p = b.policy() != null ? b.policy() : new PolicyDocument(newBucketPolicyName(b.name()),
          PolicyType.RESOURCE, PolicyDocument.VERSION_2012, null, List.of(), SourceRef.none());
      bs.add(new Bucket(b.name(), b.account(), b.region(), b.encryption(), b.blockedEncryptionTypes(), b.objects(),
          with(p, json, null), b.replication(), b.source()));
    }
    return new World(w.name(), w.organizations(), w.accounts(), w.principals(), w.keys(), bs, w.images(),
        w.identities(), w.vpcEndpoints(), w.source());
  }

  static String newIdentityPolicyName(String principalArn) {
    return "a new identity policy of `" + principalArn + "`";
  }

  static String newBucketPolicyName(String bucket) {
    return "a new bucket policy of `" + bucket + "`";
  }

  /** The name of the policy a statement fix goes into. */
  static String identityPolicyName(IamPrincipal p) {
    return p.policies().isEmpty() ? newIdentityPolicyName(p.arn()) : p.policies().get(0).name();
  }
}
