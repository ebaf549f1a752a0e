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
 */
public record AuditEvent(Instant time, String caller, String operation, String region, String keyArn,
    Map<String, String> encryptionContext, String decision, List<String> statements, String errorCode) {

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(operation, "operation");
    encryptionContext = encryptionContext == null ? Map.of() : Map.copyOf(encryptionContext);
    statements = statements == null ? List.of() : List.copyOf(statements);
  }
}
