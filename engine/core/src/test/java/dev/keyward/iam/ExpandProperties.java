package dev.keyward.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** expand() against a naive specification: a case-insensitive regex tried on every action name. */
class ExpandProperties {

  private static final IamReference IAM = IamReference.bundled();
  private static final List<String> ALL = IAM.expand("*");

  @Property(tries = 300)
  void expand_mutatedActionNames_equalsNaiveMatch(@ForAll("mutatedNames") String pattern) {
    assertThat(IAM.expand(pattern)).isEqualTo(naive(pattern));
  }

  @Property(tries = 200)
  void expand_randomPatterns_equalsNaiveMatch(@ForAll("randomPatterns") String pattern) {
    assertThat(IAM.expand(pattern)).isEqualTo(naive(pattern));
  }

  @Provide
  Arbitrary<String> mutatedNames() {
    return Combinators.combine(
        Arbitraries.of(ALL),
        Arbitraries.integers().between(0, 40),
        Arbitraries.integers().between(0, 40),
        Arbitraries.of("*", "?", "", "*?", "x"),
        Arbitraries.of(true, false))
        .as((name, a, b, wildcard, upper) -> {
          int from = Math.min(a, name.length());
          int to = Math.min(Math.max(from, b), name.length());
          String p = name.substring(0, from) + wildcard + name.substring(to);
          return upper ? p.toUpperCase(Locale.ROOT) : p;
        });
  }

  @Provide
  Arbitrary<String> randomPatterns() {
    return Arbitraries.strings().withChars("kms:*?reGtdcyp3-").ofMinLength(1).ofMaxLength(8);
  }

  private static List<String> naive(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    Pattern p = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    List<String> out = new ArrayList<>();
    for (String name : ALL) {
      if (p.matcher(name).matches()) {
        out.add(name);
      }
    }
    return out;
  }
}
