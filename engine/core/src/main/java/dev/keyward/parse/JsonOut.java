package dev.keyward.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The one way Keyward writes JSON text: Jackson's generator, with the project's layouts and escapes.
 * Values are maps (written in their iteration order, so callers decide the field order), lists, arrays,
 * strings, booleans, numbers, null and located trees ({@link Node}, numbers kept as written); anything else
 * is written as its string form. Strings are escaped per RFC 8259, and U+2028 and U+2029 (valid in JSON
 * but line ends in JavaScript) are escaped too, so that JSON Lines output is safe to embed.
 */
public final class JsonOut {

  /** How the text is laid out. */
  public enum Layout {
    /** No white space at all: {@code {"a":[1,2]}}. */
    COMPACT,
    /** Two spaces a level, {@code "key": value}, every member on a line of its own, {@code {}} and {@code []} when empty. */
    INDENTED,
    /** Every array item on a line of its own (two spaces a level), objects on one line: {@code {"a": 1, "b": 2}}. */
    ROWS
  }

  private static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(new HouseEscapes()).build();

  private static final DefaultIndenter TWO_SPACES = new DefaultIndenter("  ", "\n");
  private static final Separators SPACED = Separators.createDefaultInstance()
      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
      .withObjectEmptySeparator("")
      .withArrayEmptySeparator("");
  private static final DefaultPrettyPrinter INDENTED = new DefaultPrettyPrinter(SPACED)
      .withObjectIndenter(TWO_SPACES)
      .withArrayIndenter(TWO_SPACES);
  private static final DefaultPrettyPrinter ROWS = new DefaultPrettyPrinter(
      SPACED.withObjectEntrySpacing(Separators.Spacing.AFTER))
      .withObjectIndenter(DefaultPrettyPrinter.NopIndenter.instance)
      .withArrayIndenter(TWO_SPACES);

  private JsonOut() {}

  /** The value as compact JSON text. */
  public static String compact(Object value) {
    return write(value, Layout.COMPACT);
  }

  /** The value as JSON text laid out two spaces a level (no final line end). */
  public static String indented(Object value) {
    return write(value, Layout.INDENTED);
  }

  /** The value as JSON text in the given layout (no final line end). */
  public static String write(Object value, Layout layout) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      PrettyPrinter pp = switch (layout) {
        case COMPACT -> null;
        case INDENTED -> INDENTED.createInstance();
        case ROWS -> ROWS.createInstance();
      };
      g.setPrettyPrinter(pp);
      value(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON text", e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** {@code s} as a quoted, escaped JSON string; null as {@code null}. */
  public static String quote(String s) {
    return compact(s);
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Number n) {
      g.writeNumber(n.toString());
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object item : l) {
        value(g, item);
      }
      g.writeEndArray();
    } else if (v instanceof Object[] a) {
      value(g, List.of(a));
    } else if (v instanceof Node n) {
      node(g, n);
    } else {
      g.writeString(v.toString());
    }
  }

  private static void node(JsonGenerator g, Node n) throws IOException {
    if (n instanceof Node.ObjectNode o) {
      g.writeStartObject();
      for (Node.Field f : o.fields()) {
        g.writeFieldName(f.key());
        node(g, f.value());
      }
      g.writeEndObject();
    } else if (n instanceof Node.ArrayNode a) {
      g.writeStartArray();
      for (Node item : a.items()) {
        node(g, item);
      }
      g.writeEndArray();
    } else {
      Node.ScalarNode s = (Node.ScalarNode) n;
      switch (s.type()) {
        case STRING -> g.writeString(s.text());
        case NULL -> g.writeNull();
        default -> g.writeRawValue(s.text()); // numbers and booleans as written
      }
    }
  }

  /** Jackson's standard escapes, plus U+2028 and U+2029. */
  private static final class HouseEscapes extends CharacterEscapes {
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == 0x2028 ? LINE_SEPARATOR : ch == 0x2029 ? PARAGRAPH_SEPARATOR : null;
    }
  }
}
