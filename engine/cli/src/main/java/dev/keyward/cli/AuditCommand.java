package dev.keyward.cli;

import dev.keyward.runtime.audit.FileAuditLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyward audit}: the local KMS's audit log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Works with the audit log of the local KMS (keyward serve).",
    description = {"Run 'keyward audit verify --help' for the one subcommand."},
    subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "keyward audit: give a subcommand: verify");
  }

  /** {@code keyward audit verify}: checks the hash chain and prints the head hash. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      usageHelpAutoWidth = true,
      header = "Checks the audit log's hash chain and prints its head hash.",
      description = {
          "Each line of the audit log holds the SHA-256 of the line before it, so a changed, inserted, reordered or"
              + " removed line breaks the chain at the next line, across rotated files (audit.jsonl.1, .2, ...,"
              + " then audit.jsonl). Changing or removing the LAST lines breaks no chain: keep the head hash this"
              + " command prints somewhere else (a ticket, a CI log), and give it later with --expect-head. The"
              + " head the server recorded when it last stopped (audit.jsonl.head) is checked too.",
          ""
      },
      footerHeading = "%nExamples:%n",
      footer = {
          "  keyward audit verify --store .keyward",
          "  keyward audit verify --store .keyward --expect-head 3f0c...e1 ",
          "",
          "Exit codes: 0 intact, 1 broken (or the expected head is missing), 2 bad usage (no log, bad hash)."
      })
  static final class Verify implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin StoreOptions storeOptions = new StoreOptions();

    @Option(names = "--expect-head", paramLabel = "HASH",
        description = "A head hash printed earlier (64 hex digits): the log must still hold that line, unchanged")
    String expectHead;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Path log = storeOptions.auditLog();
      if (expectHead != null && !expectHead.matches("[0-9a-fA-F]{64}")) {
        err.println("keyward: --expect-head must be a SHA-256 hash (64 hex digits), not `" + expectHead + "`");
        return ExitCode.BAD_INPUT;
      }
      try {
        if (!Files.exists(log) && !Files.exists(FileAuditLog.headFile(log))) {
          err.println("keyward: no audit log at `" + log + "`" + (storeOptions.audit == null ? " (give --audit FILE if the server"
              + " wrote it elsewhere)" : ""));
          return ExitCode.BAD_INPUT;
        }
        FileAuditLog.Verification v = FileAuditLog.verify(log, expectHead);
        boolean ok = v.ok();
        String recordedProblem = null;
        Path headFile = FileAuditLog.headFile(log);
        if (Files.exists(headFile)) {
          FileAuditLog.Head recorded;
          try {
            recorded = FileAuditLog.readHead(headFile);
            FileAuditLog.Verification atStop = FileAuditLog.verify(log, recorded.hash());
            if (atStop.headLine() < 0) {
              recordedProblem = "the head recorded when the server last stopped (line " + recorded.seq() + ", "
                  + recorded.hash() + ", in " + headFile.getFileName() + ") is no longer in the log: lines were"
                  + " changed or removed";
            }
          } catch (IOException e) {
            recordedProblem = e.getMessage();
          }
        }
        if (recordedProblem != null) {
          ok = false;
        }
        out.println("audit log " + log + ": " + v.lines() + (v.lines() == 1 ? " line" : " lines") + " in "
            + v.files().size() + (v.files().size() == 1 ? " file" : " files"));
        for (String p : v.problems()) {
          out.println("  broken: " + p);
        }
        if (recordedProblem != null) {
          out.println("  broken: " + recordedProblem);
        }
        if (expectHead != null && v.headLine() >= 0) {
          out.println("expected head found at line " + v.headLine());
        }
        out.println("head " + v.headHash());
        out.println(ok ? "intact" : "BROKEN");
        out.flush();
        return ok ? ExitCode.OK : ExitCode.FINDINGS;
      } catch (IOException e) {
        err.println("keyward: cannot read the audit log `" + log + "`: " + e.getMessage());
        return ExitCode.BAD_INPUT;
      }
    }
  }
}
