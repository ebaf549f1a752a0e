package dev.keyward.iam;

import java.util.List;
import java.util.Objects;

/**
 * An IAM action of a service.
 *
 * @param service the service prefix, lower-case as in policies, for example {@code kms}
 * @param name the action name with AWS's casing, for example {@code ReEncryptFrom}
 * @param accessLevels the access levels AWS assigns, most specific first (never empty)
 * @param resourceTypes the resource types the action takes; empty when it only works on {@code "*"}
 * @param conditionKeys the condition keys AWS lists for the action itself, with AWS's casing
 * @param dependentActions actions that a caller also needs, as {@code service:Action}
 */
public record ActionInfo(
    String service, String name, List<AccessLevel> accessLevels, List<ResourceTypeUse> resourceTypes,
    List<String> conditionKeys, List<String> dependentActions) {

  public ActionInfo {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    accessLevels = List.copyOf(accessLevels);
    if (accessLevels.isEmpty()) {
      throw new IllegalArgumentException("an action has at least one access level");
    }
    resourceTypes = List.copyOf(resourceTypes);
    conditionKeys = List.copyOf(conditionKeys);
    dependentActions = List.copyOf(dependentActions);
  }

  /** The canonical full name, {@code service:Action}, for example {@code kms:Decrypt}. */
  public String fullName() {
    return service + ":" + name;
  }

  /** The first, most specific access level, for example {@code PERMISSIONS_MANAGEMENT} for CreateGrant. */
  public AccessLevel accessLevel() {
    return accessLevels.get(0);
  }
}
