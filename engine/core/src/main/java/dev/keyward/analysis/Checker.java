package dev.keyward.analysis;

import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs {@code keyward check}'s analyses over a world. Every analysis asks the
 * {@link dev.keyward.eval.Authorizer} real requests, with the context the calling AWS service sends;
 * none reads policy text. See {@code docs/checks.md}.
 */
public final class Checker {

  /** The analyses, by name, in the order {@code --help} lists them. */
  public static final List<String> ANALYSES = List.of("cross-account", "s3-replication", "ami-sharing",
      "multi-region", "rotation");

  private final List<Analysis> analyses;

  private Checker(List<Analysis> analyses) {
    this.analyses = analyses;
  }

  public static Checker create() {
    return new Checker(List.of(new CrossAccountAnalysis(), new S3ReplicationAnalysis(), new AmiSharingAnalysis(),
        new MultiRegionAnalysis(), new RotationAnalysis()));
  }

  /** Runs every analysis. */
  public CheckResult check(World world) {
    return check(world, ANALYSES);
  }

  /** Runs the named analyses (names from {@link #ANALYSES}; unknown names are a programming error). */
  public CheckResult check(World world, Collection<String> only) {
    for (String n : only) {
      if (!ANALYSES.contains(n)) {
        throw new IllegalArgumentException("unknown analysis " + n);
      }
    }
    CheckContext ctx = CheckContext.create(world);
    List<Finding> out = new ArrayList<>();
    for (Analysis a : analyses) {
      if (only.contains(a.name())) {
        out.addAll(a.run(ctx));
      }
    }
    out.sort(Finding.ORDER);
    List<Finding> unique = new ArrayList<>(out.size());
    for (Finding f : out) {
      if (unique.isEmpty() || !unique.get(unique.size() - 1).equals(f)) {
        unique.add(f);
      }
    }
    return new CheckResult(unique);
  }
}
