package dev.keyward.iam;

import java.util.List;
import java.util.Objects;

/**
 * One AWS service of the reference data.
 *
 * @param prefix the service prefix used in policies, for example {@code kms}
 * @param name the service's name, for example {@code AWS Key Management Service}
 * @param actions the service's actions, sorted by lower-cased name
 * @param resourceTypes the service's resource types, sorted by lower-cased name
 * @param conditionKeys the condition keys the service lists (its own and the {@code aws:} keys it
 *     supports), sorted by lower-cased name
 */
public record ServiceInfo(
    String prefix, String name, List<ActionInfo> actions, List<ResourceTypeInfo> resourceTypes,
    List<ConditionKeyInfo> conditionKeys) {

  public ServiceInfo {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(name, "name");
    actions = List.copyOf(actions);
    resourceTypes = List.copyOf(resourceTypes);
    conditionKeys = List.copyOf(conditionKeys);
  }

  @Override
  public String toString() {
    // NOTE: the generated toString would print every action; keep it short.
    return "ServiceInfo[" + prefix + ", " + name + ", " + actions.size() + " actions]";
  }
}
