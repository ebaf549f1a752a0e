package dev.keyward.junit5;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Assertions on KMS errors. The AWS SDK for Java v2 has no class for some KMS errors (AccessDeniedException is a
 * {@code KmsException} whose error code says so), and libraries on top of it (the AWS Encryption SDK) wrap them;
 * these find the KMS error anywhere in the causes and suppressed exceptions of what was thrown.
 */
public final class KmsAssertions {

  private KmsAssertions() {}

  /** Asserts that {@code call} fails with KMS's AccessDeniedException; returns the KMS error. */
  public static AwsServiceException assertAccessDenied(Executable call) {
    return assertKmsError("AccessDeniedException", call);
  }

  /** Asserts that {@code call} fails with the KMS error {@code errorCode}; returns the KMS error. */
  public static AwsServiceException assertKmsError(String errorCode, Executable call) {
    Throwable thrown = Assertions.assertThrows(Throwable.class, call, "expected KMS to answer " + errorCode);
    AwsServiceException e = find(thrown);
    if (e == null) {
      Assertions.fail("expected KMS to answer " + errorCode + ", but the call failed without a KMS error: " + thrown,
          thrown);
    }
    Assertions.assertEquals(errorCode, e.awsErrorDetails().errorCode(), () -> "KMS error: " + e.getMessage());
    return e;
  }

  /** The KMS error error code in {@code t}'s causes and suppressed exceptions, or null. */
  public static String errorCode(Throwable t) {
    AwsServiceException e = find(t);
    return e == null ? null : e.awsErrorDetails().errorCode();
  }

  private static AwsServiceException find(Throwable root) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.add(root);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (t == null || !seen.add(t)) {
        continue;
      }
      if (t instanceof AwsServiceException && ((AwsServiceException) t).awsErrorDetails() != null) {
        return (AwsServiceException) t;
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      Collections.addAll(todo, t.getSuppressed());
    }
    return null;
  }
}
