package dev.keyward.model;

import java.util.Objects;

/**
 * Where a part of a document came from: the file (as the user named it), the JSON Pointer of the element
 * (RFC 6901), and its 1-based line and column. Line and column are 0 when unknown (for example for a
 * policy built in code or a default key policy that no file holds).
 *
 * <p>A value class with the accessors, equality and text of a record. The document readers make one for
 * every value they read, so a location made by {@link #child} or {@link #at} keeps its parent and its own
 * segment and writes its pointer only when asked: a 4 MB world has about 250,000 located values, and their
 * pointers, mostly never read, were a fifth of the heap that loading it kept.
 */
public final class SourceRef {

  private static final SourceRef NONE = new SourceRef("", "", 0, 0);

  private final String file;
  private final int line;
  private final int column;
  /** The parent's location, while {@link #pointer} is not yet written; null once it is. */
  private SourceRef parent;
  /** This location's reference token (escaped), while {@link #pointer} is not yet written. */
  private String segment;
  /** The pointer, once written. */
  private volatile String pointer;

  public SourceRef(String file, String pointer, int line, int column) {
    this.file = Objects.requireNonNull(file, "file");
    this.pointer = Objects.requireNonNull(pointer, "pointer");
    this.line = line;
    this.column = column;
  }

  private SourceRef(String file, SourceRef parent, String segment, int line, int column) {
    this.file = file;
    this.parent = parent;
    this.segment = segment;
    this.line = line;
    this.column = column;
  }

  /** A location for values that come from no file. */
  public static SourceRef none() {
    return NONE;
  }

  /** A synthetic location: a name such as {@code <default key policy>} and a pointer, no line. */
  public static SourceRef synthetic(String name, String pointer) {
    return new SourceRef(name, pointer, 0, 0);
  }

  /**
   * The location of the member {@code segment} (an object key or an array index, unescaped) of the value at
   * {@code parent}, in the same file, at {@code line} and {@code column}.
   */
  public static SourceRef at(SourceRef parent, String segment, int line, int column) {
    return new SourceRef(parent.file, parent, escape(segment), line, column);
  }

  public String file() {
    return file;
  }

  /** The JSON Pointer of the element ({@code ""} for the document itself). */
  public String pointer() {
    String p = pointer;
    if (p == null) {
      synchronized (this) {
        p = pointer;
        if (p == null) {
          p = parent.pointer() + "/" + segment;
          pointer = p;
          parent = null;
          segment = null;
        }
      }
    }
    return p;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public boolean hasPosition() {
    return line > 0;
  }

  /** This location with {@code segment} appended to the pointer, keeping file, line and column. */
  public SourceRef child(String segment) {
    return at(this, segment, line, column);
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
  public boolean equals(Object o) {
    return o == this || o instanceof SourceRef r && line == r.line && column == r.column && file.equals(r.file)
        && pointer().equals(r.pointer());
  }

  @Override
  public int hashCode() {
    // NOTE: no varargs array: reasons are hashed per decision, and their locations with them
    return ((file.hashCode() * 31 + pointer().hashCode()) * 31 + line) * 31 + column;
  }

  @Override
  public String toString() {
    String p = pointer();
    return display() + (p.isEmpty() ? "" : " (" + p + ")");
  }

  /** Escapes one JSON Pointer reference token. */
  public static String escape(String segment) {
    if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
      return segment;
    }
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
