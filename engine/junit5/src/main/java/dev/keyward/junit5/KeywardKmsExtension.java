package dev.keyward.junit5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The extension behind {@link KeywardKms}: starts and stops local KMS servers, injects clients, endpoints and
 * {@link LocalKms} handles, and removes the keys each test created.
 *
 * <p>A class-scoped KMS lives in the class's extension store and a suite-scoped one in the root store (keyed by
 * world file and Region), so JUnit closes them when the class, or the whole run, ends; a method-scoped one lives
 * in the method's store.
 */
public final class KeywardKmsExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KeywardKmsExtension.class);
  private static final String KMS = "kms";
  private static final String BEFORE = "keysBefore";

  /** Closes a {@link LocalKms} when JUnit closes the store that holds it. */
  private static final class Resource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final LocalKms kms;

    Resource(LocalKms kms) {
      this.kms = kms;
    }

    @Override
    public void close() throws IOException {
      kms.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<KeywardKms> a = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KeywardKms.class);
    if (a.isPresent() && a.get().scope() != KeywardKms.Scope.METHOD) {
      kms(context, a.get(), false);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Effective e = effective(context);
    if (e == null) {
      return;
    }
    LocalKms kms = kms(context, e.annotation, e.onMethod);
    if (!e.annotation.keepKeys()) {
      context.getStore(NS).put(BEFORE, kms.keyArns());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Effective e = effective(context);
    if (e == null || e.annotation.keepKeys()) {
      return;
    }
    @SuppressWarnings("unchecked")
    Set<String> before = (Set<String>) context.getStore(NS).remove(BEFORE, Set.class);
    LocalKms kms = find(context);
    if (before != null && kms != null) {
      kms.removeKeysCreatedSince(before);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
    Class<?> t = p.getParameter().getType();
    return t == KmsClient.class || t == LocalKms.class || t == URI.class && p.getDeclaringExecutable()
        .getDeclaringClass().isAnnotationPresent(KeywardKms.class) || t == URI.class
        && p.getDeclaringExecutable().isAnnotationPresent(KeywardKms.class);
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext context) {
    LocalKms kms = find(context);
    if (kms == null) {
      Effective e = effective(context);
      if (e == null) {
        throw new ParameterResolutionException("no @KeywardKms on `" + context.getDisplayName() + "` or its class");
      }
      kms = kms(context, e.annotation, e.onMethod);
    }
    Class<?> t = p.getParameter().getType();
    if (t == LocalKms.class) {
      return kms;
    }
    if (t == URI.class) {
      return kms.endpoint();
    }
    String selector = p.findAnnotation(KmsIdentity.class).map(KmsIdentity::value).orElse(null);
    try {
      return kms.client(kms.identity(selector), kms.region());
    } catch (IllegalArgumentException ex) {
      throw new ParameterResolutionException("cannot inject parameter " + (p.getIndex() + 1) + " of `"
          + p.getDeclaringExecutable().getName() + "`: "
          + ex.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------------

  private record Effective(KeywardKms annotation, boolean onMethod) {}

  private static Effective effective(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      Optional<KeywardKms> onMethod = AnnotationSupport.findAnnotation(context.getTestMethod().get(),
          KeywardKms.class);
      if (onMethod.isPresent()) {
        return new Effective(onMethod.get(), true);
      }
    }
    Optional<Class<?>> c = context.getTestClass();
    if (c.isEmpty()) {
      return null;
    }
    Optional<KeywardKms> onClass = AnnotationSupport.findAnnotation(c.get(), KeywardKms.class);
    return onClass.map(a -> new Effective(a, false)).orElse(null);
  }

  /** The KMS this context uses, starting it in the right store when it is not running yet. */
  private static LocalKms kms(ExtensionContext context, KeywardKms a, boolean onMethod) {
    LocalKms existing = onMethod ? own(context) : find(context);
    if (existing != null) {
      return existing;
    }
    KeywardKms.Scope scope = onMethod ? KeywardKms.Scope.METHOD : a.scope();
    Path world = worldFile(context, a.world());
    ExtensionContext owner;
    Object key;
    switch (scope) {
      case SUITE:
        owner = context.getRoot();
        key = KMS + ":" + world.toAbsolutePath().normalize() + ":" + a.region();
        break;
      case CLASS:
        owner = classContext(context);
        key = KMS + ":" + owner.getUniqueId();
        break;
      default:
        owner = context;
        key = KMS + ":" + owner.getUniqueId();
        break;
    }
    // NOTE: stores look values up in their parents too: keys carry the owner's unique id so that a method's own
    // KMS is never taken for its class's
    Resource r = owner.getStore(NS).getOrComputeIfAbsent(key, k -> start(world, a.region()), Resource.class);
    context.getStore(NS).put(current(context), r);
    return r.kms;
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private static String current(ExtensionContext c) {
    return "current:" + c.getUniqueId();
  }

  /** The KMS chosen for this very context (a method's own), or null. */
  private static LocalKms own(ExtensionContext context) {
    Resource r = context.getStore(NS).get(current(context), Resource.class);
    return r == null ? null : r.kms;
  }

  /** The KMS already chosen for this context or one of its parents. */
  private static LocalKms find(ExtensionContext context) {
    Optional<ExtensionContext> c = Optional.of(context);
    while (c.isPresent()) {
      Resource r = c.get().getStore(NS).get(current(c.get()), Resource.class);
      if (r != null) {
        return r.kms;
      }
      c = c.get().getParent();
    }
    return null;
  }

  private static Resource start(Path world, String region) {
    try {
      return new Resource(LocalKms.start(world, region));
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("@KeywardKms: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("@KeywardKms: cannot start the local KMS: " + e.getMessage(), e);
    }
  }

  /** The world file: a class path resource first, else a path from the working directory. */
  private static Path worldFile(ExtensionContext context, String world) {
    ClassLoader loader = context.getRequiredTestClass().getClassLoader();
    URL u = loader.getResource(world.startsWith("/") ? world.substring(1) : world);
    if (u != null && u.getProtocol().equals("file")) {
      try {
        return Path.of(u.toURI());
      } catch (URISyntaxException e) {
        // NOTE: fall through to the file system
      }
    }
    Path p = Path.of(world);
    if (Files.isRegularFile(p)) {
      return p;
    }
    throw new ExtensionConfigurationException("@KeywardKms: world `" + world + "` is neither a class path resource"
        + " (src/test/resources/" + world + ") nor a file under " + Path.of("").toAbsolutePath());
  }
}
