package dev.keyward.runtime.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One KMS call, shaped after a CloudTrail record: who called what on which key, with which encryption
 * context (not secret: CloudTrail logs it too), and how it ended.
 *
 * @param keyArn the key the call used, or null (ListKeys, a ciphertext naming no key, ...)
 * @param decision ALLOW, EXPLICIT_DENY or IMPLICIT_DENY, or null when the call ended before authorization
 * @param statements the deciding statements, as {@code policy#statement} (or the reason's text when it names
 *     no statement)
 * @param errorCode the KMS error the call ended with, or null on success
 * @param accessKeyId the access key id a refused request claimed (never its secret, signature or token), or null
 * @param sourceAddress the client's address, recorded for refused authentications, or null
 */
public record AuditEvent(Instant time, String caller, String operation, String region, String keyArn,
    Map<String, String> encryptionContext, String decision, List<String> statements, String errorCode,
    String accessKeyId, String sourceAddress) {

  /** The caller of a request whose credentials name no known principal. */
  public static final String ANONYMOUS = "anonymous";

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(operation, "operation");
    encryptionContext = encryptionContext == null ? Map.of() : Map.copyOf(encryptionContext);
    statements = statements == null ? List.of() : List.copyOf(statements);
  }

  /** A call that reached the runtime. */
  public AuditEvent(Instant time, String caller, String operation, String region, String keyArn,
      Map<String, String> encryptionContext, String decision, List<String> statements, String errorCode) {
    this(time, caller, operation, region, keyArn, encryptionContext, decision, statements, errorCode, null, null);
  }

  /**
   * A request refused before the runtime saw it, for its credentials or signature.
   *
   * @param principal the principal of the access key it claimed, or null (recorded as {@link #ANONYMOUS})
   * @param accessKeyId the access key id it claimed, or null
   */
  public static AuditEvent refusedAuthentication(Instant time, String principal, String accessKeyId,
      String operation, String region, String sourceAddress, String errorCode) {
    return new AuditEvent(time, principal == null ? ANONYMOUS : principal, operation, region, null, Map.of(), null,
        List.of(), errorCode, accessKeyId, sourceAddress);
  }
}
