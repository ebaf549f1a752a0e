package dev.keyward.parse;

import dev.keyward.model.SourceRef;
import java.util.List;

/**
 * A JSON or YAML value with the place it was read from. This located tree is what the document
 * readers produce and what the policy parser and world loader consume; Jackson types never leave this
 * package.
 */
public sealed interface Node permits Node.ObjectNode, Node.ArrayNode, Node.ScalarNode {

  SourceRef source();

  /** A short name of the JSON type for messages: object, array, string, number, boolean, null. */
  String typeName();

  /** A field of an object: its key, where the key was written, and its value. */
  record Field(String key, SourceRef keySource, Node value) {}

  /**
   * An object with its fields in document order. Duplicate keys are all kept (the reader reports them);
   * {@link #get} returns the last one, as most JSON parsers would.
   */
  record ObjectNode(List<Field> fields, SourceRef source) implements Node {
    public ObjectNode {
      fields = List.copyOf(fields);
    }

    public Node get(String key) {
      Node found = null;
      for (Field f : fields) {
        if (f.key().equals(key)) {
          found = f.value();
        }
      }
      return found;
    }

    public Field field(String key) {
      Field found = null;
      for (Field f : fields) {
        if (f.key().equals(key)) {
          found = f;
        }
      }
      return found;
    }

    @Override
    public String typeName() {
      return "object";
    }
  }

  record ArrayNode(List<Node> items, SourceRef source) implements Node {
    public ArrayNode {
      items = List.copyOf(items);
    }

    @Override
    public String typeName() {
      return "array";
    }
  }

  /** The JSON type of a scalar. YAML scalars get the type YAML's core schema gives them. */
  enum ScalarType {
    STRING,
    NUMBER,
    BOOLEAN,
    NULL
  }

  /**
   * A string, number, boolean or null. {@code text} is the value as text (numbers as written,
   * booleans as {@code true}/{@code false}, null as ""). {@code tag} is a YAML tag such as {@code !Custom}
   * or {@code tag:yaml.org,2002:binary}, or null. CloudFormation's short-form tags ({@code !Ref},
   * {@code !Sub}, {@code !GetAtt}, ...) never appear here: the reader turns them into their long form, an
   * object with the one key {@code Ref} or {@code Fn::Sub} etc., also for tagged lists and mappings.
   */
  record ScalarNode(ScalarType type, String text, String tag, SourceRef source) implements Node {
    @Override
    public String typeName() {
      return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isString() {
      return type == ScalarType.STRING;
    }
  }
}
