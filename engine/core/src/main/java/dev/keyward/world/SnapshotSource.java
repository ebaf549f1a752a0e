package dev.keyward.world;

import static dev.keyward.world.SnapshotNodes.article;
import static dev.keyward.world.SnapshotNodes.text;

import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One snapshot being read: its folder, the problems and gaps found so far, the account it is of, the world
 * tree's sections that the decoders of each call family fill, and the located reading of its files.
 */
final class SnapshotSource {

  /** Snapshot files can be larger than policies and world files: IAM's answer for a big account. */
  private static final long MAX_FILE_BYTES = 1024L * 1024 * 1024;

  final DocumentReader reader = DocumentReader.withMaxBytes(MAX_FILE_BYTES);
  final Path dir;
  final String display;
  final List<Problem> problems = new ArrayList<>();
  final List<WorldGap> gaps = new ArrayList<>();
  private final Set<SourceRef> warned = new HashSet<>();
  /** The account the snapshot is of (null until known) and where it was read. */
  String account;
  SourceRef accountAt;

  // the world tree's sections
  final List<Node> organizations = new ArrayList<>();
  final List<Node> accounts = new ArrayList<>();
  final List<Node> principals = new ArrayList<>();
  final List<Node> keys = new ArrayList<>();
  final List<Node> buckets = new ArrayList<>();
  final List<Node> images = new ArrayList<>();

  SnapshotSource(Path dir, String display) {
    this.dir = dir;
    this.display = display.endsWith("/") ? display.substring(0, display.length() - 1) : display;
  }

  Node read(Path file) {
    String rel = dir.relativize(file).toString().replace('\\', '/');
    ReadResult r = reader.readFile(file, shown(rel));
    problems.addAll(r.problems());
    return r.root();
  }

  Node readIfPresent(String rel) {
    Path file = dir.resolve(rel);
    return Files.exists(file) ? read(file) : null;
  }

  String shown(String rel) {
    return display + "/" + rel;
  }

  Node.ObjectNode object(Node n, String rel, String expected) {
    if (n == null) {
      return null;
    }
    if (!(n instanceof Node.ObjectNode)) {
      error("snapshot.shape", "`" + rel + "` must hold a JSON object" + (expected.isEmpty() ? "" : " (" + expected
          + ")") + ", not " + article(n.typeName()), n.source());
      return null;
    }
    return (Node.ObjectNode) n;
  }

  Node.ObjectNode asObject(Node n, String what) {
    if (n == null || n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NULL) {
      return null;
    }
    if (!(n instanceof Node.ObjectNode)) {
      error("snapshot.shape", (what.isEmpty() ? "this" : what) + " must be an object, not " + article(n.typeName()),
          n.source());
      return null;
    }
    return (Node.ObjectNode) n;
  }

  List<Node> list(Node.ObjectNode o, String field) {
    if (o == null) {
      return List.of();
    }
    Node n = o.get(field);
    if (n == null || n instanceof Node.ScalarNode && ((Node.ScalarNode) n).type() == Node.ScalarType.NULL) {
      return List.of();
    }
    if (n instanceof Node.ObjectNode && field.equals("AttachedManagedPolicies")) {
      // The AWS CLI documentation's own sample prints one attached policy as an object, not a list of one.
      if (warned.add(n.source())) {
        problems.add(Problem.warning("snapshot.shape", "`" + field + "` should be an array; read as a list of"
            + " one", n.source()));
      }
      return List.of(n);
    }
    if (!(n instanceof Node.ArrayNode)) {
      error("snapshot.shape", "`" + field + "` must be an array, not " + article(n.typeName()), n.source());
      return List.of();
    }
    return ((Node.ArrayNode) n).items();
  }

  Map<String, Node> tags(Node n, String keyField, String valueField) {
    Map<String, Node> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    if (!(n instanceof Node.ArrayNode)) {
      error("snapshot.shape", "tags must be an array of `{" + keyField + ", " + valueField + "}`", n.source());
      return out;
    }
    for (Node t : ((Node.ArrayNode) n).items()) {
      Node.ObjectNode to = asObject(t, "a tag");
      String k = text(to, keyField);
      if (k != null && to.get(valueField) != null) {
        out.put(k, to.get(valueField));
      }
    }
    return out;
  }

  void gap(String scope, String subject, String message, SourceRef at) {
    gaps.add(new WorldGap(scope, subject == null ? "" : subject, message, at));
  }

  void error(String code, String message, SourceRef at) {
    problems.add(Problem.error(code, message, at));
  }
}
