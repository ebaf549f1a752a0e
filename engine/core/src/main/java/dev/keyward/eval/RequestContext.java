package dev.keyward.eval;

import dev.keyward.condition.ContextValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request context of one authorization: the keys the engine derives (from the caller and the
 * resource), then the keys the request gives. Derived keys win over given ones, so a request cannot claim
 * another aws:PrincipalArn. Lookups are by lower-case key. Built once per request; not shared.
 */
final class RequestContext implements ContextValues {

  static final String EC_PREFIX = "kms:encryptioncontext:";
  static final String EC_KEYS = "kms:encryptioncontextkeys";
  static final String RESOURCE_TAG = "aws:resourcetag/";

  private final Map<String, String[]> derived;
  private final String[] resourceAccount;
  private final String[] requestAlias;
  /** The given keys by lower-case name; built at the first lookup (many decisions read no condition key). */
  private Map<String, String[]> given;
  private final Map<String, List<String>> original;
  private String[] encryptionContextKeys;
  private Map<String, String> encryptionContext;
  private boolean encryptionContextKeysDone;
  /** Symbolic mode: forced truth values by atom id (0 = not forced, 1 = false, 2 = true), or null. */
  byte[] forced;

  RequestContext(Map<String, String[]> derived, String resourceAccount, String requestAlias,
      Map<String, List<String>> original) {
    this.derived = derived;
    this.original = original;
    this.resourceAccount = resourceAccount == null ? null : new String[] {resourceAccount};
    this.requestAlias = requestAlias == null ? null : new String[] {requestAlias};
  }

  private Map<String, String[]> given() {
    if (given == null) {
      given = lowerCaseKeys(original);
    }
    return given;
  }

  /** Lower-cases the keys of a request's context. */
  static Map<String, String[]> lowerCaseKeys(Map<String, List<String>> context) {
    if (context.isEmpty()) {
      return Map.of();
    }
    Map<String, String[]> out = new HashMap<>(context.size() * 2);
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      out.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().toArray(new String[0]));
    }
    return out;
  }

  /**
   * True for role-session callers: their request may carry session tags, given as
   * {@code aws:PrincipalTag/<k>} context keys, which override the role's tags with the same key ("New
   * session tags override existing assumed role or federated user tags with the same tag key, regardless
   * of case", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html). For other callers
   * given principal tags are ignored: only the world's tags count.
   */
  boolean sessionTags;

  private static final String PRINCIPAL_TAG = "aws:principaltag/";

  /** What the key gives (kms:ResourceAliases, aws:ResourceTag/*); null for requests on no world key. */
  private Map<String, String[]> keyDerived;
  private boolean resourceTagsStated;

  /**
   * The keys a world key derives, which win over given ones; when the key's tags are stated, given
   * {@code aws:ResourceTag/*} keys are ignored, as AWS knows a key's tags and no request can claim others.
   */
  void keyFacts(Map<String, String[]> derivedByKey, boolean tagsStated) {
    this.keyDerived = derivedByKey;
    this.resourceTagsStated = tagsStated;
  }

  /** aws:ResourceOrgID and aws:ResourceOrgPaths of the resource's account; null when it is in no organization. */
  private Map<String, String[]> resourceOrg;

  void resourceOrg(Map<String, String[]> keys) {
    this.resourceOrg = keys;
  }

  /** A role session's tags (lower-case keys) and source identity, from the request's session; null when none. */
  Map<String, String[]> sessionValues;
  /** aws:SourceVpc of the VPC endpoint the request comes through; null when none. */
  Map<String, String[]> endpointValues;

  @Override
  public String[] get(String key) {
    // the session sets only aws:PrincipalTag/* and aws:SourceIdentity, the endpoint only aws:SourceVpc
    if (sessionValues != null && key.startsWith("aws:")
        && (key.startsWith(PRINCIPAL_TAG) || key.equals("aws:sourceidentity"))) {
      String[] s = sessionValues.get(key);
      if (s != null) {
        return s;
      }
    }
    if (endpointValues != null && key.equals("aws:sourcevpc")) {
      return endpointValues.get(key);
    }
    if (key.startsWith(PRINCIPAL_TAG)) {
      if (sessionTags) {
        String[] tag = given().get(key);
        if (tag != null) {
          return tag;
        }
      }
      return derived.get(key);
    }
    String[] v = derived.get(key);
    if (v != null) {
      return v;
    }
    if (keyDerived != null) {
      v = keyDerived.get(key);
      if (v != null) {
        return v;
      }
      if (resourceTagsStated && key.startsWith(RESOURCE_TAG)) {
        return null;
      }
    }
    if (resourceAccount != null && key.equals("aws:resourceaccount")) {
      return resourceAccount;
    }
    if (resourceOrg != null && key.startsWith("aws:resourceorg")) {
      v = resourceOrg.get(key);
      if (v != null) {
        return v;
      }
    }
    if (requestAlias != null && key.equals("kms:requestalias") && !given().containsKey(key)) {
      return requestAlias;
    }
    v = given().get(key);
    if (v != null) {
      return v;
    }
    if (key.equals(EC_KEYS)) {
      return encryptionContextKeys();
    }
    return null;
  }

  /** kms:EncryptionContextKeys: the context keys of the given kms:EncryptionContext:* pairs, case kept. */
  private String[] encryptionContextKeys() {
    if (!encryptionContextKeysDone) {
      encryptionContextKeysDone = true;
      List<String> keys = new ArrayList<>(encryptionContext().keySet());
      encryptionContextKeys = keys.isEmpty() ? null : keys.toArray(new String[0]);
    }
    return encryptionContextKeys;
  }

  /**
   * The encryption context of the request: the given {@code kms:EncryptionContext:<k>} pairs, with
   * {@code <k>} in the case the request wrote it (grant constraints compare case-sensitively).
   */
  Map<String, String> encryptionContext() {
    if (encryptionContext == null) {
      Map<String, String> ec = new HashMap<>();
      for (Map.Entry<String, List<String>> e : original.entrySet()) {
        String k = e.getKey();
        if (k.length() > EC_PREFIX.length() && k.regionMatches(true, 0, EC_PREFIX, 0, EC_PREFIX.length())
            && !e.getValue().isEmpty()) {
          ec.put(k.substring(EC_PREFIX.length()), e.getValue().get(0));
        }
      }
      encryptionContext = ec;
    }
    return encryptionContext;
  }
}
