package dev.keyward.parse;

import java.util.Locale;

/** The syntax a document is written in. */
public enum DocumentFormat {
  JSON,
  YAML;

  /** By file name: {@code .yaml}/{@code .yml} are YAML, everything else JSON. */
  public static DocumentFormat forFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : JSON;
  }
}
