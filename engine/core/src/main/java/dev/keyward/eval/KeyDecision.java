package dev.keyward.eval;

import static dev.keyward.model.KmsOperationFacts.CROSS_ACCOUNT_ACTIONS;
import static dev.keyward.model.KmsOperationFacts.RETIRE_GRANT_ACTION;

import dev.keyward.model.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The decision for a request on a KMS key, once the request is resolved ({@link Authorizer.Eval}): the deny
 * sweep, the cross-account and SCP checks, the key-policy paths (direct, delegation to the caller's account,
 * cross-account), grants, and {@code kms:RetireGrant}, which only grants authorize. Moved out of
 * {@link Authorizer}; it uses the authorizer's compiled world and its shared helpers.
 */
final class KeyDecision {

  private KeyDecision() {}

  static Decision decideKey(Authorizer auth, Authorizer.Eval e) {
    Caller c = e.caller;
    Authorizer.CompiledKey key = e.key;
    CompiledPolicy[][] levels = c.kind == Caller.Kind.SERVICE ? new CompiledPolicy[0][] : auth.scpLevelsFor(c);
    e.sweep(key.policy);
    auth.sweepCallerSide(e, levels);
    for (CompiledPolicy p : auth.rcpsFor(e)) {
      e.sweep(p);
    }
    if (e.endpoint != null) {
      e.sweep(e.endpoint.policy);
    }
    if (!e.denies.isEmpty()) {
      return auth.finish(e, Verdict.EXPLICIT_DENY, new ArrayList<>(e.denies));
    }
    boolean crossAccount = c.kind != Caller.Kind.SERVICE && !c.account.equals(key.key.account());
    List<Reason> allow = new ArrayList<>(4);
    List<Reason> missing = new ArrayList<>();
    if (crossAccount && !CROSS_ACCOUNT_ACTIONS.contains(e.action)) {
      missing.add(new Reason("", "", "missing", "operation `" + e.request.action() + "` cannot be used across"
          + " accounts (caller account " + c.account + ", key account " + key.key.account()
          + "), whatever the policies say", SourceRef.none()));
      return auth.finish(e, Verdict.IMPLICIT_DENY, missing);
    }
    Reason scp = auth.scpBlock(e, levels, allow);
    if (scp != null) {
      missing.add(scp);
      return auth.finish(e, Verdict.IMPLICIT_DENY, missing);
    }
    if (e.action.equals(RETIRE_GRANT_ACTION)) {
      return decideRetireGrant(auth, e, allow, missing);
    }
    // key policy
    List<CompiledStatement> kp = new ArrayList<>(2);
    e.allows(key.policy, kp);
    int bestDirect = CompiledStatement.NO_MATCH;
    List<CompiledStatement> direct = new ArrayList<>(1);
    List<CompiledStatement> byName = new ArrayList<>();
    List<CompiledStatement> account = new ArrayList<>();
    for (CompiledStatement s : kp) {
      int m = s.matchPrincipal(c);
      if (m == CompiledStatement.ACCOUNT) {
        account.add(s);
      } else {
        direct.add(s);
        if (m == CompiledStatement.DIRECT) {
          byName.add(s);
        }
        bestDirect = Math.max(bestDirect, m);
      }
    }
    List<Reason> pathReasons = new ArrayList<>(4);
    boolean allowed = false;
    if (c.kind == Caller.Kind.SERVICE) {
      allowed = !direct.isEmpty();
      Authorizer.addCached(pathReasons, direct, CompiledStatement.MSG_KEY_SERVICE, "allow", "",
          a -> "key policy allows the service principal");
      if (!allowed) {
        missing.add(new Reason(key.policy.name(), "", "missing", "no statement of the key policy allows service"
            + " principal `" + c.service + "` to call `" + e.request.action() + "` (only the key policy can let a"
            + " service principal in)", SourceRef.none()));
      }
    } else if (!crossAccount) {
      if (bestDirect == CompiledStatement.DIRECT) {
        allowed = true;
        Authorizer.addCached(pathReasons, byName, CompiledStatement.MSG_KEY_BY_NAME, "allow", "",
            a -> "key policy allows the caller by name");
      } else if (bestDirect == CompiledStatement.DIRECT_LIMITED) {
        List<Reason> tmp = new ArrayList<>(1);
        if (auth.boundaryAllows(e, tmp, missing)) {
          allowed = true;
          Authorizer.addCached(pathReasons, direct, CompiledStatement.MSG_KEY_CALLER, "allow", "",
              a -> "key policy allows the caller");
          pathReasons.addAll(tmp);
        }
      }
      if (!allowed && !account.isEmpty()) {
        List<Reason> tmp = new ArrayList<>(2);
        List<Reason> miss = new ArrayList<>(1);
        if (auth.identityAllows(e, tmp, miss)) {
          allowed = true;
          Authorizer.addCached(pathReasons, account, CompiledStatement.MSG_KEY_DELEGATE, "delegate", "",
              a -> "key policy allows the caller's account, whose IAM policies allow the caller");
          pathReasons.addAll(tmp);
        } else {
          Authorizer.addStatements(missing, account, "delegate", "key policy delegates to account " + c.account
              + " but its IAM policies do not allow the caller");
          missing.addAll(miss);
        }
      }
      if (!allowed && direct.isEmpty() && account.isEmpty()) {
        missing.add(new Reason(key.policy.name(), "", "missing", "no statement of the key policy allows `"
            + c.display() + "` or account " + c.account + " to call `" + e.request.action() + "`",
            SourceRef.none()));
      }
    } else {
      if (direct.isEmpty() && account.isEmpty()) {
        missing.add(new Reason(key.policy.name(), "", "missing", "no statement of the key policy allows account "
            + c.account + " or `" + c.display() + "` to call `" + e.request.action() + "`",
            SourceRef.none()));
      } else {
        List<Reason> tmp = new ArrayList<>(2);
        List<Reason> miss = new ArrayList<>(1);
        if (auth.identityAllows(e, tmp, miss)) {
          allowed = true;
          Authorizer.addCached(pathReasons, direct, CompiledStatement.MSG_KEY_CROSS, "allow", "",
              a -> "key policy allows the caller from another account");
          Authorizer.addCached(pathReasons, account, CompiledStatement.MSG_KEY_CROSS_DELEGATE, "delegate", "",
              a -> "key policy allows the caller's account, whose IAM policies allow the caller");
          pathReasons.addAll(tmp);
        } else {
          Authorizer.addStatements(missing, direct, "allow", "key policy allows the caller, but cross-account use also"
              + " needs its own account's IAM policies");
          Authorizer.addStatements(missing, account, "delegate", "key policy allows account " + c.account
              + ", but cross-account use also needs its IAM policies");
          missing.addAll(miss);
        }
      }
    }
    if (!allowed && c.kind != Caller.Kind.SERVICE) {
      List<Reason> grantReasons = new ArrayList<>(1);
      if (grantAllows(auth, e, grantReasons, missing)) {
        allowed = true;
        pathReasons.addAll(grantReasons);
      }
    }
    if (allowed) {
      Reason vpce = auth.endpointBlock(e, pathReasons);
      if (vpce != null) {
        missing.clear();
        missing.add(vpce);
        return auth.finish(e, Verdict.IMPLICIT_DENY, missing);
      }
      pathReasons.addAll(allow);
      return auth.finish(e, Verdict.ALLOW, pathReasons);
    }
    return auth.finish(e, Verdict.IMPLICIT_DENY, missing);
  }

