package dev.keyward.bench;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.request.Request;
import dev.keyward.model.Arn;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.SourceRef;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.Grant;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KeyMetadata;
import dev.keyward.world.KmsKey;
import dev.keyward.world.Organization;
import dev.keyward.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decision cost of the compiled authorizer on a typical KMS setup: a key policy of 5 statements, a role
 * with 3 identity policies, one organization SCP (plus FullAWSAccess). {@code single}: one same-account
 * Decrypt through root delegation with an encryption-context condition. {@code batch}: 10,000 varied
 * requests (principals, actions, contexts, cross-account and denied ones), reported per request.
 * {@code realAccount}: the {@code single} request in a world shaped like a real organization: the account
 * sits in a unit nested in a unit (three levels of SCPs: the root's FullAWSAccess and conditional Deny, then
 * FullAWSAccess on each unit), an RCP identity perimeter on the outer unit guards the key's account, and the
 * role session carries a session policy, a session tag and a source identity.
 *
 * <p>Run: {@code mvn -B -q -pl engine/cli -am -Pbench -DskipTests verify
 * -Djmh.args="AuthorizerBenchmark -f 1 -wi 3 -i 5"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthorizerBenchmark {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final int BATCH = 10_000;

  private Authorizer authorizer;
  private Request single;
  private Authorizer realAuthorizer;
  private Request realSingle;
  private Request[] batch;

  private static PolicyDocument parse(String name, PolicyType type, String json) {
    return PolicyParser.create().parseString(json, name, type).policy();
  }

  private static String doc(String statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
  }

  @Setup
  public void setUp() {
    String keyPolicy = doc(String.join(",",
        "{\"Sid\":\"Enable IAM policies\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}",
        "{\"Sid\":\"Admins\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:role/KeyAdmin\"},\"Action\":[\"kms:Create*\",\"kms:Describe*\",\"kms:Enable*\",\"kms:List*\",\"kms:Put*\",\"kms:Update*\",\"kms:Revoke*\",\"kms:Disable*\",\"kms:Get*\",\"kms:Delete*\",\"kms:TagResource\",\"kms:UntagResource\",\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\"],\"Resource\":\"*\"}",
        "{\"Sid\":\"Users\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::222222222222:root\",\"arn:aws:iam::111111111111:role/App\"]},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:DescribeKey\"],\"Resource\":\"*\"}",
        "{\"Sid\":\"Grants\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":[\"kms:CreateGrant\",\"kms:ListGrants\",\"kms:RevokeGrant\"],\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"}}}",
        "{\"Sid\":\"DenyOutsideOrg\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}"));
    String p1 = doc("{\"Sid\":\"UseFinanceKey\",\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\"],\"Resource\":\"" + KEY + "\",\"Condition\":{\"StringEquals\":{\"kms:EncryptionContext:Dept\":\"${aws:PrincipalTag/team}\"}}}");
    String p2 = doc("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::data/*\"},{\"Effect\":\"Allow\",\"Action\":\"kms:DescribeKey\",\"Resource\":\"*\"}");
    String p3 = doc("{\"Effect\":\"Deny\",\"Action\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}");
    String scp = doc("{\"Sid\":\"NoKeyDeletion\",\"Effect\":\"Deny\",\"Action\":[\"kms:ScheduleKeyDeletion\",\"kms:DisableKey\"],\"Resource\":\"*\",\"Condition\":{\"StringNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/KeyAdmin\"}}}");
    String full = doc("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    List<IamPrincipal> principals = new ArrayList<>();
    String[] roles = {"arn:aws:iam::111111111111:role/App", "arn:aws:iam::111111111111:role/KeyAdmin",
        "arn:aws:iam::222222222222:role/Analyst", "arn:aws:iam::111111111111:role/Other"};
    for (String r : roles) {
      principals.add(new IamPrincipal(r, Arn.parse(r).orElseThrow().account(), Map.of("team", "finance"),
          List.of(parse("p1", PolicyType.IDENTITY, p1), parse("p2", PolicyType.IDENTITY, p2),
              parse("p3", PolicyType.IDENTITY, p3)), null, SourceRef.none()));
    }
    Organization org = new Organization("o-a1b2c3d4e5", "999999999999", List.of("111111111111", "222222222222"),
        List.of(parse("FullAWSAccess", PolicyType.SCP, full), parse("deny-key-deletion", PolicyType.SCP, scp)),
        SourceRef.none());
    Grant g = new Grant("g1", "arn:aws:iam::111111111111:role/Other", List.of("Decrypt"), null,
        Map.of("Dept", "finance"), null, null, SourceRef.none());
    KmsKey key = new KmsKey(Arn.parse(KEY).orElseThrow(), parse("key-policy", PolicyType.KEY_POLICY, keyPolicy),
        false, List.of(g), KeyMetadata.defaults(), SourceRef.none());
    World world = new World("bench", List.of(org), List.of(), principals, List.of(key), SourceRef.none());
    authorizer = Authorizer.create(world);
    single = new Request("1", "arn:aws:sts::111111111111:assumed-role/App/worker", "kms:Decrypt", KEY,
        Map.of("kms:EncryptionContext:Dept", List.of("finance")));
    Random r = new Random(42);
    String[] callers = {"arn:aws:sts::111111111111:assumed-role/App/w", "arn:aws:sts::111111111111:assumed-role/KeyAdmin/a",
        "arn:aws:sts::222222222222:assumed-role/Analyst/x", "arn:aws:iam::111111111111:role/Other",
        "arn:aws:sts::333333333333:assumed-role/Stranger/s"};
    String[] actions = {"kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:DescribeKey",
        "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:PutKeyPolicy"};
    String[] depts = {"finance", "hr", null};
    batch = new Request[BATCH];
    for (int i = 0; i < BATCH; i++) {
      String dept = depts[r.nextInt(depts.length)];
      Map<String, List<String>> ctx = dept == null ? Map.of() : Map.of("kms:EncryptionContext:Dept", List.of(dept));
      batch[i] = new Request("r" + i, callers[r.nextInt(callers.length)], actions[r.nextInt(actions.length)], KEY, ctx);
    }
    Decision d = authorizer.authorize(single);
    if (!d.verdict().allowed()) {
      throw new IllegalStateException("benchmark request should be allowed: " + d);
    }
    setUpRealAccount(key, principals, full, scp);
  }

  /** The same key and principals in a three-level organization tree with an RCP, and a session policy. */
  private void setUpRealAccount(KmsKey key, List<IamPrincipal> principals, String full, String scp) {
    String rcp = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Perimeter\",\"Effect\":\"Deny\","
        + "\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEqualsIfExists\":"
        + "{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"},\"Bool\":{\"aws:PrincipalIsAWSService\":\"false\"}}}]}";
    PolicyDocument fullScp = parse("FullAWSAccess", PolicyType.SCP, full);
    dev.keyward.world.OrganizationalUnit data = new dev.keyward.world.OrganizationalUnit("ou-ab12-22222222", "Data",
        List.of(fullScp), List.of(),
        List.of("111111111111"), List.of(), SourceRef.none());
    dev.keyward.world.OrganizationalUnit prod = new dev.keyward.world.OrganizationalUnit("ou-ab12-11111111", "Prod",
        List.of(fullScp), List.of(parse("perimeter", PolicyType.RCP, rcp)), List.of("222222222222"), List.of(data),
        SourceRef.none());
    Organization org = new Organization("o-a1b2c3d4e5", "r-ab12", "999999999999",
        List.of("111111111111", "222222222222"), List.of(fullScp, parse("deny-key-deletion", PolicyType.SCP, scp)),
        List.of(), List.of(prod), SourceRef.none());
    World world = new World("bench-real", List.of(org), List.of(), principals, List.of(key), SourceRef.none());
    realAuthorizer = Authorizer.create(world);
    dev.keyward.request.Session session = new dev.keyward.request.Session(Map.of("team", "finance"),
        List.of(parse("session-policy", PolicyType.IDENTITY, doc("{\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\","
            + "\"kms:GenerateDataKey*\"],\"Resource\":\"*\"}"))), "alice");
    realSingle = new Request("1", "arn:aws:sts::111111111111:assumed-role/App/worker", "kms:Decrypt", KEY,
        Map.of("kms:EncryptionContext:Dept", List.of("finance")), session);
    Decision d = realAuthorizer.authorize(realSingle);
    if (!d.verdict().allowed()) {
      throw new IllegalStateException("real-account benchmark request should be allowed: " + d);
    }
  }

  @Benchmark
  public Decision realAccount() {
    return realAuthorizer.authorize(realSingle);
  }

  @Benchmark
  public Decision single() {
    return authorizer.authorize(single);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void batch(Blackhole bh) {
    for (Request r : batch) {
      bh.consume(authorizer.authorize(r));
    }
  }
}
