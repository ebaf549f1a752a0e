package dev.keyward.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An Amazon Resource Name split into its six parts:
 * {@code arn:partition:service:region:account:resource}. The resource part may itself hold colons and
 * slashes. ARNs are case-sensitive.
 */
public record Arn(String partition, String service, String region, String account, String resource) {

  public Arn {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(resource, "resource");
  }

  /** Parses an ARN; empty when {@code text} does not have the six parts. No part is validated further. */
  public static Optional<Arn> parse(String text) {
    if (text == null || !text.startsWith("arn:")) {
      return Optional.empty();
    }
    int[] colons = new int[5];
    int found = 0;
    for (int i = 0; i < text.length() && found < 5; i++) {
      if (text.charAt(i) == ':') {
        colons[found++] = i;
      }
    }
    if (found < 5) {
      return Optional.empty();
    }
    return Optional.of(new Arn(
        text.substring(colons[0] + 1, colons[1]),
        text.substring(colons[1] + 1, colons[2]),
        text.substring(colons[2] + 1, colons[3]),
        text.substring(colons[3] + 1, colons[4]),
        text.substring(colons[4] + 1)));
  }

  /** True for a 12-digit AWS account id. */
  public static boolean isAccountId(String s) {
    if (s == null || s.length() != 12) {
      return false;
    }
    for (int i = 0; i < 12; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The account principal {@code arn:aws:iam::ACCOUNT:root}. */
  public static String accountRoot(String account) {
    return "arn:aws:iam::" + account + ":root";
  }

  /** The resource type: the part of {@code resource} before the first {@code /} or {@code :}. */
  public String resourceType() {
    for (int i = 0; i < resource.length(); i++) {
      char c = resource.charAt(i);
      if (c == '/' || c == ':') {
        return resource.substring(0, i);
      }
    }
    return resource;
  }

  /** The part of {@code resource} after the resource type and its separator, or "" when none. */
  public String resourceId() {
    String type = resourceType();
    return type.length() < resource.length() ? resource.substring(type.length() + 1) : "";
  }

  @Override
  public String toString() {
    return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
  }
}
