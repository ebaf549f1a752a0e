package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Severity;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AmiSharingAnalysisTest {

  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path dir;

  private World world(String keyPolicyExtra) throws IOException {
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, String.join("\n",
        "organizations: [{ id: o-a1b2c3d4e5, managementAccount: \"111111111111\","
            + " accounts: [\"111111111111\", \"333333333333\"] }]",
        "keys:",
        "  - arn: " + KEY,
        "    rotation: { enabled: true }",
        "    policy:",
        "      document:",
        "        Version: \"2012-10-17\"",
        "        Statement:",
        "          - { Sid: Root, Effect: Allow, Principal: { AWS: \"arn:aws:iam::111111111111:root\" },"
            + " Action: \"kms:*\", Resource: \"*\" }",
        keyPolicyExtra,
        "images:",
        "  - id: ami-0123456789abcdef0",
        "    account: \"111111111111\"",
        "    region: us-east-1",
        "    snapshots: [{ id: snap-0123456789abcdef0, key: \"" + KEY + "\" }]",
        "    launchPermissions: { organizations: [\"arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5\"] }",
        ""));
    WorldLoadResult r = WorldLoader.create().load(w, "world.yaml");
    assertThat(r.hasErrors()).as("%s", r.problems()).isFalse();
    return r.world();
  }

  @Test
  void sharedWithAnOrganization_memberAccountsMustBeAdmittedByTheKeyPolicy() throws IOException {
    List<Finding> findings = Checker.create().check(world(""), List.of("ami-sharing")).findings();

    assertThat(findings).hasSize(5).allSatisfy(f -> {
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.policy()).isEqualTo("world.yaml#/keys/0/policy");
      assertThat(f.missing().get(0).principal()).isEqualTo("arn:aws:iam::333333333333:root");
      assertThat(f.missing().get(0).context()).containsEntry("kms:ViaService", List.of("ec2.us-east-1.amazonaws.com"));
    });
    assertThat(findings).extracting(f -> f.missing().get(0).action()).containsExactlyInAnyOrder(
        "kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:ReEncryptFrom",
        "kms:GenerateDataKeyWithoutPlaintext");
    assertThat(findings).filteredOn(f -> f.missing().get(0).action().equals("kms:CreateGrant"))
        .singleElement().satisfies(f -> assertThat(f.fix()).contains("\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"}"));
  }

  @Test
  void sharedWithAnOrganization_keyPolicyAdmittingTheOrganization_isClean() throws IOException {
    String orgStatement = String.join("\n",
        "          - { Sid: Org, Effect: Allow, Principal: \"*\", Action: [kms:Decrypt, kms:DescribeKey,"
            + " \"kms:ReEncrypt*\", kms:GenerateDataKeyWithoutPlaintext, kms:CreateGrant], Resource: \"*\",",
        "              Condition: { StringEquals: { aws:PrincipalOrgID: o-a1b2c3d4e5 } } }");

    assertThat(Checker.create().check(world(orgStatement), List.of("ami-sharing")).findings()).isEmpty();
  }
}
