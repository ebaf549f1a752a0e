package dev.keyward.eval;

import static dev.keyward.model.KmsOperationFacts.RETIRE_GRANT_ACTION;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import dev.keyward.world.WorldIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The organization-level part of a compiled world: the SCPs and RCPs of every organization, unit and
 * account compiled once, the SCP levels that restrict each caller account and the RCPs that guard each key
 * account (both cached), the {@code aws:ResourceOrgID}/{@code aws:ResourceOrgPaths} keys of each account, and
 * the SCP check of a decision. Thread-safe: the caches are concurrent maps that only grow.
 */
final class OrgPolicies {

  private final WorldIndex index;
  private final IdentityHashMap<PolicyDocument, CompiledPolicy> scps;
  private final ConcurrentHashMap<String, CompiledPolicy[][]> scpLevels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String[]> scpLevelNames = new ConcurrentHashMap<>();
  /** Compiled RCPs, and per resource account the RCPs that apply to its resources. */
  private final IdentityHashMap<PolicyDocument, CompiledPolicy> rcps;
  /** The RCPs guarding each key account's resources, computed once (immutable after construction). */
  private final Map<String, CompiledPolicy[]> rcpsByAccount;
  /** Per account of an organization: aws:ResourceOrgID and aws:ResourceOrgPaths for resources it owns. */
  private final Map<String, Map<String, String[]>> resourceOrgKeys;

  /** Compiles the world's SCPs and RCPs, taking atom ids from {@code nextId}. */
  OrgPolicies(World world, WorldIndex index, int[] nextId) {
    this.index = index;
    IdentityHashMap<PolicyDocument, CompiledPolicy> sc = new IdentityHashMap<>();
    IdentityHashMap<PolicyDocument, CompiledPolicy> rc = new IdentityHashMap<>();
    Map<String, Map<String, String[]>> orgKeys = new HashMap<>();
    for (Organization o : world.organizations()) {
      compileAll(o.scps(), sc, nextId);
      compileAll(o.rcps(), rc, nextId);
      compileUnits(o.units(), sc, rc, nextId);
      for (String acct : o.accounts()) {
        Map<String, String[]> k = new HashMap<>();
        k.put("aws:resourceorgid", new String[] {o.id()});
        String path = index.orgPath(acct);
        if (path != null) {
          k.put("aws:resourceorgpaths", new String[] {path});
        }
        orgKeys.putIfAbsent(acct, Map.copyOf(k));
      }
    }
    for (var a : world.accounts()) {
      compileAll(a.scps(), sc, nextId);
      compileAll(a.rcps(), rc, nextId);
    }
    Map<String, CompiledPolicy[]> byAccount = new HashMap<>();
    for (KmsKey k : world.keys()) {
      byAccount.computeIfAbsent(k.account(), acct -> {
        List<PolicyDocument> docs = index.rcps(acct);
        CompiledPolicy[] out = new CompiledPolicy[docs.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = rc.get(docs.get(i));
        }
        return out;
      });
    }
    this.rcpsByAccount = Map.copyOf(byAccount);
    this.rcps = rc;
    this.resourceOrgKeys = Map.copyOf(orgKeys);
    this.scps = sc;
  }

  /** aws:ResourceOrgID and aws:ResourceOrgPaths for a resource of this account, or null. */
  Map<String, String[]> resourceOrgKeys(String account) {
    return resourceOrgKeys.get(account);
  }

  private static final CompiledPolicy[] NONE = new CompiledPolicy[0];

  private static void compileAll(List<PolicyDocument> docs, IdentityHashMap<PolicyDocument, CompiledPolicy> into,
      int[] nextId) {
    for (PolicyDocument d : docs) {
      into.computeIfAbsent(d, x -> new CompiledPolicy(x, nextId));
    }
  }

  private static void compileUnits(List<dev.keyward.world.OrganizationalUnit> units,
      IdentityHashMap<PolicyDocument, CompiledPolicy> sc, IdentityHashMap<PolicyDocument, CompiledPolicy> rc,
      int[] nextId) {
    for (var u : units) {
      compileAll(u.scps(), sc, nextId);
      compileAll(u.rcps(), rc, nextId);
      compileUnits(u.units(), sc, rc, nextId);
    }
  }

