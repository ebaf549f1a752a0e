package dev.keyward.iam;

import dev.keyward.model.Arn;
import java.util.Optional;

/**
 * A resource type's ARN format, compiled for matching concrete ARNs (which may hold IAM wildcards).
 *
 * <p>The partition, region and account placeholders match any text without a colon, also none. In the
 * resource part a placeholder matches one segment: one or more characters other than {@code /} and
 * {@code :}. That keeps {@code ${BucketName}} from swallowing {@code bucket/key}. Names that hold slashes
 * (object keys, role paths) are matched by a second, lenient reading: when the format ends with a
 * placeholder that follows a {@code /} or {@code :}, that last placeholder may match anything.
 */
final class ArnTemplate {

  /** How well an ARN matches: not at all, by the lenient reading, or by the strict one. */
  enum Fit { NONE, LENIENT, STRICT }

  private final ResourceTypeInfo type;
  private final String service; // null when the format's service field is itself a placeholder
  private final Template serviceField;
  private final Template partition;
  private final Template region;
  private final Template account;
  private final Template strict;
  private final Template lenient; // null when the format does not end with a separated placeholder

  private ArnTemplate(ResourceTypeInfo type, String service, Template serviceField, Template partition,
      Template region, Template account, Template strict, Template lenient) {
    this.type = type;
    this.service = service;
    this.serviceField = serviceField;
    this.partition = partition;
    this.region = region;
    this.account = account;
    this.strict = strict;
    this.lenient = lenient;
  }

  /** Compiles the type's format; empty when it is not an ARN with six parts. */
  static Optional<ArnTemplate> compile(ResourceTypeInfo type) {
    String[] p = type.arnTemplate().split(":", 6);
    if (p.length < 6 || !p[0].equals("arn")) {
      return Optional.empty();
    }
    String res = p[5];
    Template strict = Template.parse(res, Template.Slot.SEGMENT, null, false);
    Template lenient = null;
    if (res.endsWith("}") || res.endsWith(">")) {
      int open = Math.max(res.lastIndexOf("${"), res.lastIndexOf('<'));
      if (open > 0 && (res.charAt(open - 1) == '/' || res.charAt(open - 1) == ':')) {
        lenient = Template.parse(res, Template.Slot.SEGMENT, Template.Slot.ANY, false);
      }
    }
    boolean serviceIsPlaceholder = Template.hasPlaceholder(p[2]);
    return Optional.of(new ArnTemplate(type,
        serviceIsPlaceholder ? null : p[2],
        field(p[2]), field(p[1]), field(p[3]), field(p[4]), strict, lenient));
  }

  private static Template field(String f) {
    // NOTE: a literal "*" in a format's field stands for any value of that field.
    return Template.parse(f.equals("*") ? "${Any}" : f, Template.Slot.FIELD, null, false);
  }

  ResourceTypeInfo type() {
    return type;
  }

  /** The service field of the format, or null when it is a placeholder. */
  String service() {
    return service;
  }

  int specificity() {
    return strict.literalLength();
  }

  Fit fit(Arn arn) {
    if (!serviceField.matches(arn.service()) || !partition.matches(arn.partition())
        || !region.matches(arn.region()) || !account.matches(arn.account())) {
      return Fit.NONE;
    }
    if (strict.matches(arn.resource())) {
      return Fit.STRICT;
    }
    return lenient != null && lenient.matches(arn.resource()) ? Fit.LENIENT : Fit.NONE;
  }
}
