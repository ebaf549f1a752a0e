package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.IamNames;
import dev.keyward.model.SourceRef;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole-world checks that run after decoding: cross-references between organizations and accounts,
 * buckets, images and keys, and duplicates of accounts, principals, keys, images and identities.
 */
final class WorldChecks extends WorldReading {

  WorldChecks(WorldReading from) {
    super(from);
  }

  void checkOrganizations(List<Organization> orgs, List<Account> accounts) {
    for (Account a : accounts) {
      for (Organization o : orgs) {
        if (a.id().equals(o.managementAccount()) && !a.scps().isEmpty()) {
          // Source: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
          // ("SCPs don't affect users or roles in the management account").
          warning("world.scp-on-management-account", "account `" + a.id() + "` is the management account of `"
              + o.id() + "`; SCPs never restrict it, so these SCPs have no effect", a.source());
        }
      }
    }
    Map<String, Organization> member = new HashMap<>();
    for (Organization o : orgs) {
      for (String a : o.accounts()) {
        Organization other = member.putIfAbsent(a, o);
        if (other != null && other != o) {
          error("world.account-in-two-orgs", "account `" + a + "` is in organization `" + other.id()
              + "` and in `" + o.id() + "`; an account belongs to one organization", o.source());
        }
      }
    }
  }

  void checkBuckets(List<Bucket> buckets, List<KmsKey> keys) {
    Map<String, SourceRef> seen = new HashMap<>();
    Set<String> keyArns = new java.util.HashSet<>();
    for (KmsKey k : keys) {
      keyArns.add(k.arn().toString());
    }
    for (Bucket b : buckets) {
      SourceRef first = seen.putIfAbsent(b.name(), b.source());
      if (first != null) {
        error("world.duplicate-bucket", "bucket `" + b.name() + "` is declared twice; first at line "
            + first.line() + " (bucket names are global)", b.source());
      }
      Bucket.Encryption e = b.encryption();
      if (e != null && e.key() != null && e.key().contains(":key/") && !keyArns.contains(e.key())) {
        warning("world.unknown-key", "key `" + e.key() + "` is not in the world, so nothing can be said"
            + " about its policy", e.source());
      }
    }
    for (Bucket b : buckets) {
      if (b.replication() == null) {
        continue;
      }
      for (Bucket.ReplicationRule r : b.replication().rules()) {
        if (!seen.containsKey(r.destinationBucket())) {
          warning("world.unknown-bucket", "destination bucket `" + r.destinationBucket() + "` is not in the"
              + " world", r.source());
        }
      }
    }
  }

  /**
   * References that {@code keyward check} follows: key ARNs and alias ARNs of replica keys, snapshots
   * and launches (a warning with the closest key of the world: nothing can be said about an unknown
   * key), a replication role outside the source bucket's account and a destination account that is not
   * the destination bucket's (errors: S3 refuses both).
   */
  void checkReferences(List<Bucket> buckets, List<Image> images, List<KmsKey> keys) {
    Set<String> known = new LinkedHashSet<>();
    for (KmsKey k : keys) {
      known.add(k.arn().toString());
      for (String alias : k.metadata().aliases()) {
        known.add("arn:" + k.arn().partition() + ":kms:" + k.region() + ":" + k.account() + ":" + alias);
      }
    }
    Map<String, Bucket> byName = new HashMap<>();
    for (Bucket b : buckets) {
      byName.putIfAbsent(b.name(), b);
    }
    for (Bucket b : buckets) {
      if (b.encryption() != null && b.encryption().key() != null && b.encryption().key().contains(":alias/")) {
        unknownKey(b.encryption().key(), known, b.encryption().source());
      }
      if (b.replication() == null) {
        continue;
      }
      String role = b.replication().role();
      String[] roleParts = role == null ? new String[0] : role.split(":", -1);
      // A role that is not an ARN was reported where it was read; only a well-formed one is compared here.
      if (roleParts.length > 5 && role.contains(":role/") && !roleParts[4].equals(b.account())) {
        error("world.replication-role-account", "the replication role `" + role + "` must belong to the"
            + " source bucket's account `" + b.account() + "`", b.replication().source());
      }
      for (Bucket.ReplicationRule r : b.replication().rules()) {
        if (r.replicaKmsKeyId() != null) {
          unknownKey(r.replicaKmsKeyId(), known, r.source());
        }
        Bucket dst = byName.get(r.destinationBucket());
        if (dst != null && r.destinationAccount() != null && !r.destinationAccount().equals(dst.account())) {
          error("world.destination-account", "rule `" + r.id() + "` names account `" + r.destinationAccount()
              + "` for bucket `" + dst.name() + "`, which belongs to `" + dst.account() + "`", r.source());
        }
      }
    }
    Map<String, KmsKey> keysByArn = new HashMap<>();
    for (KmsKey k : keys) {
      keysByArn.putIfAbsent(k.arn().toString(), k);
    }
    for (KmsKey k : keys) {
      String primary = k.metadata().primaryArn();
      Arn p = primary == null ? null : Arn.parse(primary).orElse(null);
      if (p == null || !"REPLICA".equals(k.metadata().multiRegionRole())) {
        continue;
      }
      if (!p.account().equals(k.account())) {
        error("world.replica-account", "a replica belongs to its primary's account, but `" + k.arn()
            + "` is in `" + k.account() + "` and its primary in `" + p.account() + "`", k.source());
      } else if (p.region().equals(k.region())) {
        error("world.replica-region", "a replica must be in another Region than its primary, and `" + k.arn()
            + "` is in `" + k.region() + "` like its primary", k.source());
      }
      KmsKey pk = keysByArn.get(primary);
      if (pk != null && !"PRIMARY".equals(pk.metadata().multiRegionRole())) {
        error("world.replica-primary", "the primary `" + primary + "` of replica `" + k.arn()
            + "` is not declared with `multiRegion: { role: PRIMARY }`", k.source());
      }
    }
    for (Image i : images) {
      for (Image.Snapshot s : i.snapshots()) {
        if (s.key() != null) {
          unknownKey(s.key(), known, s.source());
        }
      }
      for (Image.Launch l : i.launches()) {
        if (l.key() != null) {
          unknownKey(l.key(), known, l.source());
        }
      }
    }
  }

