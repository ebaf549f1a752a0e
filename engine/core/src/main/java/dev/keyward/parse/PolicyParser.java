package dev.keyward.parse;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Parses IAM policy documents (JSON or YAML) into the immutable {@link dev.keyward.model} records.
 *
 * <p>All of AWS's shorthand is normalised here and nowhere else: a string or an array, one statement or
 * an array of them, a bare 12-digit account id as an {@code AWS} principal (which becomes
 * {@code arn:aws:iam::ID:root}), {@code "Principal": "*"} (which becomes {@code anyone}), and condition
 * operators split into set qualifier, base operator and {@code IfExists}.
 *
 * <p>Every problem is collected in one pass, each with a stable code, a severity and a location; the codes
 * and the AWS rules behind them are listed in {@code docs/policy-parser.md}. The policy of a result is
 * null only when the document could not be read at all; a document without error-level problems always
 * yields a policy.
 *
 * <p>Each policy read from text keeps that text ({@link PolicyDocument#text()}): a file's or an embedded
 * string's, as it is. A document given as a tree ({@link #parseNode} of an object) has no text of its own; the
 * reader of the document that holds it adds one where it needs it ({@link PolicyDocument#withText}).
 *
 * <p>Thread-safe and reusable; bad input never throws.
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

  /** Parses a document held in memory; YAML when {@code file} ends in {@code .yaml}/{@code .yml}, else JSON. */
  public ParseResult parse(byte[] bytes, String file, PolicyType type) {
    Objects.requireNonNull(bytes, "bytes");
    return parse(bytes, null, file, type);
  }

  /** Parses a document given as text; YAML or JSON by the extension of {@code file}. */
  public ParseResult parseString(String text, String file, PolicyType type) {
    Objects.requireNonNull(text, "text");
    return parse(text.getBytes(StandardCharsets.UTF_8), text, file, type);
  }

  /** {@code text} is {@code bytes} decoded, when the caller has it; else null. */
  private ParseResult parse(byte[] bytes, String text, String file, PolicyType type) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(type, "type");
    if (bytes.length > MAX_POLICY_BYTES) {
      return tooLarge(bytes.length, file);
    }
    DocumentFormat format = DocumentFormat.forFileName(file);
    ReadResult read = reader.read(bytes, file, format);
    long[] raw = format == DocumentFormat.JSON ? rawSize(bytes) : null;
    return fromRead(read, file, type, raw, text != null ? text : new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Reads and parses a file; {@code displayName} is how problems and the policy name it. A missing or
   * unreadable file is a problem, not an exception.
   */
  public ParseResult parseFile(Path path, String displayName, PolicyType type) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(displayName, "displayName");
    SourceRef where = SourceRef.synthetic(displayName, "");
    byte[] bytes;
    try {
      if (Files.isDirectory(path)) {
        return failed("io.directory", "`" + displayName + "` is a directory, not a file", where);
      }
      if (Files.size(path) > DocumentReader.DEFAULT_MAX_BYTES) {
        return failed("io.too-large", "file is " + Files.size(path) + " bytes, over the limit of "
            + DocumentReader.DEFAULT_MAX_BYTES + " bytes", where);
      }
      if (Files.size(path) > MAX_POLICY_BYTES) {
        return tooLarge(Files.size(path), displayName);
      }
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return failed("io.not-found", "file `" + displayName + "` does not exist", where);
    } catch (IOException e) {
      return failed("io.error", "cannot read `" + displayName + "`: " + e.getMessage(), where);
    }
    DocumentFormat format = DocumentFormat.forFileName(path.getFileName().toString());
    ReadResult read = reader.read(bytes, displayName, format);
    return fromRead(read, displayName, type, format == DocumentFormat.JSON ? rawSize(bytes) : null,
        new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Parses a policy embedded in another document (a world file, a CloudFormation template): problems and
   * model locations point into the embedding file. A string scalar is taken as the policy's JSON text
   * (CloudFormation and Terraform sometimes embed it so); then every location is the string's own, with
   * the pointer continued into the embedded document, and reading problems say where in the text they are.
   *
   * @param name how reasons and findings name the policy, e.g. its path in the world file
   */
  public ParseResult parseNode(Node node, String name, PolicyType type) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    List<Problem> problems = new ArrayList<>();
    if (node instanceof Node.ScalarNode && ((Node.ScalarNode) node).isString()) {
      SourceRef at = node.source();
      byte[] text = ((Node.ScalarNode) node).text().getBytes(StandardCharsets.UTF_8);
      ReadResult read = reader.read(text, at.file(), DocumentFormat.JSON);
      for (Problem p : read.problems()) {
        SourceRef inner = p.where();
        String place = inner.hasPosition()
            ? "in the policy text at line " + inner.line() + ", column " + inner.column() + ": " : "in the policy text: ";
        problems.add(new Problem(p.code(), p.severity(), place + p.message(),
            new SourceRef(at.file(), at.pointer() + inner.pointer(), at.line(), at.column())));
      }
      if (read.root() == null) {
        return new ParseResult(null, problems);
      }
      PolicyDocument policy = PolicyBuilder.build(read.root(), name, type, problems, at, null);
      return new ParseResult(withText(policy, ((Node.ScalarNode) node).text()), inDocumentOrder(problems));
    }
    PolicyDocument policy = PolicyBuilder.build(node, name, type, problems, null, null);
    return new ParseResult(policy, inDocumentOrder(problems));
  }

  private static ParseResult fromRead(ReadResult read, String name, PolicyType type, long[] raw, String text) {
    Objects.requireNonNull(type, "type");
    if (read.root() == null) {
      return new ParseResult(null, read.problems());
    }
    List<Problem> problems = new ArrayList<>(read.problems());
    PolicyDocument policy = PolicyBuilder.build(read.root(), name, type, problems, null, raw);
    return new ParseResult(withText(policy, text), inDocumentOrder(problems));
  }

  private static PolicyDocument withText(PolicyDocument policy, String text) {
    return policy == null ? null : policy.withText(text);
  }

  /**
   * Sorts problems by line and column, keeping the order of discovery among problems at one place (a
   * stable sort), so that output is deterministic and reads top to bottom.
   */
  private static List<Problem> inDocumentOrder(List<Problem> problems) {
    problems.sort(BY_POSITION);
    return problems;
  }

  private static final Comparator<Problem> BY_POSITION =
      Comparator.comparingInt((Problem p) -> p.where().line()).thenComparingInt(p -> p.where().column());

  /**
   * The largest policy document read: 32 times AWS's largest policy size limit (32 KB, key policies). A
   * bigger file cannot be a policy AWS accepts, and reading its statements would only produce a flood of
   * findings; it is refused with one problem.
   */
  public static final int MAX_POLICY_BYTES = 1024 * 1024;

  private static ParseResult tooLarge(long size, String file) {
    return failed("io.too-large", "the policy is " + size + " bytes; Keyward reads policies of at most "
        + MAX_POLICY_BYTES + " bytes (1 MiB, 32 times AWS's largest policy size limit, 32 KB for key policies)",
        new SourceRef(file, "", 1, 1));
  }

  private static ParseResult failed(String code, String message, SourceRef where) {
    return new ParseResult(null, List.of(Problem.error(code, message, where)));
  }

  /** {@code [characters, bytes]} of UTF-8 text as written (characters counted as code points). */
  private static long[] rawSize(byte[] bytes) {
    long chars = 0;
    for (byte b : bytes) {
      if ((b & 0xC0) != 0x80) {
        chars++;
      }
    }
    return new long[] {chars, bytes.length};
  }
}
