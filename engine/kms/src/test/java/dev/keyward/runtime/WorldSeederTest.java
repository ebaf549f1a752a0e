package dev.keyward.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.request.Request;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeding keys whose policies are written inline in the world file, in YAML or JSON. */
class WorldSeederTest {

  private static final String KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b5c1a2d-1111-2222-3333-444455556666";
  private static final String APP = "arn:aws:iam::111111111111:role/App";
  private static final String OTHER = "arn:aws:iam::111111111111:role/Other";

  @TempDir Path dir;

  private Path world(String text) throws Exception {
    Path f = dir.resolve("world.yaml");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void inlineYamlKeyPolicy_isSeededAsItsJsonAndEnforcedLikeKeywardCan() throws Exception {
    Path file = world(""
        + "principals:\n"
        + "  - arn: " + APP + "\n"
        + "  - arn: " + OTHER + "\n"
        + "keys:\n"
        + "  - arn: " + KEY + "\n"
        + "    policy:\n"
        + "      document:\n"
        + "        Version: \"2012-10-17\"\n"
        + "        Statement:\n"
        + "          - Sid: AppEncrypts\n"
        + "            Effect: Allow\n"
        + "            Principal: { AWS: \"" + APP + "\" }\n"
        + "            Action: kms:Encrypt\n"
        + "            Resource: \"*\"\n"
        + "            Condition: { StringEquals: { \"kms:EncryptionContext:Dept\": Finance } }\n"
        + "          - { Sid: AppReads, Effect: Allow, Principal: { AWS: \"" + APP + "\" },"
        + " Action: kms:GetKeyPolicy, Resource: \"*\" }\n");
    WorldLoadResult loaded = WorldLoader.create().load(file);
    assertThat(loaded.problems()).isEmpty();
    World w = loaded.world();
    KmsRuntime rt = KmsRuntime.builder().world(w).build();
    WorldSeeder.seed(rt, w, Map.of());

    Caller app = Caller.of(APP, "eu-west-1");
    JsonNode policy = new ObjectMapper().readTree(rt.getKeyPolicy(app, KEY, "default"));
    assertThat(policy.at("/Statement/0/Sid").asText()).isEqualTo("AppEncrypts");
    assertThat(policy.at("/Statement/0/Condition/StringEquals/kms:EncryptionContext:Dept").asText())
        .isEqualTo("Finance");

    byte[] data = "x".getBytes(StandardCharsets.UTF_8);
    assertThat(rt.encrypt(app, Kms.EncryptRequest.of(KEY, data, Map.of("Dept", "Finance"))).ciphertextBlob())
        .isNotEmpty();
    // the same requests through keyward's evaluator get the same answers, naming the same statement
    Authorizer a = Authorizer.create(w);
    for (String[] c : new String[][] {{APP, "Finance"}, {APP, "Sales"}, {OTHER, "Finance"}}) {
      Decision d = a.authorize(new Request("", c[0], "kms:Encrypt", KEY,
          Map.of("kms:EncryptionContext:Dept", java.util.List.of(c[1]))));
      Caller caller = Caller.of(c[0], "eu-west-1");
      if (d.verdict().allowed()) {
        assertThat(rt.encrypt(caller, Kms.EncryptRequest.of(KEY, data, Map.of("Dept", c[1]))).keyId())
            .isEqualTo(KEY);
      } else {
        KmsException e = catchThrowableOfType(
            () -> rt.encrypt(caller, Kms.EncryptRequest.of(KEY, data, Map.of("Dept", c[1]))),
            KmsException.class);
        assertThat(e).isNotNull();
        assertThat(e.error()).isEqualTo(KmsError.ACCESS_DENIED);
        assertThat(e.decision().verdict()).isEqualTo(d.verdict());
      }
    }
    assertThat(a.authorize(new Request("", APP, "kms:Encrypt", KEY,
        Map.of("kms:EncryptionContext:Dept", java.util.List.of("Finance")))).reasons())
        .anySatisfy(r -> assertThat(r.policy()).isEqualTo(w.keys().get(0).policy().name()));
    assertThat(w.keys().get(0).policy().name()).endsWith("world.yaml#/keys/0/policy");
  }

  @Test
  void inlineJsonKeyPolicy_keepsTheWrittenOrderAndSurvivesASecondSeed() throws Exception {
    Path file = world("{\"keys\": [{\"arn\": \"" + KEY + "\", \"policy\": {\"document\": {\"Version\": \"2012-10-17\","
        + " \"Statement\": [{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
        + " \"arn:aws:iam::111111111111:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}}}]}");
    World w = WorldLoader.create().load(file).world();
    KmsRuntime rt = KmsRuntime.builder().world(w).build();
    WorldSeeder.seed(rt, w, Map.of());
    WorldSeeder.seed(rt, w, Map.of());
    Caller root = Caller.of("arn:aws:iam::111111111111:root", "eu-west-1");
    assertThat(rt.getKeyPolicy(root, KEY, "default")).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":"
        + "[{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},"
        + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
  }

  @Test
  void keyPolicyFiles_areSeededFromTheLoadedWorld_notReadAgain() throws Exception {
    String policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"Root\", \"Effect\": \"Allow\","
        + " \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]\n}\n";
    Files.writeString(dir.resolve("key-policy.json"), policy, StandardCharsets.UTF_8);
    Path file = world("keys:\n  - arn: " + KEY + "\n    policy: { file: key-policy.json }\n");
    World w = WorldLoader.create().load(file).world();
    // the files are gone before seeding: what is seeded is what the load read
    Files.delete(dir.resolve("key-policy.json"));
    Files.delete(file);
    KmsRuntime rt = KmsRuntime.builder().world(w).build();
    WorldSeeder.seed(rt, w, Map.of());
    Caller root = Caller.of("arn:aws:iam::111111111111:root", "eu-west-1");
    assertThat(rt.getKeyPolicy(root, KEY, "default")).isEqualTo(policy);
  }

  @Test
  void aTemplatesKeyPolicy_isSeededAsTheDocumentWithItsIntrinsicsResolved() throws Exception {
    Path template = dir.resolve("key.yaml");
    Files.writeString(template, ""
        + "AWSTemplateFormatVersion: \"2010-09-09\"\n"
        + "Resources:\n"
        + "  Key:\n"
        + "    Type: AWS::KMS::Key\n"
        + "    Properties:\n"
        + "      KeyPolicy:\n"
        + "        Version: \"2012-10-17\"\n"
        + "        Statement:\n"
        + "          - Sid: Root\n"
        + "            Effect: Allow\n"
        + "            Principal: { AWS: !Sub \"arn:aws:iam::${AWS::AccountId}:root\" }\n"
        + "            Action: \"kms:*\"\n"
        + "            Resource: \"*\"\n", StandardCharsets.UTF_8);
    World w = dev.keyward.template.TemplateWorld.loadIfTemplate(template, "key.yaml",
        new dev.keyward.template.TemplateInputs(Map.of(), "111111111111", "eu-west-1"), true).orElseThrow().world();
    KmsRuntime rt = KmsRuntime.builder().world(w).build();
    WorldSeeder.seed(rt, w, Map.of());
    String arn = w.keys().get(0).arn().toString();
    Caller root = Caller.of("arn:aws:iam::111111111111:root", "eu-west-1");
    assertThat(rt.getKeyPolicy(root, arn, "default")).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":"
        + "[{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},"
        + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
  }
}
