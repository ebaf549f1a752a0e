package dev.keyward.template;

import dev.keyward.lint.PolicyContainer;
import dev.keyward.lint.Subject;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.parse.DocumentFormat;
import dev.keyward.parse.DocumentReader;
import dev.keyward.parse.ReadResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Lets {@code keyward lint} read CloudFormation templates and Terraform plans: every policy inside is
 * linted as written, at the template's own lines (for plans, under {@code PLAN#ADDRESS}), with symbols for the
 * stack's own account, Region and name; findings at values left unknown until deployment are dropped, since
 * those values are reported once per template as {@code template.unknown};
 * the template's own problems, the {@link TemplateChecks} findings and the KMS findings of the replication
 * check on the template's own buckets ({@link TemplateReplication}) form one more subject, which the rules
 * under {@code rules/template/} report. Found by the linter through {@link java.util.ServiceLoader}.
 */
public final class TemplatePolicies implements PolicyContainer {

  private static final byte[] AWS = "AWS::".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORMAT = "format_version".getBytes(StandardCharsets.US_ASCII);

  private final DocumentReader reader = DocumentReader.create();
  private final TemplateChecks checks = TemplateChecks.create();

  /** For ServiceLoader. */
  public TemplatePolicies() {}

  /**
   * The stack's own account, Region and name while linting. A template almost always names its own account
   * ({@code arn:aws:iam::${AWS::AccountId}:root} in every key policy), so the linter reasons with symbols
   * for these pseudo parameters instead of treating them as unknown: the root of the symbol's account is the
   * key's own account, another account is another account, and {@code !GetAtt Key.Arn} is a key ARN of that
   * account. Messages name the symbols as written ({@code ${AWS::AccountId}}). The partition is
   * {@code aws} (a Region outside China and GovCloud).
   */
  static final String STACK_ACCOUNT = "000000000001";
  static final String STACK_REGION = "zz-stack-1";
  static final String STACK_NAME = "keyward-stack-symbol";
  static final TemplateInputs LINT_INPUTS = new TemplateInputs(
      java.util.Map.of("AWS::StackName", STACK_NAME), STACK_ACCOUNT, STACK_REGION);

