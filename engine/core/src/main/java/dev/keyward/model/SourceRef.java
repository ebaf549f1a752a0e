package dev.keyward.model;

import java.util.Objects;

/**
 * Where a part of a document came from: the file (as the user named it), the JSON Pointer of the element
 * (RFC 6901), and its 1-based line and column. Line and column are 0 when unknown (for example for a
 * policy built in code or a default key policy that no file holds).
 */
public record SourceRef(String file, String pointer, int line, int column) {

  private static final SourceRef NONE = new SourceRef("", "", 0, 0);

  public SourceRef {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pointer, "pointer");
  }

  /** A location for values that come from no file. */
  public static SourceRef none() {
    return NONE;
  }

  /** A synthetic location: a name such as {@code <default key policy>} and a pointer, no line. */
  public static SourceRef synthetic(String name, String pointer) {
    return new SourceRef(name, pointer, 0, 0);
  }

  public boolean hasPosition() {
    return line > 0;
  }

  /** This location with {@code segment} appended to the pointer, keeping file, line and column. */
  public SourceRef child(String segment) {
    return new SourceRef(file, pointer + "/" + escape(segment), line, column);
  }

  /** {@code file:line:column}, or as much of it as is known. */
  public String display() {
    StringBuilder b = new StringBuilder(file.isEmpty() ? "<input>" : file);
    if (line > 0) {
      b.append(':').append(line).append(':').append(column);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return display() + (pointer.isEmpty() ? "" : " (" + pointer + ")");
  }

  /** Escapes one JSON Pointer reference token. */
  public static String escape(String segment) {
    if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
      return segment;
    }
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
