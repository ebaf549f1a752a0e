package dev.keyward.server;

import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** A server on the test world (engine/kms/src/test/resources/serve) and SDK clients for its identities. */
final class TestServer {

  static final String FINANCE_KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String EU_KEY = "arn:aws:kms:eu-west-1:111111111111:key/5678abcd-12ab-34cd-56ef-1234567890ab";

  private TestServer() {}

  static Path worldFile() {
    try {
      return Path.of(TestServer.class.getResource("/serve/world.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static World world() {
    WorldLoadResult r = WorldLoader.create().load(worldFile(), "world.yaml");
    if (r.world() == null || r.problems().stream().anyMatch(p -> p.isError())) {
      throw new IllegalStateException("test world has problems: " + r.problems());
    }
    return r.world();
  }

  static KmsServer start(Path storeDir, StringWriter log) throws IOException {
    return start(storeDir.toString(), null, KmsServer.Config.of(0, world().identities()), log);
  }

  static KmsServer start(String store, Path rootKey, KmsServer.Config config, StringWriter log) throws IOException {
    return ServerLauncher.launch(new ServerLauncher.Options(world(), store, rootKey, null,
        null, config), new PrintWriter(log, true));
  }

  static KmsClient client(KmsServer server, String accessKeyId, String secret, String region) {
    try {
      return KmsClient.builder()
          .endpointOverride(new URI(server.endpoint()))
          .region(Region.of(region))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
          .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
          .build();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static KmsClient admin(KmsServer s) {
    return client(s, "AKIAKEYADMIN0000001", "keyadmin-secret", "us-east-1");
  }

  static KmsClient dev(KmsServer s) {
    return client(s, "AKIADEVUSER00000001", "dev-secret", "us-east-1");
  }

  static KmsClient batch(KmsServer s) {
    return client(s, "AKIABATCHJOB0000001", "batch-secret", "us-east-1");
  }

  static KmsClient analyst(KmsServer s) {
    return client(s, "AKIAANALYST00000001", "analyst-secret", "us-east-1");
  }

  static KmsClient outsider(KmsServer s) {
    return client(s, "AKIAOUTSIDER0000001", "outsider-secret", "us-east-1");
  }

  static KmsClient intern(KmsServer s) {
    return client(s, "AKIAINTERN000000001", "intern-secret", "us-east-1");
  }
}
