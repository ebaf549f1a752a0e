package dev.keyward.lint;

import dev.keyward.model.Severity;
import java.util.Objects;

/**
 * One lint finding.
 *
 * @param ruleId the rule that reported it
 * @param severity the rule's severity
 * @param message one line, in message style
 * @param file the file as the user named it
 * @param pointer the JSON Pointer of the offending element ("" for the whole document)
 * @param line 1-based, 0 when unknown
 * @param column 1-based, 0 when unknown
 * @param statement the Sid (or {@code #index}) of the statement holding the element, or null
 * @param fingerprint a stable hash of rule, file, statement and message, for baselines and SARIF
 */
public record Finding(
    String ruleId,
    Severity severity,
    String message,
    String file,
    String pointer,
    int line,
    int column,
    String statement,
    String fingerprint) {

  public Finding {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** {@code file:line:column}. */
  public String where() {
    return line > 0 ? file + ":" + line + ":" + column : file;
  }
}
