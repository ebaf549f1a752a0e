package dev.keyward.cli;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.ConditionalDecision;
import dev.keyward.request.Request;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.parse.JsonOut;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.World;
import dev.keyward.world.WorldNames;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code keyward who-can}: every role and user of the world that may call an action on a key, and those
 * that may only under conditions, with the conditions. Request-context keys that {@code --context} does
 * not fix are left open: the authorizer decides symbolically over them.
 */
@Command(
    name = "who-can",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    header = "Lists who may call an action on a key, and under which conditions.",
    description = {
        "Lists every principal (role or user, whatever its IAM path) of the world that may call an action"
            + " on a resource, and every AWS service principal the key policy names (logs.us-east-1.amazonaws.com,"
            + " cloudtrail.amazonaws.com): those allowed whatever the request context, and those allowed only"
            + " under conditions, with the conditions that must hold (for example an encryption context, or the"
            + " aws:SourceArn a service must send). Context keys you do not fix with --context are left open."
            + " Principals that are denied are listed last.",
        "",
        "The world's organization tree (SCPs at the root, on every unit and on the account; RCPs), the"
            + " principals' permissions boundaries and the VPC endpoints' policies take part as in `keyward can`."
            + " A service principal is allowed only by the key policy: no identity policy or SCP applies to it,"
            + " RCPs do.",
        ""
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  keyward who-can --world world.yaml --action kms:Decrypt \\",
        "      --resource alias/finance",
        "  keyward who-can --world world.yaml --action kms:Decrypt --format json \\",
        "      --resource arn:aws:kms:us-east-1:111111111111:alias/finance",
        "  keyward who-can --world world.yaml --action kms:Decrypt \\",
        "      --resource alias/finance --context kms:EncryptionContext:Dept=Finance",
        "  keyward who-can --world world.yaml --action kms:Decrypt \\",
        "      --resource alias/finance --format dot | dot -Tsvg > who-can.svg",
        "",
        "Exit codes: 0 answered, 2 bad input or usage."
    })
