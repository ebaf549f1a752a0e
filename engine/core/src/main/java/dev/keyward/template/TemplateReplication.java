package dev.keyward.template;

import dev.keyward.analysis.CheckResult;
import dev.keyward.analysis.Checker;
import dev.keyward.analysis.Finding;
import dev.keyward.analysis.MissingRequest;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.model.SourceRef;
import dev.keyward.world.Bucket;
import dev.keyward.world.WorldLoadResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code s3-replication} check of {@code keyward check}, run while linting on what one template or plan
 * declares itself: its buckets with a replication configuration, the replication role and the keys. Only the
 * findings about KMS become lint problems:
 * <ul>
 *   <li>{@code replication.key-refused}: the replication role cannot call {@code kms:Decrypt} on the source
 *       bucket's key or {@code kms:Encrypt} (and, with a Bucket Key, {@code kms:Decrypt}) on the replica key,
 *       asked of the same authorizer with the context S3 sends ({@code kms:ViaService} and
 *       {@code kms:EncryptionContext:aws:s3:arn});
 *   <li>{@code replication.kms-config}: a rule that does not opt in to SSE-KMS objects of a bucket that
 *       encrypts with KMS, names no replica key, or names one that cannot encrypt replicas.
 * </ul>
 * A refusal is reported only when everything that decides it is known: a role or key whose policies hold a
 * value unknown until deployment, or a role with a managed policy or boundary the template does not contain,
 * might be allowed after all, so those are left to {@code keyward check} with the deployed values. Roles,
 * keys and buckets the template does not declare are not checked (the template says nothing about them).
 * Sources: docs/checks.md, "s3-replication".
 */
final class TemplateReplication {

  static final String KEY_REFUSED = "replication.key-refused";
  static final String KMS_CONFIG = "replication.kms-config";

  private TemplateReplication() {}

  /** The KMS problems of the template's replication rules, at each rule; empty when it has none. */
  static List<Problem> check(Template t, List<Problem> templateProblems) {
    boolean any = false;
    for (Bucket b : t.buckets()) {
      any |= b.replication() != null && b.replication().role() != null && !b.replication().rules().isEmpty();
    }
    if (!any) {
      return List.of();
    }
    WorldLoadResult w = TemplateWorld.toWorld(t);
    if (w.world() == null) {
      return List.of();
    }
    CheckResult result = Checker.create().check(w.world(), List.of("s3-replication"));
    Set<String> incomplete = incomplete(t, templateProblems);
    Map<String, String> names = names(t);
    Map<String, Bucket> byArn = new LinkedHashMap<>();
    for (Bucket b : t.buckets()) {
      byArn.put(b.arn(), b);
    }
    // one problem per refused request: the analysis reports one finding per policy that must change
    Map<String, Problem> out = new LinkedHashMap<>();
    for (Finding f : result.findings()) {
      Bucket src = byArn.get(f.subject());
      if (src == null || f.severity() != Severity.ERROR) {
        continue;
      }
      SourceRef at = ruleSource(src, f.message());
      if (!f.missing().isEmpty()) {
        MissingRequest m = f.missing().get(0);
        if (!m.action().startsWith("kms:") || incomplete.contains(m.principal()) || incomplete.contains(m.resource())) {
          continue;
        }
        String key = m.principal() + ' ' + m.action() + ' ' + m.resource() + ' ' + at.pointer();
        String message = ofBucket(named(f.message(), names), src, names);
        Problem prev = out.get(key);
        if (prev == null) {
          out.put(key, new Problem(KEY_REFUSED, Severity.ERROR, message, at));
        } else {
          out.put(key, new Problem(KEY_REFUSED, Severity.ERROR, prev.message() + "; " + reason(message), at));
        }
      } else if (!f.message().contains("SSE-C") && !f.message().contains(TemplatePolicies.STACK_REGION)) {
        // a Region compared with the stack's symbolic Region is not known to differ
        out.putIfAbsent(f.message(), new Problem(KMS_CONFIG, Severity.ERROR,
            ofBucket(named(f.message(), names), src, names), at));
      }
    }
    return new ArrayList<>(out.values());
  }

  /** "rule `r`: ..." as "replication rule `r` of bucket `Source`: ...". */
  private static String ofBucket(String message, Bucket src, Map<String, String> names) {
    int end = message.startsWith("rule `") ? message.indexOf('`', 6) : -1;
    if (end < 0) {
      return message;
    }
    return "replication " + message.substring(0, end + 1) + " of bucket `" + names.getOrDefault(src.name(), src.name())
        + "`" + message.substring(end + 1);
  }

