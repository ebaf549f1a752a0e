package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyward access} and {@code keyward diff} through the CLI: output and exit codes. */
class AccessCommandsTest {

  private static final String KEY = ExternalAccessTest.KEY;
  private static final String WORLD = "../../examples/cross-account-decrypt/world.yaml";

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static String resource(String name) {
    try {
      return Path.of(AccessCommandsTest.class.getResource("/access/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void access_policyWithExternalRole_exit1AndNamesTheRole() {
    Run r = run("access", "--policy", resource("cross-account-role.json"), "--key-arn", KEY);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("principal arn:aws:iam::222222222222:role/Reader", "1 finding");
  }

  @Test
  void access_policyWithoutExternalAccess_exit0() {
    Run r = run("access", "--policy", resource("aws-managed-ebs.json"), "--key-arn", KEY, "--format", "json");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("\"findings\": []");
  }

  @Test
  void access_orgPolicyTrustingTheOrg_exit0() {
    Run r = run("access", "--policy", resource("org-wide.json"), "--key-arn", KEY, "--trust-org", "o-a1b2c3d4e5");
    assertThat(r.code()).as(r.out()).isEqualTo(0);
  }

  @Test
  void access_worldKey_exampleWorld() {
    Run r = run("access", "--world", WORLD, "--key", "alias/finance");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("principal arn:aws:iam::222222222222:role/Analyst",
        "StringEquals kms:EncryptionContext:Dept [Finance]");
  }

  @Test
  void access_mustNot_failsOnlyForReachableActions() {
    Run r = run("access", "--policy", resource("console-cross-account.json"), "--key-arn", KEY,
        "--must-not", "kms:PutKeyPolicy", "--must-not", "kms:Decrypt");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("ok    kms:PutKeyPolicy", "FAIL  kms:Decrypt");
    Run ok = run("access", "--policy", resource("console-cross-account.json"), "--key-arn", KEY,
        "--trust-account", "222222222222", "--must-not", "kms:*");
    assertThat(ok.code()).isEqualTo(0);
  }

  @Test
  void access_badInput_exit2() {
    assertThat(run("access", "--policy", resource("public.json")).code()).isEqualTo(2);
    assertThat(run("access", "--policy", "no-such.json", "--key-arn", KEY).code()).isEqualTo(2);
    assertThat(run("access", "--policy", resource("public.json"), "--key-arn", "arn:aws:s3:::b").code())
        .isEqualTo(2);
    assertThat(run("access", "--world", WORLD, "--key", "alias/nope").code()).isEqualTo(2);
    assertThat(run("access", "--policy", resource("public.json"), "--key-arn", KEY, "--trust-org", "org").code())
        .isEqualTo(2);
  }

  @Test
  void diff_policies_exitCodes() {
    Run same = run("diff", resource("console.json"), resource("console.json"));
    assertThat(same.code()).isEqualTo(0);
    assertThat(same.out()).contains("no new access");
    Run wider = run("diff", resource("console.json"), resource("console-cross-account.json"), "--key-arn", KEY);
    assertThat(wider.code()).isEqualTo(1);
    assertThat(wider.out()).contains("any principal of account 222222222222", "new: ALLOW, old: IMPLICIT_DENY",
        "new access found");
    Run json = run("diff", resource("console.json"), resource("public.json"), "--format", "json");
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.out()).contains("\"newAccess\": true", "\"confirmed\": true");
    assertThat(run("diff", resource("console.json"), "missing.json").code()).isEqualTo(2);
  }

  @Test
  void diff_worlds_newGrantIsNewAccess(@TempDir Path dir) throws IOException {
    String policy = Files.readString(Path.of(resource("default.json"))).replace('\n', ' ');
    String key = "keys:\n  - arn: " + KEY + "\n    policy: { document: " + policy + " }\n";
    Path before = dir.resolve("before.yaml");
    Path after = dir.resolve("after.yaml");
    Files.writeString(before, key);
    Files.writeString(after, key + "    grants:\n      - grantee: arn:aws:iam::222222222222:role/App\n"
        + "        operations: [Decrypt]\n");
    Run r = run("diff", before.toString(), after.toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("principal arn:aws:iam::222222222222:role/App", "kms:Decrypt");
    assertThat(run("diff", before.toString(), before.toString()).code()).isEqualTo(0);
  }

  @Test
  void diff_brokenWorld_isReportedAsAWorld_andAWorldBesideAPolicyIsRefused(@TempDir Path dir) throws IOException {
    String policy = Files.readString(Path.of(resource("default.json"))).replace('\n', ' ');
    Path good = dir.resolve("good.yaml");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(good, "keys:\n  - arn: " + KEY + "\n    policy: { document: " + policy + " }\n");
    Files.writeString(broken, "organizations:\n  - id: o-short\n    managementAccount: '999999999999'\n"
        + "keys:\n  - arn: " + KEY + "\n    policy: { document: " + policy + " }\n");

    Run r = run("diff", good.toString(), broken.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("broken.yaml:2:9: error: organization id `o-short`", "[world.invalid-org-id]",
        "the world `" + broken + "` has 1 error").doesNotContain("not an element of a policy");
    assertThat(r.out()).isEmpty();

    Run mixed = run("diff", good.toString(), resource("default.json"));
    assertThat(mixed.code()).isEqualTo(2);
    assertThat(mixed.err()).contains("is a world file and", "give two key policies or two world files");
  }
}
