package dev.keyward.iam;

import java.util.Optional;

/**
 * The access level AWS assigns to an action. Some actions carry two: a tagging or permissions-management
 * action that also writes is listed by the source data as, for example, "Permissions management, Write".
 */
public enum AccessLevel {
  LIST("List", 'L'),
  READ("Read", 'R'),
  WRITE("Write", 'W'),
  PERMISSIONS_MANAGEMENT("Permissions management", 'P'),
  TAGGING("Tagging", 'T');

  private final String awsName;
  private final char code;

  AccessLevel(String awsName, char code) {
    this.awsName = awsName;
    this.code = code;
  }

  /** The name AWS uses, for example {@code Permissions management}. */
  public String awsName() {
    return awsName;
  }

  /** The one-letter code of the bundled resource format. */
  char code() {
    return code;
  }

  /** The level with this AWS name, compared ignoring case. */
  public static Optional<AccessLevel> fromAwsName(String name) {
    for (AccessLevel a : values()) {
      if (a.awsName.equalsIgnoreCase(name.trim())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  static Optional<AccessLevel> fromCode(char c) {
    for (AccessLevel a : values()) {
      if (a.code == c) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
