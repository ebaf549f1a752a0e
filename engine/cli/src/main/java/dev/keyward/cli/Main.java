package dev.keyward.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keyward} command line: a thin layer mapping options to engine calls and results to exit codes. */
@Command(
    name = "keyward",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Policy-as-code for AWS KMS: answers who can use a key and why, offline.",
        ""
    },
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0  success (allowed, clean, all tests passed)",
        "  1  the answer is no (denied, findings at or above --fail-on, a failing test)",
        "  2  bad input or usage",
        "  3  internal error (please report it)",
        "",
        "Examples:",
        "  keyward can --world world.yaml --principal Analyst \\",
        "      --action kms:Decrypt --resource alias/finance",
        "  keyward who-can --world world.yaml --action kms:Decrypt --resource alias/x",
        "  keyward lint --format sarif --output keyward.sarif policies/",
        "  keyward check --world world.yaml",
        "  keyward report --world world.yaml --out report.html",
        "",
        "Run 'keyward COMMAND --help' for a command's options and examples."
    },
    subcommands = {
        CommandLine.HelpCommand.class,
        CanCommand.class,
        WhoCanCommand.class,
        CheckCommand.class,
        LintCommand.class, RulesCommand.class,
        TestCommand.class,
        ServeCommand.class,
        AuditCommand.class,
        ReportCommand.class,
        SnapshotCommand.class,
        AccessCommand.class,
        DiffCommand.class,
        picocli.AutoComplete.GenerateCompletion.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // No subcommand: show what there is to do.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static {
    // The AWS SDK's HTTP client logs through SLF4J; without a provider SLF4J warns on standard error at first
    // use. Keyward has no log to send there: silence that notice unless the user configured SLF4J.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code; never throws. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, System.in, out, err);
  }

  /** Runs the CLI with the given streams (standard input for {@code --requests -}); never throws. */
  public static int run(String[] args, java.io.InputStream in, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    CommandLine can = cli.getSubcommands().get("can");
    if (can != null) {
      ((CanCommand) can.getCommand()).stdin = in;
    }
    cli.setOut(out);
    cli.setErr(err);
    for (int i = 0; i < args.length; i++) {
      if (args[i].length() > MAX_ARGUMENT) {
        // Messages quote arguments; a megabyte of them is a mistake, not something to echo back.
        err.println("keyward: argument " + (i + 1) + " is " + args[i].length() + " characters long; the limit is "
            + MAX_ARGUMENT + " (give long inputs in files)");
        err.flush();
        return ExitCode.BAD_INPUT;
      }
    }
    try {
      return cli.execute(args);
    } catch (StackOverflowError | OutOfMemoryError e) {
      // picocli hands only exceptions to the handler; an Error from deep or huge input must not escape.
      err.println("keyward: internal error: the input needs more " + (e instanceof StackOverflowError
          ? "stack (it is nested too deeply)" : "memory than the JVM has (raise -Xmx in KEYWARD_JAVA_OPTS)")
          + "\nThis is a bug in Keyward; please report it with the command that caused it.");
      err.flush();
      return ExitCode.INTERNAL;
    }
  }

  /** The longest argument the CLI accepts. */
  static final int MAX_ARGUMENT = 65_536;

  /**
   * The message for a failure of the file system (a path that cannot be written, a folder where a file
   * should be, a name the OS refuses): bad input, not a bug; or null for any other exception.
   */
  static String fileSystemMessage(Throwable ex) {
    Throwable t = ex;
    while (t != null) {
      if (t instanceof java.nio.file.InvalidPathException) {
        java.nio.file.InvalidPathException e = (java.nio.file.InvalidPathException) t;
        return "`" + e.getInput().replace("\0", "\\0") + "` is not a valid path: " + e.getReason();
      }
      if (t instanceof java.nio.file.NoSuchFileException) {
        return "`" + ((java.nio.file.NoSuchFileException) t).getFile() + "` does not exist (or its folder does not)";
      }
      if (t instanceof java.nio.file.FileSystemException) {
        java.nio.file.FileSystemException e = (java.nio.file.FileSystemException) t;
        String reason = e.getReason() == null ? "cannot be used" : e.getReason().toLowerCase(java.util.Locale.ROOT);
        return "`" + e.getFile() + "`: " + reason;
      }
      if (t instanceof java.io.IOException) {
        return "cannot read or write a file: " + t.getMessage();
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return null;
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(Main::handleParameterException);
    cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      String fileSystem = fileSystemMessage(ex);
      if (fileSystem != null) {
        cmd.getErr().println("keyward: " + fileSystem);
        return ExitCode.BAD_INPUT;
      }
      cmd.getErr().println("keyward: internal error: " + ex
          + "\nThis is a bug in Keyward; please report it with the command that caused it.");
      return ExitCode.INTERNAL;
    });
    cli.setExitCodeExceptionMapper(ex -> ExitCode.BAD_INPUT);
    shape(cli, cli.getCommandSpec().versionProvider());
    CommandLine gen = cli.getSubcommands().get("generate-completion");
    if (gen != null) {
      gen.getCommandSpec().usageMessage().hidden(false);
    }
    return cli;
  }

  /**
   * What every command shares that annotations cannot say once: the version {@code -V} prints, and the help
   * text of each command's own {@code --format}.
   */
  private static void shape(CommandLine cli, CommandLine.IVersionProvider version) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().version().length == 0 && sub.getCommandSpec().versionProvider() == null) {
        sub.getCommandSpec().versionProvider(version);
      }
      shape(sub, version);
    }
    FormatOption.describe(cli);
  }

  private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("keyward: " + ex.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.println();
    }
    cmd.usage(err, CommandLine.Help.Ansi.AUTO);
    return ExitCode.BAD_INPUT;
  }
}
