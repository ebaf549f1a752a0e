package dev.keyward.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class BackoffTest {

  static AwsServiceException error(String code, int status) {
    return AwsServiceException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
  }

  @Test
  void throttled_isRetriedWithGrowingCappedWaits_untilItAnswers() {
    List<Long> ceilings = new ArrayList<>();
    Backoff b = new Backoff(10, 100, 400, ms -> ceilings.add(ms));
    AtomicInteger calls = new AtomicInteger();
    String answer = b.run(() -> {
      if (calls.incrementAndGet() <= 5) {
        throw error(calls.get() % 2 == 0 ? "ThrottlingException" : "TooManyRequestsException", 400);
      }
      return "ok";
    });
    assertThat(answer).isEqualTo("ok");
    assertThat(calls.get()).isEqualTo(6);
    assertThat(b.retries()).isEqualTo(5);
    // full jitter: each wait is drawn from [0, min(cap, base * 2^attempt)]
    long[] caps = {100, 200, 400, 400, 400};
    for (int i = 0; i < ceilings.size(); i++) {
      assertThat(ceilings.get(i)).isBetween(0L, caps[i]);
    }
  }

  @Test
  void accessDenied_isNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    Backoff b = new Backoff(10, 1, 1, ms -> { });
    assertThatThrownBy(() -> b.run(() -> {
      calls.incrementAndGet();
      throw error("AccessDeniedException", 400);
    })).isInstanceOf(AwsServiceException.class);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void throttledPastTheLastAttempt_isThrown() {
    AtomicInteger calls = new AtomicInteger();
    Backoff b = new Backoff(3, 1, 1, ms -> { });
    assertThatThrownBy(() -> b.run(() -> {
      calls.incrementAndGet();
      throw error("SlowDown", 503);
    })).isInstanceOf(AwsServiceException.class);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void connectionFailure_isTriedFourTimes() {
    AtomicInteger calls = new AtomicInteger();
    Backoff b = new Backoff(10, 1, 1, ms -> { });
    assertThatThrownBy(() -> b.run(() -> {
      calls.incrementAndGet();
      throw SdkClientException.create("connection refused");
    })).isInstanceOf(SdkClientException.class);
    assertThat(calls.get()).isEqualTo(4);
  }
}
