package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.Effect;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.Statement;
import dev.keyward.model.ValueKind;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The typical AWS key policies parse exactly (the golden .model files pin every detail; these tests say
 * what matters about each in words).
 */
class KeyPolicyFixturesTest {

  private static final Path DIR = Paths.get("src/test/resources/policies/valid/key-policy");

  private static PolicyDocument parse(String name) throws IOException {
    ParseResult r = PolicyParser.create().parseFile(DIR.resolve(name), name, PolicyType.KEY_POLICY);
    assertThat(r.problems()).isEmpty();
    return r.policy();
  }

  private static List<String> values(List<Located> l) {
    return l.stream().map(Located::value).collect(Collectors.toList());
  }

  @Test
  void defaultKeyPolicy_delegatesEverythingToTheAccount() throws IOException {
    PolicyDocument p = parse("default.json");
    assertThat(p.id()).isEqualTo("key-default-1");
    assertThat(p.statements()).singleElement().satisfies(s -> {
      assertThat(s.sid()).isEqualTo("Enable IAM User Permissions");
      assertThat(s.effect()).isEqualTo(Effect.ALLOW);
      assertThat(s.principal().values()).extracting(PrincipalValue::value)
          .containsExactly("arn:aws:iam::111122223333:root");
      assertThat(values(s.action().patterns())).containsExactly("kms:*");
      assertThat(s.resource().isWildcard()).isTrue();
      assertThat(s.conditions()).isEmpty();
    });
  }

  @Test
  void awsManagedKeyPolicy_everyAwsPrincipalThroughTheServiceInTheAccount() throws IOException {
    PolicyDocument p = parse("aws-managed-ebs.json");
    Statement use = p.statements().get(0);
    // AWS managed keys write {"AWS": "*"}, not the bare "*".
    assertThat(use.principal().anyone()).isFalse();
    assertThat(use.principal().matchesEveryAwsPrincipal()).isTrue();
    assertThat(values(use.action().patterns())).containsExactly("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
        "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey");
    assertThat(use.conditions()).extracting(Condition::operator, Condition::qualifier, Condition::ifExists,
        Condition::key).containsExactly(
            org.assertj.core.groups.Tuple.tuple(ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false,
                "kms:ViaService"),
            org.assertj.core.groups.Tuple.tuple(ConditionOperator.STRING_EQUALS, SetQualifier.NONE, false,
                "kms:CallerAccount"));
    assertThat(use.conditions().get(0).values()).extracting(v -> v.text())
        .containsExactly("ec2.us-east-1.amazonaws.com");
    assertThat(use.conditions().get(1).values()).extracting(v -> v.text()).containsExactly("111122223333");
    Statement metadata = p.statements().get(1);
    assertThat(metadata.principal().values()).extracting(PrincipalValue::value)
        .containsExactly("arn:aws:iam::111122223333:root");
  }

  @Test
  void consolePolicy_adminsUsersAndGrantsForAwsResources() throws IOException {
    PolicyDocument p = parse("console.json");
    assertThat(p.statements()).extracting(Statement::sid).containsExactly("Enable IAM User Permissions",
        "Allow access for Key Administrators", "Allow use of the key", "Allow attachment of persistent resources");
    assertThat(p.statements().get(1).principal().values()).extracting(PrincipalValue::value)
        .containsExactly("arn:aws:iam::111122223333:role/KeyAdmin");
    assertThat(p.statements().get(2).principal().values()).extracting(PrincipalValue::value)
        .containsExactly("arn:aws:iam::111122223333:role/Analyst", "arn:aws:iam::111122223333:user/ExampleUser");
    Condition grant = p.statements().get(3).conditions().get(0);
    assertThat(grant.operator()).isEqualTo(ConditionOperator.BOOL);
    assertThat(grant.key()).isEqualTo("kms:GrantIsForAWSResource");
    assertThat(grant.values()).singleElement().satisfies(v -> {
      assertThat(v.text()).isEqualTo("true");
      assertThat(v.kind()).isEqualTo(ValueKind.STRING);
    });
  }

  @Test
  void crossAccountPolicy_externalAccountByBareIdAndRole() throws IOException {
    PolicyDocument p = parse("cross-account.json");
    Statement external = p.statements().get(1);
    assertThat(external.principal().values()).extracting(PrincipalValue::type, PrincipalValue::value,
        PrincipalValue::written).containsExactly(
            org.assertj.core.groups.Tuple.tuple(PrincipalType.AWS, "arn:aws:iam::444455556666:root",
                "444455556666"),
            org.assertj.core.groups.Tuple.tuple(PrincipalType.AWS, "arn:aws:iam::444455556666:role/Analyst",
                "arn:aws:iam::444455556666:role/Analyst"));
    assertThat(external.conditions()).extracting(Condition::qualifier)
        .containsExactly(SetQualifier.NONE, SetQualifier.FOR_ANY_VALUE);
    Condition grant = p.statements().get(2).conditions().get(0);
    assertThat(grant.values().get(0).kind()).isEqualTo(ValueKind.BOOLEAN);
    Statement deny = p.statements().get(3);
    assertThat(deny.effect()).isEqualTo(Effect.DENY);
    assertThat(deny.principal().anyone()).isTrue();
    assertThat(deny.conditions().get(0).operator()).isEqualTo(ConditionOperator.STRING_NOT_EQUALS);
    assertThat(deny.conditions().get(0).ifExists()).isTrue();
  }
}