  /** What follows the request in a refusal ("...`: the key policy of `K` does not allow it"). */
  private static String reason(String message) {
    int at = message.lastIndexOf("`: ");
    return at < 0 ? message : message.substring(at + 3);
  }

  /**
   * The ARNs of the roles and keys whose decisions the template cannot settle: a policy with a value unknown
   * until deployment, or a policy or boundary the template only refers to.
   */
  private static Set<String> incomplete(Template t, List<Problem> templateProblems) {
    Set<PolicyDocument> unsure = Collections.newSetFromMap(new IdentityHashMap<>());
    List<String> unsurePointers = new ArrayList<>();
    for (Template.PolicySite s : t.policies()) {
      if (!s.unknowns().isEmpty()) {
        if (s.sound() != null) {
          unsure.add(s.sound());
        }
        unsurePointers.add(s.source().pointer());
      }
    }
    for (Problem p : templateProblems) {
      if (p.code().equals("template.external-policy") || p.code().equals(SoundPolicy.CODE)) {
        unsurePointers.add(p.where().pointer());
      }
    }
    Set<String> out = new java.util.HashSet<>();
    for (Template.TemplatePrincipal p : t.principals()) {
      boolean u = p.arn() == null || p.policies().stream().anyMatch(unsure::contains)
          || p.policies().stream().anyMatch(TemplateReplication::namesRegion)
          || (p.boundary() != null && (unsure.contains(p.boundary()) || namesRegion(p.boundary())))
          || under(unsurePointers, p.source());
      if (u && p.arn() != null) {
        out.add(p.arn());
      }
    }
    for (Template.TemplateKey k : t.keys()) {
      boolean u = (k.policy() != null && (unsure.contains(k.policy()) || namesRegion(k.policy())))
          || under(unsurePointers, k.source());
      if (u && k.arn() != null) {
        out.add(k.arn());
      }
    }
    return out;
  }

  /**
   * A policy with a condition on the Region S3 calls from ({@code kms:ViaService}, {@code aws:RequestedRegion})
   * that does not name the stack's own Region: the linter does not know where the stack is deployed, so the
   * request it asks (from the symbolic Region) cannot settle it.
   */
  private static boolean namesRegion(PolicyDocument d) {
    for (dev.keyward.model.Statement s : d.statements()) {
      for (dev.keyward.model.Condition c : s.conditions()) {
        String k = c.key().toLowerCase(java.util.Locale.ROOT);
        if ((k.equals("kms:viaservice") || k.equals("aws:requestedregion"))
            && c.values().stream().anyMatch(v -> !v.text().contains(TemplatePolicies.STACK_REGION))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean under(List<String> pointers, SourceRef resource) {
    String root = resource.pointer();
    if (root.isEmpty()) {
      return false;
    }
    for (String p : pointers) {
      if (p.equals(root) || p.startsWith(root + "/")) {
        return true;
      }
    }
    return false;
  }

  /** The ARNs and names of the template's roles, keys and buckets, to their logical ids or addresses. */
  private static Map<String, String> names(Template t) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Template.TemplatePrincipal p : t.principals()) {
      if (p.arn() != null) {
        out.put(p.arn(), p.id());
      }
    }
    for (Template.TemplateKey k : t.keys()) {
      if (k.arn() != null) {
        out.put(k.arn(), k.id());
      }
    }
    for (Bucket b : t.buckets()) {
      String id = logicalId(b.source());
      if (id != null) {
        out.put(b.arn(), id);
        out.put(b.name(), id);
      }
    }
    return out;
  }

  private static String logicalId(SourceRef s) {
    String p = s.pointer();
    if (p.startsWith("/Resources/")) {
      String rest = p.substring("/Resources/".length());
      int slash = rest.indexOf('/');
      return (slash < 0 ? rest : rest.substring(0, slash)).replace("~1", "/").replace("~0", "~");
    }
    return null;
  }

  /** The message with each quoted ARN or name of the template's own resources written as its logical id. */
  private static String named(String message, Map<String, String> names) {
    String out = message;
    for (Map.Entry<String, String> e : names.entrySet()) {
      out = out.replace("`" + e.getKey() + "`", "`" + e.getValue() + "`");
    }
    return out;
  }

  /** The replication rule a finding of the check names ("rule `ID`..."), else the configuration. */
  private static SourceRef ruleSource(Bucket src, String message) {
    for (Bucket.ReplicationRule r : src.replication().rules()) {
      String id = r.id().isEmpty() ? "(no id)" : r.id();
      if (message.startsWith("rule `" + id + "`") && r.source() != null) {
        return r.source();
      }
    }
    return src.replication().source();
  }
}
