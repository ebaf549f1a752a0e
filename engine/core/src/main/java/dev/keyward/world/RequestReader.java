package dev.keyward.world;

import dev.keyward.request.Request;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.Node;
import dev.keyward.parse.ReadResult;
import dev.keyward.request.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads requests in JSON Lines, one object per line:
 * {@code {"id": "r1", "principal": ..., "action": ..., "resource": ..., "context": {KEY: "v" | ["v", ...]}}}.
 *
 * <p>{@code principal}, {@code action} and {@code resource} are required; {@code id} defaults to the
 * line number; {@code context} defaults to empty. Unknown fields are errors. The principal and the
 * resource are resolved through the world ({@link WorldNames}): a key id, alias name or alias ARN
 * becomes the key ARN, a short principal name becomes its ARN. Blank lines are skipped.
 *
 * <p>Reading streams: each line is handed to the sink as soon as it is read, good or bad, so a caller can
 * answer a million requests without holding them. A bad line gives one problem at its line and column.
 */
public final class RequestReader {

  private static final Set<String> FIELDS = Set.of("id", "principal", "action", "resource", "context", "session");
  private static final List<String> FIELD_ORDER = List.of("id", "principal", "action", "resource", "context",
      "session");
  private final dev.keyward.parse.PolicyParser parser = dev.keyward.parse.PolicyParser.create();

  private final WorldNames names;
  private final DocumentReader reader;

  private RequestReader(WorldNames names, DocumentReader reader) {
    this.names = names;
    this.reader = reader;
  }

  public static RequestReader create(WorldIndex index) {
    return new RequestReader(WorldNames.create(index), DocumentReader.create());
  }

  /**
   * One line of input: its request, or the problem that kept it from being one.
   *
   * @param line the 1-based line number
   * @param request the request, or null when the line is bad
   * @param problem why the line is bad, or null
   */
  public record Line(int line, Request request, Problem problem) {
    public boolean ok() {
      return request != null;
    }
  }

  /** Every request and problem of a whole input, for callers that do not stream. */
  public record Result(List<Request> requests, List<Problem> problems) {
    public Result {
      requests = List.copyOf(requests);
      problems = List.copyOf(problems);
    }
  }

