package dev.keyward.iam;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A condition key: its name with AWS's casing, its value type and where it applies.
 *
 * @param name the key as AWS writes it; for a key pattern the template, for example
 *     {@code kms:EncryptionContext:${EncryptionContextKey}} or {@code aws:ResourceTag/${TagKey}}
 * @param type the value type; for {@code aws:EpochTime}, which AWS compares with date and numeric
 *     operators alike, the first of them
 * @param alternativeTypes further types AWS accepts for the key's values (empty for almost every key)
 * @param global true for the global keys (and the cross-service session keys) that every action accepts
 * @param pattern true when {@link #name()} holds a placeholder that stands for a tag key or another
 *     user-chosen name
 */
public record ConditionKeyInfo(
    String name, ConditionKeyType type, List<ConditionKeyType> alternativeTypes, boolean global,
    boolean pattern) {

  public ConditionKeyInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    alternativeTypes = List.copyOf(alternativeTypes);
  }

  /** True when the request context can hold several values for this key ({@code ArrayOf...} types). */
  public boolean multiValued() {
    return type.isArray();
  }

  /** The service prefix of the key: the text before its first colon, lower-cased. */
  public String prefix() {
    int colon = name.indexOf(':');
    return (colon < 0 ? name : name.substring(0, colon)).toLowerCase(Locale.ROOT);
  }

  /** True when AWS accepts values of {@code t} for this key: its type or one of its alternatives. */
  public boolean accepts(ConditionKeyType t) {
    return type == t || alternativeTypes.contains(t);
  }
}
