package dev.keyward.cli;

import dev.keyward.model.Problem;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.ReadResult;
import dev.keyward.template.TemplateInputs;
import dev.keyward.template.TemplateLoader;
import dev.keyward.template.TemplateResult;
import dev.keyward.template.TemplateWorld;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The world a command runs against: {@code --world} files (world files, CloudFormation templates or
 * Terraform plans, told apart by content) and {@code --template} files, merged into one, with
 * {@code --parameter}, {@code --account} and {@code --region} filling what templates leave open. Reports
 * every problem on the error stream.
 */
final class WorldInput {

  @Option(names = "--world", paramLabel = "FILE",
      description = "A world file (YAML or JSON), a CloudFormation template or a Terraform plan"
          + " (terraform show -json); repeat to merge several. Policy files are found relative to a world file.")
  List<String> worlds = new ArrayList<>();

  @Option(names = "--template", paramLabel = "FILE",
      description = "A CloudFormation template or Terraform plan JSON to merge into the world; repeatable.")
  List<String> templates = new ArrayList<>();

  @Option(names = "--parameter", paramLabel = "NAME=VALUE",
      description = "A template parameter's value (also AWS::StackName and other pseudo parameters); repeatable.")
  List<String> parameters = new ArrayList<>();

  @Option(names = "--account", paramLabel = "ACCOUNT",
      description = "The account templates are deployed in (AWS::AccountId).")
  String account;

  @Option(names = "--region", paramLabel = "REGION",
      description = "The Region templates are deployed in (AWS::Region).")
  String region;

  /** Refuses a command line with neither {@code --world} nor {@code --template} (a usage error). */
  void requireInput(CommandLine cmd) {
    if (worlds.isEmpty() && templates.isEmpty()) {
      throw new CommandLine.ParameterException(cmd, "Missing required option: '--world=FILE' (or '--template=FILE')");
    }
  }

  /**
   * Loads and merges the inputs; null when any has errors (the caller then exits with
   * {@link ExitCode#BAD_INPUT}). A usage error (no input, a malformed --parameter) is a ParameterException.
   */
  World load(CommandLine cmd, PrintWriter err) {
    requireInput(cmd);
    Map<String, String> params = new LinkedHashMap<>();
    for (String p : parameters) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(cmd, "--parameter `" + p + "` must be NAME=VALUE");
      }
      params.put(p.substring(0, eq), p.substring(eq + 1));
    }
    if (account != null && !account.matches("\\d{12}")) {
      throw new CommandLine.ParameterException(cmd, "--account `" + account + "` must be a 12-digit account id");
    }
    TemplateInputs inputs = new TemplateInputs(params, account, region);
    List<World> loaded = new ArrayList<>();
    int errors = 0;
    List<String> all = new ArrayList<>(worlds);
    all.addAll(templates);
    for (int i = 0; i < all.size(); i++) {
      String option = all.get(i);
      String shown = option.replace('\\', '/');
      List<Problem> problems = new ArrayList<>();
      World w = null;
      boolean templateOnly = i >= worlds.size();
      ReadResult read = DocumentReader.create().readFile(Path.of(option), shown);
      if (read.root() != null && (templateOnly || TemplateLoader.detect(read.root()) != null)) {
        TemplateResult t = TemplateLoader.create().read(read.root(), shown, inputs);
        problems.addAll(read.problems());
        problems.addAll(t.problems());
        if (t.template() != null) {
          WorldLoadResult r = TemplateWorld.toWorld(t.template());
          problems.addAll(r.problems());
          w = r.world();
        }
      } else {
        WorldLoadResult r = WorldLoader.create().load(Path.of(option), shown);
        problems.addAll(r.problems());
        w = r.world();
      }
      for (Problem p : problems) {
        err.println(p.display());
        if (p.isError()) {
          errors++;
        }
      }
      if (w != null) {
        loaded.add(w);
      } else if (problems.stream().noneMatch(Problem::isError)) {
        errors++;
      }
    }
    if (errors == 0 && !loaded.isEmpty()) {
      WorldLoadResult merged = TemplateWorld.merge(loaded);
      for (Problem p : merged.problems()) {
        err.println(p.display());
        if (p.isError()) {
          errors++;
        }
      }
      if (errors == 0) {
        err.flush();
        return merged.world();
      }
    }
    err.println("keyward: the world `" + String.join("`, `", all) + "` has " + (errors == 1 ? "1 error"
        : errors + " errors") + "; nothing was decided");
    err.flush();
    return null;
  }
}
