package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void covers_serviceWildcard_coversPrefixWildcard() {
    assertThat(Glob.covers("kms:*", "kms:ReEncrypt*", true)).isTrue();
    assertThat(Glob.covers("kms:ReEncrypt*", "kms:*", true)).isFalse();
    assertThat(Glob.covers("*", "anything?*", false)).isTrue();
    assertThat(Glob.covers("kms:Re?ncrypt*", "kms:ReEncryptFrom", false)).isTrue();
    assertThat(Glob.covers("kms:Re?ncrypt*", "kms:Re*", false)).isFalse();
  }

  @Test
  void covers_ignoreCase_onlyWhenAsked() {
    assertThat(Glob.covers("KMS:decrypt", "kms:Decrypt", true)).isTrue();
    assertThat(Glob.covers("KMS:decrypt", "kms:Decrypt", false)).isFalse();
  }

  @Test
  void overlaps_twoPrefixPatterns_intersect() {
    assertThat(Glob.overlaps("kms:Re*", "kms:*Encrypt*", true)).isTrue();
    assertThat(Glob.overlaps("kms:Decrypt", "kms:Encrypt*", true)).isFalse();
    assertThat(Glob.overlaps("s3:Get*", "kms:*", true)).isFalse();
    assertThat(Glob.overlaps("a?c", "*b*", false)).isTrue();
    assertThat(Glob.overlaps("", "*", false)).isTrue();
  }

  @Test
  void matches_valueWildcards_areLiteral() {
    assertThat(Glob.matches("a*", "a*", false)).isTrue();
    assertThat(Glob.matches("ab", "a*", false)).isFalse();
    assertThat(Glob.matches("a?", "a*", false)).isTrue();
  }

  /** Soundness: whenever covers says yes, every concrete instance of narrow matches wide. */
  @Property(tries = 300)
  void covers_whenTrue_everyInstanceMatches(
      @ForAll @StringLength(max = 5) @Chars({'a', 'b', '*', '?'}) String wide,
      @ForAll @StringLength(max = 5) @Chars({'a', 'b', '*', '?'}) String narrow) {
    if (!Glob.covers(wide, narrow, false)) {
      return;
    }
    for (String instance : instances(narrow)) {
      assertThat(Glob.matches(wide, instance, false)).as("%s covers %s, instance %s", wide, narrow, instance).isTrue();
    }
  }

  /** Overlap agrees with brute force over short instances. */
  @Property(tries = 300)
  void overlaps_agreesWithBruteForce(
      @ForAll @StringLength(max = 4) @Chars({'a', 'b', '*', '?'}) String a,
      @ForAll @StringLength(max = 4) @Chars({'a', 'b', '*', '?'}) String b) {
    boolean brute = false;
    for (String s : allStrings(8)) {
      if (Glob.matches(a, s, false) && Glob.matches(b, s, false)) {
        brute = true;
        break;
      }
    }
    assertThat(Glob.overlaps(a, b, false)).isEqualTo(brute);
  }

  private static java.util.List<String> instances(String pattern) {
    // Expand * to "", "a", "ab", "bb" and ? to a, b: enough to catch unsound answers on short patterns.
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add("");
    for (char c : pattern.toCharArray()) {
      java.util.List<String> next = new java.util.ArrayList<>();
      String[] options = c == '*' ? new String[] {"", "a", "ab", "bb"} : c == '?' ? new String[] {"a", "b"}
          : new String[] {String.valueOf(c)};
      for (String prefix : out) {
        for (String o : options) {
          next.add(prefix + o);
        }
      }
      out = next;
    }
    return out;
  }

  private static java.util.List<String> allStrings(int maxLen) {
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add("");
    java.util.List<String> layer = java.util.List.of("");
    for (int len = 1; len <= maxLen; len++) {
      java.util.List<String> next = new java.util.ArrayList<>();
      for (String s : layer) {
        next.add(s + "a");
        next.add(s + "b");
      }
      out.addAll(next);
      layer = next;
    }
    return out;
  }
}
