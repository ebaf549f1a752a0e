package dev.keyward.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * What the former copies of the glob did differently, pinned now that they are one: case for actions and
 * ARNs, how the two shapes fold case, and wildcards that stand in values.
 */
class GlobCaseTest {

  @Test
  void action_ignoresCase_arn_doesNot() {
    assertThat(Glob.action("kms:Re*").matches("KMS:REENCRYPTFROM")).isTrue();
    assertThat(Glob.action("KMS:decrypt").matches("kms:Decrypt")).isTrue();
    assertThat(Glob.arn("arn:aws:kms:*:111122223333:key/*").matches("arn:aws:kms:us-east-1:111122223333:key/k"))
        .isTrue();
    assertThat(Glob.arn("arn:aws:kms:*:111122223333:key/*").matches("ARN:aws:kms:us-east-1:111122223333:key/k"))
        .isFalse();
    assertThat(Glob.arn("arn:aws:iam::1:role/Admin").matches("arn:aws:iam::1:role/admin")).isFalse();
  }

  @Test
  void patternComparisons_takeCaseAsAsked() {
    assertThat(Glob.covers("kms:Re*", "KMS:REENCRYPT*", true)).isTrue();
    assertThat(Glob.covers("kms:Re*", "KMS:REENCRYPT*", false)).isFalse();
    assertThat(Glob.overlaps("arn:aws:kms:us-east-1:1:key/A*", "arn:aws:kms:us-east-1:1:key/a*", false)).isFalse();
    assertThat(Glob.overlaps("arn:aws:kms:us-east-1:1:key/A*", "arn:aws:kms:us-east-1:1:key/a*", true)).isTrue();
  }

  /** The compiled glob lower-cases whole strings; the pattern comparisons fold one character at a time. */
  @Test
  void caseFolding_differsOnlyWhereLowerCasingChangesLength() {
    // U+0130 lower-cases to "i" + U+0307 as a string, but to "i" as a character
    assertThat(Glob.of("i?", true).matches("\u0130")).isTrue();
    assertThat(Glob.matches("i?", "\u0130", true)).isFalse();
    assertThat(Glob.of("i", true).matches("\u0130")).isFalse();
    assertThat(Glob.matches("i", "\u0130", true)).isTrue();
  }

  @Test
  void wildcardsInValues_matchOnlyWildcards_inBothShapes() {
    assertThat(Glob.of("a?", false).matches("a*")).isTrue();
    assertThat(Glob.matches("a?", "a*", false)).isTrue();
    assertThat(Glob.of("ab", false).matches("a*")).isFalse();
    assertThat(Glob.matches("ab", "a*", false)).isFalse();
  }

  /** The linter's quick rejection of ARN service parts stops at a wildcard and at the shorter text's end. */
  @Test
  void differBeforeWildcard_comparesLiteralsOnly() {
    assertThat(Glob.differBeforeWildcard("kms", "s3", false)).isTrue();
    assertThat(Glob.differBeforeWildcard("kms", "kmsx", false)).isFalse();
    assertThat(Glob.differBeforeWildcard("*s", "kms", false)).isFalse();
    assertThat(Glob.differBeforeWildcard("KMS", "kms", false)).isTrue();
    assertThat(Glob.differBeforeWildcard("KMS", "kms", true)).isFalse();
  }

  /** On ASCII names both shapes give the same answer, with and without case. */
  @Property(tries = 300)
  void bothShapes_agreeOnAscii(
      @ForAll @StringLength(max = 5) @Chars({'a', 'B', 'b', '*', '?'}) String pattern,
      @ForAll @StringLength(max = 6) @Chars({'a', 'A', 'b', 'B'}) String value,
      @ForAll boolean ignoreCase) {
    assertThat(Glob.of(pattern, ignoreCase).matches(value)).isEqualTo(Glob.matches(pattern, value, ignoreCase));
  }
}
