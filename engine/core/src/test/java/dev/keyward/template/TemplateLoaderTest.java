package dev.keyward.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.Authorizer;
import dev.keyward.request.Request;
import dev.keyward.eval.Verdict;
import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Problem;
import dev.keyward.model.Statement;
import dev.keyward.world.AwsManagedPolicies;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateLoaderTest {

  static final Path DIR = Path.of("src/test/resources/templates");
  static final TemplateInputs DEPLOYED = new TemplateInputs(Map.of(), "111111111111", "us-east-1");
  /** A role's trust policy line, as the role resources of these tests write it. */
  static final String EC2_TRUST = "      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow,"
      + " Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}";

  static Template load(String file, TemplateInputs in) {
    TemplateResult r = TemplateLoader.create().load(DIR.resolve(file), file, in);
    assertThat(r.problems()).noneMatch(Problem::isError);
    return r.template();
  }

  static TemplateResult result(String yaml, TemplateInputs in) {
    return TemplateLoader.create().read(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml", in);
  }

  static Template.PolicySite site(Template t, String owner, dev.keyward.model.PolicyType type) {
    return t.policies().stream().filter(p -> p.owner().equals(owner) && p.type() == type).findFirst().orElseThrow();
  }

  @Test
  void detect_templateAndPlanAndWorld_byContent() {
    assertThat(TemplateLoader.create().load(DIR.resolve("finance-key.yaml"), "f", TemplateInputs.none()).template().kind())
        .isEqualTo(Template.Kind.CLOUDFORMATION);
    assertThat(TemplateLoader.create().load(DIR.resolve("finance-plan.json"), "f", TemplateInputs.none()).template()
        .kind()).isEqualTo(Template.Kind.TERRAFORM_PLAN);
    TemplateResult world = TemplateLoader.create().load(DIR.resolve("finance-key-world.yaml"), "w", TemplateInputs.none());
    assertThat(world.template()).isNull();
    assertThat(world.problems()).extracting(Problem::code).containsExactly("template.not-a-template");
  }

  @Test
  void cloudFormationYaml_shortTagsResolved_keyPolicyKeepsTemplateLines() {
    Template t = load("finance-key.yaml", DEPLOYED);
    Template.TemplateKey key = t.keys().get(0);
    assertThat(key.arn()).isEqualTo("arn:aws:kms:us-east-1:111111111111:key/FinanceKey");
    assertThat(key.metadata().aliases()).containsExactly("alias/finance");
    assertThat(key.metadata().rotationEnabled()).isTrue();
    assertThat(key.pendingWindowDays()).isEqualTo(7);
    PolicyDocument policy = key.policy();
    Statement admin = policy.statements().get(1);
    assertThat(admin.sid()).isEqualTo("AllowKeyAdministration");
    assertThat(admin.principal().values().get(0).value()).isEqualTo("arn:aws:iam::111111111111:role/KeyAdmin");
    assertThat(admin.principal().values().get(0).source().line()).isEqualTo(33);
    assertThat(admin.principal().values().get(0).source().pointer())
        .isEqualTo("/Resources/FinanceKey/Properties/KeyPolicy/Statement/1/Principal/AWS");
    assertThat(policy.statements().get(0).principal().values().get(0).value())
        .isEqualTo("arn:aws:iam::111111111111:root");
    assertThat(policy.statements().get(2).conditions().get(0).values().get(0).text())
        .isEqualTo("s3.us-east-1.amazonaws.com");
    assertThat(policy.statements().get(2).principal().values().get(0).value())
        .isEqualTo("arn:aws:iam::222222222222:role/Analyst");
  }

  @Test
  void cloudFormation_rolesGetInlineAndManagedPolicies() {
    Template t = load("finance-key.yaml", DEPLOYED);
    Template.TemplatePrincipal reporting = t.principals().stream()
        .filter(p -> p.id().equals("ReportingRole")).findFirst().orElseThrow();
    assertThat(reporting.arn()).isEqualTo("arn:aws:iam::111111111111:role/Reporting");
    assertThat(reporting.policies()).extracting(PolicyDocument::name).containsExactly(
        "finance-key.yaml#ReportingRole.Policies.deny-key-deletion", "finance-key.yaml#FinanceReadPolicy.PolicyDocument");
    assertThat(site(t, "KeyAdminRole", dev.keyward.model.PolicyType.TRUST).written()).isNotNull();
  }

  @Test
  void cloudFormationJson_replicatedBucket_encryptionReplicationAndPolicy() {
    Template t = load("replicated-buckets.json", DEPLOYED);
    assertThat(t.buckets()).hasSize(1);
    var b = t.buckets().get(0);
    assertThat(b.name()).isEqualTo("finance-data-111111111111");
    assertThat(b.encryption().type()).isEqualTo("SSE-KMS");
    assertThat(b.encryption().key()).isEqualTo("arn:aws:kms:us-east-1:111111111111:key/SourceKey");
    assertThat(b.encryption().bucketKey()).isTrue();
    assertThat(b.replication().role()).isEqualTo("arn:aws:iam::111111111111:role/ReplicationRole");
    var rule = b.replication().rules().get(0);
    assertThat(rule.destinationBucket()).isEqualTo("finance-backup-222222222222");
    assertThat(rule.destinationAccount()).isEqualTo("222222222222");
    assertThat(rule.sseKmsEncryptedObjects()).isTrue();
    assertThat(rule.replicaKmsKeyId()).isEqualTo("arn:aws:kms:us-west-2:222222222222:key/2222abcd-22ab-22cd-22ef-222222222222");
    assertThat(b.policy().statements().get(0).resource().patterns()).extracting(l -> l.value())
        .containsExactly("arn:aws:s3:::finance-data-111111111111", "arn:aws:s3:::finance-data-111111111111/*");
    assertThat(b.source().line()).isEqualTo(30);
  }

  @Test
  void parameter_overridesDefault() {
    Template t = load("replicated-buckets.json", new TemplateInputs(Map.of("DestinationBucketName", "other-bucket"),
        "111111111111", "us-east-1"));
    assertThat(t.buckets().get(0).replication().rules().get(0).destinationBucket()).isEqualTo("other-bucket");
  }

  @Test
  void unknownAccount_allowStatementsWithUnknownPrincipalAllowNothing_warningAtTemplateLine() {
    TemplateResult r = TemplateLoader.create().load(DIR.resolve("finance-key.yaml"), "finance-key.yaml",
        TemplateInputs.none());
    Template.TemplateKey key = r.template().keys().get(0);
    assertThat(key.arn()).isNull();
    Statement admin = key.policy().statements().get(1);
    assertThat(admin.effect()).isEqualTo(Effect.ALLOW);
    assertThat(admin.action().patterns()).isEmpty();
    Problem w = r.problems().stream().filter(p -> p.message().contains("AllowKeyAdministration")).findFirst().orElseThrow();
    assertThat(w.code()).isEqualTo("template.unknown");
    assertThat(w.where().line()).isEqualTo(33);
    assertThat(w.message()).contains("`!GetAtt KeyAdminRole.Arn`");
    Problem imported = r.problems().stream().filter(p -> p.message().contains("AllowAuditorFromOtherStack"))
        .findFirst().orElseThrow();
    assertThat(imported.where().line()).isEqualTo(62);
    assertThat(TemplateWorld.toWorld(r.template()).problems()).extracting(Problem::code).contains("template.needs-account");
  }

  @Test
  void unresolvedGetAttPrincipal_neverAllows_evenForTheRoleItMightBe() {
    String yaml = String.join("\n",
        "Resources:",
        "  Key:",
        "    Type: AWS::KMS::Key",
        "    Properties:",
        "      KeyPolicy:",
        "        Version: '2012-10-17'",
        "        Statement:",
        "          - Sid: UseByOther",
        "            Effect: Allow",
        "            Principal: { AWS: [!GetAtt Other.Arn, 'arn:aws:iam::111111111111:role/Known'] }",
        "            Action: kms:Decrypt",
        "            Resource: '*'",
        "          - Sid: ConditionOnUnknown",
        "            Effect: Allow",
        "            Principal: { AWS: '*' }",
        "            Action: kms:Encrypt",
        "            Resource: '*'",
        "            Condition: { StringNotEquals: { aws:PrincipalArn: !ImportValue blocked-role } }",
        "");
    TemplateResult r = result(yaml, DEPLOYED);
    World w = TemplateWorld.toWorld(r.template()).world();
    Authorizer a = Authorizer.create(w);
    String key = "arn:aws:kms:us-east-1:111111111111:key/Key";
    for (String who : List.of("arn:aws:iam::111111111111:role/Other", "arn:aws:iam::222222222222:role/Other",
        "arn:aws:iam::111111111111:root")) {
      assertThat(a.authorize(new Request("r", who, "kms:Decrypt", key, Map.of())).verdict()).isNotEqualTo(Verdict.ALLOW);
      assertThat(a.authorize(new Request("r", who, "kms:Encrypt", key, Map.of())).verdict()).isNotEqualTo(Verdict.ALLOW);
    }
    // the known entry beside the unknown one still counts
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:role/Known", "kms:Decrypt", key, Map.of()))
        .verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void unknownInDeny_widened_deniesEveryone() {
    String yaml = String.join("\n",
        "Resources:",
        "  Key:",
        "    Type: AWS::KMS::Key",
        "    Properties:",
        "      KeyPolicy:",
        "        Version: '2012-10-17'",
        "        Statement:",
        "          - Sid: Root",
        "            Effect: Allow",
        "            Principal: { AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root' }",
        "            Action: 'kms:*'",
        "            Resource: '*'",
        "          - Sid: DenyOutsideOrg",
        "            Effect: Deny",
        "            Principal: { AWS: !GetAtt Other.Arn }",
        "            Action: kms:Decrypt",
        "            Resource: '*'",
        "            Condition: { StringNotEquals: { aws:PrincipalOrgID: !ImportValue org-id } }",
        "");
    TemplateResult r = result(yaml, DEPLOYED);
    World w = TemplateWorld.toWorld(r.template()).world();
    KmsKey k = w.keys().get(0);
    Statement deny = k.policy().statements().get(1);
    assertThat(deny.principal().anyone()).isTrue();
    assertThat(deny.conditions()).isEmpty();
    Authorizer a = Authorizer.create(w);
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:root", "kms:Decrypt", k.arn().toString(),
        Map.of())).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:root", "kms:Encrypt", k.arn().toString(),
        Map.of())).verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void conditions_ifAndEqualsWithKnownParameter_pickTheBranch() {
    String yaml = String.join("\n",
        "Parameters: { Env: { Type: String } }",
        "Conditions: { IsProd: !Equals [!Ref Env, prod] }",
        "Resources:",
        "  Key:",
        "    Type: AWS::KMS::Key",
        "    Properties:",
        "      EnableKeyRotation: !If [IsProd, true, false]",
        "      KeyPolicy:",
        "        Version: '2012-10-17'",
        "        Statement:",
        "          - Effect: Allow",
        "            Principal: { AWS: !Join ['', ['arn:aws:iam::', !Select [1, !Split [',', 'a,111111111111']], ':root']] }",
        "            Action: 'kms:*'",
        "            Resource: '*'",
        "");
    Template prod = result(yaml, new TemplateInputs(Map.of("Env", "prod"), "111111111111", "us-east-1")).template();
    assertThat(prod.keys().get(0).metadata().rotationEnabled()).isTrue();
    assertThat(prod.keys().get(0).policy().statements().get(0).principal().values().get(0).value())
        .isEqualTo("arn:aws:iam::111111111111:root");
    Template dev = result(yaml, new TemplateInputs(Map.of("Env", "dev"), "111111111111", "us-east-1")).template();
    assertThat(dev.keys().get(0).metadata().rotationEnabled()).isFalse();
    TemplateResult unknown = result(yaml, DEPLOYED);
    assertThat(unknown.template().keys().get(0).metadata().rotationEnabled()).isNull();
  }

  @Test
  void terraformPlan_keyAliasGrantRolesFromReferences_policyLocatedAtAddress() {
    Template t = load("finance-plan.json", TemplateInputs.none());
    assertThat(t.account()).isEqualTo("111111111111");
    assertThat(t.region()).isEqualTo("us-east-1");
    Template.TemplateKey key = t.keys().get(0);
    assertThat(key.arn()).isEqualTo("arn:aws:kms:us-east-1:111111111111:key/aws_kms_key.finance");
    assertThat(key.metadata().aliases()).containsExactly("alias/finance");
    assertThat(key.grants()).hasSize(1);
    assertThat(key.grants().get(0).grantee()).isEqualTo("arn:aws:iam::111111111111:role/BatchJob");
    assertThat(key.grants().get(0).encryptionContextSubset()).containsEntry("Dept", "Finance");
    Statement analytics = key.policy().statements().get(1);
    assertThat(analytics.principal().values().get(0).source().file()).isEqualTo("finance-key.json".replace("key",
        "plan") + "#aws_kms_key.finance");
    assertThat(analytics.principal().values().get(0).source().pointer()).isEqualTo("/Statement/1/Principal/AWS");
    assertThat(analytics.principal().values().get(0).source().line()).isEqualTo(170);
    Template.TemplatePrincipal reporting = t.principals().stream()
        .filter(p -> p.id().equals("aws_iam_role.reporting")).findFirst().orElseThrow();
    assertThat(reporting.policies()).extracting(PolicyDocument::name).containsExactly(
        "finance-plan.json#aws_iam_role_policy.deny_deletion.policy", "finance-plan.json#aws_iam_policy.finance_read.policy");
  }

  @Test
  void terraformPlan_policyKnownAfterApply_deniesEverythingForItsRole() {
    Template t = load("finance-plan.json", TemplateInputs.none());
    Authorizer a = Authorizer.create(TemplateWorld.toWorld(t).world());
    String key = "arn:aws:kms:us-east-1:111111111111:key/aws_kms_key.finance";
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:role/Reporting", "kms:Decrypt", key, Map.of()))
        .verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:role/BatchJob", "kms:Decrypt", key,
        Map.of("kms:EncryptionContext:Dept", List.of("Finance")))).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:role/BatchJob", "kms:Decrypt", key,
        Map.of("kms:EncryptionContext:Dept", List.of("Sales")))).verdict()).isNotEqualTo(Verdict.ALLOW);
  }

  @Test
  void terraformPlan_replicaOnAliasedProvider_bucketsAndLaunchPermissionsFromNestedReferences() {
    Template t = load("replication-plan.json", new TemplateInputs(Map.of(), "111111111111", null));
    assertThat(t.region()).isEqualTo("us-east-1");
    Template.TemplateKey primary = t.keys().get(0);
    Template.TemplateKey replica = t.keys().get(1);
    assertThat(primary.metadata().multiRegionRole()).isEqualTo("PRIMARY");
    assertThat(primary.declaredAt().get("MultiRegion").line()).isEqualTo(71);
    assertThat(replica.arn()).isEqualTo("arn:aws:kms:us-west-2:111111111111:key/aws_kms_replica_key.replica");
    assertThat(replica.metadata().multiRegionRole()).isEqualTo("REPLICA");
    assertThat(replica.metadata().primaryArn()).isEqualTo(primary.arn());
    var b = t.buckets().get(0);
    assertThat(b.name()).isEqualTo("finance-data-111111111111");
    assertThat(b.encryption().type()).isEqualTo("SSE-KMS");
    assertThat(b.encryption().key()).isEqualTo(primary.arn());
    assertThat(b.encryption().bucketKey()).isTrue();
    assertThat(b.policy().statements().get(0).sid()).isEqualTo("DenyInsecureTransport");
    assertThat(b.replication().role()).isEqualTo("arn:aws:iam::111111111111:role/s3-replication");
    var rule = b.replication().rules().get(0);
    assertThat(rule.destinationBucket()).isEqualTo("finance-backup-222222222222");
    assertThat(rule.sseKmsEncryptedObjects()).isTrue();
    assertThat(t.images()).hasSize(1);
    assertThat(t.images().get(0).launchPermissions().accounts()).containsExactly("222222222222");
    assertThat(t.principals().get(0).policies()).hasSize(1);
    assertThat(TemplateChecks.create().check(t)).isEmpty();
  }

  @Test
  void resourceUnderUnknownCondition_itsAllowsCountForNothing_itsDeniesCount() {
    String yaml = String.join("\n",
        "Parameters: { Env: { Type: String } }",
        "Conditions: { IsProd: !Equals [!Ref Env, prod] }",
        "Resources:",
        "  Role:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      RoleName: App",
        EC2_TRUST,
        "  ProdAccess:",
        "    Type: AWS::IAM::Policy",
        "    Condition: IsProd",
        "    Properties:",
        "      PolicyName: prod",
        "      Roles: [!Ref Role]",
        "      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sqs:SendMessage', Resource: '*'},"
            + " {Effect: Deny, Action: 'sqs:DeleteQueue', Resource: '*'}]}",
        "");
    TemplateResult r = result(yaml, DEPLOYED);
    assertThat(r.problems()).extracting(Problem::code).contains("template.conditional-resource");
    Authorizer a = Authorizer.create(TemplateWorld.toWorld(r.template()).world());
    String role = "arn:aws:iam::111111111111:role/App";
    assertThat(a.authorize(new Request("r", role, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q", Map.of())).verdict())
        .isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(a.authorize(new Request("r", role, "sqs:DeleteQueue", "arn:aws:sqs:us-east-1:111111111111:q", Map.of())).verdict())
        .isEqualTo(Verdict.EXPLICIT_DENY);
    TemplateResult prod = result(yaml, new TemplateInputs(Map.of("Env", "prod"), "111111111111", "us-east-1"));
    Authorizer p = Authorizer.create(TemplateWorld.toWorld(prod.template()).world());
    assertThat(p.authorize(new Request("r", role, "sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:q", Map.of())).verdict())
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void anyTruncationOrByteFlip_ofTheFixtures_neverThrows() throws Exception {
    for (String f : List.of("finance-key.yaml", "replicated-buckets.json", "finance-plan.json",
        "replication-plan.json")) {
      byte[] all = java.nio.file.Files.readAllBytes(DIR.resolve(f));
      java.util.Random random = new java.util.Random(f.hashCode());
      for (int i = 0; i < 150; i++) {
        byte[] b = java.util.Arrays.copyOf(all, 1 + random.nextInt(all.length));
        if (i % 2 == 0) {
          b = all.clone();
          for (int k = 0; k < 3; k++) {
            b[random.nextInt(b.length)] = (byte) "{}[]:,\"0 a\n-".charAt(random.nextInt(12));
          }
        }
        TemplateResult r = TemplateLoader.create().read(b, f, DEPLOYED);
        if (r.template() != null) {
          TemplateWorld.toWorld(r.template());
          TemplateChecks.create().check(r.template());
          new TemplatePolicies().read(b, f);
        }
      }
    }
  }

  @Test
  void permissionsBoundaryNotInTheTemplate_allowsNothing() {
    String yaml = String.join("\n",
        "Resources:",
        "  Role:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      RoleName: App",
        "      PermissionsBoundary: arn:aws:iam::111111111111:policy/team-boundary",
        EC2_TRUST,
        "      Policies:",
        "        - PolicyName: send",
        "          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'sqs:SendMessage', "
            + "Resource: '*'}]}",
        "");
    TemplateResult r = result(yaml, DEPLOYED);
    Problem w = r.problems().stream().filter(p -> p.code().equals("template.external-policy")).findFirst().orElseThrow();
    assertThat(w.where().line()).isEqualTo(6);
    Authorizer a = Authorizer.create(TemplateWorld.toWorld(r.template()).world());
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:role/App", "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111111111111:q", Map.of())).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void ecrRepositoryPolicy_statementsWithoutResource_areNotAProblem_butATopicPolicysAre() {
    String yaml = String.join("\n",
        "Resources:",
        "  Repo:",
        "    Type: AWS::ECR::Repository",
        "    Properties:",
        "      RepositoryPolicyText: {Version: '2012-10-17', Statement: [{Sid: Pull, Effect: Allow, "
            + "Principal: {AWS: 'arn:aws:iam::222222222222:root'}, Action: 'ecr:BatchGetImage'}]}",
        "  TopicPolicy:",
        "    Type: AWS::SNS::TopicPolicy",
        "    Properties:",
        "      Topics: [arn:aws:sns:us-east-1:111111111111:t]",
        "      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, "
            + "Principal: {AWS: 'arn:aws:iam::222222222222:root'}, Action: 'sns:Publish'}]}",
        "");
    TemplateResult r = result(yaml, DEPLOYED);
    assertThat(r.problems()).filteredOn(p -> p.code().equals("policy.missing-resource"))
        .singleElement().satisfies(p -> assertThat(p.where().line()).isEqualTo(10));
  }

  @Test
  void wholePolicyUnknown_writtenOverSeveralLines_isQuotedOnOneLine() {
    String yaml = String.join("\n",
        "Resources:",
        "  Role:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument: !Sub |",
        "        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",",
        "          \"Principal\": {\"Federated\": \"${Provider}\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\"}]}",
        "");
    TemplateResult r = result(yaml, DEPLOYED);
    assertThat(r.problems()).filteredOn(p -> p.code().equals("template.unknown")).singleElement()
        .satisfies(p -> assertThat(p.message()).doesNotContain("\n")
            .contains("`{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Fe...`"));
  }

  @Test
  void awsManagedPolicyAttachedByArn_isReadWithItsStatements() {
    String yaml = String.join("\n",
        "Resources:",
        "  Role:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      RoleName: App",
        EC2_TRUST,
        "      ManagedPolicyArns:",
        "        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonSQSFullAccess",
        "        - arn:aws:iam::111111111111:policy/not-in-this-template",
        "  Locked:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      RoleName: Locked",
        EC2_TRUST,
        "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSQSFullAccess, arn:aws:iam::aws:policy/AWSDenyAll]",
        "");
    TemplateResult r = result(yaml, DEPLOYED);
    assertThat(r.problems()).filteredOn(p -> p.code().equals("template.external-policy"))
        .singleElement().satisfies(p -> assertThat(p.message()).contains("not-in-this-template"));
    Authorizer a = Authorizer.create(TemplateWorld.toWorld(r.template()).world());
    String queue = "arn:aws:sqs:us-east-1:111111111111:q";
    var allowed = a.authorize(new Request("r", "arn:aws:iam::111111111111:role/App", "sqs:SendMessage", queue,
        Map.of()));
    assertThat(allowed.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(allowed.reasons()).anySatisfy(x ->
        assertThat(x.policy()).isEqualTo("arn:aws:iam::aws:policy/AmazonSQSFullAccess"));
    // the wrong ALLOW this closes: a Deny in an AWS managed policy attached by ARN
    var denied = a.authorize(new Request("r", "arn:aws:iam::111111111111:role/Locked", "sqs:SendMessage", queue,
        Map.of()));
    assertThat(denied.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(denied.reasons()).anySatisfy(x -> assertThat(x.policy()).isEqualTo("arn:aws:iam::aws:policy/AWSDenyAll"));
  }

  @Test
  void awsManagedPolicyAttachedInATerraformPlan_isReadWithItsStatements() {
    String plan = "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": ["
        + "{\"address\": \"aws_iam_role.app\", \"mode\": \"managed\", \"type\": \"aws_iam_role\", \"name\": \"app\","
        + " \"values\": {\"name\": \"App\", \"path\": \"/\", \"assume_role_policy\": \"{\\\"Version\\\":"
        + " \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\":"
        + " {\\\"Service\\\": \\\"ec2.amazonaws.com\\\"}, \\\"Action\\\": \\\"sts:AssumeRole\\\"}]}\"}},"
        + "{\"address\": \"aws_iam_role_policy_attachment.sqs\", \"mode\": \"managed\","
        + " \"type\": \"aws_iam_role_policy_attachment\", \"name\": \"sqs\", \"values\": {\"role\": \"App\","
        + " \"policy_arn\": \"arn:aws:iam::aws:policy/AmazonSQSFullAccess\"}},"
        + "{\"address\": \"aws_iam_role_policy_attachment.deny\", \"mode\": \"managed\","
        + " \"type\": \"aws_iam_role_policy_attachment\", \"name\": \"deny\", \"values\": {\"role\": \"App\","
        + " \"policy_arn\": \"arn:aws:iam::aws:policy/AWSDenyAll\"}}]}}}";
    TemplateResult r = TemplateLoader.create().read(plan.getBytes(StandardCharsets.UTF_8), "plan.json", DEPLOYED);
    assertThat(r.problems()).noneMatch(Problem::isError);
    assertThat(r.problems()).extracting(Problem::code).doesNotContain("template.external-policy");
    Authorizer a = Authorizer.create(TemplateWorld.toWorld(r.template()).world());
    assertThat(a.authorize(new Request("r", "arn:aws:iam::111111111111:role/App", "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111111111111:q", Map.of())).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void bundledAwsManagedPolicies_allParse_inEveryPartition() {
    AwsManagedPolicies all = AwsManagedPolicies.bundled();
    assertThat(all.size()).isGreaterThan(1500);
    assertThat(all.policy("arn:aws-us-gov:iam::aws:policy/AWSDenyAll")).hasValueSatisfying(p ->
        assertThat(p.statements()).hasSize(1));
    assertThat(all.policy("arn:aws:iam::aws:policy/service-role/AWSLambdaRole")).isPresent();
    assertThat(all.policy("arn:aws:iam::aws:policy/NoSuchPolicy")).isEmpty();
    assertThat(all.policy("arn:aws:iam::111111111111:policy/AWSDenyAll")).isEmpty();
    assertThat(AwsManagedPolicies.isAwsManagedArn("arn:aws:iam::aws:policy/AWSDenyAll")).isTrue();
    assertThat(AwsManagedPolicies.isAwsManagedArn("arn:aws:s3:::aws:policy/x")).isFalse();
  }

  @Test
  void merge_sameKeyTwice_isAnError() {
    World w = TemplateWorld.toWorld(load("finance-key.yaml", DEPLOYED)).world();
    WorldLoadResult merged = TemplateWorld.merge(List.of(w, w));
    assertThat(merged.problems()).extracting(Problem::code).contains("template.duplicate");
  }
}
