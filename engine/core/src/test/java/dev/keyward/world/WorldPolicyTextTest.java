package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text a world keeps of its policies: what GetKeyPolicy gives back, with no file read a second time. */
class WorldPolicyTextTest {

  private static final String KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b5c1a2d-1111-2222-3333-444455556666";

  @TempDir Path dir;

  @Test
  void anInlineKeyPolicy_keepsItsCompactJson_aFileItsText_andAnInlineIdentityPolicyNone() throws Exception {
    String file = "{\"Version\": \"2012-10-17\", \"Statement\": []}\n";
    Files.writeString(dir.resolve("other.json"), file, StandardCharsets.UTF_8);
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, ""
        + "principals:\n"
        + "  - arn: arn:aws:iam::111111111111:role/App\n"
        + "    policies:\n"
        + "      - document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action: kms:Decrypt,"
        + " Resource: \"*\" }] }\n"
        + "keys:\n"
        + "  - arn: " + KEY + "\n"
        + "    policy:\n"
        + "      document:\n"
        + "        Version: \"2012-10-17\"\n"
        + "        Statement:\n"
        + "          - { Sid: Root, Effect: Allow, Principal: { AWS: \"111111111111\" }, Action: \"kms:*\","
        + " Resource: \"*\" }\n"
        + "  - arn: " + KEY.replace("0b5c1a2d", "1b5c1a2d") + "\n"
        + "    policy: { file: other.json }\n", StandardCharsets.UTF_8);
    World w = WorldLoader.create().load(world).world();
    assertThat(w.keys().get(0).policy().text()).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
        + "\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},\"Action\":\"kms:*\","
        + "\"Resource\":\"*\"}]}");
    assertThat(w.keys().get(1).policy().text()).isEqualTo(file);
    assertThat(w.principals().get(0).policies().get(0).text()).isNull();
  }
}
