package dev.keyward.cli;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.request.Request;
import dev.keyward.world.RequestReader;
import dev.keyward.world.World;
import dev.keyward.world.WorldNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keyward can}: decides one request and explains it, or answers a batch of requests in JSON Lines.
 *
 * <p>Batch mode streams: each request is decided and written as soon as it is read. A bad line is
 * reported on standard error with its line and column and gets no output line; the other lines are
 * still answered (match them by {@code id}), and the exit code is then 2.
 */
@Command(
    name = "can",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Decides whether a principal may call an action on a key, and explains why.",
    description = {
        "Decides whether a principal may call an action on a resource, the way AWS and KMS would, and"
            + " explains the decision: the verdict, then every statement, grant or guardrail that decided it.",
        "With --requests, answers a file of requests (JSON Lines) in one run, one answer per line, in input"
            + " order. A bad line is reported on standard error with its line and column and gets no answer;"
            + " the other lines are still answered, and the exit code is 2.",
        "The world may hold real accounts: roles and users with IAM paths (role/service-role/etl; a session"
            + " ARN omits the path and acts as its role; service-linked roles under role/aws-service-role/ are"
            + " not restricted by SCPs or RCPs), an organization tree with units nested up to five levels, SCPs"
            + " that must allow at the root, every unit and the account, RCPs whose Denies guard a member"
            + " account's keys, and VPC endpoints whose policy must also allow a request whose context names"
            + " the endpoint in aws:SourceVpce. aws:PrincipalOrgPaths, aws:ResourceOrgID, aws:ResourceOrgPaths"
            + " and aws:SourceVpc come from the world.",
        "A request line may also carry \"session\": {\"tags\": {...}, \"policies\": [{\"document\": {...}} or"
            + " {\"arn\": ...}], \"sourceIdentity\": ...} for a role session: session tags win over the role's"
            + " tags, session policies limit what the role's policies allow (and the decision names the one"
            + " that limited it). A role session may add \"transitiveTagKeys\": [...] and \"chain\": [{\"role\":"
            + " ..., \"tags\": {...}, \"transitiveTagKeys\": [...]}, ...], the earlier sessions of its role chain:"
            + " their transitive tags are its tags too, and a session that sets an inherited tag again is refused,"
            + " as AssumeRole refuses it.",
        "A request may come from a federated user (arn:aws:sts::ACCOUNT:federated-user/NAME, made by"
            + " GetFederationToken); its session must name the IAM user that made it, \"federatedBy\":"
            + " \"arn:aws:iam::ACCOUNT:user/NAME\". It has its user's permissions only as far as its session"
            + " policies allow (none without one), plus what a key policy or grant naming the federated user"
            + " gives it.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward can --world world.yaml --principal Analyst \\",
        "      --action kms:Decrypt --resource alias/finance \\",
        "      --context kms:EncryptionContext:Dept=Finance",
        "  keyward can --world world.yaml --format json \\",
        "      --principal arn:aws:sts::222222222222:assumed-role/Analyst/alice \\",
        "      --action kms:Decrypt \\",
        "      --resource arn:aws:kms:us-east-1:111111111111:alias/finance",
        "  keyward can --world world.yaml --requests requests.jsonl \\",
        "      --format jsonl > decisions.jsonl",
        "  keyward can --world world.yaml --principal logs.us-east-1.amazonaws.com \\",
        "      --action kms:GenerateDataKey --resource alias/logs \\",
        "      --context aws:SourceArn=arn:aws:logs:us-east-1:111111111111:log-group:app",
        "",
        "Exit codes: 0 allowed (batch: every line answered), 1 denied,",
        "2 bad input or usage."
    })
final class CanCommand implements Callable<Integer> {

  /** Progress on a terminal starts after this many requests. */
  private static final int PROGRESS_AFTER = 100_000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Standard input for {@code --requests -}; replaced by tests. */
  InputStream stdin = System.in;