  void unknownKey(String ref, Set<String> known, SourceRef at) {
    if (ref.startsWith("arn:") && ref.contains(":kms:") && !known.contains(ref)) {
      warning("world.unknown-key", "key `" + ref + "` is not in the world, so nothing can be said about its"
          + " policy" + Suggest.didYouMean(ref, known), at);
    }
  }

  void checkImages(List<Image> images) {
    Map<String, SourceRef> seen = new HashMap<>();
    for (Image i : images) {
      SourceRef first = seen.putIfAbsent(i.region() + "/" + i.id(), i.source());
      if (first != null) {
        error("world.duplicate-image", "image `" + i.id() + "` is declared twice in `" + i.region()
            + "`; first at line " + first.line(), i.source());
      }
    }
  }

  void checkIdentities(List<Identity> identities) {
    Map<String, SourceRef> seen = new HashMap<>();
    for (Identity i : identities) {
      SourceRef first = seen.putIfAbsent(i.accessKeyId(), i.source());
      if (first != null) {
        error("world.duplicate-identity", "access key id `" + i.accessKeyId() + "` is declared twice; first"
            + " at line " + first.line(), i.source());
      }
    }
  }

  void checkDuplicates(List<Account> accounts, List<IamPrincipal> principals, List<KmsKey> keys) {
    Map<String, SourceRef> seen = new HashMap<>();
    for (Account a : accounts) {
      SourceRef first = seen.putIfAbsent(a.id(), a.source());
      if (first != null) {
        error("world.duplicate-account", "account `" + a.id() + "` is declared twice; first at line "
            + first.line(), a.source());
      }
    }
    seen.clear();
    Map<String, IamPrincipal> roleNames = new HashMap<>();
    for (IamPrincipal p : principals) {
      SourceRef first = seen.putIfAbsent(p.arn(), p.source());
      if (first != null) {
        error("world.duplicate-principal", "principal `" + p.arn() + "` is declared twice; first at line "
            + first.line(), p.source());
        continue;
      }
      // a role session names its role without the path, so a role name is one role per account, whatever
      // the path ("names must be unique within the account", not distinguished by case: API_CreateRole)
      String kind = p.isRole() ? "role" : "user";
      IamPrincipal same = roleNames.putIfAbsent(p.account() + "/" + kind + "/"
          + IamNames.name(p.arn()).toLowerCase(java.util.Locale.ROOT), p);
      if (same != null) {
        error("world.duplicate-" + kind + "-name", kind + " name `" + IamNames.name(p.arn()) + "` is used by `"
            + same.arn() + "` (line " + same.source().line() + ") and `" + p.arn() + "`; IAM names are unique"
            + " in an account whatever their path or case", p.source());
      }
    }
    seen.clear();
    Map<String, KmsKey> byId = new HashMap<>();
    Map<String, KmsKey> aliasOwner = new HashMap<>();
    for (KmsKey k : keys) {
      String arn = k.arn().toString();
      SourceRef first = seen.putIfAbsent(arn, k.source());
      if (first != null) {
        error("world.duplicate-key", "key `" + arn + "` is declared twice; first at line " + first.line(),
            k.source());
        continue;
      }
      KmsKey sameId = byId.putIfAbsent(k.arn().resourceId() + "@" + k.account(), k);
      if (sameId != null && !"REPLICA".equals(k.metadata().multiRegionRole())
          && !"REPLICA".equals(sameId.metadata().multiRegionRole())) {
        error("world.duplicate-key-id", "key id `" + k.arn().resourceId() + "` is used by two keys of"
            + " account `" + k.account() + "`; only multi-Region replicas share a key id", k.source());
      }
      for (String alias : k.metadata().aliases()) {
        String scope = k.account() + "/" + k.region() + "/" + alias;
        KmsKey owner = aliasOwner.putIfAbsent(scope, k);
        if (owner != null) {
          error("world.duplicate-alias", "alias `" + alias + "` already names key `" + owner.arn()
              + "` in account `" + k.account() + "` and Region `" + k.region() + "`", k.source());
        }
      }
    }
  }
}