  /**
   * Whether a grant gives the caller the operation. A grantee that is a role matches the role and its
   * sessions; an account grantee delegates to the account's IAM policies. A cross-account grant needs no
   * IAM Allow in the grantee's account (KMS "key trust": a grant in the caller's favour suffices). A grant
   * to a role ARN is limited by the role's permissions boundary like a key-policy Allow naming the role.
   */
  private static boolean grantAllows(Authorizer auth, Authorizer.Eval e, List<Reason> out, List<Reason> missing) {
    Caller c = e.caller;
    boolean any = false;
    for (Authorizer.CompiledGrant g : e.key.grants) {
      if (!g.operations.contains(e.action)) {
        continue;
      }
      int m = Authorizer.granteeMatch(g.grant.grantee(), c);
      if (m == CompiledStatement.NO_MATCH) {
        continue;
      }
      if (!g.constraintsHold(e.ctx, e.action)) {
        String constraint = g.grant.encryptionContextEquals() != null
            ? "equal to " + new TreeMap<>(g.grant.encryptionContextEquals())
            : "containing " + new TreeMap<>(g.grant.encryptionContextSubset());
        missing.add(new Reason(g.name, "", "missing", "grant to `" + g.grant.grantee() + "` allows `"
            + e.request.action() + "` only with encryption context " + constraint, g.grant.source()));
        continue;
      }
      List<Reason> tmp = new ArrayList<>(1);
      if (m == CompiledStatement.ACCOUNT) {
        if (!auth.identityAllows(e, tmp, missing)) {
          continue;
        }
      } else if (m == CompiledStatement.DIRECT_LIMITED && !auth.boundaryAllows(e, tmp, missing)) {
        continue;
      }
      out.add(new Reason(g.name, "", "grant", "grant to `" + g.grant.grantee() + "` allows `"
          + e.request.action() + "`", g.grant.source()));
      out.addAll(tmp);
      any = true;
      break;
    }
    return any;
  }

