package dev.keyward.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Verdict;
import dev.keyward.model.Problem;
import dev.keyward.request.Request;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SCPs, RCPs and KMS VPC endpoints read from a CloudFormation template ({@code AWS::Organizations::Policy},
 * {@code AWS::EC2::VPCEndpoint}) and a Terraform plan ({@code aws_organizations_policy} with
 * {@code aws_organizations_policy_attachment}, {@code aws_vpc_endpoint}) decide requests as the same parts of a
 * world file do (docs/templates.md).
 */
class TemplateOrganizationTest {

  static final String CFN_KEY = "arn:aws:kms:us-east-1:111111111111:key/FinanceKey";
  static final String TF_KEY = "arn:aws:kms:us-east-1:111111111111:key/aws_kms_key.finance";

  private static World world(String file) {
    TemplateResult t = TemplateLoader.create().load(TemplateLoaderTest.DIR.resolve(file), file,
        TemplateLoaderTest.DEPLOYED);
    assertThat(t.problems()).noneMatch(Problem::isError);
    WorldLoadResult w = TemplateWorld.toWorld(t.template());
    assertThat(w.problems()).noneMatch(Problem::isError);
    return w.world();
  }

  private static Decision decide(World w, String principal, String action, String key, Map<String, List<String>> ctx) {
    return Authorizer.create(w).authorize(new Request("", principal, action, key, ctx));
  }

