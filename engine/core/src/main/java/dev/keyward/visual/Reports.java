package dev.keyward.visual;

import dev.keyward.access.ExternalAccess;
import dev.keyward.access.KeyTarget;
import dev.keyward.access.Zone;
import dev.keyward.analysis.CheckResult;
import dev.keyward.analysis.Checker;
import dev.keyward.eval.Authorizer;
import dev.keyward.iam.IamReference;
import dev.keyward.lint.LintReport;
import dev.keyward.lint.Rule;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers what a report shows from the engines that already answer each part: the authorizer (as
 * {@code who-can} asks it) for the access graph, {@link Checker} for the environment findings, the external
 * access analysis (as {@code access} runs it) for the key policy statements that let other accounts in, and
 * the linter's report.
 */
public final class Reports {

  private Reports() {}

  /** A report of a world, with the lint report of its files (or null) and the rules that made it. */
  public static ReportInput forWorld(String title, World world, LintReport lint, List<Rule> rules) {
    // the graph, the checks and the external access analysis are independent: they run side by side
    IamReference iam = IamReference.bundled();
    CompletableFuture<CheckResult> check = Tasks.start("check", () -> Checker.create().check(world));
    CompletableFuture<List<Set<String>>> outside = Tasks.start("external-access", () -> outsideStatements(world, iam));
    AccessGraph graph = AccessGraph.of(world, Authorizer.create(world));
    return new ReportInput(title, world, graph, join(check), join(outside), lint, rules, iam.dataDate());
  }

  /** The future's value; what it threw is thrown as it was (not wrapped in a CompletionException). */
  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** A report of lint findings alone (no world). */
  public static ReportInput forLint(String title, LintReport lint, List<Rule> rules) {
    return new ReportInput(title, null, null, null, List.of(), lint, rules, IamReference.bundled().dataDate());
  }

  /** Per key of the world (same order), what {@link #outsideStatements(KmsKey, IamReference)} gives. */
  public static List<Set<String>> outsideStatements(World world, IamReference iam) {
    List<Set<String>> out = new ArrayList<>();
    for (KmsKey k : world.keys()) {
      out.add(outsideStatements(k, iam));
    }
    return out;
  }

  /**
   * The labels (Sid or {@code #index}) of the key policy statements through which some principal outside
   * the key's account can use the key, by the external access analysis; empty when it cannot analyse the
   * key (it then says why in {@code keyward access}).
   */
  static Set<String> outsideStatements(KmsKey k, IamReference iam) {
    if (onlyOwnAccount(k)) {
      // NOTE: no Allow of the key policy names anyone outside the key's account, so none can let an outside
      // principal in (the analysis would find none); skipping it keeps large worlds quick
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    String prefix = k.policy().name() + " ";
    try {
      for (dev.keyward.access.Finding f : ExternalAccess.of(KeyTarget.of(k, iam)).analyze(Zone.ofAccount(k.account()))
          .findings()) {
        for (String s : f.statements()) {
          if (s.startsWith(prefix)) {
            out.add(s.substring(prefix.length()));
          }
        }
      }
    } catch (IllegalStateException e) {
      // NOTE: the analysis refuses keys it cannot model (it says why under `keyward access`); the page then
      // highlights nothing for this key rather than guessing
      return Set.of();
    }
    return out;
  }

  /**
   * True when every Allow statement of the key policy names only AWS principals of the key's own account
   * (its root, its account id, its roles and users, its role sessions), without NotPrincipal or a wildcard.
   */
  static boolean onlyOwnAccount(KmsKey k) {
    for (dev.keyward.model.Statement s : k.policy().statements()) {
      if (s.effect() != dev.keyward.model.Effect.ALLOW) {
        continue;
      }
      if (s.principal() == null || s.principal().negated() || s.principal().anyone()) {
        return false;
      }
      for (dev.keyward.model.PrincipalValue v : s.principal().values()) {
        if (v.type() != dev.keyward.model.PrincipalType.AWS || v.value().indexOf('*') >= 0
            || v.value().indexOf('?') >= 0) {
          return false;
        }
        String account = dev.keyward.model.Arn.isAccountId(v.value()) ? v.value()
            : dev.keyward.model.Arn.parse(v.value()).map(dev.keyward.model.Arn::account).orElse(null);
        if (!k.account().equals(account)) {
          return false;
        }
      }
    }
    return true;
  }
}
