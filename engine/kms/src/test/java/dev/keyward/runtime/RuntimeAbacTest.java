package dev.keyward.runtime;

import static dev.keyward.runtime.KmsError.ACCESS_DENIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.Kms.CreateKeyRequest;
import dev.keyward.runtime.Kms.EncryptRequest;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tags and aliases decide access in the runtime as on AWS (ABAC,
 * https://docs.aws.amazon.com/kms/latest/developerguide/abac.html): the key's current tags are its
 * aws:ResourceTag/* keys, its aliases kms:ResourceAliases, and tagging requests carry aws:RequestTag/* and
 * aws:TagKeys.
 */
class RuntimeAbacTest {

  private static final String ADMIN = "arn:aws:iam::111122223333:role/Admin";
  private static final String READER = "arn:aws:iam::111122223333:role/Reader";
  private static final String TAGGER = "arn:aws:iam::111122223333:role/Tagger";
  private static final Caller ADMIN_CALLER = Caller.of(ADMIN, "us-east-1");
  private static final Caller READER_CALLER = Caller.of(READER, "us-east-1");
  private static final Caller TAGGER_CALLER = Caller.of(TAGGER, "us-east-1");
  private static final byte[] DATA = "x".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  KmsRuntime kms;

  /** A world of these lines, loaded without problems. */
  private World world(String name, String... lines) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, String.join("\n", lines) + "\n");
    WorldLoadResult r = WorldLoader.create().load(f);
    assertThat(r.problems()).isEmpty();
    return r.world();
  }

  /** A role whose one identity policy has these statements (YAML flow lines under `Statement:`). */
  private static String[] role(String arn, String... statements) {
    List<String> out = new java.util.ArrayList<>(List.of("  - arn: " + arn, "    policies:", "      - name: policy",
        "        document:", "          Version: \"2012-10-17\"", "          Statement:"));
    for (String st : statements) {
      out.add("            " + st);
    }
    return out.toArray(new String[0]);
  }

  @BeforeEach
  void setUp() throws Exception {
    kms = KmsRuntime.builder().world(world("world.yaml", concat(
        new String[] {"principals:"},
        role(ADMIN, "- {Effect: Allow, Action: \"kms:*\", Resource: \"*\"}"),
        role(READER,
            "- {Sid: NotSecret, Effect: Allow, Action: [\"kms:Encrypt\", \"kms:Decrypt\"], Resource: \"*\",",
            "   Condition: {StringNotEquals: {\"aws:ResourceTag/Team\": secret}}}",
            "- {Sid: ReportsAlias, Effect: Allow, Action: kms:DescribeKey, Resource: \"*\",",
            "   Condition: {\"ForAnyValue:StringEquals\": {\"kms:ResourceAliases\": alias/reports}}}"),
        role(TAGGER,
            "- {Sid: Create, Effect: Allow, Action: kms:CreateKey, Resource: \"*\"}",
            "- {Sid: FinanceTagsOnly, Effect: Allow, Action: kms:TagResource, Resource: \"*\",",
            "   Condition: {StringEquals: {\"aws:RequestTag/Team\": finance},",
            "               \"ForAllValues:StringEquals\": {\"aws:TagKeys\": [Team]}}}")))).build();
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  @Test
  void globalKeys_timeAndRegion_areInEveryRequest() throws Exception {
    World w = world("global.yaml", concat(new String[] {"principals:"}, role(READER,
        "- {Sid: Use, Effect: Allow, Action: [\"kms:CreateKey\", \"kms:Encrypt\"], Resource: \"*\"}",
        "- {Sid: UntilNewYear, Effect: Deny, Action: kms:Encrypt, Resource: \"*\",",
        "   Condition: {DateGreaterThan: {\"aws:CurrentTime\": \"2027-01-01T00:00:00Z\"}}}",
        "- {Sid: OnlyUsEast1, Effect: Deny, Action: kms:Encrypt, Resource: \"*\",",
        "   Condition: {StringNotEquals: {\"aws:RequestedRegion\": us-east-1}}}",
        "- {Sid: OnlyTls, Effect: Deny, Action: kms:Encrypt, Resource: \"*\",",
        "   Condition: {Bool: {\"aws:SecureTransport\": \"false\"}}}")));
    TestKms.MovableClock clock = new TestKms.MovableClock(java.time.Instant.parse("2026-12-31T23:59:58Z"));
    KmsRuntime rt = KmsRuntime.builder().world(w).clock(clock).build();
    String key = rt.createKey(READER_CALLER, CreateKeyRequest.symmetric()).arn();
    assertThat(rt.encrypt(READER_CALLER, EncryptRequest.of(key, DATA, Map.of())).keyId()).isEqualTo(key);
    // a key of eu-west-1, used there: keys are regional, so the call goes to eu-west-1's endpoint
    Caller inEu = Caller.of(READER, "eu-west-1");
    String euKey = rt.createKey(inEu, CreateKeyRequest.symmetric()).arn();
    assertThatThrownBy(() -> rt.encrypt(inEu, EncryptRequest.of(euKey, DATA, Map.of())))
        .is(TestKms.error(ACCESS_DENIED)).hasMessageContaining("OnlyUsEast1");
    clock.advance(java.time.Duration.ofSeconds(3));
    assertThatThrownBy(() -> rt.encrypt(READER_CALLER, EncryptRequest.of(key, DATA, Map.of())))
        .is(TestKms.error(ACCESS_DENIED)).hasMessageContaining("UntilNewYear");
  }

  @Test
  void taggingAKeySecret_takesAwayANegatedAllowAtOnce() {
    String key = kms.createKey(ADMIN_CALLER, CreateKeyRequest.symmetric()).arn();
    byte[] blob = kms.encrypt(READER_CALLER, EncryptRequest.of(key, DATA, Map.of())).ciphertextBlob();
    kms.tagResource(ADMIN_CALLER, key, Map.of("Team", "secret"));
    assertThatThrownBy(() -> kms.decrypt(READER_CALLER, Kms.DecryptRequest.of(blob, Map.of())))
        .is(TestKms.error(ACCESS_DENIED)).hasMessageContaining("kms:Decrypt");
    kms.untagResource(ADMIN_CALLER, key, List.of("Team"));
    assertThat(kms.decrypt(READER_CALLER, Kms.DecryptRequest.of(blob, Map.of())).plaintext().toByteArray())
        .isEqualTo(DATA);
  }

  @Test
  void aliases_areTheKeysResourceAliases() {
    String key = kms.createKey(ADMIN_CALLER, CreateKeyRequest.symmetric()).arn();
    assertThatThrownBy(() -> kms.describeKey(READER_CALLER, key)).is(TestKms.error(ACCESS_DENIED));
    kms.createAlias(ADMIN_CALLER, "alias/reports", key);
    assertThat(kms.describeKey(READER_CALLER, key).arn()).isEqualTo(key);
    kms.deleteAlias(ADMIN_CALLER, "alias/reports");
    assertThatThrownBy(() -> kms.describeKey(READER_CALLER, key)).is(TestKms.error(ACCESS_DENIED));
  }

  @Test
  void createKeyWithTags_needsTagResource_withTheRequestTags() {
    CreateKeyRequest finance = CreateKeyRequest.symmetric().withTags(Map.of("Team", "finance"));
    assertThat(kms.createKey(TAGGER_CALLER, finance).arn()).startsWith("arn:aws:kms:us-east-1:111122223333:key/");
    assertThatThrownBy(() -> kms.createKey(TAGGER_CALLER, CreateKeyRequest.symmetric()
        .withTags(Map.of("Team", "secret")))).is(TestKms.error(ACCESS_DENIED))
        .hasMessageContaining("kms:TagResource");
    assertThatThrownBy(() -> kms.createKey(TAGGER_CALLER, CreateKeyRequest.symmetric()
        .withTags(Map.of("Team", "finance", "Cost", "1")))).is(TestKms.error(ACCESS_DENIED));
    String key = kms.createKey(TAGGER_CALLER, CreateKeyRequest.symmetric()).arn();
    assertThatThrownBy(() -> kms.tagResource(TAGGER_CALLER, key, Map.of("Team", "secret")))
        .is(TestKms.error(ACCESS_DENIED));
  }
}
