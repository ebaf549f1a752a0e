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

class CrossAccountAnalysisTest {

  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @TempDir Path dir;

  private static List<Finding> check(World w) {
    return Checker.create().check(w, List.of("cross-account")).findings();
  }

  private World world(String yaml) throws IOException {
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, yaml);
    WorldLoadResult r = WorldLoader.create().load(w, "world.yaml");
    assertThat(r.hasErrors()).isFalse();
    return r.world();
  }

  @Test
  void inventory_crossAccountExample_namesTheAnalystWithItsConditionAndNotTheIntern() {
    World w = WorldLoader.create().load(Path.of("..", "..", "examples", "cross-account-decrypt", "world.yaml"),
        "world.yaml").world();

    List<Finding> findings = check(w);

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.NOTE);
      assertThat(f.subject()).isEqualTo(KEY);
      assertThat(f.message()).isEqualTo("`arn:aws:iam::222222222222:role/Analyst` (account 222222222222, same"
          + " organization) can call kms:Decrypt, kms:DescribeKey when StringEquals kms:EncryptionContext:Dept"
          + " [Finance]");
      assertThat(f.fix()).isNull();
    });
  }

  @Test
  void openStatement_restrictedToTheOrganization_isNotReported() throws IOException {
    World w = world(String.join("\n",
        "organizations: [{ id: o-a1b2c3d4e5, managementAccount: \"111111111111\", accounts: [\"111111111111\"] }]",
        "keys:",
        "  - arn: " + KEY,
        "    policy:",
        "      document:",
        "        Version: \"2012-10-17\"",
        "        Statement:",
        "          - { Effect: Allow, Principal: { AWS: \"*\" }, Action: kms:Decrypt, Resource: \"*\",",
        "              Condition: { StringEquals: { aws:PrincipalOrgID: o-a1b2c3d4e5 } } }",
        ""));

    assertThat(check(w)).isEmpty();
  }

  @Test
  void openStatement_withoutOrganization_isRestrictedToTheWorldsAccounts() throws IOException {
    World w = world(String.join("\n",
        "principals: [{ arn: \"arn:aws:iam::222222222222:role/Reader\" }]",
        "keys:",
        "  - arn: " + KEY,
        "    policy:",
        "      document:",
        "        Version: \"2012-10-17\"",
        "        Statement:",
        "          - { Sid: Open, Effect: Allow, Principal: \"*\", Action: kms:Decrypt, Resource: \"*\" }",
        ""));

    List<Finding> findings = check(w);

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.fix()).isEqualTo("{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
          + "\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":"
          + "[\"111111111111\",\"222222222222\"]}}}");
    });
    World repaired = WorldPatch.keyStatement(w, KEY, findings.get(0).fix(), "Open");
    assertThat(check(repaired)).isEmpty();
  }

  @Test
  void grant_toAnotherAccount_makesTheKeyUsableFromThere() throws IOException {
    World w = world(String.join("\n",
        "principals: [{ arn: \"arn:aws:iam::222222222222:role/Batch\" }]",
        "keys:",
        "  - arn: " + KEY,
        "    grants:",
        "      - { grantee: \"arn:aws:iam::222222222222:role/Batch\", operations: [Decrypt] }",
        ""));

    assertThat(check(w)).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
      assertThat(f.message()).isEqualTo("`arn:aws:iam::222222222222:role/Batch` (account 222222222222, outside"
          + " the key's organization) can call kms:Decrypt without conditions");
    });
  }
}
