package dev.keyward.iam;

import java.util.List;
import java.util.Objects;

/**
 * A resource type of a service.
 *
 * @param service the prefix of the service that defines it, for example {@code kms}
 * @param name the type's name as AWS writes it, for example {@code key}
 * @param arnTemplate the ARN format, for example {@code arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}}
 * @param conditionKeys the condition keys AWS lists for the type, with AWS's casing
 */
public record ResourceTypeInfo(String service, String name, String arnTemplate, List<String> conditionKeys) {

  public ResourceTypeInfo {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arnTemplate, "arnTemplate");
    conditionKeys = List.copyOf(conditionKeys);
  }
}
