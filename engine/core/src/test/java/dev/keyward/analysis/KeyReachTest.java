package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.world.World;
import dev.keyward.world.WorldLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyReachTest {

  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static World world(Path dir, String keyPolicyStatements, String grants) throws Exception {
    String yaml = "principals:\n"
        + "  - arn: arn:aws:iam::111111111111:role/Etl\n"
        + "  - arn: arn:aws:iam::111111111111:role/Reader\n"
        + "    policies: [{ name: r, document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action:"
        + " \"kms:Decrypt\", Resource: \"" + KEY + "\" }] } }]\n"
        + "  - arn: arn:aws:iam::111111111111:role/Other\n"
        + "    policies: [{ name: o, document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action:"
        + " \"s3:*\", Resource: \"*\" }] } }]\n"
        + "  - arn: arn:aws:iam::222222222222:role/Admin\n"
        + "    policies: [{ name: a, document: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action:"
        + " \"kms:*\", Resource: \"*\" }] } }]\n"
        + "keys:\n  - arn: " + KEY + "\n    policy: { document: { Version: \"2012-10-17\", Statement: ["
        + keyPolicyStatements + "] } }\n" + grants;
    Path f = dir.resolve("world.yaml");
    Files.writeString(f, yaml);
    World w = WorldLoader.create().load(f).world();
    assertThat(w).isNotNull();
    return w;
  }

  private static KeyReach.Profile p(World w, String suffix) {
    return KeyReach.Profile.of(w.principals().stream().filter(x -> x.arn().endsWith(suffix)).findFirst()
        .orElseThrow());
  }

  @Test
  void mayCall_accountTrust_needsAnIdentityAllowForTheActionOnTheKey(@TempDir Path dir) throws Exception {
    World w = world(dir, "{ Effect: Allow, Principal: { AWS: \"arn:aws:iam::111111111111:root\" }, Action: \"kms:*\","
        + " Resource: \"*\" }", "");
    KeyReach r = KeyReach.of(w.keys().get(0));
    assertThat(r.mayCall(p(w, "role/Reader"), "kms:Decrypt")).isTrue();
    assertThat(r.mayCall(p(w, "role/Reader"), "kms:PutKeyPolicy")).isFalse();
    assertThat(r.mayReach(p(w, "role/Other"))).isFalse();
    assertThat(r.mayReach(p(w, "role/Etl"))).isFalse();
    // another account that the key policy does not name: refused whatever its IAM policies say
    assertThat(r.mayReach(p(w, "role/Admin"))).isFalse();
    assertThat(r.admitsAccount("222222222222")).isFalse();
  }

  @Test
  void mayReach_namedRole_grantAndEveryone(@TempDir Path dir) throws Exception {
    World named = world(dir, "{ Effect: Allow, Principal: { AWS: \"arn:aws:iam::111111111111:role/Etl\" }, Action:"
        + " \"kms:Decrypt\", Resource: \"*\" }", "");
    assertThat(KeyReach.of(named.keys().get(0)).mayReach(p(named, "role/Etl"))).isTrue();
    World granted = world(dir, "", "    grants: [{ grantee: \"arn:aws:iam::222222222222:role/Admin\","
        + " operations: [Decrypt] }]\n");
    assertThat(KeyReach.of(granted.keys().get(0)).mayReach(p(granted, "role/Admin"))).isTrue();
    World open = world(dir, "{ Effect: Allow, Principal: \"*\", Action: \"kms:Decrypt\", Resource: \"*\" }", "");
    assertThat(KeyReach.of(open.keys().get(0)).mayReach(p(open, "role/Admin"))).isTrue();
    assertThat(KeyReach.of(open.keys().get(0)).admitsAccount("333333333333")).isTrue();
  }

  @Test
  void aProfileReadOnce_answersEachKeyByThatKeysPolicy(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("a"));
    World trusting = world(dir.resolve("a"), "{ Effect: Allow, Principal: { AWS: \"111111111111\" }, Action: \"kms:*\","
        + " Resource: \"*\" }", "");
    Files.createDirectories(dir.resolve("b"));
    World naming = world(dir.resolve("b"), "{ Effect: Allow, Principal: { AWS: \"arn:aws:iam::111111111111:role/Etl\" },"
        + " Action: \"kms:*\", Resource: \"*\" }", "");
    KeyReach.Profile reader = p(trusting, "role/Reader");
    KeyReach.Profile etl = p(trusting, "role/Etl");
    KeyReach trusts = KeyReach.of(trusting.keys().get(0));
    KeyReach names = KeyReach.of(naming.keys().get(0));

    // the same profiles, asked about two keys in turn: each answer is the asked key's own
    assertThat(trusts.mayCall(reader, "kms:Decrypt")).isTrue();
    assertThat(names.mayCall(reader, "kms:Encrypt")).isFalse();
    assertThat(trusts.mayCall(reader, "kms:Encrypt")).isFalse();
    assertThat(trusts.mayReach(etl)).isFalse();
    assertThat(names.mayReach(etl)).isTrue();
    assertThat(trusts.mayReach(etl)).isFalse();
  }
}
