package dev.keyward.access;

import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.parse.PolicyParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random key policies and requests over one small vocabulary (accounts, roles, users, sessions, services,
 * organizations, wildcard actions, NotAction/NotPrincipal, conditions of every operator family on derived
 * and request keys). Requests draw principals, actions and context values from the same vocabulary, plus
 * values no policy names (a fifth account, other tag values), so that "every other value" is exercised.
 */
final class RandomKeyPolicies {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String KEY_ACCOUNT = "111111111111";

  private static final String[] PRINCIPALS = {
      "\"*\"", "{\"AWS\":\"*\"}", "{\"AWS\":\"arn:aws:iam::111111111111:root\"}",
      "{\"AWS\":\"arn:aws:iam::222222222222:root\"}", "{\"AWS\":\"333333333333\"}",
      "{\"AWS\":\"arn:aws:iam::222222222222:role/App\"}", "{\"AWS\":\"arn:aws:iam::333333333333:user/bob\"}",
      "{\"AWS\":\"arn:aws:sts::222222222222:assumed-role/App/s1\"}",
      "{\"AWS\":\"arn:aws:sts::222222222222:federated-user/fed\"}",
      "{\"AWS\":[\"arn:aws:iam::222222222222:role/App\",\"arn:aws:iam::444444444444:root\"]}",
      "{\"Service\":\"logs.amazonaws.com\"}"};
  private static final String[] ACTIONS = {
      "\"kms:Decrypt\"", "\"kms:*\"", "\"kms:Re*\"", "[\"kms:Encrypt\",\"kms:Describe*\"]", "\"kms:CreateGrant\"",
      "\"kms:PutKeyPolicy\"", "\"*\"", "[\"kms:GenerateDataKey*\",\"kms:Decrypt\"]"};
  private static final String[] RESOURCES = {
      ",\"Resource\":\"*\"", ",\"Resource\":\"*\"", ",\"Resource\":\"*\"", ",\"Resource\":\"" + KEY + "\"",
      ",\"Resource\":\"arn:aws:kms:*:111111111111:key/*\"",
      ",\"Resource\":\"arn:aws:kms:us-east-1:111111111111:key/other\"",
      ",\"NotResource\":\"arn:aws:kms:us-east-1:111111111111:key/other\"",
      ",\"Resource\":\"arn:aws:kms:us-east-1:111111111111:key/${aws:username}\""};
  private static final String[] CONDITIONS = {
      "\"StringEquals\":{\"kms:CallerAccount\":\"222222222222\"}",
      "\"StringNotEquals\":{\"kms:CallerAccount\":[\"111111111111\",\"333333333333\"]}",
      "\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-aaaaaaaaaa\"}",
      "\"StringLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/A*\"}",
      "\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::222222222222:*\"}",
      "\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:user/*\"}",
      "\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}",
      "\"StringLike\":{\"kms:EncryptionContext:app\":\"web-*\"}",
      "\"StringEqualsIgnoreCase\":{\"kms:EncryptionContext:app\":\"DB\"}",
      "\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"}",
      "\"Null\":{\"kms:ViaService\":\"true\"}",
      "\"ForAnyValue:StringEquals\":{\"kms:EncryptionContextKeys\":\"app\"}",
      "\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[\"app\",\"env\"]}",
      "\"StringEqualsIfExists\":{\"kms:ViaService\":\"ec2.us-east-1.amazonaws.com\"}",
      "\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"}",
      "\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}",
      "\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}",
      "\"NotIpAddress\":{\"aws:SourceIp\":[\"10.1.0.0/16\",\"192.168.0.0/16\"]}",
      "\"StringEquals\":{\"aws:PrincipalTag/team\":\"finance\"}",
      "\"StringNotEquals\":{\"aws:PrincipalAccount\":\"444444444444\"}",
      "\"StringEquals\":{\"aws:PrincipalType\":\"AssumedRole\"}",
      "\"StringEquals\":{\"aws:PrincipalType\":\"FederatedUser\"}",
      "\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:sts::*:federated-user/f*\"}",
      "\"StringEquals\":{\"kms:EncryptionContext:user\":\"${aws:username}\"}",
      "\"StringLike\":{\"aws:username\":\"b*\"}",
      "\"StringEquals\":{\"aws:SourceAccount\":\"222222222222\"}",
      "\"ForAllValues:StringLike\":{\"kms:EncryptionContextKeys\":[\"a*\"]}",
      "\"StringLike\":{\"kms:CallerAccount\":\"22*\"}"};

  static final String[] REQUEST_PRINCIPALS = {
      "arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:role/Admin",
      "arn:aws:iam::222222222222:root", "arn:aws:iam::222222222222:role/App", "arn:aws:iam::222222222222:role/Ops",
      "arn:aws:sts::222222222222:assumed-role/App/s1", "arn:aws:sts::222222222222:assumed-role/App/s2",
      "arn:aws:iam::333333333333:user/bob", "arn:aws:iam::333333333333:role/Auditor",
      "arn:aws:iam::444444444444:root", "arn:aws:iam::444444444444:role/App",
      "arn:aws:iam::555555555555:user/eve", "arn:aws:sts::555555555555:assumed-role/Analyst/x",
      "arn:aws:iam::555555555555:role/Admin", "logs.amazonaws.com", "ec2.amazonaws.com",
      "arn:aws:iam::220000000000:role/App", "arn:aws:iam::222222222222:user/bob",
      "arn:aws:sts::222222222222:federated-user/fed", "arn:aws:sts::333333333333:federated-user/other",
      "arn:aws:sts::555555555555:federated-user/x"};
  /** The users that make the federated user sessions of {@link #REQUEST_PRINCIPALS}, by account. */
  private static final Map<String, List<String>> FEDERATING = Map.of(
      "222222222222", List.of("arn:aws:iam::222222222222:user/bob", "arn:aws:iam::222222222222:user/other"),
      "333333333333", List.of("arn:aws:iam::333333333333:user/bob"),
      "555555555555", List.of("arn:aws:iam::555555555555:user/eve"));
  static final String[] REQUEST_ACTIONS = {
      "kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:PutKeyPolicy",
      "kms:GenerateDataKey", "kms:ScheduleKeyDeletion"};
  static final String[] ORGS = {null, "o-aaaaaaaaaa", "o-bbbbbbbbbb"};
  private static final String[][] CONTEXT = {
      {"kms:ViaService", "s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"},
      {"kms:EncryptionContext:app", "web-1", "db", "DB"},
      {"kms:EncryptionContext:env", "prod"},
      {"kms:EncryptionContext:user", "bob", "eve"},
      {"aws:SourceAccount", "222222222222", "333333333333"},
      {"kms:GrantIsForAWSResource", "true", "false"},
      {"aws:MultiFactorAuthAge", "100", "3600", "5000"},
      {"aws:CurrentTime", "2029-06-01T00:00:00Z", "2031-01-01T00:00:00Z"},
      {"aws:SourceIp", "10.1.2.3", "10.2.0.1", "192.168.0.1", "8.8.8.8"}};
  private static final String[] TEAMS = {"finance", "eng"};

  private final Random random;

  RandomKeyPolicies(long seed) {
    this.random = new Random(seed);
  }

  String policyText() {
    StringBuilder b = new StringBuilder(random.nextInt(8) == 0 ? "{\"Version\":\"2008-10-17\",\"Statement\":["
        : "{\"Version\":\"2012-10-17\",\"Statement\":[");
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(',');
      }
      boolean deny = random.nextInt(4) == 0;
      b.append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"").append(deny ? "Deny" : "Allow").append('"');
      String principal = PRINCIPALS[random.nextInt(PRINCIPALS.length)];
      boolean notPrincipal = random.nextInt(10) == 0 && !principal.startsWith("\"");
      b.append(notPrincipal ? ",\"NotPrincipal\":" : ",\"Principal\":").append(principal);
      b.append(random.nextInt(10) == 0 ? ",\"NotAction\":" : ",\"Action\":")
          .append(ACTIONS[random.nextInt(ACTIONS.length)]);
      b.append(RESOURCES[random.nextInt(RESOURCES.length)]);
      int c = random.nextInt(3);
      if (c > 0) {
        b.append(",\"Condition\":{");
        List<String> used = new ArrayList<>();
        for (int j = 0; j < c; j++) {
          String cond = CONDITIONS[random.nextInt(CONDITIONS.length)];
          String op = cond.substring(0, cond.indexOf(':'));
          if (used.contains(op)) {
            continue; // one operator once per block (JSON keys are unique)
          }
          used.add(op);
          b.append(used.size() > 1 ? "," : "").append(cond);
        }
        b.append('}');
      }
      b.append('}');
    }
    return b.append("]}").toString();
  }

  PolicyDocument policy(String text) {
    return PolicyParser.create().parseString(text, "key.json", PolicyType.KEY_POLICY).policy();
  }

  private static final String[] GRANTEES = {"arn:aws:iam::222222222222:role/App", "arn:aws:iam::333333333333:root",
      "arn:aws:iam::444444444444:user/carol", "arn:aws:iam::111111111111:role/Admin"};
  private static final String[][] GRANT_OPERATIONS = {{"Decrypt"}, {"Encrypt", "DescribeKey"},
      {"CreateGrant", "RetireGrant"}, {"GenerateDataKey", "Decrypt"}};

  /** The key with {@code text} as its policy and zero to two random grants. */
  dev.keyward.world.KmsKey key(String text) {
    dev.keyward.model.SourceRef src = dev.keyward.model.SourceRef.synthetic("world.yaml", "/keys/0");
    List<dev.keyward.world.Grant> grants = new ArrayList<>();
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      Map<String, String> subset = random.nextBoolean() ? Map.of("app", "web-1") : null;
      Map<String, String> equals = subset == null && random.nextInt(3) == 0 ? Map.of("env", "prod") : null;
      grants.add(new dev.keyward.world.Grant("g" + i, GRANTEES[random.nextInt(GRANTEES.length)],
          List.of(GRANT_OPERATIONS[random.nextInt(GRANT_OPERATIONS.length)]), equals, subset,
          random.nextInt(4) == 0 ? GRANTEES[random.nextInt(GRANTEES.length)] : null, null, src));
    }
    return new dev.keyward.world.KmsKey(dev.keyward.model.Arn.parse(KEY).orElseThrow(), policy(text), false,
        grants, dev.keyward.world.KeyMetadata.defaults(), src);
  }

  /** A random request, as an example request (caller facts included). */
  ExampleRequest request() {
    String p = REQUEST_PRINCIPALS[random.nextInt(REQUEST_PRINCIPALS.length)];
    String a = REQUEST_ACTIONS[random.nextInt(REQUEST_ACTIONS.length)];
    String org = p.endsWith(".amazonaws.com") ? null : ORGS[random.nextInt(ORGS.length)];
    Map<String, List<String>> ctx = new HashMap<>();
    for (String[] k : CONTEXT) {
      if (random.nextBoolean()) {
        ctx.put(k[0], List.of(k[1 + random.nextInt(k.length - 1)]));
      }
    }
    Map<String, String> tags = new HashMap<>();
    boolean federated = p.contains(":federated-user/");
    boolean session = p.contains(":assumed-role/") || federated;
    boolean tagged = p.contains(":role/") || p.contains(":user/");
    if (random.nextBoolean() && (session || tagged)) {
      String team = TEAMS[random.nextInt(TEAMS.length)];
      if (session) {
        ctx.put("aws:PrincipalTag/team", List.of(team));
      } else {
        tags.put("team", team);
      }
    }
    String by = null;
    if (federated) {
      List<String> users = FEDERATING.get(p.split(":")[4]);
      by = users.get(random.nextInt(users.size()));
    }
    return new ExampleRequest(p, a, KEY, ctx, org, tags, by);
  }
}
