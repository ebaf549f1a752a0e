package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.request.Request;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's tags ({@code aws:ResourceTag/<k>}) and aliases ({@code kms:ResourceAliases}) come from the world
 * when it states them, and win over a request's claims (ABAC for AWS KMS,
 * https://docs.aws.amazon.com/kms/latest/developerguide/abac.html).
 */
class ResourceTagsAndAliasesTest {

  private static final String APP = "arn:aws:iam::111111111111:role/App";
  private static final String OPEN = "arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111";
  private static final String SECRET = "arn:aws:kms:us-east-1:111111111111:key/22222222-2222-2222-2222-222222222222";
  private static final String UNTAGGED = "arn:aws:kms:us-east-1:111111111111:key/33333333-3333-3333-3333-333333333333";

  @TempDir Path dir;

  private Authorizer authorizer() throws Exception {
    Path f = dir.resolve("world.yaml");
    Files.writeString(f, ""
        + "principals:\n"
        + "  - arn: " + APP + "\n"
        + "    policies:\n"
        + "      - name: abac\n"
        + "        document:\n"
        + "          Version: \"2012-10-17\"\n"
        + "          Statement:\n"
        + "            - Sid: NotSecretKeys\n"
        + "              Effect: Allow\n"
        + "              Action: kms:Decrypt\n"
        + "              Resource: \"*\"\n"
        + "              Condition: { StringNotEquals: { \"aws:ResourceTag/Team\": secret } }\n"
        + "            - Sid: FinanceAlias\n"
        + "              Effect: Allow\n"
        + "              Action: kms:Encrypt\n"
        + "              Resource: \"*\"\n"
        + "              Condition: { \"ForAnyValue:StringEquals\": { \"kms:ResourceAliases\": alias/finance } }\n"
        + "keys:\n"
        + "  - { arn: \"" + OPEN + "\", tags: { team: finance }, aliases: [alias/finance, alias/reports] }\n"
        + "  - { arn: \"" + SECRET + "\", tags: { Team: secret } }\n"
        + "  - { arn: \"" + UNTAGGED + "\" }\n");
    WorldLoadResult r = WorldLoader.create().load(f);
    assertThat(r.problems()).isEmpty();
    World w = r.world();
    assertThat(w.keys().get(0).metadata().tags()).containsEntry("team", "finance");
    assertThat(w.keys().get(2).metadata().tags()).isNull();
    return Authorizer.create(w);
  }

  private static Verdict verdict(Authorizer a, String action, String key, Map<String, List<String>> context) {
    return a.authorize(new Request("", APP, action, key, context)).verdict();
  }

  @Test
  void resourceTags_fromTheWorld_tagKeyMatchedIgnoringCase() throws Exception {
    Authorizer a = authorizer();
    assertThat(verdict(a, "kms:Decrypt", OPEN, Map.of())).isEqualTo(Verdict.ALLOW);
    // a negated operator on a tag the key has: the wrong ALLOW this guards against
    assertThat(verdict(a, "kms:Decrypt", SECRET, Map.of())).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void resourceTags_statedByTheWorld_cannotBeClaimedByTheRequest() throws Exception {
    Authorizer a = authorizer();
    assertThat(verdict(a, "kms:Decrypt", SECRET, Map.of("aws:ResourceTag/Team", List.of("finance"))))
        .isEqualTo(Verdict.IMPLICIT_DENY);
    // a key whose tags the world does not state: the request's value is taken, as before
    assertThat(verdict(a, "kms:Decrypt", UNTAGGED, Map.of("aws:ResourceTag/Team", List.of("secret"))))
        .isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, "kms:Decrypt", UNTAGGED, Map.of())).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void resourceAliases_fromTheWorld_winOverTheRequest() throws Exception {
    Authorizer a = authorizer();
    assertThat(verdict(a, "kms:Encrypt", OPEN, Map.of())).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, "kms:Encrypt", SECRET, Map.of())).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, "kms:Encrypt", OPEN, Map.of("kms:ResourceAliases", List.of("alias/other"))))
        .isEqualTo(Verdict.ALLOW);
  }

  @Test
  void keyProperties_areDerivedFromTheWorldKey_andWinOverTheRequest() throws Exception {
    Path f = dir.resolve("props.yaml");
    String external = "arn:aws:kms:us-east-1:111111111111:key/44444444-4444-4444-4444-444444444444";
    String mrk = "arn:aws:kms:us-east-1:111111111111:key/mrk-1234567890abcdef1234567890abcdef";
    Files.writeString(f, ""
        + "principals:\n"
        + "  - arn: " + APP + "\n"
        + "    policies:\n"
        + "      - name: origin\n"
        + "        document:\n"
        + "          Version: \"2012-10-17\"\n"
        + "          Statement:\n"
        + "            - {Effect: Allow, Action: kms:Decrypt, Resource: \"*\","
        + " Condition: {StringEquals: {\"kms:KeyOrigin\": AWS_KMS}}}\n"
        + "            - {Effect: Allow, Action: kms:Encrypt, Resource: \"*\","
        + " Condition: {StringEquals: {\"kms:MultiRegionKeyType\": PRIMARY, \"kms:KeySpec\": SYMMETRIC_DEFAULT}}}\n"
        + "keys:\n"
        + "  - { arn: \"" + OPEN + "\" }\n"
        + "  - { arn: \"" + external + "\", origin: EXTERNAL }\n"
        + "  - { arn: \"" + mrk + "\", multiRegion: { role: PRIMARY } }\n");
    WorldLoadResult r = WorldLoader.create().load(f);
    assertThat(r.problems()).filteredOn(p -> p.severity().name().equals("ERROR")).isEmpty();
    Authorizer a = Authorizer.create(r.world());
    assertThat(verdict(a, "kms:Decrypt", OPEN, Map.of())).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, "kms:Decrypt", external, Map.of())).isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, "kms:Decrypt", external, Map.of("kms:KeyOrigin", List.of("AWS_KMS"))))
        .as("a request cannot claim the key's origin").isEqualTo(Verdict.IMPLICIT_DENY);
    assertThat(verdict(a, "kms:Encrypt", mrk, Map.of())).isEqualTo(Verdict.ALLOW);
    assertThat(verdict(a, "kms:Encrypt", OPEN, Map.of())).isEqualTo(Verdict.IMPLICIT_DENY);
  }

  @Test
  void symbolic_statedTagsAreNotOpen_unstatedOnesAre() throws Exception {
    Authorizer a = authorizer();
    assertThat(a.authorizeSymbolic(new Request("", APP, "kms:Decrypt", SECRET, Map.of()), Set.of("*")).outcome())
        .isEqualTo(ConditionalDecision.Outcome.DENY);
    assertThat(a.authorizeSymbolic(new Request("", APP, "kms:Decrypt", UNTAGGED, Map.of()), Set.of("*")).outcome())
        .isNotEqualTo(ConditionalDecision.Outcome.DENY);
  }
}
