package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Arn;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultKeyPolicyTest {

  private static final Arn KEY = Arn.parse("arn:aws:kms:eu-west-1:111111111111:key/aaaa1111-aa11-aa11-aa11-aaaaaaaaaaaa").orElseThrow();

  private static List<String> actions(Statement s) {
    return s.action().patterns().stream().map(Located::value).toList();
  }

  @Test
  void awsManaged_s3_usableThroughS3InItsRegionByItsAccountOnly() {
    PolicyDocument p = DefaultKeyPolicy.forAwsManaged(KEY, List.of("alias/aws/s3"), "p");

    assertThat(p.statements()).hasSize(2);
    Statement use = p.statements().get(0);
    assertThat(use.principal().values()).singleElement().satisfies(v -> assertThat(v.value()).isEqualTo("*"));
    assertThat(actions(use)).containsExactly("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
        "kms:DescribeKey");
    assertThat(use.conditions()).extracting(c -> c.key() + "=" + c.values().get(0).text())
        .containsExactly("kms:ViaService=s3.eu-west-1.amazonaws.com", "kms:CallerAccount=111111111111");
    Statement meta = p.statements().get(1);
    assertThat(meta.principal().values()).singleElement()
        .satisfies(v -> assertThat(v.value()).isEqualTo("arn:aws:iam::111111111111:root"));
    assertThat(actions(meta)).containsExactly("kms:Describe*", "kms:Get*", "kms:List*");
  }

  @Test
  void awsManaged_ebs_isUsedThroughEc2AndMayCreateGrants() {
    PolicyDocument p = DefaultKeyPolicy.forAwsManaged(KEY, List.of("alias/aws/ebs"), "p");

    assertThat(actions(p.statements().get(0))).contains("kms:CreateGrant");
    assertThat(p.statements().get(0).conditions().get(0).values().get(0).text()).isEqualTo("ec2.eu-west-1.amazonaws.com");
    assertThat(p.statements().get(0).sid()).contains("EBS");
    assertThat(actions(p.statements().get(1))).contains("kms:RevokeGrant");
  }

  @Test
  void awsManaged_withoutAnAwsAlias_onlyTheMetadataStatement() {
    PolicyDocument p = DefaultKeyPolicy.forAwsManaged(KEY, List.of("alias/mine"), "p");

    assertThat(p.statements()).singleElement()
        .satisfies(s -> assertThat(actions(s)).containsExactly("kms:Describe*", "kms:Get*", "kms:List*"));
  }

  @Test
  void serviceOf_readsAliasNamesAndAliasArns() {
    assertThat(DefaultKeyPolicy.serviceOf(List.of("alias/aws/lambda"))).isEqualTo("lambda");
    assertThat(DefaultKeyPolicy.serviceOf(List.of("arn:aws:kms:us-east-1:111111111111:alias/aws/ebs"))).isEqualTo("ec2");
    assertThat(DefaultKeyPolicy.serviceOf(List.of("alias/aws/"))).isNull();
    assertThat(DefaultKeyPolicy.serviceOf(List.of())).isNull();
  }
}
