package dev.keyward.eval;

/** AWS's three outcomes of an authorization. */
public enum Verdict {
  ALLOW,
  EXPLICIT_DENY,
  IMPLICIT_DENY;

  public boolean allowed() {
    return this == ALLOW;
  }
}
