package dev.keyward.access;

import dev.keyward.condition.ConditionMatcher;
import dev.keyward.condition.Glob;
import dev.keyward.model.Effect;
import dev.keyward.model.PrincipalElement;
import java.util.List;

/**
 * One statement of a key policy, or one grant, as the analysis sees it: who, which actions (lower-case
 * KMS action names), whether it covers the key, and its compiled conditions.
 *
 * @param source how findings name it: {@code policy-name statement-label} or {@code grant ID}
 * @param label the statement's Sid or {@code #index}, or {@code grant ID}
 * @param principal the Principal/NotPrincipal element (for a grant, its grantee as a Principal)
 * @param actions the KMS actions it covers (lower-case)
 * @param coversKey whether its Resource element covers the key
 * @param conditions its conditions
 * @param approximate true when the rule itself is modelled with more access than it gives (a grant's
 *     EncryptionContextEquals is modelled as a subset constraint)
 * @param problem why the statement is malformed or undecidable (an Allow then never applies, a Deny always
 *     does), or null
 * @param pessimisticCovers whether the rule covers the key under the reading that gives the least access
 *     (a Resource variable matches for a Deny, not for an Allow; a rule modelled with more access than it
 *     gives does not apply). Equal to {@code coversKey} for rules modelled exactly
 */
record Rule(String source, String label, Effect effect, PrincipalElement principal, java.util.Set<String> actions,
    boolean coversKey, List<ConditionMatcher> conditions, boolean approximate, String problem,
    boolean pessimisticCovers) {

  Rule {
    actions = java.util.Set.copyOf(actions);
    conditions = List.copyOf(conditions);
  }

  static boolean globMatches(String pattern, String s, boolean ignoreCase) {
    return Glob.of(pattern, ignoreCase).matches(s);
  }
}
