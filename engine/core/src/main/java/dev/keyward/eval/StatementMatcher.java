package dev.keyward.eval;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.condition.ContextValues;
import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Statement;
import dev.keyward.world.WorldIndex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The authorizer's statement matching, one statement at a time, for analyses that decide requests the
 * {@link Authorizer} does not (S3 bucket policies, identity policies on S3 resources, key-policy statements
 * for operations that never work across accounts). Each statement is matched by the same
 * {@link CompiledStatement} the authorizer uses: Action/NotAction (ignoring case), Resource/NotResource with
 * policy variables, Principal/NotPrincipal and every condition. A condition that cannot be evaluated makes an
 * Allow not apply and a Deny apply (the sound side); a statement without Action or Resource never applies.
 *
 * <p>Compiled statements are kept per policy object for the life of the matcher; make one matcher per world.
 */
public final class StatementMatcher {

  /** How a resource policy's Principal matches a caller. */
  public enum PrincipalMatch {
    NONE,
    /** The caller's account root: delegation to the account's own policies. */
    ACCOUNT,
    /** The caller itself, or anyone. */
    DIRECT
  }

  private final Map<PolicyDocument, CompiledStatement[]> compiled =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private StatementMatcher() {}

  public static StatementMatcher create() {
    return new StatementMatcher();
  }

  /** The request context: the caller's derived keys win over given ones; lookups by lower-case key. */
  public static ContextValues context(Caller c, WorldIndex index, String resourceAccount,
      Map<String, List<String>> given) {
    Map<String, String[]> derived = c.derived(index);
    Map<String, String[]> g = new HashMap<>();
    for (Map.Entry<String, List<String>> e : given.entrySet()) {
      g.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().toArray(new String[0]));
    }
    return key -> {
      String[] v = derived.get(key);
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
   * The statements of {@code policy} with this effect that apply to the request. For a resource policy,
   * {@code matches} (when not null) receives how each one's Principal matched, in the same order.
   */
  public List<Statement> applying(PolicyDocument policy, Effect effect, Caller c, String action, String resource,
      ContextValues ctx, boolean resourcePolicy, List<PrincipalMatch> matches) {
    List<Statement> out = new ArrayList<>();
    if (policy == null) {
      return out;
    }
    String lower = action.toLowerCase(Locale.ROOT);
    for (CompiledStatement s : compile(policy)) {
      Statement st = s.statement;
      if (st.effect() != effect || st.action() == null || st.resource() == null) {
        continue;
      }
      if (!s.matchesAction(lower) || !s.matchesResource(resource, ctx)) {
        continue;
      }
      PrincipalMatch m = resourcePolicy ? principalMatch(s.matchPrincipalElement(c)) : PrincipalMatch.DIRECT;
      if (m == PrincipalMatch.NONE) {
        continue;
      }
      int v = s.evaluateConditions(ctx, null);
      if (v == ConditionMatcher.FALSE || v == ConditionMatcher.ERROR && effect == Effect.ALLOW) {
        continue;
      }
      out.add(st);
      if (matches != null) {
        matches.add(m);
      }
    }
    return out;
  }

  /** Whether the Action / NotAction element of {@code statement}, one of {@code policy}'s, covers the action. */
  public boolean actionMatches(PolicyDocument policy, Statement statement, String action) {
    for (CompiledStatement s : compile(policy)) {
      if (s.statement == statement) {
        return statement.action() != null && s.matchesAction(action.toLowerCase(Locale.ROOT));
      }
    }
    throw new IllegalArgumentException("the statement is not one of the policy's");
  }

  private CompiledStatement[] compile(PolicyDocument policy) {
    CompiledStatement[] c = compiled.get(policy);
    if (c == null) {
      int[] ids = new int[1];
      c = new CompiledStatement[policy.statements().size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = new CompiledStatement(policy, policy.statements().get(i), ids);
      }
      compiled.put(policy, c);
    }
    return c;
  }

  private static PrincipalMatch principalMatch(int m) {
    return switch (m) {
      case CompiledStatement.NO_MATCH -> PrincipalMatch.NONE;
      case CompiledStatement.ACCOUNT -> PrincipalMatch.ACCOUNT;
      default -> PrincipalMatch.DIRECT;
    };
  }
}
