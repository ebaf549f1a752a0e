package dev.keyward.iam;

import java.util.List;
import java.util.Objects;

/**
 * A resource type that an action takes, as one row of the action's table in the Service Authorization
 * Reference.
 *
 * @param type the resource type
 * @param required true when AWS marks the type as required (an asterisk in the reference)
 * @param conditionKeys keys that apply to the action when it acts on this type, beyond those of the
 *     action and of the type itself
 * @param dependentActions actions a caller also needs when the action acts on this type
 */
public record ResourceTypeUse(
    ResourceTypeInfo type, boolean required, List<String> conditionKeys, List<String> dependentActions) {

  public ResourceTypeUse {
    Objects.requireNonNull(type, "type");
    conditionKeys = List.copyOf(conditionKeys);
    dependentActions = List.copyOf(dependentActions);
  }
}