  /**
   * RetireGrant is authorized by the grant, never by key policy (kms:RetireGrant in a key policy has no
   * effect): the retiring principal, the grantee when the grant lists RetireGrant, or the issuing
   * account (its root user, or its IAM principals whose identity policies allow kms:RetireGrant). With
   * the context key {@code kms:GrantId} the request names one grant; otherwise any grant of the key counts.
   */
  private static Decision decideRetireGrant(Authorizer auth, Authorizer.Eval e, List<Reason> allow, List<Reason> missing) {
    Caller c = e.caller;
    String[] wanted = e.ctx.get("kms:grantid");
    for (Authorizer.CompiledGrant g : e.key.grants) {
      if (wanted != null && !List.of(wanted).contains(g.grant.id())) {
        continue;
      }
      List<Reason> tmp = new ArrayList<>(2);
      String how = null;
      int rm = Authorizer.granteeMatch(g.grant.retiringPrincipal(), c);
      if (rm != CompiledStatement.NO_MATCH && (rm != CompiledStatement.ACCOUNT || auth.identityAllows(e, tmp, missing))) {
        how = "names the caller as retiring principal";
      }
      if (how == null && g.operations.contains(RETIRE_GRANT_ACTION)) {
        int gm = Authorizer.granteeMatch(g.grant.grantee(), c);
        tmp.clear();
        if (gm != CompiledStatement.NO_MATCH && (gm != CompiledStatement.ACCOUNT || auth.identityAllows(e, tmp, missing))) {
          how = "lets its grantee retire it";
        }
      }
      if (how == null && c.account != null && c.account.equals(g.issuingAccount)) {
        tmp.clear();
        if (c.kind == Caller.Kind.ROOT || auth.identityAllows(e, tmp, missing)) {
          how = "was created in the caller's account " + c.account;
        }
      }
      if (how != null) {
        List<Reason> r = new ArrayList<>();
        r.add(new Reason(g.name, "", "grant", "grant " + how, g.grant.source()));
        r.addAll(tmp);
        Reason vpce = auth.endpointBlock(e, r);
        if (vpce != null) {
          return auth.finish(e, Verdict.IMPLICIT_DENY, new ArrayList<>(List.of(vpce)));
        }
        r.addAll(allow);
        return auth.finish(e, Verdict.ALLOW, r);
      }
    }
    missing.add(new Reason("", "", "missing", "no grant of the key can be retired by `" + c.display()
        + "` (kms:RetireGrant in a key policy has no effect; the retiring principal, a grantee whose grant"
        + " lists RetireGrant, or the issuing account may retire)", SourceRef.none()));
    return auth.finish(e, Verdict.IMPLICIT_DENY, missing);
  }
}
