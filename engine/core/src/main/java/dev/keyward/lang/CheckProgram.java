package dev.keyward.lang;

import java.util.List;
import java.util.Objects;

/**
 * A lint rule's check: definitions shared by all blocks, then report blocks. A block's steps run as
 * a pipeline over bindings: {@code for} multiplies them, {@code where} filters them, {@code let} binds a
 * name; every binding that reaches {@code report} yields one finding at the target's location.
 */
public record CheckProgram(List<Definition> definitions, List<ReportBlock> blocks) {

  public CheckProgram {
    definitions = List.copyOf(definitions);
    blocks = List.copyOf(blocks);
  }

  /** {@code def name = expr}: evaluated once per policy, visible in every block. */
  public record Definition(String name, Expr value, Pos pos) {}

  /** {@code step* report target "message"}. */
  public record ReportBlock(List<Step> steps, Expr target, Template message, Pos pos) {
    public ReportBlock {
      steps = List.copyOf(steps);
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(message, "message");
    }
  }

  /** One step of a report block. */
  public sealed interface Step permits ForStep, WhereStep, LetStep {
    Pos pos();
  }

  public record ForStep(String var, Expr collection, Pos pos) implements Step {}

  public record WhereStep(Expr condition, Pos pos) implements Step {}

  public record LetStep(String name, Expr value, Pos pos) implements Step {}
}
