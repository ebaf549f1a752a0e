package dev.keyward.maven;

import dev.keyward.build.LintJob;
import dev.keyward.lint.Finding;
import dev.keyward.lint.LintReport;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.report.TextReport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lints the project's KMS key policies and IAM policies with Keyward's rules and fails the build on
 * findings at or above {@code failOnSeverity}. Findings appear in the log as
 * {@code file:line:column: severity RULE message}; reports go to {@code outputDirectory} as
 * {@code lint.txt}, {@code lint.json}, {@code lint.sarif} and {@code lint.html} as {@code formats} asks. A thin layer over
 * {@link LintJob}: the same pipeline as {@code keyward lint}.
 */
@Mojo(name = "lint", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = true)
public final class LintMojo extends AbstractMojo {

  /** Folders of policy files (*.json, *.yaml, *.yml that mention Statement), searched recursively. */
  @Parameter(property = "keyward.policyDirectories", defaultValue = "${project.basedir}/src/main/policies")
  private File[] policyDirectories;

  /** Glob patterns, relative to a policy folder, that a file must match (default: every policy file). */
  @Parameter(property = "keyward.includes")
  private String[] includes;

  /**
   * Folders of CloudFormation templates and Terraform plans (JSON or YAML), searched recursively: the
   * policies inside them are linted at the template's own lines, with the key settings (rotation, deletion
   * window). A missing folder is skipped quietly, since most projects have none.
   */
  @Parameter(property = "keyward.templateDirectories", defaultValue = "${project.basedir}/src/main/cloudformation")
  private File[] templateDirectories;

  /**
   * Glob patterns, relative to the project folder, of further templates or policy files to lint wherever they
   * are, e.g. {@code infra/**}{@code /*.yaml}; {@code target} and hidden folders are not searched.
   */
  @Parameter(property = "keyward.templates")
  private String[] templates;

  /** Glob patterns, relative to a policy folder, of files to leave out. */
  @Parameter(property = "keyward.excludes")
  private String[] excludes;

  /** Fail the build on a finding at least this serious: error, warning, note or none. */
  @Parameter(property = "keyward.failOnSeverity", defaultValue = "error")
  private String failOnSeverity;

  /**
   * Report files to write: text, json, sarif (SARIF 2.1.0, for code scanning) and html (one self-contained
   * page, as {@code keyward report} writes it; with {@code world}, it shows that world too).
   */
  @Parameter(property = "keyward.formats", defaultValue = "text,sarif")
  private String[] formats;

  /**
   * A world file (or CloudFormation template or Terraform plan) for the html report: its access graph,
   * principal x key matrix, checks and keys join the lint findings. Optional.
   */
  @Parameter(property = "keyward.world")
  private File world;

  /** Where the reports go. */
  @Parameter(property = "keyward.outputDirectory", defaultValue = "${project.build.directory}/keyward")
  private File outputDirectory;

  /** Folders of the project's own rule files, added to the built-in rules. */
  @Parameter(property = "keyward.rulesDirectories")
  private File[] rulesDirectories;

  /** Suppressions file; by default {@code .keyward.yaml} in the project folder, when there is one. */
  @Parameter(property = "keyward.suppressionsFile")
  private File suppressionsFile;

  /** Baseline file written by {@code keyward lint --write-baseline}: its findings are hidden. */
  @Parameter(property = "keyward.baselineFile")
  private File baselineFile;

  /** The policy type of every file (key-policy, identity-policy, ...); by default inferred per file. */
  @Parameter(property = "keyward.policyType")
  private String policyType;

  /** Skip Keyward's goals. */
  @Parameter(property = "keyward.skip", defaultValue = "false")
  private boolean skip;

