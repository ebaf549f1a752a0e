package dev.keyward.cli;

import dev.keyward.model.Problem;
import dev.keyward.template.TemplateInputs;
import dev.keyward.template.TemplateWorld;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      description = "A world file (YAML or JSON), a snapshot folder (keyward snapshot), a CloudFormation template"
          + " or a Terraform plan"
          + " (terraform show -json); repeat to merge several. Policy files are found relative to a world file.")
  List<String> worlds = new ArrayList<>();

  @Option(names = "--template", paramLabel = "FILE",
      description = "A CloudFormation template or Terraform plan JSON to merge into the world; repeatable.")
  List<String> templates = new ArrayList<>();

  @CommandLine.Mixin TemplateOptions options = new TemplateOptions();

  /** Each file of the last {@link #load}, by the name given on the command line, as it was read. */
  final java.util.Map<String, TemplateWorld.Loaded> loadedFiles = new java.util.LinkedHashMap<>();

  /** True when the command line names no --world and no --template. */
  public boolean isEmpty() {
    return worlds.isEmpty() && templates.isEmpty();
  }

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
  public World load(CommandLine cmd, PrintWriter err) {
    return load(cmd, err, "nothing was decided");
  }

  /** The files given, {@code --world} ones first, then {@code --template} ones. */
  List<String> files() {
    List<String> all = new ArrayList<>(worlds);
    all.addAll(templates);
    return all;
  }

  /** As {@link #load(CommandLine, PrintWriter)}; {@code outcome} ends the error summary line. */
  World load(CommandLine cmd, PrintWriter err, String outcome) {
    requireInput(cmd);
    TemplateInputs inputs = options.inputs(cmd);
    List<World> loaded = new ArrayList<>();
    int errors = 0;
    java.util.Map<String, String[]> snapshotsByAccount = new java.util.HashMap<>();
    List<String> all = files();
    for (int i = 0; i < all.size(); i++) {
      String option = all.get(i);
      String shown = option.replace('\\', '/');
      boolean templateOnly = i >= worlds.size();
      TemplateWorld.Loaded one = TemplateWorld.load(Path.of(option), shown, inputs, templateOnly);
      loadedFiles.put(option, one);
      WorldLoadResult r = one.result();
      List<Problem> problems = r.problems();
      World w = r.world();
      for (Problem p : problems) {
        err.println(p.display());
        if (p.isError()) {
          errors++;
        }
      }
      String duplicateOf = w == null ? null : sameAccount(w, Path.of(option), shown, snapshotsByAccount, err);
      if ("".equals(duplicateOf)) {
        errors++;
      } else if (w != null && duplicateOf == null) {
        loaded.add(w);
      } else if (w != null) {
        // the very same snapshot given twice: used once
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
        : errors + " errors") + "; " + outcome);
    err.flush();
    return null;
  }

  /**
   * For a snapshot of an account that an earlier snapshot already covers: "" after printing the located
   * error when the two disagree, "same" when they are the same files; null for anything else.
   */
  private static String sameAccount(World w, Path path, String shown, java.util.Map<String, String[]> seen,
      PrintWriter err) {
    if (!dev.keyward.world.SnapshotFiles.isSnapshot(path)) {
      return null;
    }
    for (String account : w.coverage().accounts()) {
      String[] first = seen.putIfAbsent(account, new String[] {path.toString(), shown});
      if (first != null) {
        Problem p = dev.keyward.world.SnapshotConflicts.compare(account, Path.of(first[0]), first[1], path, shown);
        if (p == null) {
          return "same";
        }
        err.println(p.display());
        return "";
      }
    }
    return null;
  }
}
