package dev.keyward.analysis;

import java.util.List;

/** One of {@code keyward check}'s analyses: reads the world through the authorizer and reports findings. */
interface Analysis {

  /** The analysis name used in findings and by {@code --only}. */
  String name();

  /** Every finding of this analysis in the world, in any order (the checker sorts them). */
  List<Finding> run(CheckContext ctx);
}
