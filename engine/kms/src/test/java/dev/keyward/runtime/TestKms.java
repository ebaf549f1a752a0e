package dev.keyward.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.runtime.Kms.Caller;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.assertj.core.api.Condition;

/** A small world for runtime tests: an admin, an app without KMS permissions, and an outsider account. */
final class TestKms {

  static final String ACCOUNT = "111122223333";
  static final String ADMIN = "arn:aws:iam::111122223333:role/Admin";
  static final String APP = "arn:aws:iam::111122223333:role/App";
  static final String OUTSIDER = "arn:aws:iam::444455556666:role/Outsider";
  static final String REGION = "us-east-1";
  static final Caller ADMIN_CALLER = Caller.of(ADMIN, REGION);
  static final Caller APP_CALLER = Caller.of(APP, REGION);
  static final Caller OUTSIDER_CALLER = Caller.of(OUTSIDER, REGION);

  private static final String WORLD = String.join("\n",
      "principals:",
      "  - arn: " + ADMIN,
      "    policies:",
      "      - name: admin",
      "        document:",
      "          Version: \"2012-10-17\"",
      "          Statement: [{Sid: AllKms, Effect: Allow, Action: \"kms:*\", Resource: \"*\"}]",
      "  - arn: " + APP,
      "  - arn: " + OUTSIDER,
      "    policies:",
      "      - name: outsider",
      "        document:",
      "          Version: \"2012-10-17\"",
      "          Statement: [{Sid: AllKms, Effect: Allow, Action: \"kms:*\", Resource: \"*\"}]",
      "");

  private TestKms() {}

  static World world(Path dir) {
    try {
      Path f = dir.resolve("world.yaml");
      Files.writeString(f, WORLD);
      WorldLoadResult r = WorldLoader.create().load(f);
      assertThat(r.problems()).as("test world problems").isEmpty();
      return r.world();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A clock that tests move by hand. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A thrown KMS error with {@code error}, for {@code assertThatThrownBy(...).is(error(NOT_FOUND))}. */
  static Condition<Throwable> error(KmsError error) {
    return new Condition<>(t -> t instanceof KmsException k && k.error() == error, "a KMS error %s",
        error.wireName());
  }
}
