package dev.keyward.snapshot;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Retries throttled and transient calls with capped exponential backoff and full jitter (the scheme AWS
 * recommends in "Exponential Backoff And Jitter" and uses in its SDKs' standard retry mode). Any other error
 * is thrown at once for the caller to classify.
 */
final class Backoff {

  /** Error codes AWS services answer when a caller is throttled. */
  static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
      "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException",
      "SlowDown", "ProvisionedThroughputExceededException", "LimitExceededException", "BandwidthLimitExceeded",
      "EC2ThrottledException", "PriorRequestNotComplete");

  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final int maxAttempts;
  private final long baseMillis;
  private final long capMillis;
  private final Sleeper sleeper;
  private int retries;

  Backoff(int maxAttempts, long baseMillis, long capMillis, Sleeper sleeper) {
    this.maxAttempts = maxAttempts;
    this.baseMillis = baseMillis;
    this.capMillis = capMillis;
    this.sleeper = sleeper;
  }

  static Backoff standard() {
    return new Backoff(10, 200, 20_000, Thread::sleep);
  }

  /** How many times calls were retried so far. */
  int retries() {
    return retries;
  }

  <T> T run(Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (AwsServiceException e) {
        if (attempt >= maxAttempts || !retryable(e)) {
          throw e;
        }
      } catch (SdkClientException e) {
        // A connection that failed or timed out: worth a few tries, as the SDK's standard mode does.
        if (attempt >= Math.min(maxAttempts, 4)) {
          throw e;
        }
      }
      retries++;
      long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt - 1, 20));
      try {
        sleeper.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw SdkClientException.create("interrupted while waiting to retry", e);
      }
    }
  }

  static boolean retryable(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return (code != null && THROTTLING.contains(code)) || e.statusCode() == 429 || e.statusCode() == 503
        || e.statusCode() == 500 || e.statusCode() == 502 || e.statusCode() == 504;
  }
}
