package dev.keyward.model;

import java.util.List;
import java.util.Objects;

/**
 * A parsed IAM policy document. Immutable.
 *
 * @param name how reasons and findings name the policy: its file, or its path in a world file
 * @param type the policy type it was read as
 * @param version the Version element, or null when absent (IAM then treats policy variables as text)
 * @param id the Id element, or null
 * @param statements the statements in document order
 * @param source the document's root location
 * @param text the document as it was written, or null: a policy file's text as it is (JSON or YAML), the text
 *     of a policy embedded as a JSON string, and for a key policy written inline in a world file or a template
 *     the compact JSON of the document as written (a template's with its intrinsic functions resolved). A server that answers GetKeyPolicy returns it, so no file has to be read
 *     a second time. Other inline documents keep none: writing a document out costs about a third of parsing
 *     it, and only key policies are ever given back as text. Documents Keyward builds itself have none.
 */
public record PolicyDocument(
    String name,
    PolicyType type,
    String version,
    String id,
    List<Statement> statements,
    SourceRef source,
    String text) {

  public static final String VERSION_2012 = "2012-10-17";
  public static final String VERSION_2008 = "2008-10-17";

  public PolicyDocument {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    statements = List.copyOf(statements);
    Objects.requireNonNull(source, "source");
  }

  /** A document Keyward built itself, with no source text (its statements are new, so no text says them). */
  public PolicyDocument(String name, PolicyType type, String version, String id, List<Statement> statements,
      SourceRef source) {
    this(name, type, version, id, statements, source, null);
  }

  /** True when policy variables such as {@code ${aws:username}} are substituted (Version 2012-10-17). */
  public boolean supportsPolicyVariables() {
    return VERSION_2012.equals(version);
  }

  /** The same document under another name (e.g. when a world file refers to it). */
  public PolicyDocument withName(String newName) {
    return new PolicyDocument(newName, type, version, id, statements, source, text);
  }

  /** The same document with the text it was read from. */
  public PolicyDocument withText(String sourceText) {
    return new PolicyDocument(name, type, version, id, statements, source, sourceText);
  }
}
