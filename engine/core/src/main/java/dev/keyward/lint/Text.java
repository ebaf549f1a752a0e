package dev.keyward.lint;

import dev.keyward.model.SourceRef;
import java.util.Locale;
import java.util.Objects;

/**
 * A string value inside a check, with where it was written (null for literals and computed text) and
 * whether IAM compares it ignoring case. Action names and condition keys ignore case; ARNs, Sids and most
 * condition values do not. When either side of a comparison ignores case, the comparison does.
 */
public record Text(String value, SourceRef source, boolean ignoreCase) {

  public Text {
    Objects.requireNonNull(value, "value");
  }

  public static Text literal(String value) {
    return new Text(value, null, false);
  }

  public static Text caseInsensitive(String value, SourceRef source) {
    return new Text(value, source, true);
  }

  public static Text located(String value, SourceRef source) {
    return new Text(value, source, false);
  }

  public String lower() {
    return value.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return value;
  }
}
