package dev.keyward.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs Keyward's local KMS inside the test JVM, on a free loopback port, for a test class or method.
 *
 * <p>The KMS enforces the world's key policies, IAM policies and grants, as AWS would: a call that AWS would
 * refuse is refused, with the reason in the message. Test methods, constructors and lifecycle methods may take:
 * <ul>
 *   <li>a {@code software.amazon.awssdk.services.kms.KmsClient}, signed with the credentials of one of the
 *       world's {@code identities} (pick it with {@link KmsIdentity}; without it the world must have exactly one);
 *   <li>a {@code java.net.URI}: the endpoint, for other clients (the AWS Encryption SDK, the CLI, ...);
 *   <li>a {@link LocalKms}: both, plus clients for other identities or Regions.
 * </ul>
 *
 * <pre>{@code
 * @KeywardKms(world = "kms/world.yaml")
 * class PaymentsTest {
 *   @Test
 *   void appEncrypts(@KmsIdentity("role/App") KmsClient app) { ... }
 * }
 * }</pre>
 *
 * <p>Keys created during a test (CreateKey, ReplicateKey, ...) are removed after it, with their aliases and
 * grants, unless {@link #keepKeys()}; the world's own keys stay.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(KeywardKmsExtension.class)
public @interface KeywardKms {

  /**
   * The world file (YAML or JSON): accounts, principals, keys and the identities clients sign as. A class path
   * resource (e.g. {@code kms/world.yaml} in {@code src/test/resources}) or a path relative to the working
   * directory (the module's folder under Maven).
   */
  String world();

  /** How long one KMS lives; {@link Scope#CLASS} by default. An annotation on a method always means METHOD. */
  Scope scope() default Scope.CLASS;

  /** The Region injected clients sign for (keys are regional: they see that Region's keys). */
  String region() default "us-east-1";

  /** Keep the keys a test creates for the tests after it (in the same KMS) instead of removing them. */
  boolean keepKeys() default false;

  /** The lifetime of a local KMS. */
  enum Scope {
    /** A new KMS, on an empty store, for every test method. */
    METHOD,
    /** One KMS for all the tests of a class. */
    CLASS,
    /** One KMS per world file and Region for the whole test run, shared by every class that names it. */
    SUITE
  }
}
