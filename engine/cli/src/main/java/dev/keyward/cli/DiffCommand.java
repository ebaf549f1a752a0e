package dev.keyward.cli;

import dev.keyward.access.Inputs;
import dev.keyward.access.KeyTarget;
import dev.keyward.access.PolicyDiff;
import dev.keyward.iam.IamReference;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.JsonOut;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code keyward diff OLD NEW}: the requests the new key policy (or world) allows and the old does not. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Reports access that a new key policy or world gives and the old one does not.",
    description = {
        "Compares two key policies (or the keys of two worlds: key policies and grants) over every"
            + " principal and request context, and reports each kind of principal that gains actions, with"
            + " an example request that Keyward's authorizer allows under NEW and denies under OLD.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward diff key-policy-v1.json key-policy-v2.json",
        "  keyward diff old.json new.json \\",
        "      --key-arn arn:aws:kms:us-east-1:111111111111:key/1234abcd",
        "  keyward diff world-before.yaml world-after.yaml --format json",
        "  keyward diff key-policy-v1.json key-policy-v2.json --format mermaid",
        "",
        "Exit codes: 0 no new access, 1 new access, 2 bad input or usage."
    })
public final class DiffCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD", description = "The old key policy or world file.")
  String older;

  @Parameters(index = "1", paramLabel = "NEW", description = "The new key policy or world file.")
  String newer;

  @Option(names = "--key-arn", paramLabel = "ARN",
      description = "For two key policies: the key they belong to (default: a key in the account whose"
          + " root the new policy's first Allow names).")
  String keyArn;

  @CommandLine.Mixin FormatOption format = new FormatOption("Output format: text (the default), json, dot"
      + " (Graphviz: what the change adds, as links) or mermaid.", Format.text, Format.text, Format.json, Format.dot,
      Format.mermaid);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return diff(out, err);
    } catch (IllegalStateException e) {
      err.println("keyward: error: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
  }

  private int diff(PrintWriter out, PrintWriter err) {
    boolean olderIsWorld = looksLikeWorld(older);
    boolean worlds = olderIsWorld && looksLikeWorld(newer);
    if (!worlds && (olderIsWorld || looksLikeWorld(newer))) {
      err.println("keyward: error: `" + (olderIsWorld ? older : newer) + "` is a world file and `"
          + (olderIsWorld ? newer : older) + "` is not; give two key policies or two world files");
      return ExitCode.BAD_INPUT;
    }
    List<PolicyDiff.Result> results = new ArrayList<>();
    if (worlds) {
      World o = Inputs.world(older, err);
      World n = o == null ? null : Inputs.world(newer, err);
      if (n == null) {
        return ExitCode.BAD_INPUT;
      }
      for (KmsKey k : n.keys()) {
        KmsKey before = null;
        for (KmsKey b : o.keys()) {
          if (b.arn().equals(k.arn())) {
            before = b;
          }
        }
        KeyTarget newT = KeyTarget.of(k, n, IamReference.bundled());
        KeyTarget oldT = before != null ? KeyTarget.of(before, o, IamReference.bundled())
            : KeyTarget.of(k.arn().toString(), empty(k.arn().toString()), IamReference.bundled());
        results.add(PolicyDiff.diff(oldT, newT));
      }
    } else {
      PolicyDocument o = Inputs.policy(older, err);
      PolicyDocument n = o == null ? null : Inputs.policy(newer, err);
      if (n == null) {
        return ExitCode.BAD_INPUT;
      }
      String arn = keyArn;
      if (arn == null) {
        String acct = Inputs.inferAccount(n);
        if (acct == null) {
          err.println("keyward: error: cannot tell which account the key is in; give --key-arn");
          return ExitCode.BAD_INPUT;
        }
        arn = "arn:aws:kms:us-east-1:" + acct + ":key/00000000-0000-0000-0000-000000000000";
      } else if (Inputs.keyArn(arn, err) == null) {
        return ExitCode.BAD_INPUT;
      }
      results.add(PolicyDiff.diff(Inputs.target(arn, o), Inputs.target(arn, n)));
    }
    boolean any = false;
    for (PolicyDiff.Result r : results) {
      any |= r.hasNewAccess();
    }
    if (format.get() == Format.dot || format.get() == Format.mermaid) {
      dev.keyward.visual.Diagram d = dev.keyward.visual.Graphs.diff(results);
      out.print(format.get() == Format.dot ? dev.keyward.visual.Dot.write(d) : dev.keyward.visual.Mermaid.write(d));
    } else if (format.get() == Format.json) {
      List<Object> keys = new ArrayList<>();
      for (PolicyDiff.Result r : results) {
        keys.add(r.toMap());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("newAccess", any);
      m.put("keys", keys);
      out.println(JsonOut.indented(m));
    } else {
      for (PolicyDiff.Result r : results) {
        out.print(r.text());
        out.println();
      }
      out.println(any ? "new access found" : "no new access");
    }
    out.flush();
    return any ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /**
   * A snapshot folder is read as a world when it loads as one with keys; a file when its top level names a
   * section of a world and no {@code Statement} (a world with problems then has them reported as the world's,
   * not as a key policy's unknown elements).
   */
  private static boolean looksLikeWorld(String file) {
    Path path = Path.of(file);
    if (Files.isDirectory(path)) {
      WorldLoadResult r = Inputs.tryWorld(file);
      return r.world() != null && !r.hasErrors() && !r.world().keys().isEmpty();
    }
    return WorldLoader.hasWorldSections(DocumentReader.create().readFile(path, file).root());
  }

  private static PolicyDocument empty(String name) {
    return PolicyParser.create().parseString("{\"Version\":\"2012-10-17\",\"Statement\":[]}",
        "<no key " + name + ">", PolicyType.KEY_POLICY).policy();
  }

}
