package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.NodeReader;
import dev.keyward.parse.PolicyParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The state of one world load and the typed reading of its located YAML or JSON nodes: objects, lists, strings,
 * numbers, booleans, maps, choices and account ids, each read with its file, line and column, and fields checked
 * against those a section allows ('unknown field, did you mean'). The typed reading itself is the shared
 * {@link NodeReader}'s (problem codes {@code world.*}, messages that name the type found); this class adds
 * what only worlds have. The decoders of each section extend it and share one load's problems.
 */
abstract class WorldReading extends NodeReader {

  static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
  static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
  static final Pattern ALIAS = Pattern.compile("alias/[a-zA-Z0-9/_-]+");

  final DocumentReader reader;
  final PolicyParser parser;
  final Path file;
  final String display;
  final Path folder;
  final String folderDisplay;
  final String worldName;
  /** Policies by file, shared by every part of the load: each file is parsed once. */
  final Map<String, PolicyDocument> policyCache;

  /** The state of a new load of {@code file}, which problems name {@code display}. */
  WorldReading(DocumentReader reader, PolicyParser parser, Path file, String display) {
    super("world", true, new ArrayList<>());
    this.reader = reader;
    this.parser = parser;
    this.file = file;
    this.display = display;
    this.folder = file.toAbsolutePath().getParent();
    int slash = display.lastIndexOf('/');
    this.folderDisplay = slash >= 0 ? display.substring(0, slash + 1) : "";
    this.worldName = slash >= 0 ? display.substring(slash + 1) : display;
    this.policyCache = new HashMap<>();
  }

  /** Another part of the same load: the same file, the same problems, the same policy cache. */
  WorldReading(WorldReading from) {
    super(from);
    this.reader = from.reader;
    this.parser = from.parser;
    this.file = from.file;
    this.display = from.display;
    this.folder = from.folder;
    this.folderDisplay = from.folderDisplay;
    this.worldName = from.worldName;
    this.policyCache = from.policyCache;
  }

  static String slashes(String s) {
    return s.replace('\\', '/');
  }

  static Set<String> ordered(String... names) {
    return new LinkedHashSet<>(List.of(names));
  }


  String region(Node.ObjectNode o, String what) {
    String region = requiredString(o, "region", what);
    if (region != null && !REGION.matcher(region).matches()) {
      error("world.invalid-region", "`" + region + "` is not a Region name such as `us-east-1`",
          o.get("region").source());
      return null;
    }
    return region;
  }

  List<String> enumList(Node n, String field, List<String> allowed) {
    List<String> out = new ArrayList<>();
    for (Node item : items(n, field)) {
      String s = string(item, field);
      if (s == null) {
        continue;
      }
      if (!allowed.contains(s)) {
        error("world.invalid-value", "`" + s + "` is not a valid value of `" + field + "`"
            + Suggest.didYouMean(s, allowed) + "; expected one of " + quoted(allowed), item.source());
      } else if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  List<String> arnList(Node n, String field, Pattern shape, String expected) {
    List<String> out = new ArrayList<>();
    for (Node item : items(n, field)) {
      String s = string(item, field);
      if (s == null) {
        continue;
      }
      if (!shape.matcher(s).matches()) {
        error("world.invalid-arn", "`" + s + "` in `" + field + "` must be " + expected, item.source());
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** An account id: a 12-digit string (a 12-digit YAML number is accepted as written). */
  String accountId(Node n) {
    if (n == null) {
      return null;
    }
    if (!(n instanceof Node.ScalarNode) || ((Node.ScalarNode) n).type() == Node.ScalarType.NULL
        || ((Node.ScalarNode) n).type() == Node.ScalarType.BOOLEAN) {
      error("world.wrong-type", "an account id must be a string of 12 digits, not " + n.typeName(),
          n.source());
      return null;
    }
    String s = ((Node.ScalarNode) n).text();
    if (!Arn.isAccountId(s)) {
      String hint = ((Node.ScalarNode) n).type() == Node.ScalarType.NUMBER
          ? "; quote account ids so that leading zeros survive, e.g. `\"011111111111\"`" : "";
      error("world.invalid-account-id", "account id `" + s + "` must be 12 digits" + hint, n.source());
      return null;
    }
    return s;
  }

  String choice(Node.ObjectNode o, String field, List<String> allowed, String dflt, boolean strict) {
    Node n = o.get(field);
    if (n == null) {
      return dflt;
    }
    String s = string(n, field);
    if (s == null) {
      return dflt;
    }
    if (!allowed.contains(s)) {
      String message = "`" + s + "` is not a valid `" + field + "`" + Suggest.didYouMean(s, allowed);
      if (Suggest.closest(s, allowed) == null) {
        message += "; expected one of " + quoted(allowed);
      }
      if (strict) {
        error("world.invalid-value", message, n.source());
        return dflt;
      }
      warning("world.unknown-value", message, n.source());
    }
    return s;
  }

  Map<String, String> stringMap(Node n, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    Node.ObjectNode o = object(n, "`" + field + "`");
    if (o == null) {
      return out;
    }
    for (Node.Field f : o.fields()) {
      Node v = f.value();
      if (v instanceof Node.ScalarNode && ((Node.ScalarNode) v).type() != Node.ScalarType.NULL) {
        Node.ScalarNode s = (Node.ScalarNode) v;
        if (!s.isString()) {
          warning("world.not-a-string", "the value of `" + f.key() + "` is a " + s.typeName()
              + "; it is used as the text `" + s.text() + "`", v.source());
        }
        out.put(f.key(), s.text());
      } else {
        error("world.wrong-type", "the value of `" + f.key() + "` in `" + field + "` must be a string, not "
            + v.typeName(), v.source());
      }
    }
    return out;
  }

  String requiredString(Node.ObjectNode o, String field, String what) {
    Node n = o.get(field);
    if (n == null) {
      missing(field, what, o);
      return null;
    }
    return string(n, field);
  }

  /** {@code n} as an object; anything else is reported as {@code <what> must be an object, not <type>}. */
  Node.ObjectNode object(Node n, String what) {
    return object(n, what, "an object");
  }

  void checkFields(Node.ObjectNode o, Set<String> allowed, String what) {
    unknownFields(o, allowed, key -> {
      String hint = Suggest.didYouMean(key, allowed);
      return "unknown field `" + key + "` in " + what + (hint.isEmpty() ? "; expected " + quoted(allowed) : hint);
    });
  }

  void missing(String field, String what, Node.ObjectNode o) {
    missing(what + " needs `" + field + "`", o.source());
  }
}
