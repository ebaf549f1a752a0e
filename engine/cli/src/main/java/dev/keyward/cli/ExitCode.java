package dev.keyward.cli;

/** Keyward's documented exit codes (see README, "Exit codes"). */
public final class ExitCode {
  /** Success: allowed, clean, all tests passed. */
  public static final int OK = 0;
  /** The answer is "no": denied, findings at or above the fail level, a failing test. */
  public static final int FINDINGS = 1;
  /** Bad input or usage: unreadable files, invalid arguments. */
  public static final int BAD_INPUT = 2;
  /** An internal error: a bug in Keyward. Reported with a request to file an issue. */
  public static final int INTERNAL = 3;

  private ExitCode() {}
}
