package dev.keyward.runtime;

/** The alias name is malformed or reserved (alias/aws/). */
public final class InvalidAliasNameException extends KmsException {

  private static final long serialVersionUID = 1L;

  public InvalidAliasNameException(String message) {
    super(message);
  }
}
