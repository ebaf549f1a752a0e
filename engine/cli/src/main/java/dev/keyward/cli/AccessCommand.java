package dev.keyward.cli;

import dev.keyward.access.AccessReport;
import dev.keyward.access.ExampleRequest;
import dev.keyward.access.ExternalAccess;
import dev.keyward.access.Inputs;
import dev.keyward.access.KeyTarget;
import dev.keyward.access.Zone;
import dev.keyward.iam.IamReference;
import dev.keyward.model.PolicyDocument;
import dev.keyward.parse.JsonOut;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code keyward access}: external access to a key, over every principal and request context. */
@Command(
    name = "access",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Lists every kind of principal outside your account or organization that can use a key.",
    description = {
        "Reasons over every possible request, not only the principals a world lists: which principals"
            + " outside the zone of trust (the key's account, plus --trust-account and --trust-org) can call"
            + " which actions on the key, under which conditions, with an example request for each. The"
            + " callers' own IAM policies are unknown and assumed to allow. A finding marked"
            + " over-approximation may not exist in AWS; nothing that exists is missed.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward access --policy key.json \\",
        "      --key-arn arn:aws:kms:us-east-1:111111111111:key/1234abcd",
        "  keyward access --world world.yaml --key alias/finance --trust-org o-a1b2c3d4e5",
        "  keyward access --world world.yaml --key alias/finance --must-not kms:Decrypt",
        "  keyward access --world world.yaml --key alias/finance --format dot | dot -Tpng > access.png",
        "",
        "Exit codes: 0 no access from outside the zone (or none of the --must-not actions), 1 some,"
            + " 2 bad input or usage."
    })
public final class AccessCommand implements Callable<Integer> {

  private static final Pattern ORG = Pattern.compile("o-[a-z0-9]{10,32}");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--policy", paramLabel = "FILE", description = "A key policy file (JSON or YAML).")
  String policy;

  @Option(names = "--key-arn", paramLabel = "ARN", description = "The key the --policy belongs to.")
  String keyArn;

  /** --world (repeatable: snapshots of several accounts, a world file on top) and --template; use with --key. */
  @CommandLine.Mixin WorldInput worldInput = new WorldInput();

  @Option(names = "--key", paramLabel = "KEY",
      description = "The key of the world: ARN, id, alias name or alias ARN (its grants count too).")
  String key;

  @Option(names = "--trust-account", paramLabel = "ID",
      description = "An account inside the zone of trust besides the key's own (repeatable).")
  List<String> trustAccounts = new ArrayList<>();

  @Option(names = "--trust-org", paramLabel = "ORG_ID",
      description = "An organization inside the zone of trust, by aws:PrincipalOrgID (repeatable).")
  List<String> trustOrgs = new ArrayList<>();

  @Option(names = "--must-not", paramLabel = "ACTION",
      description = "Only check that no principal outside the zone can call this action (or pattern,"
          + " e.g. kms:ReEncrypt*); repeatable. Prints an example request for each that can.")
  List<String> mustNot = new ArrayList<>();

