package dev.keyward.world;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes KMS keys (metadata, aliases, rotation, multi-Region settings) and their grants, and checks key ARNs and
 * grant principals.
 */
final class KeyDecoder extends WorldReading {

  private static final Set<String> KEY = ordered("arn", "policy", "manager", "origin", "spec", "usage", "state",
      "aliases", "tags", "rotation", "multiRegion", "grants");
  private static final Set<String> ROTATION = ordered("enabled", "periodDays");
  private static final Set<String> MULTI_REGION = ordered("role", "primary", "requiredRegions");
  private static final Set<String> GRANT = ordered("id", "name", "grantee", "operations", "constraints",
      "retiringPrincipal");
  private static final Set<String> CONSTRAINTS = ordered("encryptionContextEquals", "encryptionContextSubset");
  private static final Pattern KEY_ID = Pattern.compile(
      "(mrk-[0-9a-f]{32})|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  /** Grant constraints: at most 8 pairs, values at most 384 characters (CreateGrant API reference). */
  private static final int MAX_CONSTRAINT_PAIRS = 8;
  private static final int MAX_CONSTRAINT_VALUE = 384;

  private final PolicyDecoder policyDecoder;
  private final PrincipalDecoder principalDecoder;

  KeyDecoder(WorldReading from, PolicyDecoder policyDecoder, PrincipalDecoder principalDecoder) {
    super(from);
    this.policyDecoder = policyDecoder;
    this.principalDecoder = principalDecoder;
  }

  KmsKey key(Node n) {
    Node.ObjectNode o = object(n, "a key");
    if (o == null) {
      return null;
    }
    checkFields(o, KEY, "a key");
    String arnText = requiredString(o, "arn", "a key");
    Arn arn = arnText == null ? null : keyArn(arnText, o.get("arn").source());

    String manager = choice(o, "manager", KeySpecs.MANAGERS, "CUSTOMER", true);
    String origin = choice(o, "origin", KeySpecs.ORIGINS, "AWS_KMS", true);
    String spec = choice(o, "spec", KeySpecs.SPECS, "SYMMETRIC_DEFAULT", false);
    String usage = choice(o, "usage", KeySpecs.USAGES, KeySpecs.defaultUsage(spec), true);
    String state = choice(o, "state", KeySpecs.STATES, "Enabled", true);
    Set<String> usages = KeySpecs.usagesFor(spec);
    if (!usages.isEmpty() && !usages.contains(usage) && o.get("usage") != null) {
      error("world.invalid-usage", "a `" + spec + "` key cannot have usage `" + usage + "`; it allows "
          + quoted(usages), o.get("usage").source());
    }
    List<String> aliases = aliases(o.get("aliases"));

    Boolean rotationEnabled = null;
    Integer rotationPeriod = null;
    Node rot = o.get("rotation");
    if (rot != null) {
      Node.ObjectNode r = object(rot, "`rotation`");
      if (r != null) {
        checkFields(r, ROTATION, "`rotation`");
        rotationEnabled = bool(r.get("enabled"), "enabled");
        rotationPeriod = integer(r.get("periodDays"), "periodDays");
      }
    }

    String mrRole = null;
    String primary = null;
    List<String> requiredRegions = new ArrayList<>();
    Node mr = o.get("multiRegion");
    if (mr != null) {
      Node.ObjectNode m = object(mr, "`multiRegion`");
      if (m != null) {
        checkFields(m, MULTI_REGION, "`multiRegion`");
        mrRole = choice(m, "role", KeySpecs.MULTI_REGION_ROLES, null, true);
        if (m.get("role") == null) {
          missing("role", "`multiRegion`", m);
        }
        primary = string(m.get("primary"), "primary");
        if (primary != null) {
          Arn p = keyArn(primary, m.get("primary").source());
          if (p != null && arn != null && !p.resourceId().equals(arn.resourceId())) {
            warning("world.replica-id", "a replica has the same key id as its primary, but `"
                + arn.resourceId() + "` differs from `" + p.resourceId() + "`", m.get("primary").source());
          }
        }
        if ("REPLICA".equals(mrRole) && primary == null) {
          error("world.missing-field", "a `REPLICA` key needs `primary`: the ARN of its primary key",
              m.source());
        }
        if ("PRIMARY".equals(mrRole) && primary != null) {
          error("world.unexpected-field", "only a `REPLICA` key names a `primary`", m.get("primary").source());
        }
        for (Node rn : items(m.get("requiredRegions"), "requiredRegions")) {
          String region = string(rn, "requiredRegions");
          if (region != null && !REGION.matcher(region).matches()) {
            error("world.invalid-region", "`" + region + "` is not a Region name such as `us-east-1`",
                rn.source());
          } else if (region != null && !requiredRegions.contains(region)) {
            requiredRegions.add(region);
          }
        }
        if (m.get("requiredRegions") != null && !"PRIMARY".equals(mrRole)) {
          error("world.unexpected-field", "only the `PRIMARY` key lists `requiredRegions`; they apply to"
              + " every key related to it", m.get("requiredRegions").source());
        }
        if (arn != null && !arn.resourceId().startsWith("mrk-")) {
          warning("world.multi-region-id", "multi-Region key ids start with `mrk-`, but this key's is `"
              + arn.resourceId() + "`", m.source());
        }
      }
    }

    PolicyDocument policy = null;
    boolean defaultPolicy = false;
    Node pn = o.get("policy");
    if (pn != null) {
      policy = policyDecoder.policy(pn, PolicyType.KEY_POLICY);
    }
    List<Grant> grants = new ArrayList<>();
    int gi = 0;
    for (Node g : items(o.get("grants"), "grants")) {
      Grant grant = grant(g, gi++, arn, spec, usage);
      if (grant != null) {
        grants.add(grant);
      }
    }
    if (arn == null) {
      return null;
    }
    if (policy == null) {
      defaultPolicy = pn == null;
      policy = defaultPolicy
          ? ("AWS".equals(manager)
              ? DefaultKeyPolicy.forAwsManaged(arn, aliases, DefaultKeyPolicy.awsManagedNameFor(arn.toString()))
              : DefaultKeyPolicy.forAccount(arn.account(), DefaultKeyPolicy.nameFor(arn.toString())))
          : policyDecoder.empty(worldName + "#" + pn.source().pointer(), PolicyType.KEY_POLICY, pn.source());
    }
    Map<String, String> tags = o.get("tags") == null ? null : stringMap(o.get("tags"), "tags");
    KeyMetadata meta = new KeyMetadata(manager, origin, spec, usage, state, aliases, rotationEnabled,
        rotationPeriod, mrRole, primary, requiredRegions, tags);
    return new KmsKey(arn, policy, defaultPolicy, grants, meta, o.source());
  }

  Grant grant(Node n, int index, Arn key, String spec, String usage) {
    Node.ObjectNode o = object(n, "a grant");
    if (o == null) {
      return null;
    }
    checkFields(o, GRANT, "a grant");
    String id = string(o.get("id"), "id");
    String name = string(o.get("name"), "name");
    String grantee = requiredString(o, "grantee", "a grant");
    if (grantee != null) {
      grantee = grantPrincipal(grantee, o.get("grantee").source(), "grantee");
    }
    String retiring = string(o.get("retiringPrincipal"), "retiringPrincipal");
    if (retiring != null) {
      retiring = grantPrincipal(retiring, o.get("retiringPrincipal").source(), "retiringPrincipal");
    }
    List<String> operations = new ArrayList<>();
    Node opsNode = o.get("operations");
    if (opsNode == null) {
      missing("operations", "a grant", o);
    } else if (opsNode instanceof Node.ArrayNode && ((Node.ArrayNode) opsNode).items().isEmpty()) {
      error("world.empty-operations", "a grant needs at least one operation", opsNode.source());
    }
    Set<String> supported = KeySpecs.grantOperationsFor(spec, usage);
    for (Node op : items(opsNode, "operations")) {
      String s = string(op, "operations");
      if (s == null) {
        continue;
      }
      if (!KeySpecs.GRANT_OPERATIONS.contains(s)) {
        String hint = s.regionMatches(true, 0, "kms:", 0, 4)
            ? "; write grant operations without `kms:`, e.g. `" + s.substring(4) + "`"
            : Suggest.didYouMean(s, KeySpecs.GRANT_OPERATIONS);
        error("world.invalid-grant-operation", "`" + s + "` is not a grant operation" + hint, op.source());
      } else if (!supported.contains(s)) {
        error("world.unsupported-grant-operation", "a `" + spec + "` key with usage `" + usage
            + "` does not support `" + s + "`, so a grant cannot allow it", op.source());
      } else if (operations.contains(s)) {
        warning("world.duplicate-grant-operation", "operation `" + s + "` is listed twice", op.source());
      } else {
        operations.add(s);
      }
    }
    Map<String, String> equals = null;
    Map<String, String> subset = null;
    Node cn = o.get("constraints");
    if (cn != null) {
      Node.ObjectNode c = object(cn, "`constraints`");
      if (c != null) {
        checkFields(c, CONSTRAINTS, "`constraints`");
        Node eq = c.get("encryptionContextEquals");
        Node sub = c.get("encryptionContextSubset");
        if (eq != null && sub != null) {
          error("world.grant-constraints", "a grant takes `encryptionContextEquals` or"
              + " `encryptionContextSubset`, not both", c.source());
        }
        if (eq != null) {
          equals = constraint(eq, "encryptionContextEquals");
        }
        if (sub != null) {
          subset = constraint(sub, "encryptionContextSubset");
        }
        if (c.fields().isEmpty()) {
          error("world.grant-constraints", "`constraints` needs `encryptionContextEquals` or"
              + " `encryptionContextSubset`", c.source());
        }
        if ((eq != null || sub != null) && !KeySpecs.isSymmetric(spec)) {
          error("world.grant-constraints", "encryption context constraints work only on symmetric"
              + " encryption keys, and this key is `" + spec + "`", c.source());
        }
      }
    }
    if (grantee == null || key == null) {
      return null;
    }
    String gid = id != null ? id : name != null ? name : "grant-" + index;
    return new Grant(gid, grantee, operations, equals, subset, retiring, key.account(), name, o.source());
  }

  Map<String, String> constraint(Node n, String field) {
    Map<String, String> m = stringMap(n, field);
    if (m.isEmpty() && n instanceof Node.ObjectNode) {
      error("world.grant-constraints", "`" + field + "` needs at least one pair", n.source());
    }
    if (m.size() > MAX_CONSTRAINT_PAIRS) {
      error("world.grant-constraints", "`" + field + "` has " + m.size() + " pairs; KMS allows at most "
          + MAX_CONSTRAINT_PAIRS, n.source());
    }
    if (n instanceof Node.ObjectNode) {
      for (Node.Field f : ((Node.ObjectNode) n).fields()) {
        if (f.value() instanceof Node.ScalarNode
            && ((Node.ScalarNode) f.value()).text().length() > MAX_CONSTRAINT_VALUE) {
          error("world.grant-constraints", "the value of `" + f.key() + "` is longer than "
              + MAX_CONSTRAINT_VALUE + " characters, the most KMS allows", f.value().source());
        }
      }
    }
    return m;
  }

  List<String> aliases(Node n) {
    List<String> out = new ArrayList<>();
    for (Node a : items(n, "aliases")) {
      String s = string(a, "aliases");
      if (s == null) {
        continue;
      }
      if (!ALIAS.matcher(s).matches()) {
        error("world.invalid-alias", "alias `" + s + "` must be `alias/` followed by letters, digits, `/`,"
            + " `_` or `-`", a.source());
      } else if (out.contains(s)) {
        warning("world.duplicate-alias", "alias `" + s + "` is listed twice", a.source());
      } else {
        out.add(s);
      }
    }
    return out;
  }

  Arn keyArn(String arn, SourceRef at) {
    Arn a = Arn.parse(arn).orElse(null);
    if (a == null || !PARTITION.matcher(a.partition()).matches() || !a.service().equals("kms")
        || !a.resourceType().equals("key") || a.resourceId().isEmpty() || a.resourceId().contains("/")) {
      error("world.invalid-key-arn", "a key ARN looks like `arn:aws:kms:REGION:ACCOUNT:key/ID`, not `" + arn
          + "`", at);
      return null;
    }
    if (!REGION.matcher(a.region()).matches()) {
      error("world.invalid-key-arn", "`" + a.region() + "` in `" + arn + "` is not a Region name such as"
          + " `us-east-1`", at);
      return null;
    }
    if (!Arn.isAccountId(a.account())) {
      error("world.invalid-account-id", "account id `" + a.account() + "` in `" + arn
          + "` must be 12 digits", at);
      return null;
    }
    if (!KEY_ID.matcher(a.resourceId()).matches()) {
      warning("world.unusual-key-id", "key id `" + a.resourceId() + "` is not a KMS key id (a lowercase"
          + " UUID, or `mrk-` and 32 hex digits for multi-Region keys)", at);
    }
    return a;
  }

  /**
   * A grantee or retiring principal: an account (12 digits, normalized to its root ARN), an account
   * root, a user, a role, a role session or a federated user; null when invalid.
   */
  String grantPrincipal(String s, SourceRef at, String field) {
    if (Arn.isAccountId(s)) {
      return Arn.accountRoot(s);
    }
    Arn a = Arn.parse(s).orElse(null);
    boolean ok = a != null && PARTITION.matcher(a.partition()).matches() && a.region().isEmpty();
    if (ok) {
      String type = a.resourceType();
      if (a.service().equals("iam")) {
        ok = a.resource().equals("root") || type.equals("role") || type.equals("user");
        if (ok && !a.resource().equals("root") && !principalDecoder.iamNameOk(s, a, at)) {
          return null;
        }
      } else if (a.service().equals("sts")) {
        ok = type.equals("assumed-role") && a.resourceId().indexOf('/') > 0
            || type.equals("federated-user") && !a.resourceId().isEmpty();
      } else {
        ok = false;
      }
    }
    if (!ok) {
      // CreateGrant takes the ARN of an AWS principal, never a service principal (docs/evaluation.md, 4d)
      error("world.invalid-grantee", "`" + field + "` must be an account id or the ARN of an account,"
          + " user, role or role session, not `" + s + "`" + (s.endsWith(".amazonaws.com")
          ? " (a grant cannot name a service principal: KMS takes the ARN of an AWS principal)" : ""), at);
      return null;
    }
    if (!Arn.isAccountId(a.account())) {
      error("world.invalid-account-id", "account id `" + a.account() + "` in `" + s + "` must be 12 digits",
          at);
      return null;
    }
    return s;
  }
}
