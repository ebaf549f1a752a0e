package dev.keyward.parse;

import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Parses IAM policy documents (JSON or YAML) into the immutable {@link dev.keyward.model} records,
 * normalising AWS's shorthand forms and collecting every problem in one pass. Thread-safe and reusable;
 * bad input never throws.
 */
public final class PolicyParser {

  private final DocumentReader reader;

  private PolicyParser(DocumentReader reader) {
    this.reader = reader;
  }

  /** A parser with the default reader. */
  public static PolicyParser create() {
    return new PolicyParser(DocumentReader.create());
  }

  /** Parses a document held in memory; JSON or YAML by the extension of {@code file}. */
  public ParseResult parse(byte[] bytes, String file, PolicyType type) {
    ReadResult read = reader.read(bytes, file, DocumentFormat.forFileName(file));
    return fromRead(read, file, type);
  }

  /** Parses a document given as text; JSON or YAML by the extension of {@code file}. */
  public ParseResult parseString(String text, String file, PolicyType type) {
    return parse(text.getBytes(StandardCharsets.UTF_8), file, type);
  }

  /** Reads and parses a file; {@code displayName} is how problems name it. */
  public ParseResult parseFile(Path path, String displayName, PolicyType type) {
    ReadResult read = reader.readFile(path, displayName);
    return fromRead(read, displayName, type);
  }

  /**
   * Parses a policy embedded in another document (a world file, a CloudFormation template): problems
   * point into the embedding file. A string scalar is taken as the policy's JSON text.
   */
  public ParseResult parseNode(Node node, String name, PolicyType type) {
    return PolicyBuilder.build(node, name, type, reader);
  }

  private ParseResult fromRead(ReadResult read, String name, PolicyType type) {
    if (read.root() == null) {
      return new ParseResult(null, read.problems());
    }
    ParseResult built = PolicyBuilder.build(read.root(), name, type, reader);
    if (read.problems().isEmpty()) {
      return built;
    }
    List<Problem> all = new java.util.ArrayList<>(read.problems());
    all.addAll(built.problems());
    return new ParseResult(built.policy(), all);
  }

}