  @CommandLine.Mixin FormatOption format = new FormatOption("Output format: text (the default), json, dot"
      + " (Graphviz) or mermaid.", Format.text, Format.text, Format.json, Format.dot, Format.mermaid);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((policy == null) == worldInput.isEmpty()) {
      err.println("keyward: error: give either --policy with --key-arn, or --world with --key");
      return ExitCode.BAD_INPUT;
    }
    KeyTarget target;
    if (policy != null) {
      if (keyArn == null) {
        err.println("keyward: error: --policy needs --key-arn, the ARN of the key the policy belongs to");
        return ExitCode.BAD_INPUT;
      }
      if (Inputs.keyArn(keyArn, err) == null) {
        return ExitCode.BAD_INPUT;
      }
      PolicyDocument doc = Inputs.policy(policy, err);
      if (doc == null) {
        return ExitCode.BAD_INPUT;
      }
      target = KeyTarget.of(keyArn, doc, IamReference.bundled());
    } else {
      if (key == null) {
        err.println("keyward: error: --world needs --key, the key to analyse");
        return ExitCode.BAD_INPUT;
      }
      World w = worldInput.load(spec.commandLine(), err);
      if (w == null) {
        return ExitCode.BAD_INPUT;
      }
      KmsKey k = Inputs.key(w, key, err);
      if (k == null) {
        return ExitCode.BAD_INPUT;
      }
      target = KeyTarget.of(k, w, IamReference.bundled());
      // what the snapshots could not read about the key (its grants, its account's RCPs) may add access
      gaps = dev.keyward.world.WorldIndex.create(w).gaps("", k.arn().toString());
    }
    SnapshotGapNotes.print(gaps, "the analysis may miss access they would give", err);
    Zone zone = Zone.ofAccount(target.account());
    for (String a : trustAccounts) {
      if (!dev.keyward.model.Arn.isAccountId(a)) {
        err.println("keyward: error: `" + a + "` is not a 12-digit account id");
        return ExitCode.BAD_INPUT;
      }
      zone = zone.withAccount(a);
    }
    if (!trustOrgs.isEmpty()) {
      for (String o : trustOrgs) {
        if (!ORG.matcher(o).matches()) {
          err.println("keyward: error: `" + o + "` is not an organization id such as `o-a1b2c3d4e5`");
          return ExitCode.BAD_INPUT;
        }
      }
      zone = new Zone(zone.accounts(), new java.util.HashSet<>(trustOrgs));
    }
    ExternalAccess analysis = ExternalAccess.of(target);
    AccessReport report;
    try {
      if (!mustNot.isEmpty()) {
        if (format.get() == Format.dot || format.get() == Format.mermaid) {
          err.println("keyward: error: --must-not answers yes or no per action; --format " + format.get()
              + " draws the whole analysis, so give one or the other");
          return ExitCode.BAD_INPUT;
        }
        return mustNot(analysis, zone, out);
      }
      report = analysis.analyze(zone);
    } catch (IllegalStateException e) {
      err.println("keyward: error: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    if (format.get() == Format.json) {
      Map<String, Object> m = new LinkedHashMap<>(report.toMap());
      if (!gaps.isEmpty()) {
        m.put("gaps", SnapshotGapNotes.maps(gaps));
      }
      out.println(JsonOut.indented(m));
    } else if (format.get() == Format.dot) {
      out.print(dev.keyward.visual.Dot.write(dev.keyward.visual.Graphs.access(report)));
    } else if (format.get() == Format.mermaid) {
      out.print(dev.keyward.visual.Mermaid.write(dev.keyward.visual.Graphs.access(report)));
    } else {
      StringBuilder b = new StringBuilder(report.text());
      SnapshotGapNotes.text(b, gaps, "");
      out.print(b);
    }
    out.flush();
    return report.findings().isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
  }

  /** What the world's snapshots could not read about the key; empty for other inputs. */
  private List<dev.keyward.world.WorldGap> gaps = List.of();

  private int mustNot(ExternalAccess analysis, Zone zone, PrintWriter out) {
    List<Object> results = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    boolean any = false;
    for (String action : mustNot) {
      Optional<ExampleRequest> ex = analysis.canAnyoneOutside(zone, action, analysis.target().keyArn());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("action", action);
      m.put("allowedOutside", ex.isPresent());
      ex.ifPresent(e -> m.put("example", e.toMap()));
      results.add(m);
      if (ex.isPresent()) {
        any = true;
        text.append("FAIL  ").append(action).append(": allowed outside ").append(zone.describe())
            .append("\n      e.g. ").append(ex.get().describe()).append('\n');
      } else {
        text.append("ok    ").append(action).append(": nobody outside ").append(zone.describe()).append('\n');
      }
    }
    if (format.get() == Format.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", analysis.target().keyArn());
      m.put("results", results);
      if (!gaps.isEmpty()) {
        m.put("gaps", SnapshotGapNotes.maps(gaps));
      }
      out.println(JsonOut.indented(m));
    } else {
      SnapshotGapNotes.text(text, gaps, "");
      out.print(text);
    }
    out.flush();
    return any ? ExitCode.FINDINGS : ExitCode.OK;
  }
}
