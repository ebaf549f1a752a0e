package dev.keyward.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which of the world's identities an injected {@code KmsClient} signs as: its access key id, its principal ARN,
 * or the end of that ARN ({@code user/dev}, {@code assumed-role/App/session}, or the role or user name alone);
 * {@code role/App} names a session of the role App. It must match exactly one identity.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface KmsIdentity {
  String value();
}
