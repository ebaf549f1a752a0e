package dev.keyward.cli;

import dev.keyward.model.Severity;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --fail-on}: the least serious finding that makes a command exit 1; read by {@link Severity#threshold}. */
final class FailOnOption {

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  private Severity threshold = Severity.ERROR;

  @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "Exit 1 when a finding is at or above this"
      + " severity: error (the default), warning, note or none (always exit 0).")
  void set(String name) {
    try {
      threshold = Severity.threshold(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(mixee.commandLine(), "Invalid value for option '--fail-on': "
          + e.getMessage());
    }
  }

  /** The threshold, or null for {@code none}. */
  Severity threshold() {
    return threshold;
  }
}
