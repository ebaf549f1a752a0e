package dev.keyward.analysis;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.condition.ContextValues;
import dev.keyward.condition.Glob;
import dev.keyward.condition.Template;
import dev.keyward.model.Arn;
import dev.keyward.model.Condition;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PrincipalElement;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Statement;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.WorldIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Statement matching for the policies the {@link dev.keyward.eval.Authorizer} does not decide: S3 bucket
 * policies (and identity policies on S3 resources, whose ARNs carry no account), and key-policy
 * statements for operations that can never work across accounts (the authorizer refuses those before it
 * reads the key policy). Same semantics as the authorizer for one statement: Action/NotAction globs
 * (case-insensitive), Resource/NotResource with policy variables, Principal/NotPrincipal, and every
 * condition through {@link ConditionMatcher}; a condition that cannot be evaluated makes an Allow not
 * apply and a Deny apply (the sound side).
 */
final class PolicyEval {

  /** How a resource policy's Principal matches a caller. */
  enum Match { NONE, ACCOUNT, DIRECT }

  /** A caller: a role or user of the world, or an account root; with its derived context keys. */
  record Caller(String arn, String account, IamPrincipal principal, Map<String, String[]> derived) {

    static Caller of(String arn, WorldIndex index) {
      String account = Arn.parse(arn).map(Arn::account).orElse("");
      IamPrincipal p = index.principal(arn).orElse(null);
      Map<String, String[]> d = new HashMap<>();
      d.put("aws:principalarn", new String[] {arn});
      d.put("aws:principalaccount", new String[] {account});
      d.put("kms:calleraccount", new String[] {account});
      d.put("aws:principalisawsservice", new String[] {"false"});
      d.put("aws:principaltype", new String[] {arn.endsWith(":root") ? "Account"
          : arn.contains(":user/") ? "User" : "AssumedRole"});
      index.organizationOf(account).ifPresent(o -> d.put("aws:principalorgid", new String[] {o.id()}));
      String orgPath = index.orgPath(account);
      if (orgPath != null) {
        d.put("aws:principalorgpaths", new String[] {orgPath});
      }
      if (p != null) {
        for (Map.Entry<String, String> t : p.tags().entrySet()) {
          d.put("aws:principaltag/" + t.getKey().toLowerCase(Locale.ROOT), new String[] {t.getValue()});
        }
      }
      return new Caller(arn, account, p, Map.copyOf(d));
    }

    boolean isRoot() {
      return arn.endsWith(":root");
    }
  }

  private PolicyEval() {}

  /** The request context: derived keys win over given ones; lookups by lower-case key. */
  static ContextValues context(Caller c, String resourceAccount, Map<String, List<String>> given) {
    Map<String, String[]> g = new HashMap<>();
    for (Map.Entry<String, List<String>> e : given.entrySet()) {
      g.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().toArray(new String[0]));
    }
    return key -> {
      String[] v = c.derived().get(key);
      if (v != null) {
        return v;
      }
      if (key.equals("aws:resourceaccount") && resourceAccount != null) {
        return new String[] {resourceAccount};
      }
      return g.get(key);
    };
  }

  /**
   * The statements of {@code policy} with this effect that apply to the request. For resource
   * policies, {@code matches} receives how each one's Principal matched (same order).
   */
  static List<Statement> applying(PolicyDocument policy, Effect effect, Caller c, String action, String resource,
      ContextValues ctx, boolean resourcePolicy, List<Match> matches) {
    List<Statement> out = new ArrayList<>();
    if (policy == null) {
      return out;
    }
    boolean vars = policy.supportsPolicyVariables();
    for (Statement s : policy.statements()) {
      if (s.effect() != effect || s.action() == null || s.resource() == null) {
        continue;
      }
      if (!actionMatches(s, action) || !resourceMatches(s, resource, ctx, vars)) {
        continue;
      }
      Match m = resourcePolicy ? principalMatch(s.principal(), effect, c) : Match.DIRECT;
      if (m == Match.NONE) {
        continue;
      }
      int v = ConditionMatcher.TRUE;
      for (Condition cond : s.conditions()) {
        int r = ConditionMatcher.compile(cond, vars).evaluate(ctx);
        if (r == ConditionMatcher.FALSE) {
          v = ConditionMatcher.FALSE;
          break;
        }
        if (r == ConditionMatcher.ERROR) {
          v = ConditionMatcher.ERROR;
        }
      }
      if (v == ConditionMatcher.FALSE || v == ConditionMatcher.ERROR && effect == Effect.ALLOW) {
        continue;
      }
      out.add(s);
      if (matches != null) {
        matches.add(m);
      }
    }
    return out;
  }

  static boolean actionMatches(Statement s, String action) {
    String lower = action.toLowerCase(Locale.ROOT);
    boolean any = false;
    for (Located p : s.action().patterns()) {
      if (Glob.of(p.value().toLowerCase(Locale.ROOT), false).matches(lower)) {
        any = true;
        break;
      }
    }
    return any != s.action().negated();
  }

  private static boolean resourceMatches(Statement s, String resource, ContextValues ctx, boolean vars) {
    boolean any = false;
    for (Located p : s.resource().patterns()) {
      Glob g = Template.compile(p.value(), vars, true, false).glob(ctx);
      if (g != null && g.matches(resource)) {
        any = true;
        break;
      }
    }
    return any != s.resource().negated();
  }

  private static Match principalMatch(PrincipalElement pe, Effect effect, Caller c) {
    if (pe == null) {
      return effect == Effect.DENY ? Match.DIRECT : Match.NONE;
    }
    boolean listed = pe.anyone();
    Match best = pe.anyone() ? Match.DIRECT : Match.NONE;
    for (PrincipalValue v : pe.values()) {
      if (v.type() != PrincipalType.AWS) {
        continue;
      }
      String val = v.value();
      if (val.equals("*") || val.equals(c.arn())) {
        best = Match.DIRECT;
        listed = true;
      } else if (val.equals(Arn.accountRoot(c.account()))) {
        if (best == Match.NONE) {
          best = c.isRoot() ? Match.DIRECT : Match.ACCOUNT;
        }
        listed = true;
      }
    }
    if (pe.negated()) {
      return listed ? Match.NONE : Match.DIRECT;
    }
    return best;
  }
}
