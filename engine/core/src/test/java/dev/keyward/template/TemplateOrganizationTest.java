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
    // a policy attached to a root cannot be applied, and says where
    assertThat(t.problems()).filteredOn(p -> p.code().equals("template.organization-target")).singleElement()
        .satisfies(p -> {
          assertThat(p.display()).startsWith("perimeter.yaml:74:42: warning: ");
          assertThat(p.message()).contains("SCP `DecryptThroughTheEndpoint` is attached to `r-ab12`, a root or"
              + " organizational unit whose accounts are not in the template: it is not applied");
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
