package dev.keyward.analysis;

import dev.keyward.model.Severity;
import java.util.List;

/** The findings of one {@code check} run, in the documented deterministic order ({@link Finding#ORDER}). */
public record CheckResult(List<Finding> findings) {

  public CheckResult {
    findings = List.copyOf(findings);
  }

  /** True when a finding is at least as serious as {@code threshold}. */
  public boolean hasAtLeast(Severity threshold) {
    for (Finding f : findings) {
      if (f.severity().atLeast(threshold)) {
        return true;
      }
    }
    return false;
  }
}
