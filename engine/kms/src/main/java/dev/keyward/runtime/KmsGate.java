package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.ACCESS_DENIED;
import static dev.keyward.runtime.KmsError.INVALID_ARN;
import static dev.keyward.runtime.KmsError.INVALID_GRANT_TOKEN;
import static dev.keyward.runtime.KmsError.KMS_INTERNAL;
import static dev.keyward.runtime.KmsError.MALFORMED_POLICY_DOCUMENT;
import static dev.keyward.runtime.KmsError.NOT_FOUND;
import static dev.keyward.runtime.KmsError.VALIDATION;
import static dev.keyward.runtime.KmsValidation.requireRegion;
import static dev.keyward.runtime.KmsViews.keys;
import static dev.keyward.runtime.KmsViews.kmsKey;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Reason;
import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.SourceRef;
import dev.keyward.request.Request;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.audit.AuditEvent;
import dev.keyward.runtime.store.StoredAlias;
import dev.keyward.runtime.store.StoredGrant;
import dev.keyward.runtime.store.StoredKey;
import dev.keyward.world.Grant;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The one place where calls are authorized: it runs a call (audit record, last use), resolves the key it
 * names, builds the request context and asks the {@link Authorizer}, which it recompiles after a change.
 */
final class KmsGate {

  private final Runnable beforeCall;
  private final KmsState shared;

  KmsGate(KmsState shared, Runnable beforeCall) {
    this.shared = shared;
    this.beforeCall = beforeCall;
  }

  static final Set<String> CRYPTO_OPERATIONS = Set.of("Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey",
      "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign",
      "Verify", "GenerateMac", "VerifyMac");
  volatile Authorizer authorizer;
  /** One call in flight: what the audit record needs. */
  static final class Call {
    final Caller caller;
    final String operation;
    final Map<String, String> context;
    String keyArn;
    Decision decision;
    String alias;

    Call(Caller caller, String operation, Map<String, String> context) {
      this.caller = caller;
      this.operation = operation;
      this.context = context;
    }
  }

  <T> T run(Caller caller, String operation, Map<String, String> context, Function<Call, T> body) {
    Objects.requireNonNull(caller, "caller");
    beforeCall.run();
    Call call = new Call(caller, operation, context);
    try {
      T out = body.apply(call);
      if (call.keyArn != null && CRYPTO_OPERATIONS.contains(operation)) {
        shared.lastUsage.put(call.keyArn, new KmsState.LastUse(operation, shared.clock.millis(),
            shared.events.incrementAndGet()));
      }
      record(call, null);
      return out;
    } catch (KmsException e) {
      record(call, e.errorCode());
      throw e;
    } catch (dev.keyward.runtime.store.JdbcKeyStore.StoreException e) {
      record(call, KMS_INTERNAL.wireName());
      throw KMS_INTERNAL.exception(e.getMessage());
    }
  }

  void record(Call call, String errorCode) {
    if (!shared.audit.enabled()) {
      return;
    }
    List<String> statements = new ArrayList<>();
    if (call.decision != null) {
      for (Reason r : call.decision.reasons()) {
        if (!r.effect().equals("allow") && !r.effect().equals("deny") && !r.effect().equals("grant")
            && !r.effect().equals("delegate") && !r.effect().equals("missing")) {
          continue;
        }
        statements.add(r.effect() + " " + r.policy() + (r.statement().isEmpty() ? "" : "#" + r.statement()));
      }
    }
    shared.audit.record(new AuditEvent(shared.clock.instant(), call.caller.principal(), call.operation,
        call.caller.region(), call.keyArn, call.context, call.decision == null ? null : call.decision.verdict().name(),
        statements, errorCode));
  }

  /**
   * The authorizer for the current keys, policies and grants; brought up to date after a change, compiling only
   * the keys that changed (their {@link KmsKey} objects are new; see {@link #world}).
   */
  Authorizer authorizer() {
    Authorizer a = authorizer;
    if (a == null) {
      synchronized (shared.lock) {
        a = authorizer;
        if (a == null) {
          World w = world(null);
          a = lastCompiled == null ? Authorizer.create(w) : Authorizer.update(lastCompiled, w);
          lastCompiled = a;
          authorizer = a;
        }
      }
    }
    return a;
  }

  /** The authorizer last compiled (kept across changes, which clear {@link #authorizer}); guarded by lock. */
  Authorizer lastCompiled;

  /** A key as the evaluator saw it, with what it was made of; reused while none of that changes. */
  record BuiltKey(StoredKey stored, PolicyDocument policy, List<Grant> grants, List<String> aliases,
      KmsKey key) {}

  final Map<String, BuiltKey> built = new ConcurrentHashMap<>();

