package dev.keyward.junit5;

import dev.keyward.model.Problem;
import dev.keyward.server.KmsServer;
import dev.keyward.server.ServerLauncher;
import dev.keyward.world.Identity;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A running local KMS: its endpoint and AWS SDK clients for the world's identities. Made by
 * {@link KeywardKms}; usable on its own with {@link #start}. Closing it closes its clients, stops the server
 * and deletes its store.
 */
public final class LocalKms implements AutoCloseable {

  private final KmsServer server;
  private final World world;
  private final Path store;
  private final String region;
  private final StringWriter log;
  private final List<KmsClient> clients = new ArrayList<>();

  private LocalKms(KmsServer server, World world, Path store, String region, StringWriter log) {
    this.server = server;
    this.world = world;
    this.store = store;
    this.region = region;
    this.log = log;
  }

  /**
   * Starts a local KMS on a free loopback port, on a new store in a temporary folder, seeded from the world.
   *
   * @param worldFile the world file
   * @param region the Region clients sign for by default
   * @throws IllegalArgumentException when the world file has errors (all of them in the message)
   */
  public static LocalKms start(Path worldFile, String region) throws IOException {
    WorldLoadResult r = WorldLoader.create().load(worldFile, worldFile.toString());
    List<Problem> errors = r.problems().stream().filter(Problem::isError).collect(Collectors.toList());
    if (!errors.isEmpty() || r.world() == null) {
      throw new IllegalArgumentException("the world `" + worldFile + "` has errors:\n" + errors.stream()
          .map(Problem::display).collect(Collectors.joining("\n")));
    }
    Path store = Files.createTempDirectory("keyward-kms");
    StringWriter log = new StringWriter();
    KmsServer server = ServerLauncher.launch(new ServerLauncher.Options(r.world(),
        store.toString(), null, null, null, KmsServer.Config.of(0, r.world().identities())),
        new PrintWriter(log, true));
    return new LocalKms(server, r.world(), store, region, log);
  }

  /** The endpoint URL ({@code http://127.0.0.1:PORT}). */
  public URI endpoint() {
    return URI.create(server.endpoint());
  }

  /** The Region clients sign for by default. */
  public String region() {
    return region;
  }

  /** The world's identities. */
  public List<Identity> identities() {
    return world.identities();
  }

  /** A client signed as the identity {@code selector} names (see {@link KmsIdentity}), in the default Region. */
  public KmsClient client(String selector) {
    return client(identity(selector), region);
  }

  /** A client signed as the identity {@code selector} names, for {@code region}. */
  public KmsClient client(String selector, String region) {
    return client(identity(selector), region);
  }

  synchronized KmsClient client(Identity id, String region) {
    AwsCredentials creds = id.sessionToken() != null
        ? AwsSessionCredentials.create(id.accessKeyId(), id.secretAccessKey(), id.sessionToken())
        : AwsBasicCredentials.create(id.accessKeyId(), id.secretAccessKey());
    KmsClient c = KmsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(creds))
        .build();
    clients.add(c);
    return c;
  }

  /**
   * The one identity {@code selector} names: an access key id, a principal ARN, the end of one after a
   * {@code /} or {@code :}, or null for the only identity of the world.
   */
  Identity identity(String selector) {
    List<Identity> all = world.identities();
    if (selector == null) {
      if (all.size() == 1) {
        return all.get(0);
      }
      throw new IllegalArgumentException("the world has " + all.size() + " identities; name one with"
          + " @KmsIdentity: " + names(all));
    }
    List<Identity> matches = new ArrayList<>();
    for (Identity i : all) {
      String p = i.principal();
      if (i.accessKeyId().equals(selector) || p.equals(selector)) {
        return i;
      }
      boolean sessionOfRole = selector.startsWith("role/") && p.contains(":assumed-role/" + selector.substring(5)
          + "/");
      if (p.endsWith("/" + selector) || p.endsWith(":" + selector) || p.contains("/" + selector + "/")
          || sessionOfRole) {
        matches.add(i);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    throw new IllegalArgumentException((matches.isEmpty() ? "no identity" : matches.size() + " identities")
        + " of the world match `" + selector + "`; its identities: " + names(matches.isEmpty() ? all : matches));
  }

  private static String names(List<Identity> ids) {
    return ids.stream().map(i -> i.principal() + " (" + i.accessKeyId() + ")").collect(Collectors.joining(", "));
  }

  /** The ARNs of every key the KMS holds now. */
  public Set<String> keyArns() {
    return new HashSet<>(server.keyArns());
  }

  /** Removes keys created since {@code before} (a result of {@link #keyArns}), with their aliases and grants. */
  public void removeKeysCreatedSince(Set<String> before) {
    Set<String> created = keyArns();
    created.removeAll(before);
    server.purgeKeys(created);
  }

  /** What the server wrote to its log (internal errors; empty normally). */
  public String serverLog() {
    return log.toString();
  }

  @Override
  public synchronized void close() throws IOException {
    for (KmsClient c : clients) {
      c.close();
    }
    clients.clear();
    server.stop(5);
    deleteTree(store);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public String toString() {
    return "LocalKms[" + server.endpoint() + ", " + world.identities().size() + " identities]";
  }
}