final class WhoCanCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin WorldInput worldInput = new WorldInput();

  @Option(names = "--action", required = true, paramLabel = "ACTION",
      description = "The action, e.g. kms:Decrypt (case-insensitive, no wildcards).")
  String action;

  @Option(names = "--resource", required = true, paramLabel = "RESOURCE",
      description = "The key: its ARN, its id, an alias name (alias/finance) or an alias ARN; a short form"
          + " must name exactly one key of the world.")
  String resource;

  @Option(names = "--context", paramLabel = "KEY=VALUE",
      description = "Fixes a request-context value for every principal (repeatable; a repeated key gets"
          + " several values). Keys not given stay open and show up as conditions.")
  List<String> context = new ArrayList<>();

  @CommandLine.Mixin FormatOption format = new FormatOption("Output format: text (for people, the default), json,"
      + " dot (Graphviz) or mermaid (a flowchart that GitHub and Markdown viewers render).", Format.text,
      Format.text, Format.json, Format.dot, Format.mermaid);

  @Override
  public Integer call() {
    worldInput.requireInput(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, List<String>> ctx = CanCommand.parseContext(spec.commandLine(), context);
    World w = worldInput.load(spec.commandLine(), err);
    if (w == null) {
      return ExitCode.BAD_INPUT;
    }
    Authorizer authorizer = Authorizer.create(w);
    WorldNames names = WorldNames.create(authorizer.index());
    WorldNames.Resolution a = names.action(action);
    WorldNames.Resolution r = a.ok() ? names.resource(resource, null) : null;
    for (WorldNames.Resolution bad : new WorldNames.Resolution[] {a, r}) {
      if (bad != null && !bad.ok()) {
        err.println("keyward: error: " + bad.error());
        return ExitCode.BAD_INPUT;
      }
    }
    List<String> allowed = new ArrayList<>();
    List<ConditionalDecision> conditional = new ArrayList<>();
    List<String> conditionalWho = new ArrayList<>();
    List<ConditionalDecision> denied = new ArrayList<>();
    List<String> deniedWho = new ArrayList<>();
    List<String> who = new ArrayList<>();
    for (IamPrincipal p : w.principals()) {
      who.add(p.arn());
    }
    who.addAll(servicePrincipals(authorizer, r.value()));
    for (String p : who) {
      Request q = new Request(p, p, a.value(), r.value(), ctx);
      ConditionalDecision d = authorizer.authorizeSymbolic(q, Set.of("*"));
      switch (d.outcome()) {
        case ALLOW:
          allowed.add(p);
          break;
        case CONDITIONAL:
          conditional.add(d);
          conditionalWho.add(p);
          break;
        default:
          denied.add(d);
          deniedWho.add(p);
      }
    }
    keyGaps = authorizer.index().gaps("", r.value());
    for (String p : who) {
      List<dev.keyward.world.WorldGap> own = new ArrayList<>(authorizer.index().gaps(p, r.value()));
      own.removeAll(keyGaps);
      if (!own.isEmpty()) {
        principalGaps.put(p, own);
      }
    }
    java.util.LinkedHashSet<dev.keyward.world.WorldGap> all = new java.util.LinkedHashSet<>(keyGaps);
    principalGaps.values().forEach(all::addAll);
    SnapshotGapNotes.print(new ArrayList<>(all), "the lists may be incomplete", err);
    if (format.get() == Format.dot || format.get() == Format.mermaid) {
      dev.keyward.visual.Diagram d = dev.keyward.visual.Graphs.whoCan(a.value(), r.value(), allowed, conditionalWho,
          conditional);
      out.print(format.get() == Format.dot ? dev.keyward.visual.Dot.write(d) : dev.keyward.visual.Mermaid.write(d));
    } else if (format.get() == Format.json) {
      out.println(json(a.value(), r.value(), allowed, conditionalWho, conditional, deniedWho, denied));
    } else {
      out.print(text(a.value(), r.value(), allowed, conditionalWho, conditional, deniedWho, denied));
    }
    out.flush();
    return ExitCode.OK;
  }

  /** The AWS service principals that the key policy's Allow statements name, sorted. */
  private static List<String> servicePrincipals(Authorizer authorizer, String keyArn) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    authorizer.index().keyByArn(keyArn).ifPresent(k -> {
      for (dev.keyward.model.Statement s : k.policy().statements()) {
        if (s.effect() != dev.keyward.model.Effect.ALLOW || s.principal() == null || s.principal().negated()) {
          continue;
        }
        for (dev.keyward.model.PrincipalValue v : s.principal().values()) {
          if (v.type() == dev.keyward.model.PrincipalType.SERVICE && WorldNames.isServicePrincipal(v.value())) {
            out.add(v.value());
          }
        }
      }
    });
    return new ArrayList<>(out);
  }

  /** What the snapshots could not read about the key and its account, which every answer depends on. */
  private List<dev.keyward.world.WorldGap> keyGaps = List.of();
  /** What they could not read about one principal (its groups, managed policies, account), by principal. */
  private final Map<String, List<dev.keyward.world.WorldGap>> principalGaps = new java.util.HashMap<>();

  private List<dev.keyward.world.WorldGap> gapsOf(String principal) {
    return principalGaps.getOrDefault(principal, List.of());
  }

  private String text(String act, String res, List<String> allowed, List<String> condWho,
      List<ConditionalDecision> cond, List<String> deniedWho, List<ConditionalDecision> denied) {
    StringBuilder b = new StringBuilder();
    b.append("who can ").append(act).append(" on ").append(res);
    if (!resource.equals(res)) {
      b.append(" (").append(resource).append(')');
    }
    b.append('\n');
    for (String k : new java.util.TreeSet<>(CanCommand.parseContext(spec.commandLine(), context).keySet())) {
      b.append("  with context ").append(k).append(" = ")
          .append(String.join(", ", CanCommand.parseContext(spec.commandLine(), context).get(k))).append('\n');
    }
    b.append("\nallowed (").append(allowed.size()).append("):\n");
    for (String p : allowed) {
      b.append("  ").append(p).append('\n');
      SnapshotGapNotes.text(b, gapsOf(p), "    ");
    }
    if (allowed.isEmpty()) {
      b.append("  nobody\n");
    }
    b.append("\nallowed under conditions (").append(cond.size()).append("):\n");
    for (int i = 0; i < cond.size(); i++) {
      ConditionalDecision d = cond.get(i);
      b.append("  ").append(condWho.get(i));
      if (!d.witnessed()) {
        b.append("  (not confirmed with a concrete request)");
      }
      b.append('\n');
      boolean first = true;
      for (List<ResidualCondition> alt : d.alternatives()) {
        b.append(first ? "    when " : "    or   ").append(DecisionFormat.alternative(alt)).append('\n');
        first = false;
      }
      SnapshotGapNotes.text(b, gapsOf(condWho.get(i)), "    ");
    }
    if (cond.isEmpty()) {
      b.append("  nobody\n");
    }
    b.append("\ndenied (").append(denied.size()).append("):\n");
    for (int i = 0; i < denied.size(); i++) {
      b.append("  ").append(deniedWho.get(i)).append("  ").append(denied.get(i).verdict().name()).append('\n');
      SnapshotGapNotes.text(b, gapsOf(deniedWho.get(i)), "    ");
    }
    if (denied.isEmpty()) {
      b.append("  nobody\n");
    }
    if (!keyGaps.isEmpty()) {
      b.append("\ngaps every answer above may depend on (").append(keyGaps.size()).append("):\n");
      SnapshotGapNotes.text(b, keyGaps, "  ");
    }
    return b.toString();
  }

  private String json(String act, String res, List<String> allowed, List<String> condWho,
      List<ConditionalDecision> cond, List<String> deniedWho, List<ConditionalDecision> denied) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", act);
    m.put("resource", res);
    List<Map<String, Object>> allowedOut = new ArrayList<>();
    for (String p : allowed) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("principal", p);
      SnapshotGapNotes.put(a, gapsOf(p));
      allowedOut.add(a);
    }
    m.put("allowed", allowedOut);
    List<Map<String, Object>> conditional = new ArrayList<>();
    for (int i = 0; i < cond.size(); i++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("principal", condWho.get(i));
      c.put("witnessed", cond.get(i).witnessed());
      c.put("alternatives", DecisionFormat.alternatives(cond.get(i)));
      SnapshotGapNotes.put(c, gapsOf(condWho.get(i)));
      conditional.add(c);
    }
    m.put("conditional", conditional);
    List<Map<String, Object>> deniedOut = new ArrayList<>();
    for (int i = 0; i < denied.size(); i++) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("principal", deniedWho.get(i));
      d.put("decision", denied.get(i).verdict().name());
      SnapshotGapNotes.put(d, gapsOf(deniedWho.get(i)));
      deniedOut.add(d);
    }
    m.put("denied", deniedOut);
    SnapshotGapNotes.put(m, keyGaps);
    return JsonOut.compact(m);
  }
}
