package dev.keyward.template;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads CloudFormation templates (JSON or YAML) and Terraform plan JSON, telling them apart by content:
 * a template has {@code AWSTemplateFormatVersion} or a {@code Resources} mapping whose entries have a
 * {@code Type} such as {@code AWS::KMS::Key}; a plan has {@code format_version} and
 * {@code planned_values} or {@code resource_changes}. Thread-safe; bad input never throws.
 */
public final class TemplateLoader {

  private final DocumentReader reader;

  private TemplateLoader(DocumentReader reader) {
    this.reader = reader;
  }

  public static TemplateLoader create() {
    return new TemplateLoader(DocumentReader.create());
  }

  /** What a document is, by its content; null when it is neither a template nor a plan. */
  public static Template.Kind detect(Node root) {
    if (!(root instanceof Node.ObjectNode)) {
      return null;
    }
    Node.ObjectNode o = (Node.ObjectNode) root;
    if (o.get("format_version") != null && (o.get("planned_values") != null || o.get("resource_changes") != null)) {
      return Template.Kind.TERRAFORM_PLAN;
    }
    if (o.get("AWSTemplateFormatVersion") != null) {
      return Template.Kind.CLOUDFORMATION;
    }
    Node rs = o.get("Resources");
    if (rs instanceof Node.ObjectNode) {
      for (Node.Field f : ((Node.ObjectNode) rs).fields()) {
        if (f.value() instanceof Node.ObjectNode) {
          String type = CfnResolver.text(((Node.ObjectNode) f.value()).get("Type"));
          if (type != null && (type.startsWith("AWS::") || type.startsWith("Custom::"))) {
            return Template.Kind.CLOUDFORMATION;
          }
        }
      }
    }
    return null;
  }

  /** Reads a file; YAML when it ends in {@code .yaml}/{@code .yml}, JSON otherwise. */
  public TemplateResult load(Path path, String displayName, TemplateInputs inputs) {
    return fromRead(reader.readFile(path, displayName), displayName, inputs);
  }

  /** Reads a document held in memory. */
  public TemplateResult read(byte[] bytes, String file, TemplateInputs inputs) {
    return fromRead(reader.read(bytes, file, DocumentFormat.forFileName(file)), file, inputs);
  }

  /** Reads an already read document (for callers that detected the kind themselves). */
  public TemplateResult read(Node root, String file, TemplateInputs inputs) {
    return fromRead(new ReadResult(root, List.of()), file, inputs);
  }

  private static TemplateResult fromRead(ReadResult read, String file, TemplateInputs inputs) {
    Objects.requireNonNull(inputs, "inputs");
    List<Problem> problems = new ArrayList<>(read.problems());
    if (read.root() == null) {
      return new TemplateResult(null, problems);
    }
    Template.Kind kind = detect(read.root());
    if (kind == null) {
      problems.add(Problem.error("template.not-a-template", "`" + file + "` is neither a CloudFormation template "
          + "(no `AWSTemplateFormatVersion` and no `Resources` of type `AWS::...`) nor a Terraform plan "
          + "(`terraform show -json` output with `format_version` and `planned_values`)",
          SourceRef.synthetic(file, "")));
      return new TemplateResult(null, problems);
    }
    Node.ObjectNode root = (Node.ObjectNode) read.root();
    Template t = kind == Template.Kind.CLOUDFORMATION
        ? new CloudFormationReader(file, root, inputs, problems).read()
        : new TerraformPlanReader(file, root, inputs, problems).read();
    return new TemplateResult(t, problems);
  }
}