  @Override
  public Contents read(byte[] bytes, String file) {
    if (!mentionsMarker(bytes)) {
      return null;
    }
    ReadResult read = reader.read(bytes, file, DocumentFormat.forFileName(file));
    if (read.root() == null || TemplateLoader.detect(read.root()) == null) {
      return null;
    }
    TemplateResult r = TemplateLoader.create().read(read.root(), file, LINT_INPUTS);
    String ownAccount = r.template() != null && r.template().kind() == Template.Kind.TERRAFORM_PLAN
        ? "the plan's own account" : "the stack's own account";
    java.util.function.UnaryOperator<String> wording = m -> asWritten(m, ownAccount);
    List<Part> parts = new ArrayList<>();
    Set<Problem> inSites = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Template.PolicySite site : r.template().policies()) {
      if (site.written() == null) {
        continue;
      }
      List<Problem> own = new ArrayList<>();
      for (Problem p : site.problems()) {
        if (!p.code().startsWith("template.")) {
          own.add(p);
          inSites.add(p);
        }
      }
      PolicyType type = site.type() == PolicyType.UNKNOWN ? dev.keyward.lint.Linter.inferType(site.written())
          : site.type();
      String subjectFile = site.written().source().file().isEmpty() ? file : site.written().source().file();
      parts.add(new Part(new Subject(subjectFile, site.written(), type, own, STACK_ACCOUNT),
          ignored(site.unknowns().keySet()), wording));
    }
    List<Problem> rest = new ArrayList<>(read.problems());
    for (Problem p : r.problems()) {
      if (!inSites.contains(p)) {
        rest.add(p);
      }
    }
    rest.addAll(checks.check(r.template()));
    rest.addAll(TemplateReplication.check(r.template(), r.problems()));
    parts.add(new Part(new Subject(file, null, PolicyType.UNKNOWN, onceUnknown(rest)), Set.of(), wording));
    return new Contents(parts);
  }

  private static final java.util.regex.Pattern WRITTEN = java.util.regex.Pattern.compile(
      "\\$\\{AWS\\.([A-Za-z]+)\\}|\\$\\{(![^}]*)\\}|" + STACK_ACCOUNT + "|" + STACK_REGION + "|" + STACK_NAME);

  /**
   * A message as the user wrote the values: the symbols back as pseudo parameters, and the linted form of
   * unknowns ({@code ${AWS.StackId}}, {@code ${!ImportValue x}}) as in the template; "the key's account"
   * of the symbol becomes {@code own} (the stack's own account).
   */
  static String asWritten(String message, String own) {
    return asWritten(message.replace("the key's account " + STACK_ACCOUNT, own));
  }

  /** {@link #asWritten(String, String)} without naming the key's account. */
  static String asWritten(String message) {
    java.util.regex.Matcher m = WRITTEN.matcher(message);
    if (!m.find()) {
      return message;
    }
    StringBuilder b = new StringBuilder();
    do {
      String with;
      if (m.group(1) != null) {
        with = "${AWS::" + m.group(1) + "}";
      } else if (m.group(2) != null) {
        with = m.group(2);
      } else if (m.group().equals(STACK_ACCOUNT)) {
        with = "${AWS::AccountId}";
      } else if (m.group().equals(STACK_REGION)) {
        with = "${AWS::Region}";
      } else {
        with = "${AWS::StackName}";
      }
      m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(with));
    } while (m.find());
    m.appendTail(b);
    return b.toString();
  }

  /**
   * The values a template leaves unknown, reported once per template: one note at the first, naming up to
   * three of them and how many more. A value that only the deployment knows is not a defect of the
   * template; the linter checks everything else and says once what it could not check.
   */
  static List<Problem> onceUnknown(List<Problem> problems) {
    List<Problem> out = new ArrayList<>();
    Problem first = null;
    java.util.Set<String> what = new java.util.LinkedHashSet<>();
    for (Problem p : problems) {
      boolean conditional = p.code().equals("template.conditional-resource");
      if (p.code().equals("template.external-policy")) {
        // the linter checks the policies it reads; one it cannot read is information, not a defect
        out.add(new Problem(p.code(), dev.keyward.model.Severity.NOTE, p.message(), p.where()));
        continue;
      }
      if (!p.code().equals(SoundPolicy.CODE) && !conditional) {
        out.add(p);
        continue;
      }
      if (first == null || p.where().line() < first.where().line()) {
        first = p;
      }
      java.util.regex.Matcher m = QUOTED.matcher(p.message());
      // the value is the last quoted part before "unknown until deployment"
      String v = null;
      int until = p.message().indexOf("unknown until deployment");
      while (m.find() && (until < 0 || m.start() < until)) {
        v = m.group(1);
      }
      what.add(v == null ? p.message() : (conditional ? "condition `" : "`") + Policies.brief(v) + "`");
    }
    if (first != null) {
      List<String> names = new ArrayList<>(what);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < Math.min(3, names.size()); i++) {
        b.append(i == 0 ? "" : ", ").append(names.get(i));
      }
      if (names.size() > 3) {
        b.append(" and ").append(names.size() - 3).append(" more");
      }
      String count = names.size() == 1 ? "1 value is" : names.size() + " values are";
      out.add(new Problem(SoundPolicy.CODE, dev.keyward.model.Severity.NOTE, count
          + " unknown until deployment (" + b + "): only the checks that need " + (names.size() == 1 ? "it" : "them")
          + " skip " + (names.size() == 1 ? "it" : "them") + "; `can`, `who-can` and `check` take values with --parameter",
          first.where()));
    }
    return out;
  }

  private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("`([^`]+)`");

  private static final java.util.regex.Pattern ELEMENT = java.util.regex.Pattern.compile(
      "^(.*/Statement(?:/\\d+)?)/(Action|NotAction|Resource|NotResource|Principal|NotPrincipal|Condition)(?:/.*)?$");

  /**
   * Where findings are not trusted: at and below each unknown value, and in the elements that rules read
   * together with it: Principal and NotPrincipal go together, and an unknown in a condition hides the
   * findings on the whole Condition element and on the principals, which rules judge with the conditions. Every other element of the statement is still checked.
   */
  static Set<String> ignored(Set<String> unknowns) {
    Set<String> out = new java.util.LinkedHashSet<>(unknowns);
    for (String u : unknowns) {
      java.util.regex.Matcher m = ELEMENT.matcher(u);
      if (!m.matches()) {
        continue;
      }
      String statement = m.group(1);
      switch (m.group(2)) {
        case "Action":
        case "NotAction":
        case "Resource":
        case "NotResource":
          // NOTE: rules that judge actions against resources read an unknown resource as a variable (a
          // wildcard), so the other entries of the statement are still checked.
          break;
        case "Principal":
        case "NotPrincipal":
          out.add(statement + "/Principal");
          out.add(statement + "/NotPrincipal");
          break;
        default:
          // the rules that judge who may call (KW200, KW104, KW202) read the conditions with the principal
          out.add(statement + "/Condition");
          out.add(statement + "/Principal");
          out.add(statement + "/NotPrincipal");
      }
    }
    return out;
  }

  /**
   * One pass over the bytes for {@code AWS::} (every template that declares a resource has it) or
   * {@code format_version} (every plan): plain policies almost never hold either.
   */
  static boolean mentionsMarker(byte[] bytes) {
    int last = bytes.length - AWS.length;
    for (int i = 0; i <= last; i++) {
      byte b = bytes[i];
      if ((b == 'A' && startsAt(bytes, i, AWS)) || (b == 'f' && startsAt(bytes, i, FORMAT))) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsAt(byte[] hay, int at, byte[] needle) {
    if (at + needle.length > hay.length) {
      return false;
    }
    for (int j = 1; j < needle.length; j++) {
      if (hay[at + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }
}
