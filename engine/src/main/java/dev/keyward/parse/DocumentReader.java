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
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

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
        .maxNestingDepth(MAX_DEPTH + 1)
        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBytes))
        .maxNumberLength(1000)
        .build();
    this.json = JsonFactory.builder()
        .streamReadConstraints(constraints)
        .build();
    LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, maxBytes));
    loader.setNestingDepthLimit(MAX_DEPTH + 1);
    loader.setAllowDuplicateKeys(true);
    loader.setMaxAliasesForCollections(50);
    this.yaml = YAMLFactory.builder()
        .loaderOptions(loader)
        .streamReadConstraints(constraints)
        .build();
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

  /** Reads a document held in memory. */
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
    try (JsonParser p = format == DocumentFormat.YAML ? yaml.createParser(bytes) : json.createParser(bytes)) {
      Builder b = new Builder(p, file, problems);
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.add(Problem.error("syntax.empty", "the document is empty", start));
        return new ReadResult(null, problems);
      }
      Node root = b.value("", 0);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        problems.add(Problem.error("syntax.trailing", format == DocumentFormat.YAML
            ? "more than one YAML document in one file" : "unexpected content after the end of the document",
            b.here("")));
      }
      return new ReadResult(root, problems);
    } catch (TooDeep e) {
      problems.add(Problem.error("syntax.too-deep", "nesting is deeper than " + MAX_DEPTH + " levels", e.where));
      return new ReadResult(null, problems);
    } catch (StreamConstraintsException e) {
      problems.add(Problem.error("syntax.limit", firstLine(e.getOriginalMessage()), locate(file, e.getLocation())));
      return new ReadResult(null, problems);
    } catch (JsonProcessingException e) {
      problems.add(Problem.error("syntax.invalid", syntaxMessage(e, format), locate(file, e.getLocation())));
      return new ReadResult(null, problems);
    } catch (IOException | RuntimeException e) {
      // NOTE: SnakeYAML reports some malformed input (bad escapes, control characters, invalid UTF-8)
      // with its own unchecked exceptions; each is still bad input, never an internal error.
      problems.add(Problem.error("syntax.invalid", "cannot read " + format.name().toLowerCase(Locale.ROOT)
          + ": " + firstLine(String.valueOf(e.getMessage())), start));
      return new ReadResult(null, problems);
    }
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

  private static String syntaxMessage(JsonProcessingException e, DocumentFormat format) {
    String m = firstLine(e.getOriginalMessage());
    return (format == DocumentFormat.YAML ? "invalid YAML: " : "invalid JSON: ") + m;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    String line = (nl >= 0 ? s.substring(0, nl) : s).trim();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static final class TooDeep extends RuntimeException {
    final SourceRef where;

    TooDeep(SourceRef where) {
      super(null, null, false, false);
      this.where = where;
    }
  }

  /** Builds the tree from the parser's tokens; the current token is the value's first token. */
  private static final class Builder {
    private final JsonParser p;
    private final String file;
    private final List<Problem> problems;

    Builder(JsonParser p, String file, List<Problem> problems) {
      this.p = p;
      this.file = file;
      this.problems = problems;
    }

    SourceRef here(String pointer) {
      JsonLocation loc = p.currentTokenLocation();
      return new SourceRef(file, pointer, Math.max(0, loc.getLineNr()), Math.max(loc.getLineNr() > 0 ? 1 : 0,
          loc.getColumnNr()));
    }

    Node value(String pointer, int depth) throws IOException {
      SourceRef at = here(pointer);
      if (depth > MAX_DEPTH) {
        throw new TooDeep(at);
      }
      JsonToken t = p.currentToken();
      String tag = p instanceof YAMLParser ? ((YAMLParser) p).getTypeId() : null;
      switch (t) {
        case START_OBJECT:
          return object(pointer, depth, at);
        case START_ARRAY: {
          List<Node> items = new ArrayList<>();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(value(pointer + "/" + i, depth + 1));
            i++;
          }
          return new Node.ArrayNode(items, at);
        }
        case VALUE_STRING:
          return new Node.ScalarNode(Node.ScalarType.STRING, p.getText(), tag, at);
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          return new Node.ScalarNode(Node.ScalarType.NUMBER, p.getText(), tag, at);
        case VALUE_TRUE:
          return new Node.ScalarNode(Node.ScalarType.BOOLEAN, "true", tag, at);
        case VALUE_FALSE:
          return new Node.ScalarNode(Node.ScalarType.BOOLEAN, "false", tag, at);
        case VALUE_NULL:
          return new Node.ScalarNode(Node.ScalarType.NULL, "", tag, at);
        case VALUE_EMBEDDED_OBJECT:
          // YAML binary (!!binary) or other embedded values: keep their text.
          return new Node.ScalarNode(Node.ScalarType.STRING, String.valueOf(p.getText()), tag, at);
        default:
          throw new IllegalStateException("unexpected token " + t);
      }
    }

    private Node object(String pointer, int depth, SourceRef at) throws IOException {
      List<Node.Field> fields = new ArrayList<>();
      Map<String, SourceRef> seen = new HashMap<>();
      Map<String, String> seenLower = new HashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        String childPointer = pointer + "/" + SourceRef.escape(key);
        SourceRef keyAt = here(childPointer);
        SourceRef previous = seen.putIfAbsent(key, keyAt);
        if (previous != null) {
          problems.add(Problem.error("syntax.duplicate-key", "duplicate key `" + key + "`; first at line "
              + previous.line() + ", and IAM rejects documents with repeated keys", keyAt));
        } else {
          String lower = key.toLowerCase(Locale.ROOT);
          String other = seenLower.putIfAbsent(lower, key);
          if (other != null) {
            problems.add(Problem.error("syntax.case-duplicate-key", "key `" + key + "` differs from `" + other
                + "` only in case", keyAt));
          }
        }
        p.nextToken();
        fields.add(new Node.Field(key, keyAt, value(childPointer, depth + 1)));
      }
      return new Node.ObjectNode(fields, at);
    }
  }
}
