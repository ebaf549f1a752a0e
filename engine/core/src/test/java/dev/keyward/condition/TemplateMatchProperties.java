package dev.keyward.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Glob;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link Template#matches} (which compares a template that resolves to a literal without building a glob) gives
 * exactly what matching the resolved glob gives, for every mix of text, wildcards, variables (present, absent,
 * several values, with defaults) and case.
 */
class TemplateMatchProperties {

  /** Variables as the request gives them: one value, several (never substituted), and absent keys. */
  private static final Map<String, String[]> VALUES = Map.of(
      "aws:username", new String[] {"Alice"},
      "aws:principaltag/team", new String[] {"fin*"},
      "aws:principaltag/dept", new String[] {"a", "b"},
      "aws:principaltag/empty", new String[] {});
  private static final ContextValues CTX = VALUES::get;

  @Provide
  Arbitrary<String> written() {
    Arbitrary<String> part = Arbitraries.of("a", "A", "lice", "fin", "*", "?", "${aws:username}", "${aws:UserName}",
        "${aws:PrincipalTag/team}", "${aws:principaltag/dept}", "${aws:principaltag/missing}",
        "${aws:principaltag/missing, 'dflt'}", "${aws:principaltag/empty,'x'}", "${*}", "${?}", "${$}", "/", "İ");
    return part.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> value() {
    return Arbitraries.of("Alice", "alice", "ALICE", "aAlice", "fin*", "FIN*", "finance", "dflt", "x", "a", "*", "?",
        "$", "Alice/Alice", "i̇", "İ", "", "alicefin*");
  }

  @Property(tries = 3000)
  void matchesIsTheResolvedGlobsAnswer(@ForAll("written") String written, @ForAll("value") String value,
      @ForAll boolean wildcards, @ForAll boolean ignoreCase) {
    Template t = Template.compile(written, true, wildcards, ignoreCase);
    Glob g = t.glob(CTX);
    assertThat(t.matches(value, CTX)).as("%s against %s", written, value).isEqualTo(g != null && g.matches(value));
  }

  @Test
  void aVariableAloneComparesItsValue() {
    Template t = Template.compile("${aws:PrincipalTag/team}", true, false, false);
    assertThat(t.matches("fin*", CTX)).isTrue();
    assertThat(t.matches("finance", CTX)).isFalse();
    assertThat(Template.compile("${aws:PrincipalTag/team}", true, false, true).matches("FIN*", CTX)).isTrue();
    assertThat(Template.compile("${aws:principaltag/dept}", true, false, false).matches("a", CTX)).isFalse();
    assertThat(List.of(Template.compile("${aws:principaltag/none}", true, false, false).matches("", CTX))).containsExactly(false);
  }
}
