package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldPoliciesTest {

  @TempDir
  Path dir;

  private String lint(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 3];
    all[0] = "lint";
    all[1] = "--format";
    all[2] = "json";
    System.arraycopy(args, 0, all, 3, args.length);
    Main.run(all, new PrintWriter(out), new PrintWriter(err));
    return out.toString();
  }

  private void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  @Test
  void lintFolder_worldGivesTypes_scpFileNotLintedAsIdentityPolicy() throws Exception {
    // FullAWSAccess allows everything: as an identity policy it would meet KW305 and KW300.
    write("scps/full.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":\"*\",\"Resource\":\"*\"}]}");
    write("world.yaml", "organizations:\n  - id: o-a1b2c3d4e5\n    managementAccount: \"999999999999\"\n"
        + "    accounts: [\"111111111111\"]\n    scps: [{ name: full, file: scps/full.json }]\n");
    String json = lint(dir.toString());
    assertThat(json).doesNotContain("KW305").doesNotContain("KW300");
  }

  @Test
  void lintFolder_inlineIdentityPolicyInWorld_linted() throws Exception {
    write("world.yaml", "principals:\n  - arn: arn:aws:iam::111111111111:role/App\n    policies:\n"
        + "      - name: all\n        document:\n          Version: \"2012-10-17\"\n          Statement:\n"
        + "            - { Effect: Allow, Action: \"kms:*\", Resource: \"*\" }\n");
    String json = lint(dir.toString());
    assertThat(json).contains("\"rule\" : \"KW301\"").contains("/principals/0/policies/0/document/Statement/0");
  }

  @Test
  void lintFolder_reportJsonWithLowercaseStatement_skipped() throws Exception {
    write("report.json", "{\"reasons\":[{\"statement\":\"#0\"}]}");
    String json = lint(dir.toString());
    assertThat(json).contains("\"skipped\" : 1").doesNotContain("KW008");
  }

  @Test
  void lintFolder_keyPolicyFileOfWorld_lintedOnceAsKeyPolicy() throws Exception {
    write("kp.json", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
    write("world.yaml", "keys:\n  - arn: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\n"
        + "    policy: { file: kp.json }\n");
    String json = lint(dir.toString());
    // the public key policy is found once (not again as a standalone file)
    assertThat(json.split("\"rule\" : \"KW200\"", -1)).hasSize(2);
  }
}