  /** The SCP levels that restrict this caller: empty for the management account and service-linked roles. */
  CompiledPolicy[][] scpLevelsFor(Caller c) {
    if (c.account == null || c.isServiceLinkedRole()) {
      return new CompiledPolicy[0][];
    }
    return scpLevels.computeIfAbsent(c.account, acct -> {
      List<List<PolicyDocument>> levels = index.scpLevels(acct);
      CompiledPolicy[][] out = new CompiledPolicy[levels.size()][];
      for (int i = 0; i < out.length; i++) {
        List<PolicyDocument> level = levels.get(i);
        out[i] = new CompiledPolicy[level.size()];
        for (int j = 0; j < out[i].length; j++) {
          out[i][j] = scps.get(level.get(j));
        }
      }
      return out;
    });
  }

  /**
   * The RCPs that restrict a request on a key: those of the key's account (the root's, its units', its own),
   * none for a key of the management account, an AWS managed key, a service-linked role's request or
   * {@code kms:RetireGrant}, which RCPs do not restrict
   * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html, "Resources and
   * entities not restricted by RCPs"; https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html).
   * Requests by AWS service principals are restricted (the KMS guide's RCP examples exempt them explicitly
   * with {@code aws:PrincipalIsAWSService}, which would be needless otherwise).
   */
  CompiledPolicy[] rcpsFor(Authorizer.Eval e) {
    if (e.key == null || rcps.isEmpty() || e.caller.isServiceLinkedRole()
        || e.action.equals(RETIRE_GRANT_ACTION) || "AWS".equals(e.key.key.metadata().manager())) {
      return NONE;
    }
    CompiledPolicy[] out = rcpsByAccount.get(e.key.key.account());
    return out == null ? NONE : out;
  }

  /** The names of the caller's SCP levels: {@code root}, a unit id or the account id. */
  private String[] scpLevelNames(String account) {
    return scpLevelNames.computeIfAbsent(account, a -> index.scpLevelNames(a).toArray(new String[0]));
  }

  /** Null when every SCP level allows, else the reason naming the level that does not. */
  Reason scpBlock(Authorizer.Eval e, CompiledPolicy[][] levels, List<Reason> allowReasons) {
    String[] levelNames = levels.length <= 1 ? null : scpLevelNames(e.caller.account);
    // one list for every level: each level's statements become reasons before the next level is read
    List<CompiledStatement> out = new ArrayList<>(2);
    for (int i = 0; i < levels.length; i++) {
      out.clear();
      for (CompiledPolicy p : levels[i]) {
        if (e.allows(p, out) != CompiledStatement.NO_MATCH) {
          break;
        }
      }
      String name = levelNames == null || levelNames.length != levels.length ? "" : levelNames[i];
      if (out.isEmpty()) {
        String where = levels.length == 1 ? "the SCPs" : name.equals("root") ? "the organization root's SCPs"
            : name.equals(e.caller.account) ? "the SCPs attached to account " + e.caller.account
            : "the SCPs attached to organizational unit " + name;
        StringBuilder names = new StringBuilder();
        for (CompiledPolicy p : levels[i]) {
          names.append(names.length() == 0 ? "" : ", ").append('`').append(p.name()).append('`');
        }
        return new Reason(levels[i].length == 1 ? levels[i][0].name() : "", "", "blocked",
            "no statement of " + where + " (" + names + ") allows `" + e.request.action()
                + "` for account " + e.caller.account, SourceRef.none());
      }
      // The same SCP may be attached at several levels; the reason says which level it speaks for.
      String level = name;
      for (CompiledStatement s : out) {
        allowReasons.add(s.reason(CompiledStatement.MSG_SCP, "allow", level, a -> a.isEmpty()
            ? "SCP permits the action" : a.equals("root") ? "SCP at the organization root permits the action"
            : Arn.isAccountId(a) ? "SCP attached to account " + a + " permits the action"
            : "SCP attached to organizational unit " + a + " permits the action"));
      }
    }
    return null;
  }
}