  /**
   * Reads {@code in} to its end, handing every non-blank line to {@code sink} in order.
   *
   * @param file how problems name the input, e.g. {@code requests.jsonl} or {@code <stdin>}
   * @throws IOException only when reading {@code in} fails
   */
  public void read(BufferedReader in, String file, Consumer<Line> sink) throws IOException {
    String text;
    int lineNo = 0;
    while ((text = in.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      if (text.isBlank()) {
        continue;
      }
      sink.accept(parseLine(text, file, lineNo));
    }
  }

  /** Reads a whole text (for tests and small inputs). */
  public Result readAll(String text, String file) {
    List<Request> requests = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try {
      read(new BufferedReader(new StringReader(text)), file, l -> {
        if (l.ok()) {
          requests.add(l.request());
        } else {
          problems.add(l.problem());
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
    return new Result(requests, problems);
  }

  /** Parses one line; {@code lineNo} is its 1-based number in {@code file}. */
  public Line parseLine(String text, String file, int lineNo) {
    int replaced = text.indexOf('\uFFFD');
    if (replaced >= 0) {
      // Readers decode with replacement: U+FFFD marks bytes that were not valid UTF-8.
      return bad(lineNo, "syntax.encoding", "the line is not valid UTF-8 (requests files are UTF-8)",
          new SourceRef(file, "", lineNo, text.codePointCount(0, replaced) + 1));
    }
    ReadResult read = reader.read(text.getBytes(StandardCharsets.UTF_8), file, DocumentFormat.JSON);
    for (Problem p : read.problems()) {
      if (p.isError()) {
        return bad(lineNo, p.code(), p.message(), at(p.where(), lineNo, file));
      }
    }
    Node root = read.root();
    if (!(root instanceof Node.ObjectNode)) {
      return bad(lineNo, "request.not-object", "a request must be a JSON object, not " + root.typeName(),
          at(root.source(), lineNo, file));
    }
    Node.ObjectNode o = (Node.ObjectNode) root;
    for (Node.Field f : o.fields()) {
      if (!FIELDS.contains(f.key())) {
        String hint = Suggest.didYouMean(f.key(), FIELD_ORDER);
        return bad(lineNo, "request.unknown-field", "unknown field `" + f.key() + "`"
            + (hint.isEmpty() ? "; expected `id`, `principal`, `action`, `resource`, `context` or `session`" : hint),
            at(f.keySource(), lineNo, file));
      }
    }
    String id = String.valueOf(lineNo);
    Node idNode = o.get("id");
    if (idNode != null) {
      if (!(idNode instanceof Node.ScalarNode) || ((Node.ScalarNode) idNode).type() == Node.ScalarType.NULL
          || ((Node.ScalarNode) idNode).type() == Node.ScalarType.BOOLEAN) {
        return bad(lineNo, "request.wrong-type", "`id` must be a string or a number, not " + idNode.typeName(),
            at(idNode.source(), lineNo, file));
      }
      id = ((Node.ScalarNode) idNode).text();
    }
    String[] values = new String[3];
    String[] fields = {"principal", "action", "resource"};
    for (int i = 0; i < 3; i++) {
      Node n = o.get(fields[i]);
      if (n == null) {
        return bad(lineNo, "request.missing-field", "a request needs `" + fields[i] + "`",
            at(o.source(), lineNo, file));
      }
      if (!(n instanceof Node.ScalarNode) || !((Node.ScalarNode) n).isString()) {
        return bad(lineNo, "request.wrong-type", "`" + fields[i] + "` must be a string, not " + n.typeName(),
            at(n.source(), lineNo, file));
      }
      values[i] = ((Node.ScalarNode) n).text();
    }
    WorldNames.Resolution principal = names.principal(values[0]);
    if (!principal.ok()) {
      return bad(lineNo, "request.invalid-principal", principal.error(), at(o.get("principal").source(), lineNo,
          file));
    }
    WorldNames.Resolution action = names.action(values[1]);
    if (!action.ok()) {
      return bad(lineNo, "request.invalid-action", action.error(), at(o.get("action").source(), lineNo, file));
    }
    WorldNames.Resolution resource = names.resource(values[2], WorldNames.accountOf(principal.value()));
    if (!resource.ok()) {
      return bad(lineNo, "request.invalid-resource", resource.error(), at(o.get("resource").source(), lineNo,
          file));
    }
    Map<String, List<String>> context = new LinkedHashMap<>();
    Node c = o.get("context");
    if (c != null && !(c instanceof Node.ScalarNode && ((Node.ScalarNode) c).type() == Node.ScalarType.NULL)) {
      if (!(c instanceof Node.ObjectNode)) {
        return bad(lineNo, "request.wrong-type", "`context` must be an object, not " + c.typeName(),
            at(c.source(), lineNo, file));
      }
      for (Node.Field f : ((Node.ObjectNode) c).fields()) {
        if (f.key().isBlank()) {
          return bad(lineNo, "request.invalid-context", "a context key is empty", at(f.keySource(), lineNo, file));
        }
        List<String> vs = contextValues(f.value());
        if (vs == null) {
          return bad(lineNo, "request.wrong-type", "the value of context key `" + f.key() + "` must be a string"
              + " or an array of strings, not " + describe(f.value()), at(f.value().source(), lineNo, file));
        }
        context.put(f.key(), vs);
      }
    }
    Session session = Session.NONE;
    Node sn = o.get("session");
    String where = file + ":" + lineNo + "#/session";
    if (sn != null) {
      SessionReader.Result sr = SessionReader.read(sn, where, parser);
      if (!sr.problems().isEmpty()) {
        Problem p = sr.problems().get(0);
        return bad(lineNo, p.code(), p.message(), at(p.where(), lineNo, file));
      }
      session = sr.session();
    }
    if (sn != null || principal.value().contains(":federated-user/")) {
      Node.ObjectNode so = sn instanceof Node.ObjectNode ? (Node.ObjectNode) sn : null;
      List<Problem> ps = SessionReader.checkFor(principal.value(), session,
          sn != null ? sn.source() : o.get("principal").source(),
          f -> so != null && so.get(f) != null ? so.get(f).source() : sn.source());
      if (!ps.isEmpty()) {
        Problem p = ps.get(0);
        String code = p.code().equals("session.without-session-principal") ? "request.session-without-role-session"
            : p.code().replace("session.", "request.");
        return bad(lineNo, code, p.message(), at(p.where(), lineNo, file));
      }
    }
    return new Line(lineNo, new Request(id, principal.value(), action.value(), resource.value(), context, session),
        null);
  }

  /** The values of a context key, or null when the node is not a string or an array of strings. */
  private static List<String> contextValues(Node n) {
    if (n instanceof Node.ScalarNode) {
      return ((Node.ScalarNode) n).isString() ? List.of(((Node.ScalarNode) n).text()) : null;
    }
    if (n instanceof Node.ArrayNode) {
      List<String> out = new ArrayList<>();
      for (Node item : ((Node.ArrayNode) n).items()) {
        if (!(item instanceof Node.ScalarNode) || !((Node.ScalarNode) item).isString()) {
          return null;
        }
        out.add(((Node.ScalarNode) item).text());
      }
      return out;
    }
    return null;
  }

  private static String describe(Node n) {
    if (n instanceof Node.ScalarNode && !((Node.ScalarNode) n).isString()) {
      return n.typeName() + " (write `\"" + ((Node.ScalarNode) n).text() + "\"`)";
    }
    return n instanceof Node.ArrayNode ? "an array holding other values" : n.typeName();
  }

  /** A location inside one line, moved to that line of the whole input. */
  private static SourceRef at(SourceRef inLine, int lineNo, String file) {
    return new SourceRef(file, inLine.pointer(), lineNo, Math.max(1, inLine.column()));
  }

  private static Line bad(int lineNo, String code, String message, SourceRef where) {
    return new Line(lineNo, null, Problem.error(code, message, where));
  }
}
