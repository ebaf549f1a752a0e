package dev.keyward.condition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void matches_starAndQuestionMark() {
    assertThat(Glob.of("kms:*", false).matches("kms:decrypt")).isTrue();
    assertThat(Glob.of("kms:re*crypt*", false).matches("kms:reencryptfrom")).isTrue();
    assertThat(Glob.of("kms:?ecrypt", false).matches("kms:decrypt")).isTrue();
    assertThat(Glob.of("kms:?ecrypt", false).matches("kms:ecrypt")).isFalse();
    assertThat(Glob.of("*a*b", false).matches("xaxxab")).isTrue();
    assertThat(Glob.of("*a*b", false).matches("xaxxa")).isFalse();
    assertThat(Glob.of("", false).matches("")).isTrue();
  }

  @Test
  void ignoreCase_foldsBoth() {
    assertThat(Glob.of("KMS:Decrypt", true).matches("kms:DECRYPT")).isTrue();
  }

  @Test
  void literalParts_doNotActAsWildcards() {
    Glob g = Glob.builder().literal("a*").pattern("*").build(false);
    assertThat(g.matches("a*xyz")).isTrue();
    assertThat(g.matches("abc")).isFalse();
  }
}
