package dev.keyward.runtime;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import dev.keyward.runtime.Kms.GrantConstraints;
import dev.keyward.runtime.Kms.GrantListEntry;
import dev.keyward.runtime.Kms.KeyMetadata;
import dev.keyward.runtime.store.StoredGrant;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.world.Grant;
import dev.keyward.world.KmsKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds request-context condition keys and the world/list views (policy-evaluation keys, grant list entries) of stored state, for {@link KmsRuntime}. */
final class KmsViews {

  private KmsViews() {}

  /**
   * Adds the condition keys of a tagging request
   * (https://docs.aws.amazon.com/kms/latest/developerguide/tag-permissions.html):
   * {@code aws:RequestTag/<k>} for each tag given and {@code aws:TagKeys} for the tag keys given or removed.
   */
  static Map<String, List<String>> requestTags(Map<String, String> tags, List<String> removed,
      Map<String, List<String>> into) {
    List<String> tagKeys = new ArrayList<>();
    if (tags != null) {
      tags.forEach((k, v) -> into.put("aws:RequestTag/" + k, List.of(v)));
      tagKeys.addAll(tags.keySet());
    }
    if (removed != null) {
      tagKeys.addAll(removed);
    }
    if (!tagKeys.isEmpty()) {
      into.put("aws:TagKeys", List.copyOf(tagKeys));
    }
    return into;
  }

  static Map<String, List<String>> keys(String... kv) {
    Map<String, List<String>> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put(kv[i], List.of(kv[i + 1]));
      }
    }
    return m;
  }

  static KmsKey kmsKey(StoredKey k, PolicyDocument policy, List<Grant> gs, List<String> aliasNames) {
    return new KmsKey(Arn.parse(k.arn()).orElseThrow(), policy, false, gs,
        new dev.keyward.world.KeyMetadata("CUSTOMER", k.origin(), k.spec(), k.usage(), k.state(), aliasNames,
            k.rotationEnabled(), k.rotationPeriodDays(), k.multiRegionKeyType(), null, List.of(),
            k.tags()),
        SourceRef.none());
  }

  static GrantListEntry entry(StoredGrant g) {
    GrantConstraints gc = g.constraintEquals() == null && g.constraintSubset() == null ? null
        : new GrantConstraints(g.constraintEquals(), g.constraintSubset());
    return new GrantListEntry(g.keyArn(), g.grantId(), g.name(), g.created(), g.grantee(), g.retiringPrincipal(),
        g.issuingAccount(), g.operations(), gc);
  }
}
