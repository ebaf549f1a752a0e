package dev.keyward.analysis;

import dev.keyward.model.Severity;
import dev.keyward.world.KeyMetadata;
import dev.keyward.world.KeySpecs;
import dev.keyward.world.KmsKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rotation}: customer managed symmetric keys without automatic rotation; rotation periods outside
 * 90 to 2560 days; automatic rotation asked of keys that cannot have it (asymmetric, HMAC, imported key
 * material, custom key stores). AWS managed keys rotate every year by themselves; multi-Region replicas
 * rotate with their primary and are not reported. Source: https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
 * and https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html.
 *
 * <p>This analysis reads key configuration, not policies, so it makes no requests; its fixes are the
 * EnableKeyRotation or DisableKeyRotation request to send.
 */
final class RotationAnalysis implements Analysis {

  static final String NAME = "rotation";
  static final int MIN_DAYS = 90;
  static final int MAX_DAYS = 2560;
  static final int DEFAULT_DAYS = 365;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Finding> run(CheckContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (KmsKey k : ctx.world().keys()) {
      KeyMetadata m = k.metadata();
      if (m.awsManaged() || "REPLICA".equals(m.multiRegionRole())) {
        continue;
      }
      String arn = k.arn().toString();
      String config = "rotation of key `" + arn + "`";
      boolean enabled = Boolean.TRUE.equals(m.rotationEnabled());
      String impossible = impossible(m);
      if (impossible != null) {
        if (enabled) {
          out.add(new Finding(NAME, Severity.ERROR, arn, "automatic rotation is asked of key `" + arn
              + "`, but " + impossible, List.of(), config, disable(arn)));
        }
        continue;
      }
      if (!enabled) {
        out.add(new Finding(NAME, Severity.WARNING, arn, "customer managed symmetric key `" + arn
            + "` does not rotate its key material automatically", List.of(), config,
            enable(arn, m.rotationPeriodDays() != null && inRange(m.rotationPeriodDays())
                ? m.rotationPeriodDays() : DEFAULT_DAYS)));
      } else if (m.rotationPeriodDays() != null && !inRange(m.rotationPeriodDays())) {
        int fixed = Math.max(MIN_DAYS, Math.min(MAX_DAYS, m.rotationPeriodDays()));
        out.add(new Finding(NAME, Severity.ERROR, arn, "rotation period of " + m.rotationPeriodDays()
            + " days for key `" + arn + "` is outside the " + MIN_DAYS + " to " + MAX_DAYS + " days KMS accepts",
            List.of(), config, enable(arn, fixed)));
      }
    }
    return out;
  }

  private static boolean inRange(int days) {
    return days >= MIN_DAYS && days <= MAX_DAYS;
  }

  /** Why automatic rotation is impossible for this key, or null when it is possible. */
  static String impossible(KeyMetadata m) {
    if (!KeySpecs.isSymmetric(m.spec())) {
      return m.spec() != null && m.spec().startsWith("HMAC_")
          ? "HMAC keys cannot rotate automatically (create a new key and move the alias)"
          : "asymmetric keys (`" + m.spec() + "`) cannot rotate automatically (create a new key and move the alias)";
    }
    if ("EXTERNAL".equals(m.origin())) {
      return "keys with imported key material cannot rotate automatically (import new key material with"
          + " on-demand rotation, or create a new key and move the alias)";
    }
    if ("AWS_CLOUDHSM".equals(m.origin()) || "EXTERNAL_KEY_STORE".equals(m.origin())) {
      return "keys in a custom key store (`" + m.origin() + "`) cannot rotate automatically";
    }
    return null;
  }

  private static String disable(String arn) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Operation", "DisableKeyRotation");
    req.put("KeyId", arn);
    return JsonText.of(req);
  }

  private static String enable(String arn, int days) {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("Operation", "EnableKeyRotation");
    req.put("KeyId", arn);
    req.put("RotationPeriodInDays", days);
    return JsonText.of(req);
  }
}
