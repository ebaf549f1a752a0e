package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `keyward check` on the same model as `keyward can`: a replication role with an IAM path, an RCP that
 * makes S3 replication fail, an SCP on an organizational unit that makes an AMI launch fail. Each world is
 * the repaired fixture of its analysis (no findings) with one change.
 */
class RealAccountsCheckTest {

  private static final Path ROOT = Path.of("src", "test", "resources", "checks");
  private static final String ORG_ACCOUNTS = "    accounts: [\"111111111111\", \"222222222222\"]\n";

  @TempDir Path dir;

  private List<Finding> check(String analysis, String yaml) throws IOException {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, yaml);
    WorldLoadResult r = WorldLoader.create().load(world, "world.yaml");
    assertThat(r.problems()).filteredOn(Problem::isError).extracting(Problem::display).isEmpty();
    return Checker.create().check(r.world(), List.of(analysis)).findings();
  }

  private static String repaired(String analysis) throws IOException {
    return Files.readString(ROOT.resolve(analysis).resolve("repaired").resolve("world.yaml"));
  }

  @Test
  void s3Replication_roleWithAPath_isARealReplicationRole() throws IOException {
    String yaml = repaired("s3-replication").replace(":role/replication", ":role/service-role/replication");

    assertThat(yaml).contains("role/service-role/replication");
    assertThat(check("s3-replication", yaml)).isEmpty();
  }

  @Test
  void s3Replication_anRcpOnTheDestinationAccount_makesReplicationFail() throws IOException {
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html: an RCP on
    // the member account that owns the replica key denies principals of other accounts
    String yaml = repaired("s3-replication").replace(":role/replication", ":role/service-role/replication")
        + "\naccounts:\n"
        + "  - id: \"222222222222\"\n"
        + "    rcps:\n"
        + "      - name: own-account-only\n"
        + "        document: {Version: \"2012-10-17\", Statement: [{Sid: OwnAccountOnly, Effect: Deny, Principal: \"*\","
        + " Action: \"kms:*\", Resource: \"*\", Condition: {StringNotEquals: {\"aws:PrincipalAccount\": \"222222222222\"},"
        + " Bool: {\"aws:PrincipalIsAWSService\": \"false\"}}}]}\n";

    List<Finding> findings = check("s3-replication", yaml);

    assertThat(findings).isNotEmpty().allSatisfy(f -> assertThat(f.analysis()).isEqualTo("s3-replication"));
    assertThat(findings).anySatisfy(f -> assertThat(f.message() + f.missing()).contains("222222222222"));
  }

  @Test
  void amiSharing_anScpOnTheLaunchersUnit_makesTheLaunchFail() throws IOException {
    String base = repaired("ami-sharing");
    assertThat(base).contains(ORG_ACCOUNTS);
    String yaml = base.replace(ORG_ACCOUNTS, "    rootId: r-ab12\n"
        + "    accounts: [\"111111111111\"]\n"
        + "    units:\n"
        + "      - id: ou-ab12-11111111\n"
        + "        name: Workloads\n"
        + "        units:\n"
        + "          - id: ou-ab12-22222222\n"
        + "            name: Apps\n"
        + "            accounts: [\"222222222222\"]\n"
        + "            scps:\n"
        + "              - {name: FullAWSAccess, document: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: \"*\", Resource: \"*\"}]}}\n"
        + "              - {name: no-reencrypt, document: {Version: \"2012-10-17\", Statement: [{Effect: Deny, Action: \"kms:ReEncrypt*\", Resource: \"*\"}]}}\n");

    assertThat(check("ami-sharing", base)).isEmpty();
    List<Finding> findings = check("ami-sharing", yaml);
    assertThat(findings).isNotEmpty().allSatisfy(f -> assertThat(f.analysis()).isEqualTo("ami-sharing"));
  }
}