  /** The world the authorizer decides against: the base world with the runtime's keys (plus a candidate). */
  World world(KmsKey extra) {
    Map<String, List<Grant>> byKey = new HashMap<>();
    for (StoredGrant g : shared.grants.values()) {
      byKey.computeIfAbsent(g.keyArn(), x -> new ArrayList<>()).add(new Grant(g.grantId(), g.grantee(),
          g.operations(), g.constraintEquals(), g.constraintSubset(), g.retiringPrincipal(), g.issuingAccount(),
          g.name() == null ? g.grantId() : g.name(), SourceRef.none()));
    }
    Map<String, List<String>> aliasesByKey = new HashMap<>();
    for (StoredAlias a : shared.aliases.values()) {
      aliasesByKey.computeIfAbsent(a.targetKeyArn(), x -> new ArrayList<>()).add(a.aliasName());
    }
    List<KmsKey> ks = new ArrayList<>();
    for (StoredKey k : shared.keys.values()) {
      if (extra != null && extra.arn().toString().equals(k.arn())) {
        continue;
      }
      PolicyDocument policy = shared.policies.get(k.arn());
      List<Grant> gs = byKey.getOrDefault(k.arn(), List.of());
      List<String> al = aliasesByKey.getOrDefault(k.arn(), List.of());
      BuiltKey b = built.get(k.arn());
      if (b == null || b.stored() != k || b.policy() != policy || !b.grants().equals(gs) || !b.aliases().equals(al)) {
        b = new BuiltKey(k, policy, gs, al, kmsKey(k, policy, gs, al));
        built.put(k.arn(), b);
      }
      ks.add(b.key());
    }
    built.keySet().retainAll(shared.keys.keySet());
    if (extra != null) {
      ks.add(extra);
    }
    World base = shared.base;
    return new World(base.name(), base.organizations(), base.accounts(), base.principals(), ks, base.buckets(),
        base.images(), base.identities(), base.vpcEndpoints(), base.source());
  }

  void changed() {
    authorizer = null;
  }

