package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command has the same shape: -h and -V, one --format option, one world input, one --fail-on. */
class CommandShapeTest {

  /** Every command below keyward (help and generate-completion are picocli's own). */
  private static List<CommandLine> commands() {
    List<CommandLine> out = new ArrayList<>();
    collect(Main.commandLine(), out);
    out.removeIf(c -> c.getCommand() instanceof CommandLine.HelpCommand
        || c.getCommandName().equals("generate-completion"));
    return out;
  }

  private static void collect(CommandLine cli, List<CommandLine> out) {
    out.add(cli);
    cli.getSubcommands().values().forEach(s -> collect(s, out));
  }

  /** The mixin that declares {@code option} in {@code spec}, or null when the command declares it itself. */
  private static Object owner(CommandSpec spec, String option) {
    for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
      if (m.getValue().findOption(option) != null) {
        return m.getValue().userObject();
      }
    }
    return null;
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (CommandLine c : commands()) {
      assertThat(c.getCommandSpec().mixinStandardHelpOptions()).as(c.getCommandName()).isTrue();
      CliRun help = CliRun.of(path(c, "--help"));
      assertThat(help.exitCode()).as(c.getCommandName()).isZero();
      assertThat(help.out()).as(c.getCommandName()).contains("-h, --help", "-V, --version");
      CliRun version = CliRun.of(path(c, "--version"));
      assertThat(version.exitCode()).as(c.getCommandName()).isZero();
      assertThat(version.out()).as(c.getCommandName()).startsWith("keyward ");
    }
  }

  @Test
  void formatWorldAndFailOnComeFromTheSharedOptions() {
    List<String> withFormat = new ArrayList<>();
    for (CommandLine c : commands()) {
      CommandSpec spec = c.getCommandSpec();
      if (spec.findOption("--format") != null) {
        assertThat(owner(spec, "--format")).as(c.getCommandName()).isInstanceOf(FormatOption.class);
        withFormat.add(c.getCommandName());
      }
      if (spec.findOption("--fail-on") != null) {
        assertThat(owner(spec, "--fail-on")).as(c.getCommandName()).isInstanceOf(FailOnOption.class);
      }
      if (spec.findOption("--store") != null) {
        assertThat(owner(spec, "--store")).as(c.getCommandName()).isInstanceOf(StoreOptions.class);
      }
      if (spec.findOption("--world") != null && !c.getCommandName().equals("access")) {
        assertThat(owner(spec, "--world")).as(c.getCommandName()).isInstanceOf(WorldInput.class);
      }
    }
    assertThat(withFormat).contains("can", "who-can", "check", "lint", "access", "diff");
  }

  @Test
  void eachFormatHelpListsItsFormatsAndABadValueGetsOneMessage() {
    for (CommandLine c : commands()) {
      OptionSpec format = c.getCommandSpec().findOption("--format");
      if (format == null) {
        continue;
      }
      FormatOption f = (FormatOption) owner(c.getCommandSpec(), "--format");
      String help = String.join(" ", format.description());
      assertThat(help).as(c.getCommandName()).startsWith(c.getCommandName().equals("lint") ? "text" : "Output format");
      f.names().forEach(n -> assertThat(help).as(c.getCommandName()).contains(n));
      CliRun bad = CliRun.of(path(c, "--format", "xml"));
      assertThat(bad.exitCode()).as(c.getCommandName()).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(bad.err()).as(c.getCommandName()).startsWith("keyward: Invalid value for option '--format':"
          + " expected one of " + f.names() + " (case-insensitive) but was 'xml'");
    }
  }

  @Test
  void lintTakesTheFormatsOfTheLintJob() {
    FormatOption f = (FormatOption) owner(Main.commandLine().getSubcommands().get("lint").getCommandSpec(), "--format");
    assertThat(f.names()).containsExactly("text", "json", "sarif", "html");
  }

  @Test
  void aBadFailOnIsAUsageError() {
    for (String command : List.of("lint", "check")) {
      CliRun bad = CliRun.of(command, "--fail-on", "fatal", "x");
      assertThat(bad.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(bad.err()).startsWith("keyward: Invalid value for option '--fail-on': `fatal` must be error,"
          + " warning, note or none");
    }
  }

  private static String[] path(CommandLine c, String... args) {
    List<String> words = new ArrayList<>();
    for (CommandLine p = c; p.getParent() != null; p = p.getParent()) {
      words.add(0, p.getCommandName());
    }
    words.addAll(List.of(args));
    return words.toArray(String[]::new);
  }
}
