package dev.keyward.eval;

import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.request.Request;
import dev.keyward.world.Account;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KeyMetadata;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small builder of worlds for tests: policies are written as JSON and parsed by the real parser. */
final class TestWorld {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private final List<Organization> orgs = new ArrayList<>();
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final List<IamPrincipal> principals = new ArrayList<>();
  private final List<KmsKey> keys = new ArrayList<>();
  private int counter;

  static TestWorld create() {
    return new TestWorld();
  }

  static PolicyDocument policy(String name, PolicyType type, String json) {
    ParseResult r = PolicyParser.create().parseString(json, name, type);
    if (r.policy() == null) {
      throw new IllegalArgumentException("test policy does not parse: " + r.problems());
    }
    return r.policy();
  }

  /** A policy document with Version 2012-10-17 around the given statements (JSON array body). */
  static String doc(String statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
  }

  TestWorld org(String id, String management, List<String> members, String... scpJson) {
    List<PolicyDocument> scps = new ArrayList<>();
    for (String s : scpJson) {
      scps.add(policy("scp-" + (++counter), PolicyType.SCP, s));
    }
    orgs.add(new Organization(id, management, members, scps, SourceRef.none()));
    return this;
  }

  TestWorld accountScps(String account, String... scpJson) {
    List<PolicyDocument> scps = new ArrayList<>();
    for (String s : scpJson) {
      scps.add(policy("account-scp-" + (++counter), PolicyType.SCP, s));
    }
    accounts.put(account, new Account(account, scps, SourceRef.none()));
    return this;
  }

  TestWorld principal(String arn, Map<String, String> tags, String boundaryJson, String... policies) {
    List<PolicyDocument> docs = new ArrayList<>();
    for (String p : policies) {
      docs.add(policy("identity-" + (++counter), PolicyType.IDENTITY, p));
    }
    PolicyDocument b = boundaryJson == null ? null
        : policy("boundary-" + (++counter), PolicyType.IDENTITY, boundaryJson);
    String acct = Arn.parse(arn).orElseThrow().account();
    principals.add(new IamPrincipal(arn, acct, tags, docs, b, SourceRef.none()));
    return this;
  }

  TestWorld principal(String arn, String... policies) {
    return principal(arn, Map.of(), null, policies);
  }

  TestWorld key(String arn, String keyPolicyJson, Grant... grants) {
    return key(arn, keyPolicyJson, List.of(), grants);
  }

  TestWorld key(String arn, String keyPolicyJson, List<String> aliases, Grant... grants) {
    PolicyDocument p = policy("key-policy-" + (++counter), PolicyType.KEY_POLICY, keyPolicyJson);
    KeyMetadata d = KeyMetadata.defaults();
    KeyMetadata m = new KeyMetadata(d.manager(), d.origin(), d.spec(), d.usage(), d.state(), aliases,
        null, null, null, null);
    keys.add(new KmsKey(Arn.parse(arn).orElseThrow(), p, false, List.of(grants), m, SourceRef.none()));
    return this;
  }

  static Grant grant(String id, String grantee, List<String> ops, Map<String, String> equals,
      Map<String, String> subset, String retiring) {
    return new Grant(id, grantee, ops, equals, subset, retiring, null, SourceRef.none());
  }

  World build() {
    return new World("test-world", orgs, new ArrayList<>(accounts.values()), principals, keys, SourceRef.none());
  }

  Authorizer authorizer() {
    return Authorizer.create(build());
  }

  static Request req(String principal, String action, String resource, String... kv) {
    Map<String, List<String>> ctx = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      ctx.computeIfAbsent(kv[i], k -> new ArrayList<>()).add(kv[i + 1]);
    }
    return new Request("t", principal, action, resource, ctx);
  }

  /** The default key policy of account A: root delegation only. */
  static String rootOnly(String account) {
    return doc("{\"Sid\":\"Enable IAM policies\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
  }

  static String allowAll() {
    return doc("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
  }
}
