package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Any line gives a request or exactly one located problem, never an exception. */
class RequestReaderRobustnessTest {

  private static final RequestReader READER = RequestReader.create(WorldIndex.create(
      WorldLoader.create().load(Path.of("..", "..", "examples", "cross-account-decrypt", "world.yaml")).world()));
  private static final String GOOD = "{\"id\":\"r\",\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\","
      + "\"resource\":\"alias/finance\",\"context\":{\"kms:EncryptionContext:Dept\":[\"Finance\"]}}";
  private static final String ODD = " :,[]{}\"\\/0nt\u00e9\u2028\t";

  @Property(tries = 300)
  void parseLine_anyString_givesRequestOrOneLocatedProblem(@ForAll String line) {
    RequestReader.Line l = READER.parseLine(line, "r.jsonl", 7);

    assertThat(l.line()).isEqualTo(7);
    assertThat(l.ok() ^ l.problem() != null).isTrue();
    if (!l.ok()) {
      assertThat(l.problem().where().line()).isEqualTo(7);
      assertThat(l.problem().where().column()).isPositive();
      assertThat(l.problem().message()).doesNotContain("\n");
    }
  }

  @Property(tries = 300)
  void parseLine_goodLineWithOneCharacterChanged_neverThrows(
      @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 0, max = 100) int c) {
    int at = position % GOOD.length();
    String mutated = GOOD.substring(0, at) + ODD.charAt(c % ODD.length()) + GOOD.substring(at + 1);

    RequestReader.Line l = READER.parseLine(mutated, "r.jsonl", 1);

    assertThat(l.ok() ^ l.problem() != null).isTrue();
  }
}
