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
 * linted as written, at the template's own lines (for plans, under {@code PLAN#ADDRESS}); findings at values
 * left unknown until deployment are dropped, since those values are reported once as {@code template.unknown};
 * the template's own problems and the {@link TemplateChecks} findings form one more subject, which the
 * rules under {@code rules/template/} report. Found by the linter through {@link java.util.ServiceLoader}.
 */
public final class TemplatePolicies implements PolicyContainer {

  private static final byte[] AWS = "AWS::".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORMAT = "format_version".getBytes(StandardCharsets.US_ASCII);

  private final DocumentReader reader = DocumentReader.create();
  private final TemplateChecks checks = TemplateChecks.create();

  /** For ServiceLoader. */
  public TemplatePolicies() {}

  @Override
  public Contents read(byte[] bytes, String file) {
    if (!mentionsMarker(bytes)) {
      return null;
    }
    ReadResult read = reader.read(bytes, file, DocumentFormat.forFileName(file));
    if (read.root() == null || TemplateLoader.detect(read.root()) == null) {
      return null;
    }
    TemplateResult r = TemplateLoader.create().read(read.root(), file, TemplateInputs.none());
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
      parts.add(new Part(new Subject(subjectFile, site.written(), type, own), ignored(site.unknowns().keySet())));
    }
    List<Problem> rest = new ArrayList<>(read.problems());
    for (Problem p : r.problems()) {
      if (!inSites.contains(p)) {
        rest.add(p);
      }
    }
    rest.addAll(checks.check(r.template()));
    parts.add(new Part(new Subject(file, null, PolicyType.UNKNOWN, rest), Set.of()));
    return new Contents(parts);
  }

  private static final java.util.regex.Pattern ELEMENT = java.util.regex.Pattern.compile(
      "^(.*/Statement(?:/\\d+)?)/(Action|NotAction|Resource|NotResource|Principal|NotPrincipal|Condition)(?:/.*)?$");

  /**
   * Where findings are not trusted: at and below each unknown value, and in the elements that rules read
   * together with it. Action and Resource are judged together (an action's resource types against the
   * resources), so an unknown in either hides findings in both; Principal and NotPrincipal go together.
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
          for (String e : List.of("Action", "NotAction", "Resource", "NotResource")) {
            out.add(statement + "/" + e);
          }
          break;
        case "Principal":
        case "NotPrincipal":
          out.add(statement + "/Principal");
          out.add(statement + "/NotPrincipal");
          break;
        default:
          out.add(statement + "/Condition");
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