  @CommandLine.Mixin WorldInput worldInput = new WorldInput();

  @Option(names = "--principal", paramLabel = "PRINCIPAL",
      description = "Who calls: a role, user or account root ARN (with any IAM path, role/teams/data/Analyst),"
          + " a role session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, which acts as its role), an AWS"
          + " service principal (logs.us-east-1.amazonaws.com: only the key policy can let it in), an account"
          + " id, or the short name of a role or user of the world when no other principal has that name.")
  String principal;

  @Option(names = "--action", paramLabel = "ACTION",
      description = "The action, e.g. kms:Decrypt (case-insensitive, no wildcards).")
  String action;

  @Option(names = "--resource", paramLabel = "RESOURCE",
      description = "The key: its ARN, its id, an alias name (alias/finance) or an alias ARN. Short forms"
          + " resolve in the caller's account first, then anywhere in the world when only one key matches."
          + " Other ARNs (not KMS) are used as given.")
  String resource;

  @Option(names = "--context", paramLabel = "KEY=VALUE",
      description = "A request-context value, e.g. kms:EncryptionContext:Dept=Finance. Repeat the option for"
          + " more keys; repeat a key to give it several values. Keys the engine derives (aws:PrincipalArn,"
          + " kms:CallerAccount, ...) need not be given.")
  List<String> context = new ArrayList<>();

  @Option(names = "--requests", paramLabel = "FILE",
      description = "Answer a batch instead: a JSON Lines file with one request per line, {\"id\", \"principal\","
          + " \"action\", \"resource\", \"context\", \"session\"}; '-' reads standard input. Use with --format"
          + " jsonl.")
  String requests;

  @CommandLine.Mixin FormatOption format = new FormatOption("Output format: text (for people; the default for one"
      + " request), json (one object), or jsonl (one line per request; the default with --requests).", null,
      Format.text, Format.json, Format.jsonl);

