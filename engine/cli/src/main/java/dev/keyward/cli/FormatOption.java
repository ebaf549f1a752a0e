package dev.keyward.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --format} option of every command that writes more than one format. A command names the
 * formats it accepts and the help text that teaches them; a value it does not accept is refused with one
 * message (a usage error, exit 2) that lists them.
 */
final class FormatOption {

  /** Where {@link #describe} puts each command's own help text for the option. */
  private static final String HELP_KEY = "keyward.format";

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec mixee;

  private final String help;
  private final Set<Format> accepted;
  private final Format fallback;
  private Format value;

  /**
   * @param help the option's help text; it must name every accepted format
   * @param fallback the format without {@code --format}, or null when the command chooses it itself
   * @param accepted the formats this command writes
   */
  FormatOption(String help, Format fallback, Format... accepted) {
    this.help = help;
    this.accepted = EnumSet.copyOf(List.of(accepted));
    this.fallback = fallback;
    this.value = fallback;
    for (Format f : accepted) {
      if (!help.contains(f.name())) {
        throw new IllegalArgumentException("the --format help must name " + f.name() + ": " + help);
      }
    }
  }

  @Option(names = "--format", paramLabel = "FORMAT", descriptionKey = HELP_KEY, description = "Output format.")
  void set(String name) {
    if (name == null) {
      value = fallback;
      return;
    }
    for (Format f : accepted) {
      if (f.name().equals(name.trim().toLowerCase(Locale.ROOT))) {
        value = f;
        return;
      }
    }
    throw new CommandLine.ParameterException(mixee.commandLine(), "Invalid value for option '--format': expected"
        + " one of " + names() + " (case-insensitive) but was '" + name + "'");
  }

  /** The format asked for, or the fallback (null when the command has none and none was asked for). */
  Format get() {
    return value;
  }

  /** True when the format is {@code f}. */
  boolean is(Format f) {
    return value == f;
  }

  /** The accepted formats' names, in the order of {@link Format}: {@code [text, json]}. */
  List<String> names() {
    List<String> out = new ArrayList<>();
    accepted.forEach(f -> out.add(f.name()));
    return out;
  }

  /** Gives the {@code --format} option of {@code cli}'s command, when it has one, that command's own help text. */
  static void describe(CommandLine cli) {
    CommandSpec spec = cli.getCommandSpec();
    for (CommandSpec mixin : spec.mixins().values()) {
      if (mixin.userObject() instanceof FormatOption f) {
        spec.findOption("--format").messages(new CommandLine.Model.Messages(spec, f.bundle()));
      }
    }
  }

  private ListResourceBundle bundle() {
    String text = help;
    return new ListResourceBundle() {
      @Override
      protected Object[][] getContents() {
        return new Object[][] {{HELP_KEY, text}};
      }
    };
  }
}
