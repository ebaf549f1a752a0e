package dev.keyward.cli;

import dev.keyward.snapshot.Gap;
import dev.keyward.snapshot.SnapshotCollector;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keyward snapshot}: reads one account's IAM, KMS, Organizations, S3 and EC2 with read-only calls
 * into a folder of AWS-shaped JSON files that {@code --world} takes.
 */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Reads a real AWS account, read-only, into a folder that --world takes.",
    description = {
        "Calls AWS with read-only operations only and writes what it answers as plain JSON files, in the"
            + " shapes the AWS CLI prints (one file per call): IAM users, groups, roles and managed policies"
            + " (get-account-authorization-details), KMS keys with their policies, grants, aliases, tags and"
            + " rotation, the organization with its units, accounts, SCPs and RCPs (when the caller may read"
            + " it), S3 buckets with their encryption, policies and replication, and the account's AMIs with"
            + " their launch permissions and snapshots' keys.",
        "",
        "A call AWS refuses is recorded as a gap (what is missing and which permission fills it) and the"
            + " snapshot goes on; answers that depend on a gap say so. Throttled calls are retried with"
            + " backoff. Take one snapshot per account and pass them all to --world. The least-privilege"
            + " policy for this command is in docs/snapshot.md.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward snapshot --profile prod --region us-east-1 --region eu-west-1 --out snap-prod",
        "  keyward snapshot --all-regions --out snap",
        "  keyward can --world snap-prod --world snap-mgmt \\",
        "      --principal arn:aws:iam::111111111111:role/service-role/etl \\",
        "      --action kms:Decrypt --resource alias/finance",
        "",
        "Exit codes: 0 everything read, 1 read with gaps (listed at the end), 2 bad usage or the snapshot"
            + " could not start (no credentials, no Region, endpoint unreachable)."
    })
final class SnapshotCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "The folder to write (created; it must be empty or not exist yet).")
  Path out;

  @Option(names = "--profile", paramLabel = "PROFILE",
      description = "The AWS CLI profile whose credentials to use (default: the SDK's usual chain:"
          + " environment, AWS_PROFILE, the default profile, instance role).")
  String profile;

  @Option(names = "--region", paramLabel = "REGION",
      description = "A Region to read KMS keys and AMIs in; repeatable (default: the profile's Region).")
  List<String> regions = new ArrayList<>();

  @Option(names = "--all-regions",
      description = "Read every Region enabled for the account (ec2:DescribeRegions).")
  boolean allRegions;

  @Option(names = "--endpoint-url", paramLabel = "URL",
      description = "Send every call to this AWS-compatible endpoint instead of AWS (an emulator, a proxy).")
  String endpoint;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (allRegions && !regions.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --region or --all-regions, not both");
    }
    for (String r : regions) {
      if (!r.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "`" + r + "` is not a Region name"
            + " (like us-east-1)");
      }
    }
    URI uri = null;
    if (endpoint != null) {
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new CommandLine.ParameterException(spec.commandLine(), "`" + endpoint + "` is not an http(s) URL");
      }
    }
    if (Files.exists(out) && (!Files.isDirectory(out) || isNotEmpty(out))) {
      throw new CommandLine.ParameterException(spec.commandLine(), "`" + out + "` "
          + (Files.isDirectory(out) ? "is not empty" : "exists and is not a folder")
          + "; name a new folder (a snapshot is never written over another)");
    }
    boolean terminal = Terminal.stderrIsTerminal();
    SnapshotCollector.Progress progress = terminal ? new TerminalProgress(err) : text -> { };
    SnapshotCollector.Result result;
    try {
      result = SnapshotCollector.collect(new SnapshotCollector.Options(profile, regions, allRegions, uri, out),
          progress);
    } catch (SnapshotCollector.StartException e) {
      if (terminal) {
        ((TerminalProgress) progress).clear();
      }
      err.println("keyward: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    if (terminal) {
      ((TerminalProgress) progress).clear();
    }
    stdout.println("snapshot of account " + result.account() + " (as " + result.callerArn() + ") in `"
        + out.toString().replace('\\', '/') + "`:");
    for (Map.Entry<String, Integer> e : result.counts().entrySet()) {
      stdout.println("  " + e.getValue() + " " + e.getKey());
    }
    if (result.retries() > 0) {
      stdout.println("  " + result.retries() + " throttled or failed calls retried");
    }
    if (result.gaps().isEmpty()) {
      stdout.println("no gaps: every call was answered");
      return ExitCode.OK;
    }
    stdout.println(result.gaps().size() + (result.gaps().size() == 1 ? " gap" : " gaps")
        + " (recorded in keyward-gaps.json; answers that depend on them say so):");
    for (Gap g : result.gaps()) {
      stdout.println("  - " + g.display());
    }
    return ExitCode.FINDINGS;
  }

  private static boolean isNotEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  /** One line of progress on standard error, rewritten in place. */
  private static final class TerminalProgress implements SnapshotCollector.Progress {
    private final PrintWriter err;
    private int width;

    TerminalProgress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void step(String text) {
      String line = "keyward snapshot: " + (text.length() > 70 ? text.substring(0, 70) : text);
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      err.flush();
      width = line.length();
    }

    void clear() {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
    }
  }
}
