package dev.keyward.iam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void matches_star_matchesAnyRunIncludingNone() {
    assertThat(Glob.matches("re*", "re")).isTrue();
    assertThat(Glob.matches("re*", "reencryptfrom")).isTrue();
    assertThat(Glob.matches("*", "")).isTrue();
    assertThat(Glob.matches("*grant", "retiregrant")).isTrue();
    assertThat(Glob.matches("re*grant", "regrant")).isTrue();
    assertThat(Glob.matches("re*grant", "retiregrants")).isFalse();
    assertThat(Glob.matches("*a*b*", "xaxxbx")).isTrue();
    assertThat(Glob.matches("*a*b*", "xbxxax")).isFalse();
  }

  @Test
  void matches_questionMark_matchesExactlyOne() {
    assertThat(Glob.matches("d?crypt", "decrypt")).isTrue();
    assertThat(Glob.matches("d?crypt", "dcrypt")).isFalse();
    assertThat(Glob.matches("??", "ab")).isTrue();
    assertThat(Glob.matches("??", "abc")).isFalse();
  }

  @Test
  void matches_noWildcard_needsEqualText() {
    assertThat(Glob.matches("decrypt", "decrypt")).isTrue();
    assertThat(Glob.matches("decrypt", "decrypts")).isFalse();
    assertThat(Glob.matches("", "")).isTrue();
    assertThat(Glob.matches("", "a")).isFalse();
  }

  @Test
  void matches_range_matchesOnlyThePartGiven() {
    assertThat(Glob.matches("xre*y", 1, 4, "kms:reencrypt", 4, 13)).isTrue();
    assertThat(Glob.matches("re*", 0, 3, "kms:decrypt", 4, 11)).isFalse();
  }

  @Test
  void literalPrefix_pattern_givesTextBeforeFirstWildcard() {
    assertThat(Glob.literalPrefix("kms:re*")).isEqualTo("kms:re");
    assertThat(Glob.literalPrefix("kms:d?crypt")).isEqualTo("kms:d");
    assertThat(Glob.literalPrefix("*")).isEmpty();
    assertThat(Glob.literalPrefix("decrypt")).isEqualTo("decrypt");
  }
}
