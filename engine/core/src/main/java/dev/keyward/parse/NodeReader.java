package dev.keyward.parse;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The typed reading of located nodes that every document reader besides the policy parser shares: world
 * files, rule files, the lint configuration, CloudFormation templates and Terraform plans. It reads objects,
 * lists, strings, numbers and booleans, and reports a value of the wrong type, a missing field or an unknown
 * field at the file, line and column it was written, into one list of problems for the whole document.
 *
 * <p>What differs from one document to the next is data, not code: the {@code area} that starts each
 * problem code ({@code world.wrong-type}, {@code rules.wrong-type}, ...), whether a wrong-type message names
 * the type it found ({@code `region` must be a string, not number}) or only the one it wanted ({@code `id`
 * must be a string}), and the wording of unknown-field messages, which each document gives for its own
 * fields. The quiet readers ({@link #asObject}, {@link #asItems}, {@link #scalarText}) report nothing, for
 * documents such as templates whose optional parts are skipped when they hold something else.
 *
 * <p>Not thread-safe: one reader reads one document.
 */
public class NodeReader {

  private final String area;
  private final boolean namesFoundType;
  private final List<Problem> problems;

  /**
   * A reader that adds its problems to {@code problems}.
   *
   * @param area how every problem code it writes begins, e.g. {@code world}
   * @param namesFoundType whether wrong-type messages end with the type found ({@code , not number})
   */
  public NodeReader(String area, boolean namesFoundType, List<Problem> problems) {
    this.area = area;
    this.namesFoundType = namesFoundType;
    this.problems = problems;
  }

  /** Another reader of the same document: the same area, wording and problems. */
  protected NodeReader(NodeReader from) {
    this(from.area, from.namesFoundType, from.problems);
  }

  /** The problems of the document, in the order found; shared with every reader made from this one. */
  public final List<Problem> problems() {
    return problems;
  }

  // ---- quiet reading: no problem reported ----

  /** {@code n} when it is an object, else null. */
  public static Node.ObjectNode asObject(Node n) {
    return n instanceof Node.ObjectNode ? (Node.ObjectNode) n : null;
  }

  /** The items of {@code n} when it is a list, else an empty list. */
  public static List<Node> asItems(Node n) {
    return n instanceof Node.ArrayNode ? ((Node.ArrayNode) n).items() : List.of();
  }

  /** The text of a scalar that is not null (a number or boolean as written), else null. */
  public static String scalarText(Node n) {
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() != Node.ScalarType.NULL
        ? ((Node.ScalarNode) n).text() : null;
  }

  /** True for an explicit null ({@code field:} with no value in YAML, {@code null} in JSON). */
  public static boolean isNull(Node n) {
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NULL;
  }

  /** True for a string scalar. */
  public static boolean isString(Node n) {
    return n instanceof Node.ScalarNode && ((Node.ScalarNode) n).isString();
  }

  // ---- typed reading: a wrong type is reported where it was written ----

  /**
   * {@code n} as an object; anything else is reported as {@code <subject> must be <expected>} and gives null.
   *
   * @param subject what the value is, as the message starts: {@code resource `Key`}, {@code `cases`}
   * @param expected what it must be: {@code an object}, {@code a mapping with `policy`}
   */
  public Node.ObjectNode object(Node n, String subject, String expected) {
    if (n instanceof Node.ObjectNode) {
      return (Node.ObjectNode) n;
    }
    wrongType(n, subject + " must be " + expected);
    return null;
  }

  /**
   * The items of a list; a missing value is an empty list, anything else (an explicit null too) is reported as
   * {@code <subject> must be <expected>} and gives an empty list.
   */
  public List<Node> list(Node n, String subject, String expected) {
    if (n == null) {
      return List.of();
    }
    if (n instanceof Node.ArrayNode) {
      return ((Node.ArrayNode) n).items();
    }
    wrongType(n, subject + " must be " + expected);
    return List.of();
  }

  /**
   * The items of a list that may be left empty: a missing value or an explicit null is an empty list, anything
   * else is reported as {@code <subject> must be <expected>} and gives an empty list.
   */
  public List<Node> items(Node n, String subject, String expected) {
    return isNull(n) ? List.of() : list(n, subject, expected);
  }

  /** The items of the list field {@code field}; missing or null is an empty list, another type is reported. */
  public List<Node> items(Node n, String field) {
    return n instanceof Node.ArrayNode ? ((Node.ArrayNode) n).items() : items(n, "`" + field + "`", "a list");
  }

  /** The string value of {@code field}; null when missing, another type (a number too) is reported. */
  public String string(Node n, String field) {
    if (n == null) {
      return null;
    }
    if (isString(n)) {
      return ((Node.ScalarNode) n).text();
    }
    wrongType(n, "`" + field + "` must be a string");
    return null;
  }

  /**
   * The text of {@code field}: a string, or a number or boolean as written; null when missing, an explicit null
   * or a list or object is reported.
   */
  public String text(Node n, String field) {
    if (n == null) {
      return null;
    }
    String s = scalarText(n);
    if (s == null) {
      wrongType(n, "`" + field + "` must be a string");
    }
    return s;
  }

  /** The boolean value of {@code field}; null when missing, another type is reported. */
  public Boolean bool(Node n, String field) {
    if (n == null) {
      return null;
    }
    if (n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.BOOLEAN) {
      return Boolean.parseBoolean(((Node.ScalarNode) n).text());
    }
    wrongType(n, "`" + field + "` must be true or false");
    return null;
  }

  /** The whole-number value of {@code field}; null when missing, another type or a fraction is reported. */
  public Integer integer(Node n, String field) {
    if (n == null) {
      return null;
    }
    if (n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NUMBER) {
      try {
        return Integer.valueOf(((Node.ScalarNode) n).text());
      } catch (NumberFormatException e) {
        error(area + ".wrong-type", "`" + field + "` must be a whole number, not `" + ((Node.ScalarNode) n).text()
            + "`", n.source());
        return null;
      }
    }
    wrongType(n, "`" + field + "` must be a number");
    return null;
  }

  // ---- fields ----

  /**
   * Reports each field of {@code o} not in {@code allowed} as {@code <area>.unknown-field} at its key, with the
   * message {@code message} gives for the key.
   */
  public void unknownFields(Node.ObjectNode o, Collection<String> allowed, Function<String, String> message) {
    for (Node.Field f : o.fields()) {
      if (!allowed.contains(f.key())) {
        error(area + ".unknown-field", message.apply(f.key()), f.keySource());
      }
    }
  }

  /** Reports a missing field as {@code <area>.missing-field} with {@code message}, where {@code at} is. */
  public void missing(String message, SourceRef at) {
    error(area + ".missing-field", message, at);
  }

  /** Reports a value of the wrong type: {@code message}, followed by the type found if this reader names it. */
  public void wrongType(Node n, String message) {
    error(area + ".wrong-type", namesFoundType ? message + ", not " + n.typeName() : message, n.source());
  }

  public void error(String code, String message, SourceRef at) {
    problems.add(Problem.error(code, message, at));
  }

  public void warning(String code, String message, SourceRef at) {
    problems.add(Problem.warning(code, message, at));
  }

  /** Names in backticks, separated by commas: {@code `a`, `b`, `c`}. */
  public static String quoted(Collection<String> names) {
    StringBuilder b = new StringBuilder();
    for (String n : names) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append('`').append(n).append('`');
    }
    return b.toString();
  }
}
