package dev.keyward.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The matching the IAM reference uses to expand action patterns: lower-cased text, wildcards, ranges. */
class GlobRangeTest {

  @Test
  void matches_star_matchesAnyRunIncludingNone() {
    assertThat(Glob.of("re*", false).matches("re")).isTrue();
    assertThat(Glob.of("re*", false).matches("reencryptfrom")).isTrue();
    assertThat(Glob.of("*", false).matches("")).isTrue();
    assertThat(Glob.of("*grant", false).matches("retiregrant")).isTrue();
    assertThat(Glob.of("re*grant", false).matches("regrant")).isTrue();
    assertThat(Glob.of("re*grant", false).matches("retiregrants")).isFalse();
    assertThat(Glob.of("*a*b*", false).matches("xaxxbx")).isTrue();
    assertThat(Glob.of("*a*b*", false).matches("xbxxax")).isFalse();
  }

  @Test
  void matches_questionMark_matchesExactlyOne() {
    assertThat(Glob.of("d?crypt", false).matches("decrypt")).isTrue();
    assertThat(Glob.of("d?crypt", false).matches("dcrypt")).isFalse();
    assertThat(Glob.of("??", false).matches("ab")).isTrue();
    assertThat(Glob.of("??", false).matches("abc")).isFalse();
  }

  @Test
  void matches_noWildcard_needsEqualText() {
    assertThat(Glob.of("decrypt", false).matches("decrypt")).isTrue();
    assertThat(Glob.of("decrypt", false).matches("decrypts")).isFalse();
    assertThat(Glob.of("", false).matches("")).isTrue();
    assertThat(Glob.of("", false).matches("a")).isFalse();
  }

  @Test
  void matches_range_matchesOnlyThePartGiven() {
    assertThat(Glob.of("xre*y".substring(1, 4), false).matchRange("kms:reencrypt", 4, 13)).isTrue();
    assertThat(Glob.of("re*".substring(0, 3), false).matchRange("kms:decrypt", 4, 11)).isFalse();
  }

  @Test
  void literalPrefix_pattern_givesTextBeforeFirstWildcard() {
    assertThat(Glob.literalPrefix("kms:re*")).isEqualTo("kms:re");
    assertThat(Glob.literalPrefix("kms:d?crypt")).isEqualTo("kms:d");
    assertThat(Glob.literalPrefix("*")).isEmpty();
    assertThat(Glob.literalPrefix("decrypt")).isEqualTo("decrypt");
  }
}