  @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
  private File basedir;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Log log = getLog();
    if (skip) {
      log.info("keyward: lint skipped (keyward.skip)");
      return;
    }
    Severity threshold = threshold(failOnSeverity);
    Set<LintJob.Format> wanted = formats(formats);
    PolicyType type = PolicyType.UNKNOWN;
    if (policyType != null && !policyType.isBlank()) {
      type = PolicyType.fromLabel(policyType.trim());
      if (type == null || type == PolicyType.UNKNOWN) {
        throw new MojoExecutionException("keyward: unknown policyType `" + policyType + "`; use key-policy,"
            + " identity-policy, resource-policy, trust-policy, scp or rcp");
      }
    }
    List<Path> dirs = new ArrayList<>();
    for (File d : nonNull(policyDirectories)) {
      if (d.isDirectory() || d.isFile()) {
        dirs.add(d.toPath());
      } else {
        log.info("keyward: no policy folder " + d + "; nothing to lint there");
      }
    }
    for (File d : nonNull(templateDirectories)) {
      if (d.isDirectory() || d.isFile()) {
        dirs.add(d.toPath());
      }
    }
    Path base = basedir.toPath();
    try {
      dirs.addAll(globbed(base, nonNullStrings(templates), log));
    } catch (IOException e) {
      throw new MojoExecutionException("keyward: cannot search " + base + " for templates: " + e.getMessage(), e);
    }
    if (dirs.isEmpty()) {
      return;
    }
    Path suppressions = suppressionsFile != null ? suppressionsFile.toPath() : LintJob.defaultSuppressions(base);
    List<Path> rules = new ArrayList<>();
    for (File r : nonNull(rulesDirectories)) {
      rules.add(r.toPath());
    }
    LintJob.Result result;
    try {
      result = LintJob.run(new LintJob.Options(base, dirs, List.of(nonNullStrings(includes)),
          List.of(nonNullStrings(excludes)), type, rules, suppressions,
          baselineFile == null ? null : baselineFile.toPath()));
    } catch (IOException e) {
      throw new MojoExecutionException("keyward: cannot read the policies: " + e.getMessage(), e);
    }
    for (Problem p : result.problems()) {
      if (p.isError()) {
        log.error(p.display());
      } else {
        log.warn(p.display());
      }
    }
    if (!result.ok()) {
      throw new MojoExecutionException("keyward: the lint configuration has errors; see above");
    }
    LintReport report = result.report();
    for (Finding f : report.findings()) {
      String line = f.where() + ": " + f.severity().label() + " " + f.ruleId() + " " + f.message();
      switch (f.severity()) {
        case ERROR:
          log.error(line);
          break;
        case WARNING:
          log.warn(line);
          break;
        default:
          log.info(line);
      }
    }
    for (Finding f : unusedAndSuppressed(report)) {
      log.debug("keyward: suppressed " + f.where() + " " + f.ruleId());
    }
    for (var e : report.unusedSuppressions()) {
      log.warn("keyward: unused suppression: " + e.describe());
    }
    String summary = TextReport.summary(report);
    log.info("keyward: " + summary + (report.suppressed().isEmpty() ? ""
        : " (" + report.suppressed().size() + " suppressed)"));
    write(report, wanted, base);
    if (!report.ruleFailures().isEmpty()) {
      report.ruleFailures().forEach(f -> log.error("keyward: " + f));
      throw new MojoExecutionException("keyward: a rule failed on some input; please report it");
    }
    if (threshold != null && report.fails(threshold)) {
      throw new MojoFailureException("keyward: policy findings at or above `" + failOnSeverity.trim()
          + "`: " + summary + "; see the log above or " + outputDirectory);
    }
  }

  /** The files under {@code base} that match one of the globs (not under target/ or a hidden folder). */
  static List<Path> globbed(Path base, String[] globs, Log log) throws IOException {
    List<java.nio.file.PathMatcher> matchers = new ArrayList<>();
    for (String g : globs) {
      String glob = g.trim().replace('\\', '/');
      if (!glob.isEmpty()) {
        matchers.add(java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob));
      }
    }
    if (matchers.isEmpty()) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(base)) {
      walk.filter(java.nio.file.Files::isRegularFile).forEach(f -> {
        Path rel = base.relativize(f);
        String first = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
        if (first.equals("target") || first.startsWith(".")) {
          return;
        }
        Path unix = Path.of(rel.toString().replace('\\', '/'));
        for (java.nio.file.PathMatcher m : matchers) {
          if (m.matches(unix)) {
            out.add(f);
            return;
          }
        }
      });
    }
    if (out.isEmpty()) {
      log.info("keyward: no file matches " + String.join(", ", globs));
    }
    java.util.Collections.sort(out);
    return out;
  }

  private static List<Finding> unusedAndSuppressed(LintReport r) {
    List<Finding> out = new ArrayList<>();
    r.suppressed().forEach(s -> out.add(s.finding()));
    return out;
  }

  private void write(LintReport report, Set<LintJob.Format> wanted, Path base) throws MojoExecutionException {
    if (wanted.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(outputDirectory.toPath());
      for (LintJob.Format f : wanted) {
        Path out = outputDirectory.toPath().resolve("lint." + f.extension());
        String text = f == LintJob.Format.HTML && world != null ? worldReport(report)
            : LintJob.render(report, f, LintJob.version(), base);
        Files.writeString(out, text, StandardCharsets.UTF_8);
        getLog().debug("keyward: wrote " + out);
      }
    } catch (IOException e) {
      throw new MojoExecutionException("keyward: cannot write the reports to " + outputDirectory + ": "
          + e.getMessage(), e);
    }
  }

  /** The html report of {@code world} with the lint findings; a world with errors fails the build. */
  private String worldReport(LintReport report) throws MojoExecutionException {
    String shown = basedir.toPath().toAbsolutePath().relativize(world.toPath().toAbsolutePath()).toString()
        .replace('\\', '/');
    dev.keyward.world.WorldLoadResult r = dev.keyward.template.TemplateWorld.loadIfTemplate(world.toPath(), shown,
        dev.keyward.template.TemplateInputs.none(), false)
        .orElseGet(() -> dev.keyward.world.WorldLoader.create().load(world.toPath(), shown));
    boolean errors = false;
    for (Problem p : r.problems()) {
      if (p.isError()) {
        getLog().error(p.display());
        errors = true;
      } else {
        getLog().warn(p.display());
      }
    }
    if (errors || r.world() == null) {
      throw new MojoExecutionException("keyward: the world `" + shown + "` has errors; see above");
    }
    return dev.keyward.visual.HtmlReport.write(dev.keyward.visual.Reports.forWorld(shown, r.world(), report,
        LintJob.loadRules(List.of()).rules()));
  }

  /** The severity that fails the build, or null for {@code none}. */
  static Severity threshold(String name) throws MojoExecutionException {
    try {
      return Severity.threshold(name);
    } catch (IllegalArgumentException e) {
      throw new MojoExecutionException("keyward: failOnSeverity " + e.getMessage());
    }
  }

  static Set<LintJob.Format> formats(String[] names) throws MojoExecutionException {
    Set<LintJob.Format> out = new LinkedHashSet<>();
    for (String n : nonNullStrings(names)) {
      for (String part : n.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        LintJob.Format f = LintJob.Format.named(part);
        if (f == null) {
          throw new MojoExecutionException("keyward: unknown format `" + part.trim() + "`; use text, json, sarif or html");
        }
        out.add(f);
      }
    }
    return out;
  }

  private static File[] nonNull(File[] files) {
    return files == null ? new File[0] : files;
  }

  static String[] nonNullStrings(String[] s) {
    return s == null ? new String[0] : Arrays.stream(s).filter(x -> x != null && !x.isBlank()).toArray(String[]::new);
  }
}
