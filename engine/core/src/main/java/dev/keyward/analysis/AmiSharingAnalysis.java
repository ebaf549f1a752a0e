package dev.keyward.analysis;

import dev.keyward.request.Request;
import dev.keyward.model.Severity;
import dev.keyward.world.Image;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ami-sharing}: can each account the AMI is shared with (and each declared launcher) really launch
 * it? Encrypted AMIs cannot be public; snapshots under an AWS managed key (aws/ebs) cannot be shared; the
 * launcher's account needs a launch permission; and the launcher must be able to use the source key
 * through EC2 (kms:DescribeKey, kms:CreateGrant for an AWS resource, kms:Decrypt, kms:ReEncryptFrom,
 * kms:GenerateDataKeyWithoutPlaintext, each with kms:ViaService ec2.REGION.amazonaws.com) and its own
 * re-encryption key (kms:DescribeKey, kms:CreateGrant, kms:GenerateDataKeyWithoutPlaintext,
 * kms:ReEncryptTo, kms:Decrypt). Accounts shared with (by id, or as members of a shared organization) that
 * launch nothing the world declares are asked as their root, so that the key policy alone decides. Every
 * KMS request is decided by the authorizer.
 */
final class AmiSharingAnalysis implements Analysis {

  static final String NAME = "ami-sharing";
  static final List<String> SOURCE_ACTIONS = List.of("kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt",
      "kms:ReEncryptFrom", "kms:GenerateDataKeyWithoutPlaintext");
  static final List<String> TARGET_ACTIONS = List.of("kms:DescribeKey", "kms:CreateGrant",
      "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo", "kms:Decrypt");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Finding> run(CheckContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Image image : ctx.world().images()) {
      check(ctx, image, out);
    }
    return out;
  }

  private void check(CheckContext ctx, Image image, List<Finding> out) {
    Image.LaunchPermissions lp = image.launchPermissions();
    String subject = image.id();
    String perms = "launch permissions of `" + image.id() + "`";
    boolean shared = lp.isPublic() || !lp.accounts().isEmpty() || !lp.organizations().isEmpty()
        || !lp.organizationalUnits().isEmpty();
    if (BucketFacts.encrypted(image) && lp.isPublic()) {
      out.add(new Finding(NAME, Severity.ERROR, subject, "`" + image.id() + "` has encrypted snapshots and cannot"
          + " be public; share it with accounts, organizations or OUs", List.of(), perms,
          JsonText.of(Map.of("LaunchPermission", Map.of("Remove", new Object[] {Map.of("Group", "all")})))));
    }
    for (Image.Snapshot s : image.snapshots()) {
      KmsKey key = s.key() == null ? null : ctx.index().resolveKey(s.key(), null).orElse(null);
      if (key != null && key.metadata().awsManaged() && shared) {
        KmsKey cmk = S3ReplicationAnalysis.customerKey(ctx, image.account(), image.region());
        Map<String, Object> copy = new LinkedHashMap<>();
        copy.put("Operation", "CopyImage");
        copy.put("SourceImageId", image.id());
        copy.put("SourceRegion", image.region());
        copy.put("Encrypted", true);
        copy.put("KmsKeyId", cmk != null ? cmk.arn().toString()
            : "arn:aws:kms:" + image.region() + ":" + image.account() + ":key/<a customer managed key>");
        out.add(new Finding(NAME, Severity.ERROR, subject, "snapshot `" + s.id() + "` of `" + image.id()
            + "` is encrypted with the AWS managed key `" + key.arn() + "` (aws/ebs), which cannot be shared;"
            + " copy the AMI with a customer managed key and share the copy", List.of(),
            "snapshot `" + s.id() + "`", JsonText.of(copy)));
      }
    }
    Set<String> launchers = new LinkedHashSet<>();
    for (Image.Launch launch : image.launches()) {
      launchers.add(Repairs.accountOf(launch.principal()));
    }
    // accounts shared with by id, or as members (in the world) of a shared organization
    Set<String> targets = new LinkedHashSet<>(lp.accounts());
    for (Organization o : ctx.world().organizations()) {
      for (String arn : lp.organizations()) {
        if (arn.endsWith("/" + o.id())) {
          targets.addAll(o.accounts());
        }
      }
    }
    for (String target : targets) {
      if (target.equals(image.account()) || launchers.contains(target)) {
        continue;
      }
      String root = "arn:aws:iam::" + target + ":root";
      for (KmsKey key : customerKeys(ctx, image)) {
        for (String action : SOURCE_ACTIONS) {
          out.addAll(request(ctx, subject, "sharing `" + image.id() + "` with account " + target, root, action, key,
              "source key", image.region()));
        }
      }
    }
    for (Image.Launch launch : image.launches()) {
      String target = Repairs.accountOf(launch.principal());
      if (target.equals(image.account())) {
        continue;
      }
      String via = "launch of `" + image.id() + "` by `" + launch.principal() + "`";
      if (launch.principal().contains(":role/") || launch.principal().contains(":user/")) {
        if (ctx.index().principal(launch.principal()).isEmpty()) {
          out.add(new Finding(NAME, Severity.WARNING, subject, via + ": the launching principal is not in the world,"
              + " so its permissions cannot be checked; declare it under `principals`", List.of(), null, null));
          continue;
        }
      }
      if (!permitted(ctx, lp, target)) {
        if (lp.organizationalUnits().isEmpty()) {
          out.add(new Finding(NAME, Severity.ERROR, subject, "account " + target + " has no launch permission for `"
              + image.id() + "`", List.of(new MissingRequest(launch.principal(), "ec2:RunInstances",
                  "arn:aws:ec2:" + image.region() + "::image/" + image.id(), Map.of())), perms,
              JsonText.of(Map.of("LaunchPermission", Map.of("Add", new Object[] {Map.of("UserId", target)})))));
        } else {
          out.add(new Finding(NAME, Severity.NOTE, subject, "account " + target + " may launch `" + image.id()
              + "` only through an OU in its launch permissions; the world does not say which OU the account is"
              + " in", List.of(), null, null));
        }
      }
      Set<KmsKey> sourceKeys = customerKeys(ctx, image);
      for (KmsKey key : sourceKeys) {
        for (String action : SOURCE_ACTIONS) {
          out.addAll(request(ctx, subject, via, launch.principal(), action, key, "source key", image.region()));
        }
      }
      if (!sourceKeys.isEmpty()) {
        if (launch.key() == null) {
          out.add(new Finding(NAME, Severity.NOTE, subject, via + ": the world does not say which key re-encrypts"
              + " the volumes (the account's default EBS key or the key RunInstances names), so it is not checked",
              List.of(), null, null));
        } else {
          KmsKey own = ctx.index().resolveKey(launch.key(), null).orElse(null);
          if (own != null) {
            if (!own.region().equals(image.region())) {
              out.add(new Finding(NAME, Severity.ERROR, subject, via + ": re-encryption key `" + own.arn()
                  + "` is in Region `" + own.region() + "`, not in the AMI's Region `" + image.region() + "`",
                  List.of(), null, null));
            }
            for (String action : TARGET_ACTIONS) {
              out.addAll(request(ctx, subject, via, launch.principal(), action, own, "re-encryption key",
                  image.region()));
            }
          }
        }
      }
    }
  }

  /** The customer managed keys of the image's snapshots, in snapshot order. */
  private static Set<KmsKey> customerKeys(CheckContext ctx, Image image) {
    Set<KmsKey> keys = new LinkedHashSet<>();
    for (Image.Snapshot s : image.snapshots()) {
      KmsKey key = s.key() == null ? null : ctx.index().resolveKey(s.key(), null).orElse(null);
      if (key != null && !key.metadata().awsManaged()) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** Whether the launch permissions cover the account: by account id or by its organization. */
  private static boolean permitted(CheckContext ctx, Image.LaunchPermissions lp, String account) {
    if (lp.isPublic() || lp.accounts().contains(account)) {
      return true;
    }
    Organization org = ctx.index().organizationOf(account).orElse(null);
    if (org != null) {
      for (String arn : lp.organizations()) {
        if (arn.endsWith("/" + org.id())) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Finding> request(CheckContext ctx, String subject, String via, String principal, String action,
      KmsKey key, String which, String region) {
    String service = "ec2." + region + ".amazonaws.com";
    Map<String, List<String>> context = new LinkedHashMap<>();
    context.put("kms:ViaService", List.of(service));
    Statements.Conditions cond = new Statements.Conditions().add("StringEquals", "kms:ViaService", service);
    if (action.equals("kms:CreateGrant")) {
      context.put("kms:GrantIsForAWSResource", List.of("true"));
      cond.add("Bool", "kms:GrantIsForAWSResource", "true");
    }
    Request req = new Request("", principal, action, key.arn().toString(), context);
    return Repairs.kms(ctx, NAME, Severity.ERROR, subject, via + ": `" + action + "` on the " + which + " `"
        + key.arn() + "` is refused", req, cond.build());
  }
}
