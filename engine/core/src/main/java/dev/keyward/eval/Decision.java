package dev.keyward.eval;

import java.util.List;
import java.util.Objects;

/** The answer to a {@link dev.keyward.request.Request}: the verdict and the reasons that decided it. */
public record Decision(String requestId, Verdict verdict, List<Reason> reasons) {

  public Decision {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(verdict, "verdict");
    reasons = List.copyOf(reasons);
  }
}
