package dev.keyward.lint;

import dev.keyward.lang.Pos;

/**
 * A check that went wrong while running (a type error such as comparing a list with a number): a bug in
 * the rule, reported as a finding of the rule's file rather than thrown out of the linter.
 */
final class CheckError extends RuntimeException {

  final Pos pos;

  CheckError(String message, Pos pos) {
    super(message, null, false, false);
    this.pos = pos;
  }
}
