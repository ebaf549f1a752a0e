package dev.keyward.build;

import dev.keyward.lint.Baseline;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.LintRun;
import dev.keyward.lint.Linter;
import dev.keyward.lint.Rule;
import dev.keyward.lint.RuleLoader;
import dev.keyward.lint.Suppressions;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.report.JsonReport;
import dev.keyward.report.SarifReport;
import dev.keyward.report.TextReport;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A whole lint job as a build runs it: load the rules (built-in plus the user's folders), the suppressions
 * and the baseline, select the policy files of some folders (with include and exclude patterns), lint them
 * and render the reports. {@code keyward lint} and the Maven plugin's {@code lint} goal are thin layers over
 * this class: they map options to {@link Options} and the {@link Result} to exit codes or build failures.
 *
 * <p>Setup problems (an unreadable rule file, a suppressions file with errors, a missing baseline) come
 * back as {@link Problem}s and stop the job before any file is linted. Thread-safe: nothing is shared.
 */
public final class LintJob {

  /** The report formats. */
  public enum Format {
    TEXT("txt"), JSON("json"), SARIF("sarif"), HTML("html");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    /** The file name ending of a report in this format: {@code txt}, {@code json}, {@code sarif} or {@code html}. */
    public String extension() {
      return extension;
    }

    /** The format named {@code text}, {@code json}, {@code sarif} or {@code html} (any case), or null. */
    public static Format named(String name) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name.trim())) {
          return f;
        }
      }
      return null;
    }
  }

  /**
   * What to lint and how.
   *
   * @param base findings name files relative to this folder (the working directory or the project)
   * @param paths files and folders; a file is always linted, a folder is searched (see {@link LintRun})
   * @param includes glob patterns ({@code **}{@code /*.json}) a file found in a folder must match, relative to
   *     that folder; empty means every policy file {@link LintRun} finds
   * @param excludes glob patterns that drop a file found in a folder
   * @param type the policy type of every file, or UNKNOWN to infer it per file
   * @param ruleDirs folders of the user's rule files, added to the built-in rules
   * @param suppressions the suppressions file ({@code .keyward.yaml}), or null
   * @param baseline the baseline file, or null
   */
  public record Options(Path base, List<Path> paths, List<String> includes, List<String> excludes, PolicyType type,
      List<Path> ruleDirs, Path suppressions, Path baseline) {
    public Options {
      Objects.requireNonNull(base, "base");
      paths = List.copyOf(paths);
      includes = List.copyOf(includes);
      excludes = List.copyOf(excludes);
      Objects.requireNonNull(type, "type");
      ruleDirs = List.copyOf(ruleDirs);
    }
  }

  /**
   * The outcome: the report, or null when setup problems stopped the job.
   *
   * @param problems setup problems (and warnings), each with file, line and column where known
   */
  public record Result(LintReport report, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return report != null;
    }
  }

  /** The built-in rules and those of {@code dirs}; problems include rule ids used twice. */
  public record Rules(List<Rule> rules, List<Problem> problems) {
    public Rules {
      rules = List.copyOf(rules);
      problems = List.copyOf(problems);
    }

    public boolean hasErrors() {
      return problems.stream().anyMatch(Problem::isError);
    }
  }

  private LintJob() {}

  /** The suppressions file a run uses when none is named: {@code .keyward.yaml} in {@code base}, or null. */
  public static Path defaultSuppressions(Path base) {
    Path p = base.resolve(".keyward.yaml");
    return Files.isRegularFile(p) ? p : null;
  }

  /** Loads the built-in rules, then the rule files of each folder. */
  public static Rules loadRules(List<Path> dirs) {
    RuleLoader loader = RuleLoader.create();
    RuleLoader.Loaded builtIn = loader.builtIn();
    List<Rule> rules = new ArrayList<>(builtIn.rules());
    List<Problem> problems = new ArrayList<>(builtIn.problems());
    Set<String> ids = new TreeSet<>();
    rules.forEach(r -> ids.add(r.id()));
    for (Path d : dirs) {
      RuleLoader.Loaded user = loader.loadDirectory(d);
      problems.addAll(user.problems());
      for (Rule r : user.rules()) {
        if (!ids.add(r.id())) {
          problems.add(Problem.error("rules.duplicate-id", "rule id `" + r.id() + "` is already used by another rule",
              new SourceRef(r.origin(), "", 0, 0)));
        }
        rules.add(r);
      }
    }
    return new Rules(rules, problems);
  }

  /**
   * A prepared run: the rules, suppressions and baseline loaded, or the problems that stopped it.
   *
   * @param run the run, or null when a problem is an error
   */
  public record Setup(LintRun run, List<Problem> problems) {
    public Setup {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Loads the rules (built-in plus {@code ruleDirs}), the suppressions and the baseline (each may be null),
   * and makes the run that names files relative to {@code base}.
   */
  public static Setup prepare(Path base, PolicyType type, List<Path> ruleDirs, Path suppressionsFile,
      Path baselineFile) throws IOException {
    return prepare(base, type, loadRules(ruleDirs), suppressionsFile, baselineFile);
  }

  /** As {@link #prepare(Path, PolicyType, List, Path, Path)} with the rules already loaded. */
  private static Setup prepare(Path base, PolicyType type, Rules rules, Path suppressionsFile,
      Path baselineFile) throws IOException {
    List<Problem> problems = new ArrayList<>(rules.problems());
    Suppressions suppressions = Suppressions.none();
    if (suppressionsFile != null) {
      if (!Files.isRegularFile(suppressionsFile)) {
        problems.add(Problem.error("io.not-found", "configuration `" + suppressionsFile + "` does not exist",
            new SourceRef(suppressionsFile.toString().replace('\\', '/'), "", 0, 0)));
      } else {
        Suppressions.Loaded l = Suppressions.read(Files.readAllBytes(suppressionsFile), shown(base, suppressionsFile));
        problems.addAll(l.problems());
        suppressions = l.suppressions();
      }
    }
    Baseline baseline = Baseline.none();
    if (baselineFile != null) {
      if (!Files.isRegularFile(baselineFile)) {
        problems.add(Problem.error("io.not-found", "baseline `" + baselineFile + "` does not exist; write one with"
            + " `keyward lint --write-baseline`", new SourceRef(baselineFile.toString().replace('\\', '/'), "", 0, 0)));
      } else {
        Baseline.Loaded l = Baseline.read(Files.readAllBytes(baselineFile), shown(base, baselineFile));
        problems.addAll(l.problems());
        baseline = l.baseline();
      }
    }
    if (problems.stream().anyMatch(Problem::isError)) {
      return new Setup(null, problems);
    }
    return new Setup(LintRun.create(Linter.create(rules.rules()), type, suppressions, baseline, base), problems);
  }

  /** Runs the job; I/O errors reading policy files are thrown, everything else is data. */
  public static Result run(Options o) throws IOException {
    return run(o, shown -> null);
  }

  /**
   * As {@link #run(Options)}; {@code read} gives the contents of container files (world files) the caller
   * has already read and loaded, by the name the job shows them under (see
   * {@link LintRun#run(LintRun.Selection, java.util.function.IntConsumer, java.util.function.Function)}).
   */
  public static Result run(Options o,
      java.util.function.Function<String, dev.keyward.lint.PolicyContainer.Contents> read) throws IOException {
    return run(o, read, loadRules(o.ruleDirs()));
  }

  /**
   * As {@link #run(Options, java.util.function.Function)} with the rules of {@code o.ruleDirs()} already
   * loaded by {@link #loadRules}.
   */
  public static Result run(Options o,
      java.util.function.Function<String, dev.keyward.lint.PolicyContainer.Contents> read, Rules rules)
      throws IOException {
    Setup setup = prepare(o.base(), o.type(), rules, o.suppressions(), o.baseline());
    List<Problem> problems = new ArrayList<>(setup.problems());
    for (Path p : o.paths()) {
      if (!Files.exists(p)) {
        problems.add(Problem.error("io.not-found", "`" + p + "` does not exist", SourceRef.none()));
      }
    }
    if (setup.run() == null || problems.stream().anyMatch(Problem::isError)) {
      return new Result(null, problems);
    }
    LintRun.Selection selection = select(setup.run(), o);
    return new Result(setup.run().run(selection, n -> { }, read), problems);
  }

  /** The files of the paths, folders filtered by the include and exclude patterns. */
  private static LintRun.Selection select(LintRun run, Options o) throws IOException {
    Set<Path> files = new LinkedHashSet<>();
    Set<Path> skipped = new LinkedHashSet<>();
    List<PathMatcher> includes = matchers(o.includes());
    List<PathMatcher> excludes = matchers(o.excludes());
    for (Path p : o.paths()) {
      LintRun.Selection s = run.select(List.of(p));
      if (!Files.isDirectory(p)) {
        files.addAll(s.files());
        continue;
      }
      for (Path f : s.files()) {
        Path rel = p.relativize(f);
        boolean in = includes.isEmpty() || matches(includes, rel);
        if (in && !matches(excludes, rel)) {
          files.add(f);
        } else {
          skipped.add(f);
        }
      }
      skipped.addAll(s.skipped());
    }
    return new LintRun.Selection(List.copyOf(files), List.copyOf(skipped));
  }

  private static List<PathMatcher> matchers(List<String> patterns) {
    List<PathMatcher> out = new ArrayList<>();
    for (String p : patterns) {
      String glob = p.trim().replace('\\', '/');
      if (glob.isEmpty()) {
        continue;
      }
      out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      // NOTE: as in Ant and Maven, a leading **/ also matches no folder at all (**/*.json matches a.json).
      while (glob.startsWith("**/")) {
        glob = glob.substring(3);
        out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      }
    }
    return out;
  }

  private static boolean matches(List<PathMatcher> matchers, Path rel) {
    Path unix = Path.of(rel.toString().replace('\\', '/'));
    for (PathMatcher m : matchers) {
      if (m.matches(unix)) {
        return true;
      }
    }
    return false;
  }

  /** Keyward's version from the packaged {@code dev/keyward/version.properties}, or {@code unknown}. */
  public static String version() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in = LintJob.class.getResourceAsStream("/dev/keyward/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  /**
   * The report in {@code format}; text is never coloured. HTML is the page of {@code keyward report} with the
   * lint findings alone (the built-in rules give each finding its fix).
   */
  public static String render(LintReport report, Format format, String version, Path base) {
    switch (format) {
      case HTML:
        return dev.keyward.visual.HtmlReport.write(dev.keyward.visual.Reports.forLint("lint of "
            + base.toAbsolutePath().normalize().getFileName(), report, loadRules(List.of()).rules()));
      case JSON:
        return JsonReport.render(report);
      case SARIF:
        return SarifReport.render(report, version, base);
      default:
        return TextReport.render(report, false);
    }
  }

  private static String shown(Path base, Path file) {
    Path b = base.toAbsolutePath().normalize();
    Path abs = file.toAbsolutePath().normalize();
    return (abs.startsWith(b) ? b.relativize(abs) : abs).toString().replace('\\', '/');
  }
}
