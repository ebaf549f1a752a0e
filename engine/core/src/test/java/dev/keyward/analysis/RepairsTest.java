package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.request.Request;
import dev.keyward.model.Severity;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepairsTest {

  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ROLE = "arn:aws:iam::111111111111:role/App";

  @TempDir Path dir;

  private World world(String... lines) throws IOException {
    Path w = dir.resolve("world.yaml");
    Files.writeString(w, String.join("\n", lines) + "\n");
    WorldLoadResult r = WorldLoader.create().load(w, "world.yaml");
    assertThat(r.hasErrors()).as("%s", r.problems()).isFalse();
    return r.world();
  }

  private static List<Finding> decrypt(World w) {
    return Repairs.kms(CheckContext.create(w), "test", Severity.ERROR, KEY, "`App` cannot decrypt",
        Request.of(ROLE, "kms:Decrypt", KEY), Map.of());
  }

  @Test
  void kms_allowedRequest_hasNoFinding() throws IOException {
    World w = world("principals: [{ arn: \"" + ROLE + "\", policies: [{ document: { Version: \"2012-10-17\","
        + " Statement: [{ Effect: Allow, Action: kms:Decrypt, Resource: \"*\" }] } }] }]", "keys: [{ arn: " + KEY + " }]");

    assertThat(decrypt(w)).isEmpty();
  }

  @Test
  void kms_sameAccountWithDefaultKeyPolicy_fixesTheIdentityPolicy() throws IOException {
    World w = world("principals: [{ arn: \"" + ROLE + "\" }]", "keys: [{ arn: " + KEY + " }]");

    assertThat(decrypt(w)).singleElement().satisfies(f -> {
      assertThat(f.policy()).isEqualTo(WorldPatch.newIdentityPolicyName(ROLE));
      assertThat(f.fix()).isEqualTo("{\"Sid\":\"AllowDecryptOn1234abcd\",\"Effect\":\"Allow\",\"Action\":"
          + "\"kms:Decrypt\",\"Resource\":\"" + KEY + "\"}");
      assertThat(f.message()).isEqualTo("`App` cannot decrypt: no identity policy of `" + ROLE + "` allows it");
    });
  }

  @Test
  void kms_explicitDeny_namesTheDenyingStatementAndSuggestsNothing() throws IOException {
    World w = world("principals: [{ arn: \"" + ROLE + "\" }]",
        "keys:",
        "  - arn: " + KEY,
        "    policy:",
        "      document:",
        "        Version: \"2012-10-17\"",
        "        Statement:",
        "          - { Sid: Root, Effect: Allow, Principal: { AWS: \"arn:aws:iam::111111111111:root\" },"
            + " Action: \"kms:*\", Resource: \"*\" }",
        "          - { Sid: NoDecrypt, Effect: Deny, Principal: \"*\", Action: kms:Decrypt, Resource: \"*\" }");

    assertThat(decrypt(w)).singleElement().satisfies(f -> {
      assertThat(f.message()).isEqualTo("`App` cannot decrypt: statement `NoDecrypt` of `world.yaml#/keys/0/policy`"
          + " denies it");
      assertThat(f.policy()).isEqualTo("world.yaml#/keys/0/policy");
      assertThat(f.fix()).isNull();
      assertThat(f.missing()).containsExactly(new MissingRequest(ROLE, "kms:Decrypt", KEY, Map.of()));
    });
  }

  @Test
  void kms_permissionsBoundaryBlocks_noStatementFixIsSuggested() throws IOException {
    World w = world("principals:",
        "  - arn: \"" + ROLE + "\"",
        "    policies: [{ document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action: kms:Decrypt,"
            + " Resource: \"*\" }] } }]",
        "    boundary: { document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action: \"s3:*\","
            + " Resource: \"*\" }] } }",
        "keys: [{ arn: " + KEY + " }]");

    assertThat(decrypt(w)).singleElement().satisfies(f -> {
      assertThat(f.fix()).isNull();
      assertThat(f.policy()).isNull();
      assertThat(f.message()).startsWith("`App` cannot decrypt: ");
    });
  }
}
