package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * {@code keyward serve} with role-session identities that carry session tags and session policies, called by the
 * AWS SDK for Java v2 with temporary credentials: a session tag decides an identity policy's
 * {@code aws:PrincipalTag} condition, and a session policy limits what the role's policies allow
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
 */
class ServeSessionTest {

  static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  static final String WORLD = String.join("\n",
      "principals:",
      "  - arn: arn:aws:iam::111111111111:role/teams/data/Analyst",
      "    tags: {team: marketing}",
      "    policies:",
      "      - name: team-finance-only",
      "        document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['kms:Encrypt', 'kms:Decrypt',"
          + " 'kms:DescribeKey'], Resource: '*', Condition: {StringEquals: {'aws:PrincipalTag/team': finance}}}]}",
      "keys:",
      "  - arn: " + KEY,
      "    spec: SYMMETRIC_DEFAULT",
      "    usage: ENCRYPT_DECRYPT",
      "identities:",
      "  # tagged finance for the session, and limited by a session policy to Encrypt and DescribeKey",
      "  - accessKeyId: ASIAFINANCE00000001",
      "    secretAccessKey: finance-secret",
      "    sessionToken: finance-token",
      "    principal: arn:aws:sts::111111111111:assumed-role/Analyst/alice",
      "    session:",
      "      tags: {team: finance}",
      "      sourceIdentity: alice",
      "      policies:",
      "        - document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['kms:Encrypt',"
          + " 'kms:DescribeKey'], Resource: '*'}]}",
      "  # the same role without session tags: the role's own tag (marketing) counts",
      "  - accessKeyId: ASIAPLAIN0000000001",
      "    secretAccessKey: plain-secret",
      "    sessionToken: plain-token",
      "    principal: arn:aws:sts::111111111111:assumed-role/Analyst/bob",
      "  # tagged finance, with no session policy: everything the role allows",
      "  - accessKeyId: ASIAFULL00000000001",
      "    secretAccessKey: full-secret",
      "    sessionToken: full-token",
      "    principal: arn:aws:sts::111111111111:assumed-role/Analyst/carol",
      "    session: {tags: {team: finance}}",
      "");

  static KmsClient client(KmsServer s, String id, String secret, String token) {
    return KmsClient.builder()
        .endpointOverride(URI.create(s.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(id, secret, token)))
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  /** A server on a free loopback port for the world {@code text}. */
  static KmsServer serve(Path dir, String text) throws Exception {
    Path file = dir.resolve("world.yaml");
    Files.writeString(file, text);
    WorldLoadResult r = WorldLoader.create().load(file, "world.yaml");
    assertThat(r.problems()).noneMatch(p -> p.isError());
    World w = r.world();
    return ServerLauncher.launch(new ServerLauncher.Options(w, dir.resolve("store").toString(),
        null, null, null, KmsServer.Config.of(0, w.identities())), new PrintWriter(new StringWriter(), true));
  }

  static String code(Throwable e) {
    return ((KmsException) e).awsErrorDetails().errorCode();
  }

  @Test
  void sessionTagsAndSessionPolicies_decideSdkCalls(@TempDir Path dir) throws Exception {
    try (KmsServer s = serve(dir, WORLD);
        KmsClient finance = client(s, "ASIAFINANCE00000001", "finance-secret", "finance-token");
        KmsClient plain = client(s, "ASIAPLAIN0000000001", "plain-secret", "plain-token");
        KmsClient full = client(s, "ASIAFULL00000000001", "full-secret", "full-token")) {
      // the session tag team=finance wins over the role's tag: the identity policy's condition holds
      SdkBytes blob = finance.encrypt(b -> b.keyId(KEY).plaintext(SdkBytes.fromUtf8String("payroll"))).ciphertextBlob();
      assertThat(finance.describeKey(b -> b.keyId(KEY)).keyMetadata().arn()).isEqualTo(KEY);
      // the session policy does not allow Decrypt, though the role's policy does
      assertThatThrownBy(() -> finance.decrypt(b -> b.ciphertextBlob(blob)))
          .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"))
          .hasMessageContaining("assumed-role/Analyst/alice");
      // without session tags the role's own tag (marketing) decides: denied
      assertThatThrownBy(() -> plain.encrypt(b -> b.keyId(KEY).plaintext(SdkBytes.fromUtf8String("x"))))
          .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"));
      // tagged finance, no session policy: Decrypt works
      assertThat(full.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("payroll");
    }
  }

  static final String FEDERATED_WORLD = String.join("\n",
      "principals:",
      "  - arn: arn:aws:iam::111111111111:user/broker",
      "    policies: [{document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: ['kms:Encrypt',"
          + " 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*'}]}}]",
      "keys:",
      "  - arn: " + KEY,
      "    spec: SYMMETRIC_DEFAULT",
      "    usage: ENCRYPT_DECRYPT",
      "identities:",
      "  # a federated user session (GetFederationToken) of the broker, limited to Encrypt by its session policy",
      "  - accessKeyId: ASIAFEDERATED000001",
      "    secretAccessKey: fed-secret",
      "    sessionToken: fed-token",
      "    principal: arn:aws:sts::111111111111:federated-user/app",
      "    session:",
      "      federatedBy: arn:aws:iam::111111111111:user/broker",
      "      policies: [{document: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'kms:Encrypt',"
          + " Resource: '*'}]}}]",
      "  # the same without a session policy: none of the broker's permissions",
      "  - accessKeyId: ASIAFEDERATED000002",
      "    secretAccessKey: bare-secret",
      "    sessionToken: bare-token",
      "    principal: arn:aws:sts::111111111111:federated-user/bare",
      "    session: {federatedBy: 'arn:aws:iam::111111111111:user/broker'}",
      "");

  /**
   * A federated user identity: its user's permissions as far as its session policy allows, none without one
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getfederationtoken.html).
   */
  @Test
  void federatedUserIdentities_haveTheirUsersPermissionsWithinTheSessionPolicy(@TempDir Path dir) throws Exception {
    try (KmsServer s = serve(dir, FEDERATED_WORLD);
        KmsClient fed = client(s, "ASIAFEDERATED000001", "fed-secret", "fed-token");
        KmsClient bare = client(s, "ASIAFEDERATED000002", "bare-secret", "bare-token")) {
      SdkBytes blob = fed.encrypt(b -> b.keyId(KEY).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
      assertThatThrownBy(() -> fed.decrypt(b -> b.ciphertextBlob(blob)))
          .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"))
          .hasMessageContaining("federated-user/app");
      assertThatThrownBy(() -> bare.encrypt(b -> b.keyId(KEY).plaintext(SdkBytes.fromUtf8String("x"))))
          .satisfies(e -> assertThat(code(e)).isEqualTo("AccessDeniedException"));
    }
  }
}
