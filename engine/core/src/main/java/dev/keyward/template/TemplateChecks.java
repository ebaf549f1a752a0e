package dev.keyward.template;

import dev.keyward.model.Problem;
import dev.keyward.model.Severity;
import dev.keyward.model.SourceRef;
import dev.keyward.world.KeyMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Key configuration rules for what templates and plans declare. Each finding is a
 * {@link Problem} with a stable code, located at the property that causes it (or at the key's logical id
 * or resource address when the property is missing). Sources, all from the AWS KMS Developer Guide:
 * <ul>
 *   <li>{@code key.rotation-off} (warning): a customer managed symmetric encryption key without automatic
 *       rotation (rotating-keys.html: "automatic key rotation is disabled by default on customer managed
 *       keys"; recommended by AWS Security Hub KMS.4);
 *   <li>{@code key.deletion-window-short} (warning): {@code PendingWindowInDays} /
 *       {@code deletion_window_in_days} below the team's minimum (deleting-keys.html: 7 to 30 days, 30 by
 *       default);
 *   <li>{@code key.no-explicit-policy} (note): no key policy declared, so AWS attaches the default key policy
 *       (key-policy-default.html), which lets IAM policies of the account grant every use of the key;
 *   <li>{@code key.multi-region-without-replicas} (note): a multi-Region primary key with no replica
 *       declared in the same template or plan (multi-region-keys-overview.html);
 *   <li>{@code key.rotation-impossible} (error): rotation asked of a key with imported material
 *       (Origin EXTERNAL) or of an asymmetric or HMAC key: "automatic key rotation is not supported" for
 *       them (rotating-keys.html), and CloudFormation fails the stack.
 * </ul>
 */
public final class TemplateChecks {

  /** AWS's own default waiting period, used as the minimum when the team does not set one. */
  public static final int DEFAULT_MIN_DELETION_WINDOW = 30;

  private final int minDeletionWindow;

  private TemplateChecks(int minDeletionWindow) {
    this.minDeletionWindow = minDeletionWindow;
  }

  /** Checks with the default minimum deletion window (30 days). */
  public static TemplateChecks create() {
    return new TemplateChecks(DEFAULT_MIN_DELETION_WINDOW);
  }

  /** Checks with the team's minimum deletion window, 7 to 30 days. */
  public static TemplateChecks withMinDeletionWindow(int days) {
    if (days < 7 || days > 30) {
      throw new IllegalArgumentException("a deletion window is 7 to 30 days, not " + days);
    }
    return new TemplateChecks(days);
  }

  /** Every finding for the keys of one template, in the order of the keys. */
  public List<Problem> check(Template t) {
    List<Problem> out = new ArrayList<>();
    for (Template.TemplateKey k : t.keys()) {
      KeyMetadata m = k.metadata();
      String name = "`" + k.id() + "`";
      boolean symmetric = "SYMMETRIC_DEFAULT".equals(m.spec()) && "ENCRYPT_DECRYPT".equals(m.usage());
      boolean external = "EXTERNAL".equals(m.origin());
      boolean rotationAsked = Boolean.TRUE.equals(m.rotationEnabled());
      if (rotationAsked && (external || !symmetric)) {
        out.add(new Problem("key.rotation-impossible", Severity.ERROR, "key " + name + " asks for automatic rotation, "
            + "which KMS does not support for " + (external ? "imported key material (rotate it by importing new "
            + "material into a new key and moving the alias)" : "asymmetric and HMAC keys (" + m.spec() + ")"),
            at(k, "EnableKeyRotation")));
      }
      if (!k.replica() && symmetric && !external && Boolean.FALSE.equals(m.rotationEnabled())) {
        out.add(new Problem("key.rotation-off", Severity.WARNING, "customer managed symmetric key " + name + " does not "
            + "rotate its key material; set EnableKeyRotation (enable_key_rotation) to true", at(k, "EnableKeyRotation")));
      }
      if (k.pendingWindowDays() != null && k.pendingWindowDays() < minDeletionWindow) {
        out.add(new Problem("key.deletion-window-short", Severity.WARNING, "key " + name + " can be deleted "
            + k.pendingWindowDays() + " days after deletion is scheduled, less than the " + minDeletionWindow
            + " days allowed", at(k, "PendingWindowInDays")));
      }
      if (!k.policyDeclared() && !k.replica()) {
        out.add(new Problem("key.no-explicit-policy", Severity.NOTE, "key " + name + " declares no key policy, so AWS "
            + "attaches the default one: every IAM policy of the account that allows kms actions can use the key",
            k.source()));
      }
      if ("PRIMARY".equals(m.multiRegionRole()) && !hasReplica(t, k)) {
        out.add(new Problem("key.multi-region-without-replicas", Severity.NOTE, "multi-Region key " + name + " has no "
            + "replica key declared beside it; declare the replicas its workloads need (AWS::KMS::ReplicaKey, "
            + "aws_kms_replica_key)", at(k, "MultiRegion")));
      }
    }
    return out;
  }

  /** A replica declared beside the key whose primary is this key (or unknown, which might be it). */
  private static boolean hasReplica(Template t, Template.TemplateKey primary) {
    for (Template.TemplateKey k : t.keys()) {
      String p = k.metadata().primaryArn();
      if (k.replica() && (p == null || p.equals(primary.arn()) || p.equals(primary.id()))) {
        return true;
      }
    }
    return false;
  }

  private static SourceRef at(Template.TemplateKey k, String property) {
    SourceRef s = k.declaredAt().get(property);
    return s != null ? s : k.source();
  }
}
