package dev.keyward.lint;

import dev.keyward.model.PolicyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One {@code keyward lint} run over files and folders: finds the policy files, lints each, applies the
 * suppressions and the baseline, and collects a {@link LintReport}.
 *
 * <p>Which files: a file named on the command line is always linted. In a folder (searched recursively,
 * skipping hidden folders such as {@code .git}), a file is linted when it ends in {@code .json},
 * {@code .yaml} or {@code .yml} and its text mentions {@code Statement} (as IAM spells it) or is a world
 * file: that skips package.json, tsconfig.json, CI workflows, reports and other files that are obviously
 * not policies, which are counted as skipped. A file that has the word but is not a policy is still
 * linted, and then reported. A world file's policies are linted as the types the world gives them (key
 * policy, identity policy, SCP, bucket policy), and the policy files it refers to are not linted again on
 * their own.
 * CloudFormation templates and Terraform plans (also those that only declare keys) are linted through
 * {@link PolicyContainer}: each policy inside, plus the key configuration rules.
 */
public final class LintRun {

  private final Linter linter;
  private final PolicyType type;
  private final Suppressions suppressions;
  private final Baseline baseline;
  private final Path base;

  private LintRun(Linter linter, PolicyType type, Suppressions suppressions, Baseline baseline, Path base) {
    this.linter = linter;
    this.type = type;
    this.suppressions = suppressions;
    this.baseline = baseline;
    this.base = base.toAbsolutePath().normalize();
  }

  /**
   * @param type the policy type for every file, or UNKNOWN to infer it per file
   * @param base paths under this folder are reported relative to it (the working directory)
   */
  public static LintRun create(Linter linter, PolicyType type, Suppressions suppressions, Baseline baseline, Path base) {
    return new LintRun(linter, type, suppressions, baseline, base);
  }

  /** The files to lint under {@code paths}, and those skipped, each sorted. */
  public record Selection(List<Path> files, List<Path> skipped) {}

  /** Finds the files; a path that does not exist is an {@link IllegalArgumentException} (bad usage). */
  public Selection select(List<Path> paths) throws IOException {
    Set<Path> files = new LinkedHashSet<>();
    Set<Path> skipped = new LinkedHashSet<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("`" + p + "` does not exist");
      }
      if (!Files.isDirectory(p)) {
        files.add(p);
        continue;
      }
      List<Path> found;
      try (Stream<Path> walk = Files.walk(p)) {
        found = walk.filter(f -> Files.isRegularFile(f) && !hidden(p, f) && policyExtension(f))
            .sorted().collect(Collectors.toList());
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      for (Path f : found) {
        if (mentionsStatement(f) || snapshotCaller(f)) {
          files.add(f);
        } else {
          skipped.add(f);
        }
      }
    }
    return new Selection(List.copyOf(files), List.copyOf(skipped));
  }

  private static boolean hidden(Path root, Path f) {
    for (Path part : root.relativize(f)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean policyExtension(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
  }

  /**
   * The file that marks a snapshot folder ({@code sts/get-caller-identity.json}, see docs/snapshot.md): the
   * world container lints the whole snapshot through it, each policy as its type.
   */
  private static boolean snapshotCaller(Path f) {
    Path parent = f.getParent();
    return f.getFileName().toString().equals("get-caller-identity.json") && parent != null
        && parent.getFileName() != null && parent.getFileName().toString().equals("sts");
  }

  private static boolean mentionsStatement(Path f) throws IOException {
    String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    // IAM element names are case-sensitive, so `Statement` as written (reports and other JSON that only
    // say "statement" are not policies); templates and plans may declare keys without any policy, which
    // the key configuration rules check; world files hold policies inline or by file
    return text.contains("Statement") || text.contains("AWSTemplateFormatVersion")
        || text.contains("AWS::KMS::") || text.contains("planned_values") || WORLD_SECTION.matcher(text).find();
  }

  /** A top-level world section (`principals:` or `"principals":` at the start of a line). */
  private static final java.util.regex.Pattern WORLD_SECTION = java.util.regex.Pattern.compile(
      "(?m)^\\s*\"?(organizations|principals)\"?\\s*:");

  /** How findings name a file: relative to the base folder when under it, with {@code /} separators. */
  public String display(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path shown = abs.startsWith(base) ? base.relativize(abs) : abs;
    return shown.toString().replace('\\', '/');
  }

  /**
   * Lints the selected files; {@code progress} is told the count after each file. A file whose policies
   * a container (a world file) already linted with their real type is not linted again on its own.
   */
  public LintReport run(Selection selection, IntConsumer progress) throws IOException {
    return run(selection, progress, shown -> null);
  }

  /**
   * As {@link #run(Selection, IntConsumer)}; {@code read} gives, by the name a file is shown under, the
   * contents of a container file the caller has already read and loaded under that very name (null for the
   * others, which are read here).
   */
  public LintReport run(Selection selection, IntConsumer progress,
      java.util.function.Function<String, PolicyContainer.Contents> read) throws IOException {
    java.util.Map<String, Linter.FileResult> results = new java.util.LinkedHashMap<>();
    Set<String> covered = new java.util.HashSet<>();
    int n = 0;
    for (Path p : selection.files()) {
      String shown = display(p);
      PolicyContainer.Contents known = read.apply(shown);
      Linter.FileResult r = known != null ? linter.lint(shown, known) : linter.lint(Files.readAllBytes(p), shown, type);
      results.put(shown, r);
      covered.addAll(r.coveredFiles());
      progress.accept(++n);
    }
    List<LintReport.LintedFile> files = new ArrayList<>();
    List<Finding> all = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Linter.FileResult r : results.values()) {
      if (covered.contains(r.file()) && r.coveredFiles().isEmpty()) {
        continue;
      }
      files.add(new LintReport.LintedFile(r.file(), r.type()));
      all.addAll(r.findings());
      failures.addAll(r.ruleFailures());
    }
    List<String> skipped = selection.skipped().stream().map(this::display).sorted().collect(Collectors.toList());
    files.sort(Comparator.comparing(LintReport.LintedFile::file));
    return finish(files, skipped, all, failures);
  }

  /** Applies suppressions and the baseline to findings already made. */
  public LintReport finish(List<LintReport.LintedFile> files, List<String> skipped, List<Finding> all,
      List<String> failures) {
    List<Finding> shown = new ArrayList<>();
    List<LintReport.Suppressed> hidden = new ArrayList<>();
    Set<Suppressions.Entry> used = new LinkedHashSet<>();
    all.sort(Linter.ORDER);
    for (Finding f : all) {
      Suppressions.Entry e = suppressions.find(f);
      if (e != null) {
        used.add(e);
        hidden.add(new LintReport.Suppressed(f, "external", e.reason() + " (" + suppressions.file() + ")"));
      } else if (baseline.contains(f)) {
        hidden.add(new LintReport.Suppressed(f, "external", "known finding in baseline " + baseline.file()));
      } else {
        shown.add(f);
      }
    }
    List<Suppressions.Entry> unused = new ArrayList<>();
    for (Suppressions.Entry e : suppressions.entries()) {
      if (!used.contains(e)) {
        unused.add(e);
      }
    }
    return new LintReport(linter.rules(), files, skipped, shown, hidden, unused, failures);
  }
}
