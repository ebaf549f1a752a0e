package dev.keyward.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.eval.Authorizer;
import dev.keyward.eval.Decision;
import dev.keyward.eval.Reason;
import dev.keyward.request.Request;
import dev.keyward.runtime.Kms.Caller;
import dev.keyward.runtime.crypto.Envelope;
import dev.keyward.runtime.crypto.KeyMaterial;
import dev.keyward.runtime.crypto.KeySpec;
import dev.keyward.runtime.crypto.SecretBytes;
import dev.keyward.runtime.crypto.SymmetricKey;
import dev.keyward.world.RequestReader;
import dev.keyward.world.World;
import dev.keyward.world.WorldIndex;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The requests of examples/cross-account-decrypt (the ones {@code keyward can} answers in
 * expected/decisions.jsonl), made as real calls to the runtime: every call gets the same verdict, and a refusal
 * carries the same deciding reasons.
 */
class EnforcementTest {

  private static final Path EXAMPLE = Path.of("..", "..", "examples", "cross-account-decrypt");
  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final byte[] MATERIAL = new byte[32];
  private static World world;
  private static Map<String, JsonNode> expected;

  @BeforeAll
  static void load() throws Exception {
    WorldLoadResult r = WorldLoader.create().load(EXAMPLE.resolve("world.yaml"));
    assertThat(r.hasErrors()).isFalse();
    world = r.world();
    expected = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(EXAMPLE.resolve("expected/decisions.jsonl"))) {
      JsonNode n = json.readTree(line);
      expected.put(n.get("id").asText(), n);
    }
    new SecureRandom().nextBytes(MATERIAL);
  }

  static Stream<Request> requests() throws Exception {
    WorldLoadResult r = WorldLoader.create().load(EXAMPLE.resolve("world.yaml"));
    RequestReader reader = RequestReader.create(WorldIndex.create(r.world()));
    RequestReader.Result rs = reader.readAll(Files.readString(EXAMPLE.resolve("requests.jsonl")), "requests.jsonl");
    assertThat(rs.problems()).isEmpty();
    assertThat(rs.requests()).hasSizeGreaterThan(10);
    return rs.requests().stream();
  }

  private static KmsRuntime runtime() {
    KmsRuntime rt = KmsRuntime.builder().world(world).build();
    WorldSeeder.seed(rt, world, Map.of(KEY, SecretBytes.copyOf(MATERIAL)));
    return rt;
  }

  @org.junit.jupiter.api.Test
  void seed_exampleWorld_keyPolicyAliasGrantAndRotationAsDeclared() {
    KmsRuntime rt = runtime();
    Caller admin = Caller.of("arn:aws:iam::111111111111:role/KeyAdmin", "us-east-1");
    assertThat(rt.describeKey(admin, "alias/finance").arn()).isEqualTo(KEY);
    assertThat(rt.getKeyRotationStatus(admin, KEY).rotationPeriodInDays()).isEqualTo(365);
    assertThat(rt.getKeyPolicy(admin, KEY, "default")).contains("AllowAnalystDecryptFinanceData");
    assertThat(rt.listGrants(admin, KEY, null, null)).singleElement()
        .satisfies(g -> assertThat(g.grantId()).isEqualTo("batch-job-decrypt"));
    // seeding again (a restart over a persistent store) keeps what is there
    WorldSeeder.seed(rt, world, Map.of());
    assertThat(rt.listGrants(admin, KEY, null, null)).hasSize(1);
  }

  /** A ciphertext under the example key, made offline from the seeded material (no authorization involved). */
  private static byte[] ciphertext(Map<String, String> context) throws Exception {
    String materialId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest((KEY + "#0").getBytes(StandardCharsets.UTF_8)));
    SymmetricKey m = (SymmetricKey) KeyMaterial.decode(KeySpec.SYMMETRIC_DEFAULT, materialId,
        SecretBytes.copyOf(MATERIAL));
    return Envelope.seal(m, "1234abcd-12ab-34cd-56ef-1234567890ab", "report".getBytes(StandardCharsets.UTF_8),
        context, new SecureRandom());
  }

  private static Map<String, String> encryptionContext(Request q) {
    Map<String, String> ctx = new HashMap<>();
    q.context().forEach((k, v) -> {
      if (k.startsWith("kms:EncryptionContext:")) {
        ctx.put(k.substring("kms:EncryptionContext:".length()), v.get(0));
      }
    });
    return ctx;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void call_exampleRequest_sameAnswerAsKeywardCan(Request q) throws Exception {
    JsonNode want = expected.get(q.id());
    assertThat(want).as("expected decision of %s", q.id()).isNotNull();
    // the same question to the authorizer over the world file, as `keyward can` asks it
    Decision can = Authorizer.create(world).authorize(q);
    assertThat(can.verdict().name()).isEqualTo(want.get("decision").asText());

    Caller caller = Caller.of(q.principal(), "us-east-1");
    Map<String, String> ctx = encryptionContext(q);
    String keyId = q.resource();
    Runnable call;
    KmsRuntime rt = runtime();
    switch (q.action()) {
      case "kms:Decrypt": {
        byte[] blob = ciphertext(ctx);
        // Decrypt without a KeyId: the runtime takes the key from the ciphertext
        call = () -> assertThat(rt.decrypt(caller, Kms.DecryptRequest.of(blob, ctx)).plaintext().toByteArray())
            .asString(StandardCharsets.UTF_8).isEqualTo("report");
        if (keyId.contains(":alias/")) {
          call = () -> assertThat(rt.decrypt(caller, new Kms.DecryptRequest(blob, keyId, ctx, null, null)).keyId())
              .isEqualTo(KEY);
        }
        break;
      }
      case "kms:Encrypt":
        call = () -> assertThat(rt.encrypt(caller, Kms.EncryptRequest.of(keyId, "x".getBytes(StandardCharsets.UTF_8),
            ctx)).keyId()).isEqualTo(KEY);
        break;
      case "kms:ScheduleKeyDeletion":
        call = () -> assertThat(rt.scheduleKeyDeletion(caller, keyId, 7).keyState()).isEqualTo("PendingDeletion");
        break;
      default:
        throw new AssertionError("no runtime call for " + q.action());
    }
    if (want.get("decision").asText().equals("ALLOW")) {
      call.run();
      return;
    }
    KmsException e = catchThrowableOfType(call::run, KmsException.class);
    assertThat(e).as("%s must be refused", q.id()).isNotNull();
    assertThat(e.error()).isEqualTo(KmsError.ACCESS_DENIED);
    assertThat(e.decision().verdict().name()).isEqualTo(want.get("decision").asText());
    assertThat(reasons(e.decision().reasons())).isEqualTo(reasons(want.get("reasons")));
    for (JsonNode r : want.get("reasons")) {
      if (r.get("effect").asText().equals("deny")) {
        assertThat(e.getMessage()).contains("`" + r.get("statement").asText() + "`");
      }
    }
    assertThat(e.getMessage()).startsWith("`" + q.principal() + "` is not authorized to perform `" + q.action());
  }

  private static List<String> reasons(List<Reason> rs) {
    List<String> out = new ArrayList<>();
    for (Reason r : rs) {
      out.add(r.policy() + "|" + r.statement() + "|" + r.effect());
    }
    return out;
  }

  private static List<String> reasons(JsonNode rs) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : rs) {
      out.add(r.get("policy").asText() + "|" + r.get("statement").asText() + "|" + r.get("effect").asText());
    }
    return out;
  }
}
