package dev.keyward.policytest;

import dev.keyward.access.ExampleRequest;
import dev.keyward.access.ExternalAccess;
import dev.keyward.access.Zone;
import dev.keyward.analysis.CheckResult;
import dev.keyward.analysis.Checker;
import dev.keyward.analysis.Finding;
import dev.keyward.eval.Authorizer;
import dev.keyward.eval.ConditionalDecision;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Reason;
import dev.keyward.request.Request;
import dev.keyward.eval.ResidualCondition;
import dev.keyward.eval.Verdict;
import dev.keyward.lang.Expr;
import dev.keyward.lang.LangParser;
import dev.keyward.lang.Parsed;
import dev.keyward.lang.Pos;
import dev.keyward.lang.Query;
import dev.keyward.lang.SyntaxError;
import dev.keyward.lang.TestFile;
import dev.keyward.model.Glob;
import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.model.SourceRef;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import dev.keyward.template.TemplateInputs;
import dev.keyward.template.TemplateWorld;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs policy-test files ({@code *.kwtest}, the Keyward language's {@code testFile}): each file names its
 * world, and each named test holds expectations that the evaluator must meet. The semantics of every
 * expectation are in {@code docs/policy-tests.md}.
 *
 * <p>A file runs in two phases: first everything is parsed, the world loaded and every name resolved
 * (principals, keys and aliases by the world's short names, context values, analyses); any error there
 * makes the whole file bad input and no test runs. Then each test runs and collects every expectation
 * that did not hold. Bad input never throws: it comes back as {@link Problem}s with file, line and column.
 *
 * <p>Thread-safe: a runner caches loaded worlds (by absolute path) so that files sharing a world load it
 * once; nothing else is shared.
 */
public final class PolicyTestRunner {

  /** The file name ending that marks a policy-test file in a folder. */
  public static final String EXTENSION = ".kwtest";

  private final LangParser parser = LangParser.create();
  private final ConcurrentHashMap<Path, LoadedWorld> worlds = new ConcurrentHashMap<>();

  /** What a world given as a CloudFormation template or Terraform plan leaves to deployment. */
  private final TemplateInputs inputs;

  private PolicyTestRunner(TemplateInputs inputs) {
    this.inputs = inputs;
  }

  public static PolicyTestRunner create() {
    return new PolicyTestRunner(TemplateInputs.none());
  }

  /** A runner whose worlds may be templates or plans, with these parameters, account and Region. */
  public static PolicyTestRunner create(TemplateInputs inputs) {
    return new PolicyTestRunner(java.util.Objects.requireNonNull(inputs, "inputs"));
  }

  /**
   * The test files under {@code paths}: a file is taken as given, a folder is searched recursively for
   * {@code *.kwtest} files (hidden folders skipped). Sorted, without duplicates. A path that does not exist
   * is an {@link IllegalArgumentException} (bad usage).
   */
  public static List<Path> select(List<Path> paths) throws IOException {
    Set<Path> out = new LinkedHashSet<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("`" + p + "` does not exist");
      }
      if (!Files.isDirectory(p)) {
        out.add(p);
        continue;
      }
      try (Stream<Path> walk = Files.walk(p)) {
        walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(EXTENSION)
                && !hidden(p, f))
            .sorted().forEach(out::add);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return List.copyOf(out);
  }

  private static boolean hidden(Path root, Path f) {
    for (Path part : root.relativize(f)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs test files in order; each is named relative to {@code base} when it is under it (with {@code /}
   * separators), else by its absolute path.
   */
  public List<FileResult> run(List<Path> files, Path base) {
    Path b = base.toAbsolutePath().normalize();
    List<FileResult> out = new ArrayList<>();
    for (Path f : files) {
      Path abs = f.toAbsolutePath().normalize();
      Path shown = abs.startsWith(b) ? b.relativize(abs) : abs;
      out.add(run(f, shown.toString().replace('\\', '/')));
    }
    return List.copyOf(out);
  }

  /**
   * Runs one test file.
   *
   * @param file the file to read
   * @param shown how messages name the file (its path as the user gave it, or relative to the project)
   */
  public FileResult run(Path file, String shown) {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      Problem encoding = dev.keyward.parse.DocumentReader.textProblem(bytes, shown);
      if (encoding != null) {
        return bad(shown, encoding);
      }
      text = new String(bytes, StandardCharsets.UTF_8);
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1); // a byte order mark, as some Windows editors write
      }
    } catch (NoSuchFileException e) {
      return bad(shown, Problem.error("io.not-found", "file `" + shown + "` does not exist", new SourceRef(shown, "", 0, 0)));
    } catch (IOException e) {
      return bad(shown, Problem.error("io.error", "cannot read `" + shown + "`: " + e.getMessage(),
          new SourceRef(shown, "", 0, 0)));
    }
    return run(text, file, shown);
  }

  /** Runs the test file {@code text}, read from {@code file} (its world is found relative to it). */
  public FileResult run(String text, Path file, String shown) {
    Parsed<TestFile> parsed = parser.parseTestFile(text);
    List<Problem> problems = new ArrayList<>();
    if (!parsed.ok()) {
      for (SyntaxError e : parsed.errors()) {
        problems.add(Problem.error("test.syntax", e.message(), at(shown, e.line(), e.column())));
      }
      return new FileResult(shown, problems, List.of());
    }
    TestFile tf = parsed.value();
    if (tf.world() == null) {
      problems.add(Problem.error("test.no-world", "a test file must name its world first, e.g. `world \"world.yaml\"`",
          at(shown, 1, 1)));
      return new FileResult(shown, problems, List.of());
    }
    Path worldFile = file.toAbsolutePath().normalize().resolveSibling(tf.world()).normalize();
    String worldShown = shownSibling(shown, tf.world());
    LoadedWorld world = worlds.computeIfAbsent(worldFile, f -> LoadedWorld.load(f, worldShown, inputs));
    if (world.result.world() == null || world.result.hasErrors()) {
      problems.add(Problem.error("test.world", "the world `" + tf.world() + "` does not load; its problems follow",
          at(shown, tf.worldPos())));
      problems.addAll(world.result.problems());
      return new FileResult(shown, problems, List.of());
    }
    Resolver resolver = new Resolver(shown, world, problems);
    Map<String, Pos> names = new LinkedHashMap<>();
    List<List<Check>> plans = new ArrayList<>();
    for (TestFile.TestCase t : tf.tests()) {
      Pos first = names.putIfAbsent(t.name(), t.pos());
      if (first != null) {
        problems.add(Problem.error("test.duplicate-name", "test `" + t.name() + "` is already defined at line "
            + first.line(), at(shown, t.pos())));
      }
      if (t.expectations().isEmpty()) {
        problems.add(Problem.error("test.empty", "test `" + t.name() + "` has no `expect` line, so it cannot fail",
            at(shown, t.pos())));
      }
      List<Check> plan = new ArrayList<>();
      for (TestFile.Expectation e : t.expectations()) {
        Check c = resolver.resolve(e);
        if (c != null) {
          plan.add(c);
        }
      }
      plans.add(plan);
    }
    if (problems.stream().anyMatch(Problem::isError)) {
      return new FileResult(shown, problems, List.of());
    }
    List<TestResult> results = new ArrayList<>();
    for (int i = 0; i < tf.tests().size(); i++) {
      TestFile.TestCase t = tf.tests().get(i);
      long start = System.nanoTime();
      List<TestResult.Failure> failures = new ArrayList<>();
      java.util.LinkedHashSet<String> notes = new java.util.LinkedHashSet<>();
      for (Check c : plans.get(i)) {
        TestResult.Failure f = c.run(world);
        if (f != null) {
          failures.add(f);
        }
        notes.addAll(c.gaps(world));
      }
      results.add(new TestResult(shown, t.name(), t.pos().line(), failures, System.nanoTime() - start,
          new ArrayList<>(notes)));
    }
    return new FileResult(shown, problems, results);
  }

  private static FileResult bad(String shown, Problem p) {
    return new FileResult(shown, List.of(p), List.of());
  }

  private static SourceRef at(String file, Pos pos) {
    return pos == null ? at(file, 1, 1) : at(file, pos.line(), pos.column());
  }

  private static SourceRef at(String file, int line, int column) {
    return new SourceRef(file, "", line, column);
  }

  /** {@code dir/tests.kwtest} and {@code ../world.yaml} give {@code world.yaml}: how the world is shown. */
  static String shownSibling(String shown, String relative) {
    Path parent = Path.of(shown).getParent();
    Path p = parent == null ? Path.of(relative) : parent.resolve(relative);
    return p.normalize().toString().replace('\\', '/');
  }

  // ---------------------------------------------------------------------------------------------------
  // the world of a file

  /** A loaded world with its authorizer and names; built once per world file and runner. */
  static final class LoadedWorld {
    final WorldLoadResult result;
    final Authorizer authorizer;
    final WorldNames names;

    private LoadedWorld(WorldLoadResult result) {
      this.result = result;
      boolean usable = result.world() != null && !result.hasErrors();
      this.authorizer = usable ? Authorizer.create(result.world()) : null;
      this.names = usable ? WorldNames.create(authorizer.index()) : null;
    }

    /** A world file, or a CloudFormation template or Terraform plan (told apart by content). */
    static LoadedWorld load(Path file, String shown, TemplateInputs inputs) {
      return new LoadedWorld(TemplateWorld.load(file, shown, inputs, false).result());
    }

    World world() {
      return result.world();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // resolving names

  /** One resolved expectation: runs it, and returns null when it holds. */
  private interface Check {
    TestResult.Failure run(LoadedWorld w);

    /** What the world's snapshots could not read that this expectation's answer depends on, one line each. */
    default List<String> gaps(LoadedWorld w) {
      return List.of();
    }
  }

  /**
   * {@code check}, which also names what the world's snapshots could not read that the answers about
   * {@code principals} acting on {@code resource} depend on ({@code ""} for the key alone).
   */
  private static Check withGaps(List<String> principals, String resource, Check check) {
    return new Check() {
      @Override
      public TestResult.Failure run(LoadedWorld w) {
        return check.run(w);
      }

      @Override
      public List<String> gaps(LoadedWorld w) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String p : principals) {
          for (dev.keyward.world.WorldGap g : w.authorizer.index().gaps(p, resource)) {
            out.add(g.message() + (g.source().file().isEmpty() ? "" : " (" + g.source().display() + ")"));
          }
        }
        return new ArrayList<>(out);
      }
    };
  }

  /** Resolves the names of expectations against the world, adding a problem for each that fails. */
  private static final class Resolver {
    private final String file;
    private final LoadedWorld world;
    private final List<Problem> problems;

    Resolver(String file, LoadedWorld world, List<Problem> problems) {
      this.file = file;
      this.world = world;
      this.problems = problems;
    }

    Check resolve(TestFile.Expectation e) {
      int before = problems.size();
      Check c;
      if (e instanceof TestFile.Decision) {
        c = decision((TestFile.Decision) e);
      } else if (e instanceof TestFile.Only) {
        c = only((TestFile.Only) e);
      } else if (e instanceof TestFile.NobodyOutside) {
        c = nobodyOutside((TestFile.NobodyOutside) e);
      } else {
        c = checkClean((TestFile.CheckClean) e);
      }
      return problems.size() == before ? c : null;
    }

    private Check decision(TestFile.Decision d) {
      String p = principal(d.principal());
      String a = action(d.action());
      String r = p == null ? null : resource(d.resource(), WorldNames.accountOf(p));
      Map<String, List<String>> ctx = context(d.context());
      if (p == null || a == null || r == null || ctx == null) {
        return null;
      }
      Request q = new Request("", p, a, r, ctx);
      String asked = "expected " + d.decision().keyword() + " for " + describe(q, d.resource().text());
      return withGaps(List.of(p), r, w -> {
        Decision got = w.authorizer.authorize(q);
        boolean ok;
        switch (d.decision()) {
          case ALLOW:
            ok = got.verdict() == Verdict.ALLOW;
            break;
          case DENY:
            ok = got.verdict() != Verdict.ALLOW;
            break;
          default:
            ok = got.verdict() == Verdict.EXPLICIT_DENY;
        }
        if (ok) {
          return null;
        }
        List<String> details = new ArrayList<>();
        details.add("request: " + q.principal() + " " + q.action() + " " + q.resource());
        details.add("the evaluator decided " + got.verdict().name() + ", because:");
        reasons(got.reasons(), details);
        return new TestResult.Failure(d.pos().line(), d.pos().column(), asked + ", but the evaluator decided "
            + got.verdict().name(), details);
      });
    }

    private Check only(TestFile.Only o) {
      Set<String> expected = new TreeSet<>();
      for (Query.Term t : o.principals()) {
        String p = principal(t);
        if (p != null && world.authorizer.index().principal(p).isEmpty()) {
          problems.add(Problem.error("test.unknown-principal", "`" + t.text() + "` is not a role or user of the"
              + " world; `expect only` compares the world's principals", at(file, pos(t))));
        } else if (p != null) {
          expected.add(p);
        }
      }
      String a = action(o.action());
      String r = resource(o.resource(), null);
      Map<String, List<String>> ctx = context(o.context());
      if (a == null || r == null || ctx == null) {
        return null;
      }
      String label = o.resource().text();
      List<String> everyone = new ArrayList<>();
      world.world().principals().forEach(x -> everyone.add(x.arn()));
      return withGaps(everyone, r, w -> {
        Set<String> able = new TreeSet<>();
        Map<String, ConditionalDecision> how = new LinkedHashMap<>();
        for (IamPrincipal p : w.world().principals()) {
          ConditionalDecision d = w.authorizer.authorizeSymbolic(new Request("", p.arn(), a, r, ctx), Set.of("*"));
          if (d.outcome() != ConditionalDecision.Outcome.DENY) {
            able.add(p.arn());
            how.put(p.arn(), d);
          }
        }
        if (able.equals(expected)) {
          return null;
        }
        List<String> details = new ArrayList<>();
        details.add("resource: " + r);
        Set<String> extra = new TreeSet<>(able);
        extra.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(able);
        for (String p : extra) {
          details.add("can, but is not listed: " + p);
          symbolic(how.get(p), details, "  ");
        }
        for (String p : missing) {
          details.add("is listed, but cannot in any context: " + p);
          ConditionalDecision d = w.authorizer.authorizeSymbolic(new Request("", p, a, r, ctx), Set.of("*"));
          reasons(d.reasons(), details, "  ");
        }
        return new TestResult.Failure(o.pos().line(), o.pos().column(), "expected only " + names(expected)
            + " to be able to call " + a + " on " + label(r, label) + ", but the evaluator found " + names(able),
            details);
      });
    }

    private Check nobodyOutside(TestFile.NobodyOutside n) {
      String id = n.id().text();
      boolean org = n.scope().equals("organization");
      Set<String> inside = new HashSet<>();
      if (org) {
        Organization o = world.world().organizations().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        if (o == null) {
          problems.add(Problem.error("test.unknown-organization", "organization `" + id + "` is not in the world"
              + orgList(), at(file, pos(n.id()))));
        } else {
          inside.addAll(o.accounts());
          inside.add(o.managementAccount());
        }
      } else if (!dev.keyward.model.Arn.isAccountId(id)) {
        problems.add(Problem.error("test.bad-account", "account `" + id + "` must be a 12-digit account id",
            at(file, pos(n.id()))));
      } else {
        inside.add(id);
      }
      String a = action(n.action());
      String r = resource(n.resource(), null);
      Map<String, List<String>> ctx = context(n.context());
      if (a == null || r == null || ctx == null || inside.isEmpty()) {
        return null;
      }
      KmsKey key = world.authorizer.index().keyByArn(r).orElse(null);
      if (key == null) {
        problems.add(Problem.error("test.not-a-key", "`expect nobody outside` needs a KMS key of the world;"
            + " `" + n.resource().text() + "` is not one", at(file, pos(n.resource()))));
        return null;
      }
      String scope = n.scope() + " " + id;
      String label = n.resource().text();
      Zone zone = org ? new Zone(inside, Set.of(id)) : Zone.ofAccount(id);
      boolean contextGiven = !ctx.isEmpty();
      return withGaps(List.of(""), r, w -> {
        KmsKey k = w.authorizer.index().keyByArn(r).orElse(key);
        ExternalAccess access = ExternalAccess.of(k, w.authorizer.index().world());
        String keyArn = k.arn().toString();
        Optional<ExampleRequest> leak = access.canAnyoneOutside(zone, a, keyArn);
        if (leak.isEmpty()) {
          return null;
        }
        Glob wanted = Glob.of(a, true);
        List<dev.keyward.access.Finding> findings = new ArrayList<>();
        for (dev.keyward.access.Finding f : access.analyze(zone).findings()) {
          if (f.actions().stream().anyMatch(wanted::matches)) {
            findings.add(f);
          }
        }
        boolean exact = findings.stream().anyMatch(dev.keyward.access.Finding::exact);
        List<String> details = new ArrayList<>();
        details.add("resource: " + keyArn);
        details.add("zone: " + zone.describe() + " (every principal and every request context outside it was"
            + " considered)");
        if (contextGiven) {
          details.add("the given context is not applied: `nobody outside` asks over every context");
        }
        details.add("example: " + leak.get().describe());
        if (!exact) {
          details.add("over-approximation: the analysis could not model every condition exactly; this is a"
              + " possible leak, reported so that a real one is never missed");
        }
        for (dev.keyward.access.Finding f : findings) {
          details.add("can: " + f.who() + " " + String.join(", ", f.actions().stream().filter(wanted::matches)
              .collect(Collectors.toList())) + (f.exact() ? "" : " (over-approximation)"));
          details.add("  by: " + String.join("; ", f.statements()));
          if (!f.conditions().isEmpty()) {
            details.add("  when: " + String.join(" and ", f.conditions()));
          }
          for (String note : f.notes()) {
            details.add("  note: " + note);
          }
        }
        return new TestResult.Failure(n.pos().line(), n.pos().column(), "expected nobody outside " + scope
            + " to be able to call " + a + " on " + label(r, label) + ", but "
            + (exact ? "a principal outside can" : "a principal outside possibly can (over-approximation)")
            + ", for example " + leak.get().principal(), details);
      });
    }

    private Check checkClean(TestFile.CheckClean c) {
      String analysis = c.analysis().text();
      if (!Checker.ANALYSES.contains(analysis)) {
        problems.add(Problem.error("test.unknown-analysis", "unknown analysis `" + analysis + "`; expected one of "
            + String.join(", ", Checker.ANALYSES), at(file, pos(c.analysis()))));
        return null;
      }
      Check run = w -> {
        CheckResult result = Checker.create().check(w.world(), List.of(analysis));
        List<Finding> serious = result.findings().stream()
            .filter(f -> f.severity().atLeast(Severity.WARNING)).collect(Collectors.toList());
        if (serious.isEmpty()) {
          return null;
        }
        List<String> details = new ArrayList<>();
        for (Finding f : serious) {
          details.add(f.severity().label() + " [" + f.analysis() + "] " + f.subject() + ": " + f.message());
          if (f.policy() != null) {
            details.add("  change: " + f.policy());
          }
        }
        return new TestResult.Failure(c.pos().line(), c.pos().column(), "expected analysis `" + analysis
            + "` to be clean, but it found " + serious.size() + " " + (serious.size() == 1 ? "problem" : "problems"),
            details);
      };
      return new Check() {
        @Override
        public TestResult.Failure run(LoadedWorld w) {
          return run.run(w);
        }

        @Override
        public List<String> gaps(LoadedWorld w) {
          // a whole-world analysis depends on everything the snapshots could not read
          List<String> out = new ArrayList<>();
          for (dev.keyward.world.WorldGap g : w.world().coverage().gaps()) {
            out.add(g.message() + (g.source().file().isEmpty() ? "" : " (" + g.source().display() + ")"));
          }
          return out;
        }
      };
    }

    // -- names

    private String principal(Query.Term t) {
      WorldNames.Resolution r = world.names.principal(t.text());
      if (!r.ok()) {
        problems.add(Problem.error("test.unknown-principal", r.error(), at(file, pos(t))));
        return null;
      }
      return r.value();
    }

    private String action(Query.Term t) {
      WorldNames.Resolution r = world.names.action(t.text());
      if (!r.ok()) {
        problems.add(Problem.error("test.bad-action", r.error(), at(file, pos(t))));
        return null;
      }
      return r.value();
    }

    private String resource(Query.Term t, String callerAccount) {
      WorldNames.Resolution r = world.names.resource(t.text(), callerAccount);
      if (!r.ok()) {
        problems.add(Problem.error("test.unknown-resource", r.error(), at(file, pos(t))));
        return null;
      }
      return r.value();
    }

    /** A context map: each value a string, number, boolean or list of them. */
    private Map<String, List<String>> context(List<Expr.Entry> entries) {
      Map<String, List<String>> ctx = new LinkedHashMap<>();
      boolean ok = true;
      for (Expr.Entry e : entries) {
        List<String> values = new ArrayList<>();
        List<Expr> items = e.value() instanceof Expr.ListExpr ? ((Expr.ListExpr) e.value()).items() : List.of(e.value());
        for (Expr item : items) {
          String v = scalar(item);
          if (v == null) {
            problems.add(Problem.error("test.bad-context", "context value of `" + e.key() + "` must be a string,"
                + " number, boolean or a list of them", at(file, item.pos())));
            ok = false;
          } else {
            values.add(v);
          }
        }
        ctx.computeIfAbsent(e.key(), k -> new ArrayList<>()).addAll(values);
      }
      return ok ? ctx : null;
    }

    private static String scalar(Expr e) {
      if (e instanceof Expr.StringLit) {
        return ((Expr.StringLit) e).value();
      }
      if (e instanceof Expr.NumberLit) {
        return ((Expr.NumberLit) e).text();
      }
      if (e instanceof Expr.BoolLit) {
        return String.valueOf(((Expr.BoolLit) e).value());
      }
      return null;
    }

    private String orgList() {
      List<String> ids = world.world().organizations().stream().map(Organization::id).collect(Collectors.toList());
      return ids.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", ids) + ")";
    }

    private static Pos pos(Query.Term t) {
      return t.pos();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // explaining

  private static String describe(Request q, String resourceAsWritten) {
    StringBuilder b = new StringBuilder(q.principal()).append(' ').append(q.action()).append(' ')
        .append(label(q.resource(), resourceAsWritten));
    if (!q.context().isEmpty()) {
      b.append(" with context ").append(new java.util.TreeMap<>(q.context()));
    }
    return b.toString();
  }

  /** The resource as the test wrote it; the resolved ARN goes into the details. */
  private static String label(String arn, String written) {
    return written;
  }

  private static String names(Set<String> arns) {
    return arns.isEmpty() ? "nobody" : "[" + String.join(", ", arns) + "]";
  }

  private static void reasons(List<Reason> reasons, List<String> out) {
    reasons(reasons, out, "  ");
  }

  private static void reasons(List<Reason> reasons, List<String> out, String indent) {
    if (reasons.isEmpty()) {
      out.add(indent + "no statement allows it (implicit deny)");
    }
    for (Reason r : reasons) {
      out.add(indent + r.effect() + ": " + r.message() + where(r.policy(), r.statement(), r.source()));
    }
  }

  private static void symbolic(ConditionalDecision d, List<String> out, String indent) {
    if (d.outcome() == ConditionalDecision.Outcome.ALLOW) {
      out.add(indent + "allowed in every context, because:");
      reasons(d.reasons(), out, indent + "  ");
      return;
    }
    out.add(indent + "allowed when" + (d.witnessed() ? "" : " (not confirmed with a concrete request)") + ":");
    boolean first = true;
    for (List<ResidualCondition> alt : d.alternatives()) {
      List<String> parts = new ArrayList<>();
      for (ResidualCondition c : alt) {
        parts.add((c.mustHold() ? "" : "not ") + c.operator() + " " + c.key() + " " + c.values()
            + where(c.policy(), c.statement(), c.source()));
      }
      out.add(indent + (first ? "  " : "  or ") + String.join(" and ", parts));
      first = false;
    }
  }

  /** {@code  (key-policies/finance.json:14:5, statement AllowX)}, or as much as is known. */
  private static String where(String policy, String statement, SourceRef source) {
    String file = source.hasPosition() ? source.display() : policy;
    if (file.isEmpty() && statement.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(" (").append(file);
    if (!statement.isEmpty()) {
      b.append(file.isEmpty() ? "" : ", ").append("statement ").append(statement);
    }
    return b.append(')').toString();
  }
}
