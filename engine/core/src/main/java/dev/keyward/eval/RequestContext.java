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
  /**
   * The given keys by lower-case name, for a large context; built at its first lookup (many decisions read no
   * condition key). A small context is searched as it is, without building a map (see {@link #givenGet}).
   */
  private Map<String, String[]> given;
  /** Up to this many given keys, lookups scan the request's own map. */
  private static final int SCANNED = 8;
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

  /**
   * The values of the given key whose lower-case name is {@code lowerKey}, or null: what the map of
   * {@link #lowerCaseKeys} holds for it (when two given keys differ only by case, the later one in the map's
   * order, as that map keeps it).
   */
  private String[] givenGet(String lowerKey) {
    if (original.size() > SCANNED) {
      if (given == null) {
        given = lowerCaseKeys(original);
      }
      return given.get(lowerKey);
    }
    List<String> found = null;
    for (Map.Entry<String, List<String>> e : original.entrySet()) {
      if (lowerCaseEquals(e.getKey(), lowerKey)) {
        found = e.getValue();
      }
    }
    return found == null ? null : found.toArray(new String[0]);
  }

  /** {@code key.toLowerCase(Locale.ROOT).equals(lower)}, without a copy when {@code key} is ASCII. */
  static boolean lowerCaseEquals(String key, String lower) {
    int n = key.length();
    if (n != lower.length()) {
      // only a character outside ASCII can change length when lower-cased
      for (int i = 0; i < n; i++) {
        if (key.charAt(i) >= 128) {
          return key.toLowerCase(Locale.ROOT).equals(lower);
        }
      }
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c >= 128) {
        return key.toLowerCase(Locale.ROOT).equals(lower);
      }
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      // every character before i is ASCII, so lower-casing keeps position i where it is
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
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
        String[] tag = givenGet(key);
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
    if (requestAlias != null && key.equals("kms:requestalias")) {
      v = givenGet(key);
      return v != null ? v : requestAlias;
    }
    v = givenGet(key);
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
