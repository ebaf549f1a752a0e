package dev.keyward.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads JSON or YAML into a located {@link Node} tree, collecting problems instead of throwing: syntax
 * errors with line and column, duplicate keys (JSON allows them, IAM does not), keys that differ only in
 * case, nesting deeper than {@link #MAX_DEPTH}, and documents larger than the configured limit.
 *
 * <p>Thread-safe: the factories are immutable once built and every call makes its own parser.
 */
public final class DocumentReader {

  /** Deeper nesting than this is refused; no IAM policy or world file comes close. */
  public static final int MAX_DEPTH = 128;

  /** The default limit on a document's size: far above any real policy or world file. */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  private final JsonFactory json;
  private final YAMLFactory yaml;
  private final long maxBytes;

  private DocumentReader(long maxBytes) {
    this.maxBytes = maxBytes;
    StreamReadConstraints constraints = StreamReadConstraints.builder()
        // Above MAX_DEPTH, so that the builder's own check (which knows the location) fires first.
        .maxNestingDepth(MAX_DEPTH + 16)
        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBytes))
        .maxNumberLength(1000)
        .build();
    this.json = JsonFactory.builder()
        .streamReadConstraints(constraints)
        .build();
    LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes));
    loader.setNestingDepthLimit(MAX_DEPTH + 16);
    loader.setAllowDuplicateKeys(true);
    loader.setMaxAliasesForCollections(50);
    this.yaml = new AnchorAwareYamlFactory(YAMLFactory.builder()
        .loaderOptions(loader)
        .streamReadConstraints(constraints));
  }

  /** A reader with the default size limit. */
  public static DocumentReader create() {
    return new DocumentReader(DEFAULT_MAX_BYTES);
  }

  /** A reader that refuses documents larger than {@code maxBytes}. */
  public static DocumentReader withMaxBytes(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    return new DocumentReader(maxBytes);
  }

  /** Reads a file; a missing or unreadable file is a problem, not an exception. */
  public ReadResult readFile(Path path, String displayName) {
    DocumentFormat format = DocumentFormat.forFileName(path.getFileName().toString());
    SourceRef where = SourceRef.synthetic(displayName, "");
    try {
      if (Files.isDirectory(path)) {
        return failed("io.directory", "`" + displayName + "` is a directory, not a file", where);
      }
      long size = Files.size(path);
      if (size > maxBytes) {
        return failed("io.too-large", "file is " + size + " bytes, over the limit of " + maxBytes
            + " bytes", where);
      }
      try (InputStream in = Files.newInputStream(path)) {
        return read(in.readAllBytes(), displayName, format);
      }
    } catch (NoSuchFileException e) {
      return failed("io.not-found", "file `" + displayName + "` does not exist", where);
    } catch (IOException e) {
      return failed("io.error", "cannot read `" + displayName + "`: " + e.getMessage(), where);
    }
  }

  /**
   * Reads a document held in memory. Never throws for any input: malformed text, invalid UTF-8, binary
   * data, nesting deeper than {@link #MAX_DEPTH} and YAML alias bombs are problems with a location.
   */
  public ReadResult read(byte[] bytes, String file, DocumentFormat format) {
    List<Problem> problems = new ArrayList<>();
    SourceRef start = new SourceRef(file, "", 1, 1);
    if (bytes.length > maxBytes) {
      problems.add(Problem.error("io.too-large", "document is " + bytes.length
          + " bytes, over the limit of " + maxBytes + " bytes", start));
      return new ReadResult(null, problems);
    }
    if (isBlank(bytes)) {
      problems.add(Problem.error("syntax.empty", "the document is empty", start));
      return new ReadResult(null, problems);
    }
    JsonParser p = null;
    try {
      p = format == DocumentFormat.YAML ? yaml.createParser(bytes) : json.createParser(bytes);
      Builder b = new Builder(p, file, problems);
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.add(Problem.error("syntax.empty", "the document is empty", start));
        return new ReadResult(null, problems);
      }
      Node root = b.value(null, null, 0);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        problems.add(Problem.error("syntax.trailing", format == DocumentFormat.YAML
            ? "more than one YAML document in one file" : "unexpected content after the end of the document",
            b.here(null, null)));
      }
      return new ReadResult(root, problems);
    } catch (Refused e) {
      problems.add(Problem.error(e.code, e.getMessage(), e.where));
      return new ReadResult(null, problems);
    } catch (StreamConstraintsException e) {
      problems.add(Problem.error("syntax.limit", "the document is over a size limit of the reader: "
          + clean(e.getOriginalMessage()), current(p, file)));
      return new ReadResult(null, problems);
    } catch (JsonProcessingException e) {
      CharConversionException encoding = encodingCause(e);
      if (encoding != null || String.valueOf(e.getOriginalMessage()).startsWith("Invalid UTF-8")) {
        problems.add(encodingProblem(file, bytes, encoding != null ? encoding.getMessage()
            : e.getOriginalMessage()));
      } else {
        problems.add(Problem.error("syntax.invalid", syntaxMessage(e, format), syntaxLocation(e, file, bytes)));
      }
      return new ReadResult(null, problems);
    } catch (CharConversionException e) {
      problems.add(encodingProblem(file, bytes, e.getMessage()));
      return new ReadResult(null, problems);
    } catch (IOException e) {
      // Only in-memory input: any other I/O failure is still a malformed document.
      problems.add(Problem.error("syntax.invalid", "cannot read the document: " + clean(e.getMessage()),
          current(p, file)));
      return new ReadResult(null, problems);
    } catch (YAMLException e) {
      // NOTE: SnakeYAML reports some malformed input (control characters, bad escapes) with its own
      // unchecked exceptions, not wrapped by Jackson; each is bad input, never an internal error.
      CharConversionException encoding = encodingCause(e);
      problems.add(encoding != null ? encodingProblem(file, bytes, encoding.getMessage())
          : Problem.error("syntax.invalid", yamlMessage(e), yamlLocation(e, file, bytes)));
      return new ReadResult(null, problems);
    } finally {
      if (p != null) {
        try {
          p.close();
        } catch (IOException ignored) {
          // INVARIANT: parsers over byte arrays hold no resources; closing cannot lose data.
        }
      }
    }
  }

  private static CharConversionException encodingCause(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof CharConversionException) {
        return (CharConversionException) t;
      }
    }
    return null;
  }

  private static Problem encodingProblem(String file, byte[] bytes, String detail) {
    String d = clean(detail).replaceAll("\\s*\\(at char #\\d+, byte #-?\\d+\\)", "");
    return Problem.error("syntax.encoding", "the document is not valid UTF-8: " + d,
        firstInvalidUtf8(file, bytes));
  }

  /**
   * Checks a text file of a non-JSON format (policy tests, request lines) before it is decoded: an error
   * at the first byte that is not well-formed UTF-8 or that is a NUL character, or null when there is none.
   * A leading byte order mark is fine (callers drop it).
   */
  public static Problem textProblem(byte[] bytes, String file) {
    int line = 1;
    int col = 1;
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xFF;
      int len = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
      boolean ok = len > 0 && i + len <= bytes.length;
      for (int k = 1; ok && k < len; k++) {
        ok = (bytes[i + k] & 0xC0) == 0x80;
      }
      if (!ok) {
        return Problem.error("syntax.encoding", "the file is not valid UTF-8", new SourceRef(file, "", line, col));
      }
      if (b == 0) {
        return Problem.error("syntax.nul", "the file holds a NUL character, which no text format allows",
            new SourceRef(file, "", line, col));
      }
      if (b == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
      i += len;
    }
    return null;
  }

  /**
   * The line and column of the first byte that is not part of a well-formed UTF-8 sequence (or of the
   * document's start, if every sequence is well formed, for example when the text is UTF-16).
   */
  static SourceRef firstInvalidUtf8(String file, byte[] bytes) {
    int line = 1;
    int col = 1;
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xFF;
      int len = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
      if (len == 0 || i + len > bytes.length) {
        return new SourceRef(file, "", line, col);
      }
      for (int k = 1; k < len; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return new SourceRef(file, "", line, col);
        }
      }
      if (b == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
      i += len;
    }
    return new SourceRef(file, "", 1, 1);
  }

  /** Where the parser is now, or the document's start when that is not known. */
  private static SourceRef current(JsonParser p, String file) {
    if (p != null) {
      JsonLocation loc = p.currentLocation();
      if (loc != null && loc.getLineNr() > 0) {
        return new SourceRef(file, "", loc.getLineNr(), Math.max(1, loc.getColumnNr()));
      }
    }
    return new SourceRef(file, "", 1, 1);
  }

  private static String syntaxMessage(JsonProcessingException e, DocumentFormat format) {
    Throwable cause = e.getCause();
    if (cause instanceof YAMLException) {
      return yamlMessage((YAMLException) cause);
    }
    String m = clean(e.getOriginalMessage());
    if (format == DocumentFormat.YAML && m.startsWith("Expected a field name")) {
      m = "a mapping key must be a plain value, not a list or a mapping";
    }
    return (format == DocumentFormat.YAML ? "invalid YAML: " : "invalid JSON: ") + m;
  }

  private static SourceRef syntaxLocation(JsonProcessingException e, String file, byte[] bytes) {
    Throwable cause = e.getCause();
    if (cause instanceof YAMLException) {
      return yamlLocation((YAMLException) cause, file, bytes);
    }
    return locate(file, e.getLocation());
  }

  /** SnakeYAML's problem, then its context: "expected X, but found Y (while parsing Z at line 2, column 3)". */
  private static String yamlMessage(YAMLException e) {
    if (e instanceof MarkedYAMLException) {
      MarkedYAMLException m = (MarkedYAMLException) e;
      String problem = m.getProblem() == null ? "malformed YAML" : m.getProblem().trim();
      StringBuilder b = new StringBuilder("invalid YAML: ").append(problem);
      if (m.getContext() != null) {
        b.append(" (").append(m.getContext().trim());
        Mark cm = m.getContextMark();
        if (cm != null) {
          b.append(" that starts at line ").append(cm.getLine() + 1).append(", column ").append(cm.getColumn() + 1);
        }
        b.append(')');
      }
      return clean(b.toString());
    }
    if (e instanceof ReaderException) {
      ReaderException r = (ReaderException) e;
      return "invalid YAML: character U+" + String.format(Locale.ROOT, "%04X", r.getCodePoint())
          + " is not allowed in YAML";
    }
    return "invalid YAML: " + clean(e.getMessage());
  }

  private static SourceRef yamlLocation(YAMLException e, String file, byte[] bytes) {
    if (e instanceof MarkedYAMLException) {
      Mark m = ((MarkedYAMLException) e).getProblemMark();
      if (m != null) {
        return new SourceRef(file, "", m.getLine() + 1, m.getColumn() + 1);
      }
    }
    if (e instanceof ReaderException) {
      return positionOf(file, bytes, ((ReaderException) e).getPosition());
    }
    return new SourceRef(file, "", 1, 1);
  }

  /** The line and column of the {@code index}-th code point of UTF-8 {@code bytes}. */
  private static SourceRef positionOf(String file, byte[] bytes, int index) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int line = 1;
    int col = 1;
    int cp = 0;
    for (int i = 0; i < text.length() && cp < index; i += Character.charCount(text.codePointAt(i)), cp++) {
      if (text.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new SourceRef(file, "", line, col);
  }

  private static ReadResult failed(String code, String message, SourceRef where) {
    return new ReadResult(null, List.of(Problem.error(code, message, where)));
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static SourceRef locate(String file, JsonLocation loc) {
    if (loc == null || loc.getLineNr() <= 0) {
      return new SourceRef(file, "", 0, 0);
    }
    return new SourceRef(file, "", loc.getLineNr(), Math.max(1, loc.getColumnNr()));
  }

  /**
   * One line of a library message without its Java internals: the first line, no source description, no
   * names of parser features or settings, at most 300 characters.
   */
  static String clean(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    String line = (nl >= 0 ? s.substring(0, nl) : s).trim();
    line = SOURCE_LOCATION.matcher(line).replaceAll("line $1, column $2");
    line = FEATURE_HINT.matcher(line).replaceAll("");
    line = CONSTRAINT_HINT.matcher(line).replaceAll("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
  private static final Pattern FEATURE_HINT = Pattern.compile(
      "\\s*(\\(not recognized as one since Feature '[A-Z_]+' not enabled for parser\\)"
          + "|: enable `[A-Za-z._]+` to allow"
          + "|: was expecting \\(JSON String, Number, Array, Object or token 'null', 'true' or 'false'\\))");
  private static final Pattern CONSTRAINT_HINT = Pattern.compile(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`");

  /** Input the reader refuses while building the tree: nesting too deep, an alias bomb, an unknown alias. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient SourceRef where;
    final String code;

    Refused(String code, String message, SourceRef where) {
      super(message, null, false, false);
      this.code = code;
      this.where = where;
    }
  }

  /**
   * Builds the tree from the parser's tokens; the current token is the value's first token.
   *
   * <p>YAML anchors and aliases are resolved here (Jackson's streaming parser reports an alias as a string
   * holding the anchor's name): an alias shares the anchored node, locations included, and the total size
   * of all expansions is capped so that an alias bomb is refused instead of being walked. The YAML merge key
   * {@code <<} adds the merged mappings' keys that the mapping does not set itself.
   */
  private static final class Builder {
    /** The most nodes a document may expand to through aliases; real policies and world files hold far fewer. */
    static final long MAX_EXPANDED_NODES = 1_000_000;
    /** Objects with fewer keys are checked for repeated keys by scanning, larger ones through maps. */
    static final int SCAN_LIMIT = 16;

    private final JsonParser p;
    private final YAMLParser yaml;
    private final String file;
    private final List<Problem> problems;
    private Map<String, Anchored> anchors;
    private long nodes;
    /**
     * One string for each text read more than once (keys such as {@code Effect}, actions, the ARNs that many
     * policies name): a world keeps what it reads, and most of its texts are repeats.
     */
    private final Map<String, String> texts = new HashMap<>();

    private record Anchored(Node node, long size) {}

    Builder(JsonParser p, String file, List<Problem> problems) {
      this.p = p;
      this.yaml = p instanceof YAMLParser ? (YAMLParser) p : null;
      this.file = file;
      this.problems = problems;
    }

    /**
     * The location of the current token: member {@code segment} of the value at {@code parent}, or the
     * document itself when {@code parent} is null. Pointers are written only when asked for.
     */
    SourceRef here(SourceRef parent, String segment) {
      JsonLocation loc = p.currentTokenLocation();
      int line = Math.max(0, loc.getLineNr());
      int column = line > 0 ? Math.max(1, loc.getColumnNr()) : 0;
      return parent == null ? new SourceRef(file, "", line, column) : SourceRef.at(parent, segment, line, column);
    }

    /** The text of array index {@code i}, shared for the small indexes nearly every list has. */
    private static String index(int i) {
      return i < INDEXES.length ? INDEXES[i] : Integer.toString(i);
    }

    private static final String[] INDEXES = new String[64];

    static {
      for (int i = 0; i < INDEXES.length; i++) {
        INDEXES[i] = Integer.toString(i);
      }
    }

    Node value(SourceRef parent, String segment, int depth) throws IOException {
      SourceRef at = here(parent, segment);
      if (depth > MAX_DEPTH) {
        throw new Refused("syntax.too-deep", "nesting is deeper than " + MAX_DEPTH + " levels", at);
      }
      JsonToken t = p.currentToken();
      String tag = null;
      String anchor = null;
      if (yaml != null) {
        if (yaml.isCurrentAlias()) {
          return alias(p.getText(), at);
        }
        tag = tag(yaml.getTypeId());
        anchor = yaml instanceof AnchorAwareYamlFactory.Parser
            ? ((AnchorAwareYamlFactory.Parser) yaml).valueAnchor() : yaml.getObjectId();
      }
      long before = nodes++;
      Node n;
      switch (t) {
        case START_OBJECT:
          n = object(depth, at);
          break;
        case START_ARRAY: {
          List<Node> items = new ArrayList<>();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(value(at, index(i), depth + 1));
            i++;
          }
          n = new Node.ArrayNode(items, at);
          break;
        }
        case VALUE_STRING:
          n = new Node.ScalarNode(Node.ScalarType.STRING, shared(p.getText()), tag, at);
          break;
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          n = new Node.ScalarNode(Node.ScalarType.NUMBER, p.getText(), tag, at);
          break;
        case VALUE_TRUE:
          n = new Node.ScalarNode(Node.ScalarType.BOOLEAN, "true", tag, at);
          break;
        case VALUE_FALSE:
          n = new Node.ScalarNode(Node.ScalarType.BOOLEAN, "false", tag, at);
          break;
        case VALUE_NULL:
          n = new Node.ScalarNode(Node.ScalarType.NULL, "", tag, at);
          break;
        case VALUE_EMBEDDED_OBJECT:
          // YAML binary (!!binary) or other embedded values: keep their text.
          n = new Node.ScalarNode(Node.ScalarType.STRING, String.valueOf(p.getText()), tag, at);
          break;
        default:
          // INVARIANT: after a value's first token the streaming parsers give only the tokens above.
          throw new IllegalStateException("unexpected token " + t + " at " + at);
      }
      String function = CloudFormationTags.longName(tag);
      if (function != null) {
        Node inner = n instanceof Node.ScalarNode
            ? new Node.ScalarNode(((Node.ScalarNode) n).type(), ((Node.ScalarNode) n).text(), null, at) : n;
        n = new Node.ObjectNode(List.of(new Node.Field(function, at, inner)), at);
      }
      if (anchor != null) {
        if (anchors == null) {
          anchors = new HashMap<>();
        }
        anchors.put(anchor, new Anchored(n, nodes - before));
      }
      return n;
    }

    /** The string equal to {@code s} read before, or {@code s}; long texts (policy documents as text) are kept as read. */
    private String shared(String s) {
      if (s.length() > 512) {
        return s;
      }
      String before = texts.putIfAbsent(s, s);
      return before == null ? s : before;
    }

    /** A tag as written: Jackson drops the {@code !} of local tags such as {@code !Ref}. */
    private static String tag(String t) {
      if (t == null || t.isEmpty() || t.startsWith("!") || t.startsWith("tag:")) {
        return t;
      }
      return "!" + t;
    }

    private Node alias(String name, SourceRef at) {
      Anchored a = anchors == null ? null : anchors.get(name);
      if (a == null) {
        throw new Refused("syntax.unknown-alias", "alias `*" + name + "` refers to no anchor `&" + name
            + "` before it", at);
      }
      nodes += a.size();
      if (nodes > MAX_EXPANDED_NODES) {
        throw new Refused("syntax.alias-expansion", "YAML aliases expand the document to more than "
            + MAX_EXPANDED_NODES + " values", at);
      }
      return a.node();
    }

    private Node object(int depth, SourceRef at) throws IOException {
      List<Node.Field> fields = new ArrayList<>();
      // Small objects (nearly all) are checked for repeated keys by a scan; larger ones through maps.
      Map<String, SourceRef> seen = null;
      Map<String, String> seenLower = null;
      List<Node.Field> merged = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = shared(p.currentName());
        SourceRef keyAt = here(at, key);
        p.nextToken();
        if (yaml != null && key.equals("<<") && (yaml.isCurrentAlias() || p.currentToken() == JsonToken.START_OBJECT
            || p.currentToken() == JsonToken.START_ARRAY)) {
          Node m = value(at, key, depth + 1);
          if (merged == null) {
            merged = new ArrayList<>();
          }
          if (!merge(m, merged)) {
            problems.add(Problem.error("syntax.invalid-merge", "the YAML merge key `<<` takes a mapping or a "
                + "list of mappings", keyAt));
          }
          continue;
        }
        SourceRef previous = null;
        String sameButCase = null;
        if (seen == null && fields.size() >= SCAN_LIMIT) {
          seen = new HashMap<>();
          seenLower = new HashMap<>();
          for (Node.Field f : fields) {
            seen.putIfAbsent(f.key(), f.keySource());
            seenLower.putIfAbsent(f.key().toLowerCase(Locale.ROOT), f.key());
          }
        }
        if (seen != null) {
          previous = seen.putIfAbsent(key, keyAt);
          String other = seenLower.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
          sameButCase = other != null && !other.equals(key) ? other : null;
        } else {
          for (Node.Field f : fields) {
            if (f.key().equals(key)) {
              previous = f.keySource();
              break;
            }
            if (sameButCase == null && f.key().equalsIgnoreCase(key)) {
              sameButCase = f.key();
            }
          }
        }
        if (previous != null) {
          problems.add(Problem.error("syntax.duplicate-key", "duplicate key `" + key + "`; first at line "
              + previous.line() + ": JSON tools keep only one of the two, so the document may not mean what "
              + "it says", keyAt));
        } else if (sameButCase != null) {
          problems.add(Problem.error("syntax.case-duplicate-key", "key `" + key + "` differs from `" + sameButCase
              + "` only in case", keyAt));
        }
        fields.add(new Node.Field(key, keyAt, value(at, key, depth + 1)));
      }
      if (merged != null) {
        for (Node.Field m : merged) {
          boolean set = false;
          for (Node.Field f : fields) {
            if (f.key().equals(m.key())) {
              set = true;
              break;
            }
          }
          if (!set) {
            fields.add(m);
          }
        }
      }
      return new Node.ObjectNode(fields, at);
    }

    /** Adds the fields of a merged mapping (or list of mappings, earlier ones first); false if not mappings. */
    private static boolean merge(Node m, List<Node.Field> out) {
      if (m instanceof Node.ObjectNode) {
        out.addAll(((Node.ObjectNode) m).fields());
        return true;
      }
      if (m instanceof Node.ArrayNode) {
        boolean ok = true;
        for (Node item : ((Node.ArrayNode) m).items()) {
          if (item instanceof Node.ObjectNode) {
            out.addAll(((Node.ObjectNode) item).fields());
          } else {
            ok = false;
          }
        }
        return ok;
      }
      return false;
    }
  }
}