  @Test
  void cloudFormation_policiesAndEndpointsAreRead_withLocatedWarningsForWhatCannotBeApplied() {
    TemplateResult t = TemplateLoader.create().load(TemplateLoaderTest.DIR.resolve("perimeter.yaml"), "perimeter.yaml",
        TemplateLoaderTest.DEPLOYED);
    Template tpl = t.template();

    // the KMS endpoint only (the S3 endpoint carries no KMS request), named by its logical id
    assertThat(tpl.vpcEndpoints()).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo("KmsEndpoint");
      assertThat(e.vpc()).isEqualTo("vpc-0123abcd");
      assertThat(e.policy().name()).isEqualTo("perimeter.yaml#KmsEndpoint.PolicyDocument");
    });
    // the RCP on the stack's account, the SCP on the analytics account
    assertThat(tpl.accounts()).extracting(dev.keyward.world.Account::id).containsExactly("111111111111", "222222222222");
    assertThat(tpl.accounts().get(0).rcps()).hasSize(1);
    assertThat(tpl.accounts().get(1).scps()).singleElement()
        .satisfies(p -> assertThat(p.statements()).hasSize(2));
    // a policy attached to the root applies to every account of the organization: the two accounts the template
    // attaches policies to are its members
    assertThat(t.problems()).noneMatch(p -> p.code().equals("template.organization-target"));
    assertThat(tpl.organizations()).singleElement().satisfies(o -> {
      assertThat(o.accounts()).containsExactly("111111111111", "222222222222");
      assertThat(o.scps()).singleElement().satisfies(p -> assertThat(p.name())
          .isEqualTo("perimeter.yaml#DecryptThroughTheEndpoint.Content"));
      assertThat(o.id()).isEqualTo(OrganizationParts.UNKNOWN_ORGANIZATION);
    });
    // the organization's id is not in the template: what is assumed is said, where the tree is first written
    assertThat(t.problems()).filteredOn(p -> p.code().equals("template.organization-id")).singleElement()
        .satisfies(p -> {
          assertThat(p.display()).startsWith("perimeter.yaml:74:42: warning: ");
          assertThat(p.message()).contains("taken as `o-unknown`, which equals no real organization id");
        });
  }

  @Test
  void cloudFormation_scpRcpAndEndpointPolicyDecide() {
    World w = world("perimeter.yaml");
    Map<String, List<String>> viaEndpoint = Map.of("aws:SourceVpce", List.of("KmsEndpoint"));

    // the SCP on the analytics account: decrypt only through the endpoint
    Decision d = decide(w, "arn:aws:iam::222222222222:root", "kms:Decrypt", CFN_KEY, Map.of());
    assertThat(d.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> assertThat(r.policy())
        .isEqualTo("perimeter.yaml#DecryptThroughTheEndpoint.Content"));
    // through the endpoint, its policy lets only the stack's account in
    Decision e = decide(w, "arn:aws:iam::222222222222:root", "kms:Decrypt", CFN_KEY, viaEndpoint);
    assertThat(e.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(e.reasons()).anySatisfy(r -> assertThat(r.message()).contains("the policy of VPC endpoint KmsEndpoint"));
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:Decrypt", CFN_KEY, viaEndpoint).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:DescribeKey", CFN_KEY, viaEndpoint).verdict())
        .isEqualTo(Verdict.IMPLICIT_DENY);
    // the RCP on the key's account
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:Decrypt", CFN_KEY,
        Map.of("aws:SourceVpce", List.of("KmsEndpoint"), "aws:SourceIp", List.of("203.0.113.7"))).verdict())
        .isEqualTo(Verdict.EXPLICIT_DENY);
    // without the template's organization parts, the same requests were allowed
    World bare = new World("bare", List.of(), List.of(), w.principals(), w.keys(), w.source());
    assertThat(decide(bare, "arn:aws:iam::222222222222:root", "kms:Decrypt", CFN_KEY, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);
  }

  /** organization.yaml deployed in 111111111111, with the ids CloudFormation would assign given as parameters. */
  static final TemplateInputs ORG_IDS = new TemplateInputs(Map.of("DataAccount", "222222222222",
      "KeyAccount", "111111111111", "SandboxAccount", "333333333333"), "111111111111", "us-east-1");
  static final String ORG_KEY = "arn:aws:kms:us-east-1:111111111111:key/FinanceKey";

  private static TemplateResult organizationTemplate(TemplateInputs in) {
    return TemplateLoader.create().load(TemplateLoaderTest.DIR.resolve("organization.yaml"), "organization.yaml", in);
  }

  @Test
  void cloudFormation_unitsNestUnderTheRootAndAccountsArePlacedInThem() {
    TemplateResult t = organizationTemplate(ORG_IDS);
    assertThat(t.problems()).noneMatch(Problem::isError);
    dev.keyward.world.Organization o = t.template().organizations().get(0);
    assertThat(t.template().organizations()).hasSize(1);
    assertThat(o.accounts()).containsExactlyInAnyOrder("111111111111", "222222222222", "333333333333");
    assertThat(o.scps()).extracting(p -> p.name()).containsExactly("organization.yaml#FullAccess.Content");
    assertThat(o.units()).singleElement().satisfies(prod -> {
      // a unit's id is assigned at deployment: it is named by its logical id
      assertThat(prod.id()).isEqualTo("Prod");
      assertThat(prod.name()).isEqualTo("Prod");
      assertThat(prod.accounts()).containsExactly("111111111111");
      assertThat(prod.scps()).extracting(p -> p.name()).containsExactly("organization.yaml#ProdKmsOnly.Content");
      assertThat(prod.rcps()).extracting(p -> p.name()).containsExactly("organization.yaml#ProdKeyPerimeter.Content");
      assertThat(prod.units()).singleElement().satisfies(data -> {
        assertThat(data.id()).isEqualTo("Data");
        assertThat(data.accounts()).containsExactly("222222222222");
        assertThat(data.scps()).extracting(p -> p.name()).containsExactly("organization.yaml#DataNoDecrypt.Content");
      });
    });
    // the unit without the template and the parameter without a value cannot be resolved, and say what is assumed
    assertThat(t.problems()).filteredOn(p -> p.code().equals("template.organization-target"))
        .extracting(Problem::message).satisfiesExactly(
            m -> assertThat(m).contains("SCP `DataNoDecrypt` is attached to `ou-zzzz-99999999`, an organizational"
                + " unit that is not in the template: it is not applied, as if no account of the template were under"
                + " it"),
            m -> assertThat(m).contains("SCP `DataNoDecrypt` is attached to `${AuditUnit}`, unknown until deployment:"
                + " it is not applied").contains("--parameter"));
    assertThat(t.problems()).filteredOn(p -> p.code().equals("template.organization-id")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("--parameter Org=o-..."));
  }

  @Test
  void cloudFormation_scpsOfEveryLevelAndTheUnitsRcpDecide() {
    TemplateResult t = organizationTemplate(ORG_IDS);
    World w = TemplateWorld.toWorld(t.template()).world();
    // the Data unit's SCP denies
    Decision d = decide(w, "arn:aws:iam::222222222222:root", "kms:Decrypt", ORG_KEY, Map.of());
    assertThat(d.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(d.reasons()).anySatisfy(r -> {
      assertThat(r.policy()).isEqualTo("organization.yaml#DataNoDecrypt.Content");
      assertThat(r.statement()).isEqualTo("NoDecrypt");
    });
    // every level allows Encrypt
    assertThat(decide(w, "arn:aws:iam::222222222222:root", "kms:Encrypt", ORG_KEY, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);
    // the Prod unit's SCP, above Data, allows no GenerateDataKey
    Decision g = decide(w, "arn:aws:iam::222222222222:root", "kms:GenerateDataKey", ORG_KEY, Map.of());
    assertThat(g.verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(g.reasons()).anySatisfy(r -> assertThat(r.message())
        .contains("no statement of the SCPs attached to organizational unit Prod"));
    // the sandbox account sits under the root only
    assertThat(decide(w, "arn:aws:iam::333333333333:root", "kms:GenerateDataKey", ORG_KEY, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);
    // the key's account is in Prod: its RCP guards the key, its SCP its principals
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:Decrypt", ORG_KEY, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(w, "arn:aws:iam::333333333333:root", "kms:Decrypt", ORG_KEY,
        Map.of("aws:SourceIp", List.of("203.0.113.7"))).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:GenerateDataKey", ORG_KEY, Map.of()).verdict())
        .isEqualTo(Verdict.IMPLICIT_DENY);
    // the organization's id is unknown: its accounts' aws:PrincipalOrgID is one no real id equals
    assertThat(w.organizations().get(0).id()).isEqualTo("o-unknown");
  }

  @Test
  void cloudFormation_idsUnknownUntilDeployment_areWarnedAndGivenWithParameters() {
    TemplateResult bare = organizationTemplate(TemplateLoaderTest.DEPLOYED);
    assertThat(bare.problems()).filteredOn(p -> p.code().equals("template.organization-target"))
        .extracting(Problem::message).filteredOn(m -> m.startsWith("account `"))
        .containsExactly(
            "account `DataAccount` has an id unknown until deployment: it is not placed in the organization, so no"
                + " SCP or RCP of the template applies to it (answers for it may be ALLOW where AWS denies); give the"
                + " id with --parameter DataAccount=ACCOUNT_ID",
            "account `KeyAccount` has an id unknown until deployment: it is not placed in the organization, so no"
                + " SCP or RCP of the template applies to it (answers for it may be ALLOW where AWS denies); give the"
                + " id with --parameter KeyAccount=ACCOUNT_ID",
            "account `SandboxAccount` has an id unknown until deployment: it is not placed in the organization, so no"
                + " SCP or RCP of the template applies to it (answers for it may be ALLOW where AWS denies); give the"
                + " id with --parameter SandboxAccount=ACCOUNT_ID");
    World w = TemplateWorld.toWorld(bare.template()).world();
    assertThat(decide(w, "arn:aws:iam::222222222222:root", "kms:Decrypt", ORG_KEY, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);

    Map<String, String> ids = new java.util.HashMap<>(ORG_IDS.parameters());
    ids.put("Org", "o-a1b2c3d4e5");
    ids.put("Prod", "ou-ab12-11111111");
    TemplateResult named = organizationTemplate(new TemplateInputs(ids, "111111111111", "us-east-1"));
    assertThat(named.problems()).noneMatch(p -> p.code().equals("template.organization-id"));
    dev.keyward.world.Organization o = named.template().organizations().get(0);
    assertThat(o.id()).isEqualTo("o-a1b2c3d4e5");
    assertThat(o.units().get(0).id()).isEqualTo("ou-ab12-11111111");
    World nw = TemplateWorld.toWorld(named.template()).world();
    Decision g = decide(nw, "arn:aws:iam::222222222222:root", "kms:GenerateDataKey", ORG_KEY, Map.of());
    assertThat(g.reasons()).anySatisfy(r -> assertThat(r.message())
        .contains("no statement of the SCPs attached to organizational unit ou-ab12-11111111"));
  }

  @Test
  void terraformPlan_policyAttachmentsAndEndpointsDecide() {
    TemplateResult t = TemplateLoader.create().load(TemplateLoaderTest.DIR.resolve("perimeter-plan.json"),
        "perimeter-plan.json", TemplateInputs.none());
    assertThat(t.problems()).noneMatch(Problem::isError);
    Template tpl = t.template();
    // an endpoint created by the plan is named by its address; one without a configured policy has full access
    assertThat(tpl.vpcEndpoints()).extracting(dev.keyward.world.VpcEndpoint::id)
        .containsExactly("aws_vpc_endpoint.kms", "aws_vpc_endpoint.kms_open");
    assertThat(tpl.vpcEndpoints().get(1).policy()).isNull();
    assertThat(t.problems()).filteredOn(p -> p.code().equals("template.organization-target")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("`ou-ab12-22222222`"));

    World w = TemplateWorld.toWorld(tpl).world();
    assertThat(decide(w, "arn:aws:iam::222222222222:root", "kms:Decrypt", TF_KEY, Map.of()).verdict())
        .isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:Decrypt", TF_KEY,
        Map.of("aws:SourceVpce", List.of("aws_vpc_endpoint.kms"))).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:DescribeKey", TF_KEY,
        Map.of("aws:SourceVpce", List.of("aws_vpc_endpoint.kms"))).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:DescribeKey", TF_KEY,
        Map.of("aws:SourceVpce", List.of("aws_vpc_endpoint.kms_open"))).verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decide(w, "arn:aws:iam::111111111111:root", "kms:Decrypt", TF_KEY,
        Map.of("aws:SourceIp", List.of("203.0.113.7"))).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
  }

  @Test
  void terraformPlan_theOrganizationTreeIsReadByReferenceAndById_andDecides() {
    TemplateResult t = TemplateLoader.create().load(TemplateLoaderTest.DIR.resolve("organization-plan.json"),
        "organization-plan.json", new TemplateInputs(Map.of(), "111111111111", null));
    assertThat(t.problems()).noneMatch(Problem::isError);
    assertThat(t.problems()).noneMatch(p -> p.code().equals("template.organization-id"));
    // the attachment to a unit that is not in the plan is the one left unapplied
    assertThat(t.problems()).filteredOn(p -> p.code().equals("template.organization-target")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("is attached to `ou-ab12-77777777`, an organizational unit"
            + " that is not in the template: it is not applied"));
    dev.keyward.world.Organization o = t.template().organizations().get(0);
    assertThat(o.id()).isEqualTo("o-a1b2c3d4e5");
    assertThat(o.rootId()).isEqualTo("r-ab12");
    assertThat(o.managementAccount()).isEqualTo("999999999999");
    assertThat(o.scps()).extracting(p -> p.name()).containsExactly("organization-plan.json#aws_organizations_policy.full_access.content");
    assertThat(o.units()).singleElement().satisfies(prod -> {
      assertThat(prod.id()).isEqualTo("ou-ab12-11111111");
      assertThat(prod.accounts()).containsExactly("111111111111");
      // one attachment by reference, one by the unit's id
      assertThat(prod.scps()).hasSize(1);
      assertThat(prod.rcps()).hasSize(1);
      assertThat(prod.units()).singleElement().satisfies(data -> {
        assertThat(data.id()).isEqualTo("ou-ab12-22222222");
        assertThat(data.accounts()).containsExactly("222222222222");
      });
    });

    World w = TemplateWorld.toWorld(t.template()).world();
    String key = "arn:aws:kms:us-east-1:111111111111:key/aws_kms_key.finance";
    assertThat(decide(w, "arn:aws:iam::222222222222:root", "kms:Decrypt", key, Map.of()).verdict())
        .isEqualTo(Verdict.EXPLICIT_DENY);
    assertThat(decide(w, "arn:aws:iam::222222222222:root", "kms:Encrypt", key, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(w, "arn:aws:iam::222222222222:root", "kms:GenerateDataKey", key, Map.of()).reasons())
        .anySatisfy(r -> assertThat(r.message()).contains("organizational unit ou-ab12-11111111"));
    assertThat(decide(w, "arn:aws:iam::333333333333:root", "kms:GenerateDataKey", key, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(w, "arn:aws:iam::333333333333:root", "kms:Decrypt", key,
        Map.of("aws:SourceIp", List.of("203.0.113.7"))).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    // aws:PrincipalOrgPaths comes from the tree: the Data account is under Prod, the sandbox account is not
    assertThat(decide(w, "arn:aws:iam::222222222222:root", "kms:DescribeKey", key, Map.of()).verdict())
        .isEqualTo(Verdict.ALLOW);
    assertThat(decide(w, "arn:aws:iam::333333333333:root", "kms:DescribeKey", key, Map.of()).verdict())
        .isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void terraformPlan_accessAnalysis_listsForAnAccountTwoUnitsDeepOnlyWhatEverySCPLevelAllows() {
    TemplateResult t = TemplateLoader.create().load(TemplateLoaderTest.DIR.resolve("organization-plan.json"),
        "organization-plan.json", new TemplateInputs(Map.of(), "111111111111", null));
    World w = TemplateWorld.toWorld(t.template()).world();
    dev.keyward.world.KmsKey k = w.keys().get(0);
    List<dev.keyward.access.Finding> fs = dev.keyward.access.ExternalAccess.of(k, w)
        .analyze(dev.keyward.access.Zone.ofAccount("111111111111")).findings();
    List<dev.keyward.access.Finding> data = fs.stream().filter(f -> f.principal().equals("222222222222")).toList();
    // its ordinary principals: Prod's SCP allows no kms:GenerateDataKey, Data's SCP denies kms:Decrypt outright
    assertThat(data).filteredOn(f -> !f.notes().stream().anyMatch(n -> n.startsWith("only through service-linked roles")))
        .singleElement().satisfies(f -> {
          assertThat(f.actions()).containsExactly("kms:Encrypt");
          assertThat(f.example().principal()).doesNotContain("aws-service-role");
        });
    // its service-linked roles escape the SCPs: what only they get is a finding of its own, said so
    assertThat(data).filteredOn(f -> f.notes().stream().anyMatch(n -> n.startsWith("only through service-linked roles")))
        .singleElement().satisfies(f -> {
          assertThat(f.actions()).containsExactly("kms:Decrypt", "kms:GenerateDataKey");
          assertThat(f.example().principal()).contains("aws-service-role");
          assertThat(f.example().action()).isIn("kms:Decrypt", "kms:GenerateDataKey");
        });
    // the sandbox account sits under the root alone (full access): all three, for every principal
    assertThat(fs).filteredOn(f -> f.principal().equals("333333333333")).singleElement()
        .satisfies(f -> assertThat(f.actions()).containsExactly("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"));
  }

  @Test
  void cloudFormation_parentsThatCannotBeResolved_areWarnedWithWhatIsAssumed() {
    TemplateResult r = TemplateLoaderTest.result(String.join("\n",
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Parameters:",
        "  Parent: {Type: String}",
        "Resources:",
        "  Floating:",
        "    Type: AWS::Organizations::OrganizationalUnit",
        "    Properties: {Name: floating, ParentId: !Ref Parent}",
        "  A:",
        "    Type: AWS::Organizations::OrganizationalUnit",
        "    Properties: {Name: a, ParentId: !Ref B}",
        "  B:",
        "    Type: AWS::Organizations::OrganizationalUnit",
        "    Properties: {Name: b, ParentId: !Ref A}",
        "  Under:",
        "    Type: AWS::Organizations::OrganizationalUnit",
        "    Properties: {Name: under, ParentId: ou-ab12-33333333}",
        "  Member:",
        "    Type: AWS::Organizations::Account",
        "    Properties: {AccountName: m, Email: m@example.com, ParentIds: [!Ref Floating]}",
        "  Deny:",
        "    Type: AWS::Organizations::Policy",
        "    Properties:",
        "      Name: deny",
        "      Type: SERVICE_CONTROL_POLICY",
        "      TargetIds: [!Ref Floating, !Ref Under, r-ab12]",
        "      Content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'kms:Decrypt', Resource: '*'}]}",
        ""), new TemplateInputs(Map.of("Member", "222222222222"), "111111111111", "us-east-1"));
    assertThat(r.problems()).noneMatch(Problem::isError);
    assertThat(r.problems()).filteredOn(p -> p.code().equals("template.organization-target"))
        .extracting(Problem::message).anySatisfy(m -> assertThat(m).isEqualTo("organizational unit `Floating` is"
            + " placed under a parent unknown until deployment: it is not placed in the organization, so its SCPs and"
            + " RCPs apply to no account (answers for its accounts may be ALLOW where AWS denies)"))
        .anySatisfy(m -> assertThat(m).startsWith("organizational unit `A` is its own ancestor"))
        .anySatisfy(m -> assertThat(m).isEqualTo("account 222222222222 (`Member`) is placed under `Floating`, which is"
            + " not placed in the organization: it is taken as an account directly under the root, so only the"
            + " root's SCPs and RCPs apply to it"))
        .anySatisfy(m -> assertThat(m).startsWith("SCP `Deny` is attached to `!Ref Floating`, an organizational unit"
            + " that is not placed in the organization: it is not applied"));
    // a unit under a unit outside the template is placed; the root's SCP reaches the account placed at the root
    dev.keyward.world.Organization o = r.template().organizations().get(0);
    assertThat(o.units()).extracting(u -> u.id()).containsExactly("ou-ab12-33333333");
    assertThat(o.units().get(0).units()).singleElement().satisfies(u -> {
      assertThat(u.id()).isEqualTo("Under");
      assertThat(u.scps()).hasSize(1);
    });
    assertThat(o.scps()).hasSize(1);
    assertThat(o.rootId()).isNull();
    World w = TemplateWorld.toWorld(r.template()).world();
    assertThat(dev.keyward.world.WorldIndex.create(w).scpLevels("222222222222")).singleElement()
        .satisfies(level -> assertThat(level).extracting(p -> p.name()).containsExactly("t.yaml#Deny.Content"));
  }

  @Test
  void cloudFormation_rcpWithAnAllow_isALocatedError() {
    TemplateResult r = TemplateLoaderTest.result(String.join("\n",
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Resources:",
        "  Bad:",
        "    Type: AWS::Organizations::Policy",
        "    Properties:",
        "      Name: bad",
        "      Type: RESOURCE_CONTROL_POLICY",
        "      TargetIds: ['111111111111']",
        "      Content:",
        "        Version: '2012-10-17'",
        "        Statement:",
        "          - {Effect: Allow, Principal: '*', Action: 'kms:Decrypt', Resource: '*'}",
        ""), TemplateLoaderTest.DEPLOYED);

    assertThat(r.problems()).filteredOn(Problem::isError).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo("policy.rcp-allow");
      assertThat(p.display()).startsWith("t.yaml:12:");
    });
  }
}
