package dev.keyward.access;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brics.automaton.Automaton;
import java.util.List;
import org.junit.jupiter.api.Test;

/** String patterns as automata and the representatives of their regions (docs/access-analysis.md, 2). */
class PatternsTest {

  @Test
  void glob_starAndQuestionMark_asIamDoes() {
    Automaton a = Patterns.glob("web-?x*", false, (char) 0);
    assertThat(a.run("web-1x")).isTrue();
    assertThat(a.run("web-1xyz:z")).isTrue();
    assertThat(a.run("web-x")).isFalse();
    assertThat(a.run("WEB-1x")).isFalse();
    assertThat(Patterns.glob("web-*", true, (char) 0).run("WEB-1")).isTrue();
  }

  @Test
  void arnGlob_wildcardsDoNotCrossColonsBeforeTheResource() {
    Automaton a = Patterns.arnGlob("arn:aws:iam::*:role/A*");
    assertThat(a.run("arn:aws:iam::222222222222:role/Admin")).isTrue();
    assertThat(a.run("arn:aws:iam::222222222222:role/A:b")).isTrue();
    assertThat(a.run("arn:aws:iam::2:2:role/Admin")).isFalse();
    assertThat(Patterns.arnGlob("*").run("arn:aws:kms:us-east-1:1:key/k")).isTrue();
    assertThat(Patterns.arnGlob("not-an-arn").isEmpty()).isTrue();
  }

  @Test
  void representatives_oneValuePerRegion_literalsAndOthers() {
    List<String> reps = Patterns.representatives(Patterns.PRINTABLE,
        List.of(Patterns.glob("web-*", false, (char) 0), Patterns.literal("db", false),
            Patterns.literal("web-1", false)), 64);
    // regions: "db", "web-1", web-* other than web-1, everything else
    assertThat(reps).hasSize(4).contains("db", "web-1");
    assertThat(reps).anyMatch(r -> r.startsWith("web-") && !r.equals("web-1"));
    assertThat(reps).anyMatch(r -> !r.startsWith("web-") && !r.equals("db"));
  }

  @Test
  void representatives_overlappingPatterns_everyNonEmptyCombination() {
    List<String> reps = Patterns.representatives(Patterns.PRINTABLE,
        List.of(Patterns.glob("a*", false, (char) 0), Patterns.glob("*z", false, (char) 0)), 64);
    assertThat(reps).hasSize(4);
    assertThat(reps).anyMatch(r -> r.startsWith("a") && r.endsWith("z"));
    assertThat(reps).anyMatch(r -> r.startsWith("a") && !r.endsWith("z"));
    assertThat(reps).anyMatch(r -> !r.startsWith("a") && r.endsWith("z"));
    assertThat(reps).anyMatch(r -> !r.startsWith("a") && !r.endsWith("z"));
  }

  @Test
  void representatives_overTheCap_null() {
    List<Automaton> many = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      many.add(Patterns.glob("*" + (char) ('a' + i) + "*", false, (char) 0));
    }
    assertThat(Patterns.representatives(Patterns.PRINTABLE, many, 16)).isNull();
  }
}
