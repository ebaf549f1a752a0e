package dev.keyward.lint;

import dev.keyward.iam.IamReference;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Lints policy documents with a set of rules. Parses each document, decides its policy type (given, or
 * inferred: see {@link #inferType}), runs every rule that applies to that type, and returns the findings
 * sorted by pointer, rule and message. Thread-safe and reusable.
 */
public final class Linter {

  /** The catch-all rule for parser problems that no other rule claims. */
  public static final String UNCLAIMED_RULE = "KW000";

  private final List<Rule> rules;
  private final Set<String> claimedCodes;
  private final PolicyParser parser;
  private final Evaluator evaluator;
  /** Templates and plans (found once through ServiceLoader; immutable afterwards). */
  private final List<PolicyContainer> containers;

  private Linter(List<Rule> rules, PolicyParser parser, Functions functions) {
    this.rules = List.copyOf(rules);
    Set<String> claimed = new HashSet<>();
    for (Rule r : rules) {
      claimed.addAll(r.problemCodes());
    }
    this.claimedCodes = Set.copyOf(claimed);
    this.parser = parser;
    this.evaluator = new Evaluator(functions);
    List<PolicyContainer> cs = new ArrayList<>();
    java.util.ServiceLoader.load(PolicyContainer.class, Linter.class.getClassLoader()).forEach(cs::add);
    this.containers = List.copyOf(cs);
  }

  /** A linter with the bundled IAM reference data. */
  public static Linter create(List<Rule> rules) {
    return create(rules, IamReference.bundled());
  }

  public static Linter create(List<Rule> rules, IamReference iam) {
    return new Linter(rules, PolicyParser.create(), new Functions(iam));
  }

  public List<Rule> rules() {
    return rules;
  }

  /**
   * The findings of one file, and rule failures (a check that broke on this input: a bug in the rule,
   * never silently dropped).
   */
  public record FileResult(String file, PolicyType type, List<Finding> findings, List<String> ruleFailures,
      List<String> coveredFiles) {

    public FileResult(String file, PolicyType type, List<Finding> findings, List<String> ruleFailures) {
      this(file, type, findings, ruleFailures, List.of());
    }

    public FileResult {
      findings = List.copyOf(findings);
      ruleFailures = List.copyOf(ruleFailures);
      coveredFiles = List.copyOf(coveredFiles);
    }
  }

  /**
   * Lints one document. {@code requested} is the type from the command line or the world;
   * {@link PolicyType#UNKNOWN} to infer it from the document.
   */
  public FileResult lint(byte[] bytes, String file, PolicyType requested) {
    Objects.requireNonNull(requested, "requested");
    for (PolicyContainer c : containers) {
      PolicyContainer.Contents contents = c.read(bytes, file);
      if (contents != null) {
        return lint(file, contents);
      }
    }
    ParseResult parsed = parser.parse(bytes, file, requested);
    PolicyType type = requested;
    if (requested == PolicyType.UNKNOWN && parsed.policy() != null) {
      type = inferType(parsed.policy());
      if (type != parsed.policy().type()) {
        parsed = parser.parse(bytes, file, type);
      }
    }
    return lint(new Subject(file, parsed.policy(), type, parsed.problems()));
  }

  /**
   * Lints every policy of a container (a template, plan or world file) already read, dropping findings at
   * values the document leaves unknown.
   */
  public FileResult lint(String file, PolicyContainer.Contents contents) {
    List<Finding> findings = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (PolicyContainer.Part part : contents.parts()) {
      FileResult r = lint(part.subject());
      failures.addAll(r.ruleFailures());
      for (Finding f : r.findings()) {
        boolean ignored = false;
        for (String u : part.ignoredPointers()) {
          if (f.pointer().equals(u) || f.pointer().startsWith(u + "/")) {
            ignored = true;
            break;
          }
        }
        if (!ignored) {
          findings.add(reworded(f, part.wording()));
        }
      }
    }
    findings.sort(ORDER);
    return new FileResult(file, PolicyType.UNKNOWN, dedupe(findings), failures, contents.coveredFiles());
  }

  private static Finding reworded(Finding f, java.util.function.UnaryOperator<String> wording) {
    String message = wording.apply(f.message());
    if (message.equals(f.message())) {
      return f;
    }
    String stableKey = f.statement() != null ? f.statement() : f.pointer();
    return new Finding(f.ruleId(), f.severity(), message, f.file(), f.pointer(), f.line(), f.column(),
        f.statement(), fingerprint(f.ruleId(), f.file(), stableKey, message));
  }

  /** Lints a parsed policy. */
  public FileResult lint(Subject subject) {
    java.util.function.Function<String, String> labels =
        subject.policy() == null ? null : statementLabels(subject.policy());
    List<Finding> findings = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean unreadable = subject.policy() == null;
    for (Rule rule : rules) {
      boolean problemRule = !rule.problemCodes().isEmpty() || rule.javaCheck() != null;
      if (unreadable ? !problemRule : !rule.appliesTo(subject.type())) {
        continue;
      }
      List<Evaluator.Hit> hits;
      try {
        hits = rule.check() != null ? evaluator.run(rule.check(), subject)
            : JavaChecks.run(rule.javaCheck(), subject, claimedCodes);
      } catch (CheckError e) {
        failures.add("rule " + rule.id() + " (" + rule.origin() + ") failed on `" + subject.file() + "` at "
            + e.pos + " of its check: " + e.getMessage());
        continue;
      }
      for (Evaluator.Hit h : hits) {
        findings.add(finding(rule, subject, h, labels));
      }
    }
    findings.sort(ORDER);
    return new FileResult(subject.file(), subject.type(), dedupe(findings), failures);
  }

  /** Findings in a stable order: position, then rule, then message. */
  public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::file)
      .thenComparingInt(Finding::line).thenComparingInt(Finding::column).thenComparing(Finding::pointer)
      .thenComparing(Finding::ruleId).thenComparing(Finding::message);

  private static List<Finding> dedupe(List<Finding> sorted) {
    List<Finding> out = new ArrayList<>(sorted.size());
    Finding prev = null;
    for (Finding f : sorted) {
      if (prev == null || !(prev.ruleId().equals(f.ruleId()) && prev.pointer().equals(f.pointer())
          && prev.message().equals(f.message()))) {
        out.add(f);
      }
      prev = f;
    }
    return out;
  }

  private Finding finding(Rule rule, Subject subject, Evaluator.Hit hit,
      java.util.function.Function<String, String> labels) {
    SourceRef where = Fields.locate(hit.target());
    if (where == null && subject.policy() != null) {
      where = subject.policy().source();
    }
    if (where == null) {
      where = new SourceRef(subject.file(), "", 1, 1);
    }
    String statement = labels == null ? null : labels.apply(where.pointer());
    String stableKey = statement != null ? statement : where.pointer();
    Severity severity = rule.severity();
    if (hit.target() instanceof Problem && ((Problem) hit.target()).severity().ordinal() > severity.ordinal()) {
      // A parser problem keeps its own severity when it is less serious than the rule's.
      severity = ((Problem) hit.target()).severity();
    }
    return new Finding(rule.id(), severity, hit.message(), subject.file(), where.pointer(), where.line(),
        where.column(), statement, fingerprint(rule.id(), subject.file(), stableKey, hit.message()));
  }

  /** The label (Sid or {@code #index}) of the statement that holds {@code pointer}, or null. */
  static String statementOf(PolicyDocument policy, String pointer) {
    return policy == null ? null : statementLabels(policy).apply(pointer);
  }

  /**
   * A lookup from a JSON Pointer to the label of the statement holding it: the pointer and then each of
   * its parents against a map of statement pointers, so a policy of many statements with many findings
   * stays linear (a scan of every statement per finding was quadratic).
   */
  static java.util.function.Function<String, String> statementLabels(PolicyDocument policy) {
    java.util.Map<String, String> byPointer = new java.util.HashMap<>();
    for (Statement s : policy.statements()) {
      byPointer.putIfAbsent(s.source().pointer(), s.label());
    }
    return pointer -> {
      String p = pointer;
      while (true) {
        String label = byPointer.get(p);
        if (label != null) {
          return label;
        }
        int slash = p.lastIndexOf('/');
        if (slash < 0) {
          return null;
        }
        p = p.substring(0, slash);
      }
    };
  }

  static String fingerprint(String ruleId, String file, String statement, String message) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      String key = ruleId + '\0' + file.replace('\\', '/') + '\0' + statement + '\0' + message;
      byte[] d = md.digest(key.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        b.append(String.format("%02x", d[i]));
      }
      return b.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The policy type of a document read without a given type (the parser has already told resource-based
   * from identity-based by the presence of Principal):
   * <ul>
   *   <li>no Principal anywhere: an identity policy (an SCP or RCP must be named with {@code --type});
   *   <li>Principal, some action in the {@code kms} service, and every Resource {@code "*"} or every action
   *       in {@code kms}: a key policy, unless every statement names every principal ({@code "*"}) and none
   *       allows {@code kms:PutKeyPolicy}: that is the shape of a VPC endpoint policy for KMS (a key policy
   *       that nobody could manage would be locked out), read as a resource policy;
   *   <li>Principal, only {@code sts} actions and no Resource: a role trust policy;
   *   <li>otherwise a resource policy.
   * </ul>
   */
  public static PolicyType inferType(PolicyDocument policy) {
    boolean principal = false;
    boolean kms = false;
    boolean allResourcesStar = true;
    boolean onlySts = true;
    boolean onlyKms = true;
    boolean anyResource = false;
    boolean anyAction = false;
    boolean onlyAnyone = true;
    boolean managed = false;
    for (Statement s : policy.statements()) {
      if (s.principal() != null) {
        principal = true;
        if (s.principal().negated() || !s.principal().anyone()) {
          onlyAnyone = false;
        }
      }
      if (s.action() != null && s.effect() == Effect.ALLOW) {
        for (Located a : s.action().patterns()) {
          String pattern = a.value().toLowerCase(Locale.ROOT).replace("?", ".").replace("*", ".*");
          if (!s.action().negated() && "kms:putkeypolicy".matches(pattern)) {
            managed = true;
          }
        }
      }
      if (s.action() != null) {
        for (Located a : s.action().patterns()) {
          anyAction = true;
          String lower = a.value().toLowerCase(Locale.ROOT);
          if (lower.startsWith("kms:")) {
            kms = true;
          } else {
            onlyKms = false;
          }
          if (!lower.startsWith("sts:")) {
            onlySts = false;
          }
        }
      }
      if (s.resource() != null) {
        anyResource = true;
        if (s.resource().negated()) {
          allResourcesStar = false;
        }
        for (Located r : s.resource().patterns()) {
          if (!r.value().equals("*")) {
            allResourcesStar = false;
          }
        }
      }
    }
    if (!principal) {
      return policy.type() == PolicyType.UNKNOWN ? PolicyType.IDENTITY : policy.type();
    }
    if (kms && (allResourcesStar || onlyKms) && !(onlyAnyone && !managed)) {
      return PolicyType.KEY_POLICY;
    }
    if (anyAction && onlySts && !anyResource) {
      return PolicyType.TRUST;
    }
    return PolicyType.RESOURCE;
  }
}