  /**
   * Authorizes {@code action} on {@code key} (or {@code "*"} when null), with the call's encryption context as
   * kms:EncryptionContext:* keys and {@code extra} condition keys; refuses with AccessDeniedException.
   */
  void authorize(Call call, StoredKey key, String action, Map<String, List<String>> extra) {
    // Built immutable at once (the Request keeps it without copying). The names cannot collide: context
    // pairs all start with kms:EncryptionContext:, the global keys with aws: in lower case, and the callers'
    // extra keys are operation parameters (kms:..., aws:RequestTag/..., aws:TagKeys).
    int n = (call.context == null ? 0 : call.context.size()) + extra.size()
        + (call.caller.viaService() != null ? 1 : 0) + (call.alias != null ? 1 : 0) + 5;
    @SuppressWarnings("unchecked")
    Map.Entry<String, List<String>>[] entries = new Map.Entry[n];
    int i = 0;
    // the global keys AWS puts in every request context
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html); names in lower
    // case, as the evaluator looks them up, so that none is lower-cased again per call
    TimeKeys time = timeKeys();
    entries[i++] = Map.entry("aws:currenttime", time.iso());
    entries[i++] = Map.entry("aws:epochtime", time.epoch());
    entries[i++] = Map.entry("aws:requestedregion", List.of(call.caller.region()));
    entries[i++] = SECURE_TRANSPORT; // AWS's endpoints are HTTPS only
    entries[i++] = call.caller.viaService() != null ? VIA_SERVICE : NOT_VIA_SERVICE;
    if (call.context != null) {
      for (Map.Entry<String, String> e : call.context.entrySet()) {
        entries[i++] = Map.entry("kms:EncryptionContext:" + e.getKey(), List.of(e.getValue()));
      }
    }
    for (Map.Entry<String, List<String>> e : extra.entrySet()) {
      entries[i++] = Map.entry(e.getKey(), e.getValue());
    }
    if (call.caller.viaService() != null) {
      entries[i++] = Map.entry("kms:ViaService", List.of(call.caller.viaService()));
    }
    if (call.alias != null) {
      entries[i++] = Map.entry("kms:RequestAlias", List.of(call.alias));
    }
    Map<String, List<String>> ctx = Map.ofEntries(entries);
    String resource = key == null ? "*" : key.arn();
    if (key != null) {
      call.keyArn = key.arn();
    }
    Decision d = authorizer().authorize(new Request("", call.caller.principal(), action, resource, ctx,
        call.caller.session()));
    call.decision = d;
    if (!d.verdict().allowed()) {
      throw new KmsException(ACCESS_DENIED, denial(call.caller.principal(), action, resource, d), d);
    }
  }

  static final Map.Entry<String, List<String>> SECURE_TRANSPORT =
      Map.entry("aws:securetransport", List.of("true"));
  static final Map.Entry<String, List<String>> VIA_SERVICE = Map.entry("aws:viaawsservice", List.of("true"));
  static final Map.Entry<String, List<String>> NOT_VIA_SERVICE =
      Map.entry("aws:viaawsservice", List.of("false"));

  /** aws:CurrentTime and aws:EpochTime of one second of the runtime's clock. */
  record TimeKeys(long second, List<String> iso, List<String> epoch) {}

  volatile TimeKeys timeKeys = new TimeKeys(Long.MIN_VALUE, List.of(), List.of());

  /** The time keys for the clock's current second, formatted once per second (this is the hot path). */
  TimeKeys timeKeys() {
    long second = Math.floorDiv(shared.clock.millis(), 1000L);
    TimeKeys t = timeKeys;
    if (t.second() != second) {
      t = new TimeKeys(second, List.of(Instant.ofEpochSecond(second).toString()), List.of(Long.toString(second)));
      timeKeys = t;
    }
    return t;
  }

  static String denial(String principal, String action, String resource, Decision d) {
    StringBuilder sb = new StringBuilder();
    sb.append('`').append(principal).append("` is not authorized to perform `").append(action).append("` on `")
        .append(resource).append('`');
    List<String> parts = new ArrayList<>();
    for (Reason r : d.reasons()) {
      if (d.verdict() == dev.keyward.eval.Verdict.EXPLICIT_DENY && !r.effect().equals("deny")) {
        continue;
      }
      if (r.effect().equals("deny")) {
        parts.add("explicit deny in `" + r.policy() + "` statement `" + r.statement() + "`");
      } else if (r.effect().equals("missing") || r.effect().equals("error") || r.effect().equals("blocked")
          || r.effect().equals("delegate")) {
        parts.add((r.policy().isEmpty() ? "" : "`" + r.policy() + "`"
            + (r.statement().isEmpty() ? "" : " statement `" + r.statement() + "`") + ": ") + r.message());
      }
    }
    if (!parts.isEmpty()) {
      sb.append(": ").append(String.join("; ", parts));
    }
    return sb.toString();
  }
  static String accountOf(String principal) {
    if (principal.length() == 12 && Arn.isAccountId(principal)) {
      return principal;
    }
    return Arn.parse(principal).map(Arn::account).filter(a -> !a.isEmpty())
        .orElseThrow(() -> VALIDATION.exception("caller `" + principal + "` is not an ARN with an account"));
  }

  StoredKey resolve(Caller c, String keyId, Call call) {
    if (keyId == null || keyId.isEmpty()) {
      throw VALIDATION.exception("KeyId is required");
    }
    StoredKey direct = shared.keys.get(keyId);
    if (direct != null) {
      requireRegion(c, direct.region(), keyId);
      call.keyArn = direct.arn();
      return direct;
    }
    String arn;
    if (keyId.startsWith("arn:")) {
      Arn a = Arn.parse(keyId).filter(x -> x.service().equals("kms"))
          .orElseThrow(() -> INVALID_ARN.exception("`" + keyId + "` is not a KMS key or alias ARN"));
      requireRegion(c, a.region(), keyId);
      if (a.resource().startsWith("alias/")) {
        arn = aliasTarget(keyId, call);
      } else if (a.resource().startsWith("key/")) {
        arn = keyId;
      } else {
        throw INVALID_ARN.exception("`" + keyId + "` is not a KMS key or alias ARN");
      }
    } else if (keyId.startsWith("alias/")) {
      arn = aliasTarget("arn:aws:kms:" + c.region() + ":" + accountOf(c.principal()) + ":" + keyId, call);
    } else {
      arn = "arn:aws:kms:" + c.region() + ":" + accountOf(c.principal()) + ":key/" + keyId;
    }
    StoredKey k = arn == null ? null : shared.keys.get(arn);
    if (k == null) {
      throw NOT_FOUND.exception("key `" + keyId + "` does not exist");
    }
    call.keyArn = k.arn();
    return k;
  }

  String aliasTarget(String aliasArn, Call call) {
    StoredAlias a = shared.aliases.get(aliasArn);
    if (a == null) {
      throw NOT_FOUND.exception("alias `" + aliasArn + "` does not exist");
    }
    call.alias = a.aliasName();
    return a.targetKeyArn();
  }

  void checkTokens(List<String> tokens) {
    if (tokens == null) {
      return;
    }
    if (tokens.size() > 10) {
      throw VALIDATION.exception("at most 10 grant tokens are allowed");
    }
    for (String t : tokens) {
      if (t == null || t.isEmpty() || t.length() > 8192 || !shared.grantsByToken.containsKey(t)) {
        throw INVALID_GRANT_TOKEN.exception("grant token is not valid");
      }
    }
  }

  /** AWS's lockout safety check: the new policy must let the caller call PutKeyPolicy afterwards. */
  void lockoutCheck(Caller c, StoredKey candidate, PolicyDocument policy) {
    KmsKey k = kmsKey(candidate, policy, List.of(), List.of());
    Decision d = Authorizer.create(world(k)).authorize(Request.of(c.principal(), "kms:PutKeyPolicy", candidate.arn()));
    if (!d.verdict().allowed()) {
      throw MALFORMED_POLICY_DOCUMENT.exception("the new key policy will not allow you to update the key policy"
          + " in the future (set BypassPolicyLockoutSafetyCheck to skip this check)");
    }
  }
}
