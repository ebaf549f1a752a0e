package dev.keyward.world;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.JsonOut;
import dev.keyward.parse.Node;
import dev.keyward.parse.ParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decodes the policies a world names (files, inline documents, managed-policy ARNs) through the policy parser,
 * each file parsed once per load.
 */
final class PolicyDecoder extends WorldReading {

  private static final Set<String> POLICY_REF = ordered("name", "file", "document", "arn");

  PolicyDecoder(WorldReading from) {
    super(from);
  }

  // ---- policies ----

  List<PolicyDocument> policies(Node n, PolicyType type, String field) {
    List<PolicyDocument> out = new ArrayList<>();
    for (Node item : items(n, field)) {
      PolicyDocument p = policy(item, type);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** A policy reference: {@code {name?, file}} or {@code {name?, document}}; null when unusable. */
  PolicyDocument policy(Node n, PolicyType type) {
    Node.ObjectNode o = object(n, "a policy (`{file: ...}` or `{document: ...}`)");
    if (o == null) {
      return null;
    }
    checkFields(o, POLICY_REF, "a policy");
    string(o.get("name"), "name");
    Node fileNode = o.get("file");
    Node doc = o.get("document");
    Node arnNode = o.get("arn");
    int sources = (fileNode != null ? 1 : 0) + (doc != null ? 1 : 0) + (arnNode != null ? 1 : 0);
    if (sources > 1) {
      error("world.policy-source", "a policy takes one of `file`, `document` and `arn`", o.source());
      return null;
    }
    if (sources == 0) {
      error("world.missing-field", "a policy needs `file` (a path relative to the world file), `document` (the"
          + " policy itself) or `arn` (an AWS managed policy)", o.source());
      return null;
    }
    if (arnNode != null) {
      String arn = string(arnNode, "arn");
      if (arn == null) {
        return null;
      }
      if (type != PolicyType.IDENTITY) {
        error("world.policy-source", "`arn` names AWS managed identity policies; give this policy as `file` or"
            + " `document`", arnNode.source());
        return null;
      }
      PolicyDocument managed = AwsManagedPolicies.bundled().policy(arn).orElse(null);
      if (managed == null) {
        error("world.unknown-policy", AwsManagedPolicies.isAwsManagedArn(arn)
            ? "`" + arn + "` is not an AWS managed policy Keyward knows; give its text as `file` or `document`"
            : "`" + arn + "` is not an AWS managed policy ARN (`arn:aws:iam::aws:policy/NAME`); a customer"
                + " managed policy is given as `file` or `document`", arnNode.source());
        return null;
      }
      return managed;
    }
    if (doc != null) {
      // A snapshot's policies keep the file they were read from; a world file's are named after it.
      String file = o.source().file();
      String name = (file.isEmpty() || file.equals(display) ? worldName : file) + "#" + o.source().pointer();
      String cacheKey = type + " " + name;
      PolicyDocument cached = policyCache.get(cacheKey);
      if (cached != null) {
        return cached;
      }
      ParseResult r = parser.parseNode(doc, file.isEmpty() ? display : file, type);
      problems().addAll(r.problems());
      PolicyDocument p = r.policy() == null ? empty(name, type, doc.source()) : r.policy().withName(name);
      if (type == PolicyType.KEY_POLICY && r.policy() != null && p.text() == null) {
        // GetKeyPolicy gives a key policy back as text: the compact JSON of the document as written.
        p = p.withText(JsonOut.compact(doc));
      }
      if (!file.equals(display)) {
        // A managed policy that many roles attach is one entry of the snapshot: parsed once.
        policyCache.put(cacheKey, p);
      }
      return p;
    }
    String rel = string(fileNode, "file");
    if (rel == null) {
      return null;
    }
    if (rel.isBlank()) {
      error("world.invalid-file", "`file` is empty", fileNode.source());
      return null;
    }
    Path path = folder.resolve(rel).normalize();
    String shown = slashes(Path.of(folderDisplay.isEmpty() ? "." : folderDisplay).resolve(rel).normalize()
        .toString());
    if (!Files.isRegularFile(path)) {
      error("world.missing-file", Files.isDirectory(path)
          ? "policy file `" + rel + "` is a directory" : "policy file `" + rel + "` does not exist"
          + " (looked for `" + shown + "`)", fileNode.source());
      return null;
    }
    String cacheKey = type + " " + path;
    PolicyDocument cached = policyCache.get(cacheKey);
    if (cached != null) {
      return cached.withName(slashes(rel));
    }
    ParseResult r = parser.parseFile(path, shown, type);
    problems().addAll(r.problems());
    PolicyDocument p = r.policy() == null
        ? empty(slashes(rel), type, SourceRef.synthetic(shown, ""))
        : r.policy().withName(slashes(rel));
    policyCache.put(cacheKey, p);
    return p;
  }

  PolicyDocument empty(String name, PolicyType type, SourceRef where) {
    return new PolicyDocument(name, type, PolicyDocument.VERSION_2012, null, List.of(), where);
  }
}
