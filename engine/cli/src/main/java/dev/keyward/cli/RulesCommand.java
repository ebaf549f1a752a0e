package dev.keyward.cli;

import dev.keyward.lint.Rule;
import dev.keyward.lint.RuleLoader;
import dev.keyward.lint.RuleTester;
import dev.keyward.model.PolicyType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyward rules list|test}: the rule catalogue and the cases of users' own rules. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Lists the lint rules, or runs the cases of rule files.",
    subcommands = {RulesCommand.ListCommand.class, RulesCommand.TestCommand.class})
final class RulesCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The built-in rules plus those of {@code dirs}; null (after printing why) when any file is bad. */
  static List<Rule> loadRules(List<Path> dirs, PrintWriter err) {
    dev.keyward.build.LintJob.Rules loaded = dev.keyward.build.LintJob.loadRules(dirs);
    boolean ok = LintCommand.report(loaded.problems(), err);
    return ok ? loaded.rules() : null;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints the rule catalogue: id, severity, "
      + "policy types, name and summary.")
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rules", paramLabel = "DIR", description = "include the rule files of this folder (repeatable)")
    List<Path> ruleDirs = new ArrayList<>();

    @Override
    public Integer call() {
      List<Rule> rules = loadRules(ruleDirs, spec.commandLine().getErr());
      if (rules == null) {
        return ExitCode.BAD_INPUT;
      }
      PrintWriter out = spec.commandLine().getOut();
      for (Rule r : rules) {
        List<String> types = new ArrayList<>();
        for (PolicyType t : PolicyType.values()) {
          if (r.appliesTo(t)) {
            types.add(t.label());
          }
        }
        out.printf("%-7s %-8s %-46s %s%n        %s%n", r.id(), r.severity().label(), r.name(),
            String.join(",", types), r.summary());
      }
      out.println(rules.size() + " rules");
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true, description = "Runs the flagged and clean cases of the "
      + "rule files in the given folders.")
  static final class TestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "folders of rule files")
    List<Path> dirs = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Rule> all = loadRules(dirs, err);
      if (all == null) {
        return ExitCode.BAD_INPUT;
      }
      List<Rule> mine = new ArrayList<>();
      RuleLoader loader = RuleLoader.create();
      for (Path d : dirs) {
        mine.addAll(loader.loadDirectory(d).rules());
      }
      int passed = 0;
      int failed = 0;
      for (RuleTester.CaseResult r : RuleTester.create(all).run(mine)) {
        if (r.passed()) {
          passed++;
          out.println("PASS " + r.title());
        } else {
          failed++;
          out.println("FAIL " + r.title() + ": " + r.failure());
        }
      }
      out.println(passed + " passed, " + failed + " failed");
      out.flush();
      return failed == 0 ? ExitCode.OK : ExitCode.FINDINGS;
    }
  }
}
