package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import dev.keyward.request.Request;
import dev.keyward.world.RequestReader;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federated user sessions (GetFederationToken) and transitive session tags of role chains (AssumeRole), each
 * rule with the AWS documentation that decides it (docs/evaluation.md, section 3).
 */
class FederatedAndChainedSessionsTest {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String FED = "arn:aws:sts::111111111111:federated-user/bob-app";
  static final String USER = "arn:aws:iam::111111111111:user/people/bob";
  static final String ALLOW_KMS = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:*', Resource: '*'}]}";

  @TempDir Path dir;

  Authorizer authorizer(String... lines) throws IOException {
    WorldLoadResult r = load(lines);
    assertThat(r.problems().stream().filter(Problem::isError).map(Problem::display).toList()).isEmpty();
    return Authorizer.create(r.world());
  }

  WorldLoadResult load(String... lines) throws IOException {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, String.join("\n", lines) + "\n");
    return WorldLoader.create().load(world, "world.yaml");
  }

  static String[] federationWorld() {
    return new String[] {
        "principals:",
        "  - arn: " + USER,
        "    tags: {team: ops, cost: cc1}",
        "    policies: [{document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['kms:Decrypt', 'kms:Encrypt',"
            + " 'kms:GenerateMac', 'kms:DescribeKey', 'kms:ReEncryptFrom'], Resource: '*'}]}}]",
        "  - arn: arn:aws:iam::111111111111:role/Chain",
        "    tags: {team: ops}",
        "    policies: [{document: " + ALLOW_KMS + "}]",
        "keys:",
        "  - arn: " + KEY,
        "    policy: {document: {Version: '2012-10-17', Statement: [",
        "      {Sid: root, Effect: Allow, Principal: {AWS: 'arn:aws:iam::111111111111:root'}, Action: 'kms:*', Resource: '*'},",
        "      {Sid: byFederatedUser, Effect: Allow, Principal: {AWS: '" + FED + "'}, Action: 'kms:Sign', Resource: '*'},",
        "      {Sid: byUser, Effect: Allow, Principal: {AWS: '" + USER + "'}, Action: 'kms:Verify', Resource: '*'},",
        "      {Sid: fedType, Effect: Deny, Principal: '*', Action: 'kms:GenerateMac', Resource: '*',",
        "       Condition: {StringNotEquals: {'aws:PrincipalType': FederatedUser, 'aws:PrincipalArn': '" + FED + "'}}},",
        "      {Sid: finOnly, Effect: Deny, Principal: '*', Action: 'kms:ReEncryptFrom', Resource: '*',",
        "       Condition: {StringNotEquals: {'aws:PrincipalTag/team': fin}}},",
        "      {Sid: projectOnly, Effect: Deny, Principal: '*', Action: 'kms:ReEncryptTo', Resource: '*',",
        "       Condition: {StringNotEquals: {'aws:PrincipalTag/project': blue}}}]}}"};
  }

  static final String ONLY_DECRYPT = "{\"document\": {\"Version\": \"2012-10-17\", \"Statement\":"
      + " [{\"Effect\": \"Allow\", \"Action\": [\"kms:Decrypt\", \"kms:GenerateMac\", \"kms:Verify\"], \"Resource\": \"*\"}]}}";
  static final String ALL = "{\"document\": {\"Version\": \"2012-10-17\", \"Statement\":"
      + " [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}}";

  static String fed(String action, String session) {
    return "{\"principal\": \"" + FED + "\", \"action\": \"" + action + "\", \"resource\": \"" + KEY + "\""
        + (session == null ? "" : ", \"session\": " + session) + "}";
  }

  static String chained(String action, String session) {
    return "{\"principal\": \"arn:aws:sts::111111111111:assumed-role/Chain/s2\", \"action\": \"" + action
        + "\", \"resource\": \"" + KEY + "\", \"session\": " + session + "}";
  }

  RequestReader.Result read(Authorizer a, String... lines) {
    return RequestReader.create(a.index()).readAll(String.join("\n", lines), "requests.jsonl");
  }

  List<Decision> batch(Authorizer a, String... lines) {
    RequestReader.Result r = read(a, lines);
    assertThat(r.problems()).isEmpty();
    return r.requests().stream().map(a::authorize).toList();
  }

  // ---- federated users (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html)

  @Test
  void federatedUser_hasTheIntersectionOfItsUsersPoliciesAndItsSessionPolicy() throws IOException {
    Authorizer a = authorizer(federationWorld());
    String by = "\"federatedBy\": \"" + USER + "\"";
    List<Decision> d = batch(a,
        fed("kms:Decrypt", "{" + by + ", \"policies\": [" + ONLY_DECRYPT + "]}"),
        fed("kms:Encrypt", "{" + by + ", \"policies\": [" + ONLY_DECRYPT + "]}"),
        fed("kms:Encrypt", "{" + by + ", \"policies\": [" + ALL + "]}"),
        fed("kms:CreateGrant", "{" + by + ", \"policies\": [" + ALL + "]}"),
        fed("kms:Decrypt", "{" + by + "}"));

    assertThat(d.get(0).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.get(1).verdict()).as("the session policy does not allow it").isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.get(1).reasons()).anySatisfy(r -> assertThat(r.message()).contains("session policies of `" + FED
        + "`"));
    assertThat(d.get(2).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(d.get(3).verdict()).as("the user's policies do not allow it").isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.get(4).verdict()).as("no session policy: no permissions").isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.get(4).reasons()).anySatisfy(r -> assertThat(r.message()).contains("has no session policy"));
  }

  @Test
  void federatedUser_namedByAKeyPolicy_needsNoSessionPolicy_butNamingItsUserIsLimitedByIt() throws IOException {
    Authorizer a = authorizer(federationWorld());
    String by = "\"federatedBy\": \"" + USER + "\"";
    List<Decision> d = batch(a,
        fed("kms:Sign", "{" + by + "}"),
        fed("kms:Verify", "{" + by + "}"),
        fed("kms:Verify", "{" + by + ", \"policies\": [" + ONLY_DECRYPT + "]}"));

    assertThat(d.get(0).verdict()).as("a resource policy naming the federated user session").isEqualTo(Verdict.ALLOW);
    assertThat(d.get(1).verdict()).as("naming the user: limited by the (missing) session policy")
        .isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(d.get(2).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void federatedUser_principalArnAndTypeAndTags() throws IOException {
    Authorizer a = authorizer(federationWorld());
    String by = "\"federatedBy\": \"" + USER + "\", \"policies\": [" + ALL + "]";
    List<Decision> d = batch(a,
        fed("kms:GenerateMac", "{" + by + "}"),
        fed("kms:ReEncryptFrom", "{" + by + "}"),
        fed("kms:ReEncryptFrom", "{" + by + ", \"tags\": {\"Team\": \"fin\"}}"));

    assertThat(d.get(0).verdict()).as("aws:PrincipalType FederatedUser, aws:PrincipalArn its own ARN")
        .isEqualTo(Verdict.ALLOW);
    assertThat(d.get(1).verdict()).as("the user's tag team=ops").isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.get(2).verdict()).as("a session tag wins over the user's tag").isEqualTo(Verdict.ALLOW);
    assertThat(a.authorize(new Request("", USER, "kms:GenerateMac", KEY, Map.of())).verdict())
        .as("the user itself is no federated user").isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void read_badFederatedSessions_areLocatedProblems() throws IOException {
    Authorizer a = authorizer(federationWorld());
    RequestReader.Result r = read(a,
        fed("kms:Decrypt", null),
        fed("kms:Decrypt", "{\"federatedBy\": \"arn:aws:iam::222222222222:user/bob\"}"),
        fed("kms:Decrypt", "{\"federatedBy\": \"" + USER + "\", \"sourceIdentity\": \"x\"}"),
        fed("kms:Decrypt", "{\"federatedBy\": \"" + USER + "\", \"tags\": {\"a\": \"1\"}, \"transitiveTagKeys\": [\"a\"]}"),
        chained("kms:Decrypt", "{\"federatedBy\": \"" + USER + "\"}"));

    assertThat(r.requests()).isEmpty();
    assertThat(r.problems()).extracting(Problem::code).containsExactly("request.federated-user-without-user",
        "request.invalid-federated-by", "request.federated-user-source-identity", "request.federated-user-chain",
        "request.federated-by-on-role-session");
    assertThat(r.problems().get(0).display()).startsWith("requests.jsonl:1:");
    assertThat(r.problems().get(1).display()).startsWith("requests.jsonl:2:");
    assertThat(r.problems().get(1).message()).contains("an IAM user of account 111111111111");
  }

  @Test
  void load_federatedUserIdentity_carriesItsUserToTheServer() throws IOException {
    String[] w = federationWorld();
    String[] lines = java.util.Arrays.copyOf(w, w.length + 5);
    lines[w.length] = "identities:";
    lines[w.length + 1] = "  - accessKeyId: ASIAEXAMPLEFED00001";
    lines[w.length + 2] = "    secretAccessKey: secret";
    lines[w.length + 3] = "    principal: " + FED;
    lines[w.length + 4] = "    session: {federatedBy: '" + USER + "', policies: [{arn: arn:aws:iam::aws:policy/AWSDenyAll}]}";
    WorldLoadResult r = load(lines);
    assertThat(r.problems().stream().filter(Problem::isError).toList()).isEmpty();
    dev.keyward.request.Session s = r.world().identities().get(0).session();
    assertThat(s.federatedBy()).isEqualTo(USER);
    assertThat(Authorizer.create(r.world()).authorize(new Request("", FED, "kms:Decrypt", KEY, Map.of(), s))
        .verdict()).isEqualTo(Verdict.EXPLICIT_DENY);

    lines[w.length + 4] = "    session: {policies: []}";
    assertThat(load(lines).problems()).extracting(Problem::code).contains("session.federated-user-without-user");
  }

  // ---- transitive tags (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining)

  @Test
  void transitiveTagsOfTheChain_areTheSessionsTags() throws IOException {
    Authorizer a = authorizer(federationWorld());
    List<Decision> d = batch(a,
        chained("kms:ReEncryptTo", "{\"chain\": [{\"role\": \"arn:aws:iam::222222222222:role/First\","
            + " \"tags\": {\"Project\": \"blue\", \"team\": \"fin\"}, \"transitiveTagKeys\": [\"Project\"]}]}"),
        chained("kms:ReEncryptFrom", "{\"chain\": [{\"tags\": {\"Project\": \"blue\", \"team\": \"fin\"},"
            + " \"transitiveTagKeys\": [\"Project\"]}]}"),
        chained("kms:ReEncryptTo", "{\"chain\": [{\"tags\": {\"Project\": \"blue\"}}]}"),
        chained("kms:ReEncryptFrom", "{\"tags\": {\"team\": \"fin\"}, \"transitiveTagKeys\": [\"team\"],"
            + " \"chain\": [{\"tags\": {\"project\": \"blue\"}, \"transitiveTagKeys\": [\"project\"]}]}"));

    assertThat(d.get(0).verdict()).as("an inherited transitive tag").isEqualTo(Verdict.ALLOW);
    assertThat(d.get(1).verdict()).as("a tag not set as transitive does not pass on").isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.get(2).verdict()).as("no transitive keys: nothing passes on").isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.get(3).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void read_aSessionOverridingAnInheritedTransitiveTag_isALocatedError() throws IOException {
    Authorizer a = authorizer(federationWorld());
    RequestReader.Result r = read(a,
        chained("kms:Decrypt", "{\"tags\": {\"PROJECT\": \"red\"}, \"chain\": [{\"tags\": {\"project\": \"blue\"},"
            + " \"transitiveTagKeys\": [\"project\"]}]}"),
        chained("kms:Decrypt", "{\"chain\": [{\"tags\": {\"project\": \"blue\"}, \"transitiveTagKeys\": [\"project\"]},"
            + " {\"tags\": {\"project\": \"red\"}}]}"),
        chained("kms:Decrypt", "{\"tags\": {\"a\": \"1\"}, \"transitiveTagKeys\": [\"b\"]}"),
        chained("kms:Decrypt", "{\"chain\": [{\"role\": \"Chain\"}]}"),
        chained("kms:Decrypt", "{\"chain\": [{\"tag\": {}}]}"));

    assertThat(r.requests()).isEmpty();
    assertThat(r.problems()).extracting(Problem::code).containsExactly("session.transitive-tag-overridden",
        "session.transitive-tag-overridden", "session.transitive-key-not-a-tag", "session.invalid-chain-role",
        "session.unknown-field");
    assertThat(r.problems().get(0).message()).contains("AssumeRole fails").contains("chain/0")
        .contains("API_AssumeRole.html");
    assertThat(r.problems().get(0).display()).startsWith("requests.jsonl:1:");
    assertThat(r.problems().get(4).message()).contains("did you mean `tags`?");
  }

  @Test
  void oldRequestLines_stayValid() throws IOException {
    Authorizer a = authorizer(federationWorld());
    List<Decision> d = batch(a, chained("kms:Decrypt", "{\"tags\": {\"team\": \"fin\"}, \"sourceIdentity\": \"al\"}"),
        "{\"principal\": \"arn:aws:iam::111111111111:role/Chain\", \"action\": \"kms:Decrypt\", \"resource\": \"" + KEY
            + "\"}");
    assertThat(d).extracting(Decision::verdict).containsExactly(Verdict.ALLOW, Verdict.ALLOW);
  }
}