  @Override
  public Integer call() {
    worldInput.requireInput(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (requests != null) {
      if (principal != null || action != null || resource != null || !context.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--requests cannot be combined with --principal, --action, --resource or --context");
      }
      if (format.get() == Format.json) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--requests answers with --format jsonl or text, not json");
      }
    } else {
      List<String> missing = new ArrayList<>();
      if (principal == null) {
        missing.add("--principal");
      }
      if (action == null) {
        missing.add("--action");
      }
      if (resource == null) {
        missing.add("--resource");
      }
      if (!missing.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing " + String.join(", ", missing)
            + " (or give --requests FILE)");
      }
    }
    Map<String, List<String>> ctx = parseContext(spec.commandLine(), context);
    World w = worldInput.load(spec.commandLine(), err);
    if (w == null) {
      return ExitCode.BAD_INPUT;
    }
    Authorizer authorizer = Authorizer.create(w);
    return requests != null ? batch(authorizer, out, err) : single(authorizer, ctx, out, err);
  }

  /** Parses repeated {@code KEY=VALUE} options; a repeated key collects its values in order. */
  static Map<String, List<String>> parseContext(CommandLine cmd, List<String> pairs) {
    Map<String, List<String>> ctx = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(cmd, "--context `" + pair + "` must be KEY=VALUE, e.g."
            + " kms:EncryptionContext:Dept=Finance");
      }
      ctx.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>()).add(pair.substring(eq + 1));
    }
    return ctx;
  }

  private int single(Authorizer authorizer, Map<String, List<String>> ctx, PrintWriter out, PrintWriter err) {
    WorldNames names = WorldNames.create(authorizer.index());
    WorldNames.Resolution p = names.principal(principal);
    WorldNames.Resolution a = p.ok() ? names.action(action) : null;
    WorldNames.Resolution r = p.ok() && a.ok() ? names.resource(resource, WorldNames.accountOf(p.value())) : null;
    for (WorldNames.Resolution bad : new WorldNames.Resolution[] {p, a, r}) {
      if (bad != null && !bad.ok()) {
        err.println("keyward: error: " + bad.error());
        return ExitCode.BAD_INPUT;
      }
    }
    if (p.value().contains(":role/") || p.value().contains(":user/")) {
      if (authorizer.index().principal(p.value()).isEmpty()) {
        err.println("keyward: warning: principal `" + p.value() + "` is not in the world, so it has no identity"
            + " policies");
      }
    }
    Request q = new Request("", p.value(), a.value(), r.value(), ctx);
    Decision d = authorizer.authorize(q);
    Format f = format.get() == null ? Format.text : format.get();
    switch (f) {
      case json:
        out.println(DecisionFormat.json(q, d, resource));
        break;
      case jsonl:
        out.println(DecisionFormat.jsonLine(d));
        break;
      default:
        out.print(DecisionFormat.text(q, d, resource));
    }
    out.flush();
    return d.verdict().allowed() ? ExitCode.OK : ExitCode.FINDINGS;
  }

  /** A batch reports this many bad lines one by one, then only counts them (a garbage file is not a flood). */
  static final int SHOWN_BAD_LINES = 100;

  private int batch(Authorizer authorizer, PrintWriter out, PrintWriter err) {
    RequestReader reader = RequestReader.create(authorizer.index());
    boolean stdinInput = requests.equals("-");
    String name = stdinInput ? "<stdin>" : requests.replace('\\', '/');
    Format f = format.get() == null ? Format.jsonl : format.get();
    boolean progress = Terminal.stderrIsTerminal();
    long[] counts = new long[2]; // answered, bad
    long start = System.nanoTime();
    long[] lastProgress = {start};
    try (BufferedReader in = stdinInput
        ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8), 1 << 16)
        : new BufferedReader(new InputStreamReader(Files.newInputStream(Path.of(requests)),
            StandardCharsets.UTF_8), 1 << 16)) {
      reader.read(in, name, line -> {
        if (!line.ok()) {
          counts[1]++;
          if (counts[1] <= SHOWN_BAD_LINES) {
            err.println(line.problem().display());
          } else if (counts[1] == SHOWN_BAD_LINES + 1) {
            err.println("keyward: more bad lines follow; only the first " + SHOWN_BAD_LINES + " are shown");
          }
          return;
        }
        Decision d = authorizer.authorize(line.request());
        counts[0]++;
        if (f == Format.jsonl) {
          out.write(DecisionFormat.jsonLine(d));
        } else {
          Request q = line.request();
          out.write(d.requestId() + "  " + d.verdict().name() + "  " + q.principal() + "  " + q.action() + "  "
              + q.resource());
        }
        out.write('\n');
        if (progress && counts[0] >= PROGRESS_AFTER && (counts[0] & 0x3FFF) == 0) {
          long now = System.nanoTime();
          if (now - lastProgress[0] > 1_000_000_000L) {
            lastProgress[0] = now;
            err.print("\rkeyward: " + counts[0] + " requests answered");
            err.flush();
          }
        }
      });
    } catch (NoSuchFileException e) {
      err.println(name + ": error: file `" + name + "` does not exist [io.not-found]");
      return ExitCode.BAD_INPUT;
    } catch (java.nio.file.InvalidPathException e) {
      err.println("keyward: `" + name + "` is not a valid path: " + e.getReason() + " [io.error]");
      return ExitCode.BAD_INPUT;
    } catch (IOException e) {
      err.println(name + ": error: cannot read `" + name + "`: " + e.getMessage() + " [io.error]");
      return ExitCode.BAD_INPUT;
    }
    out.flush();
    if (progress && counts[0] >= PROGRESS_AFTER) {
      err.println("\rkeyward: " + counts[0] + " requests answered in "
          + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
    if (counts[1] > 0) {
      err.println("keyward: " + counts[1] + (counts[1] == 1 ? " line was" : " lines were") + " bad input and got"
          + " no answer; the other " + counts[0] + " were answered");
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    err.flush();
    return ExitCode.OK;
  }
}
