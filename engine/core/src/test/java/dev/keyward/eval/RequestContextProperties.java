package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A small request context is searched as written instead of through a map of lower-cased keys: the answers
 * are the map's, for ASCII and non-ASCII key names (some change length when lower-cased), and for keys that
 * differ only by case.
 */
class RequestContextProperties {

  @Provide
  Arbitrary<String> name() {
    // U+0130 lower-cases to two characters, U+212A (Kelvin) to 'k'
    return Arbitraries.of("k", "K", "a", "A", ":", "\u0130", "i\u0307", "\u212A", "\u00DF", "z")
        .list().ofMinSize(0).ofMaxSize(4).map(l -> String.join("", l));
  }

  @Property(tries = 5000)
  void lowerCaseEqualsIsLowerCasingThenEquals(@ForAll("name") String key, @ForAll("name") String other) {
    String lower = other.toLowerCase(Locale.ROOT);
    assertThat(RequestContext.lowerCaseEquals(key, lower)).isEqualTo(key.toLowerCase(Locale.ROOT).equals(lower));
    assertThat(RequestContext.lowerCaseEquals(key, key.toLowerCase(Locale.ROOT))).isTrue();
  }

  @Property(tries = 2000)
  void lookupsAnswerAsTheMapOfLowerCasedKeys(@ForAll("name") String a, @ForAll("name") String b,
      @ForAll("name") String c, @ForAll("name") String asked, @ForAll boolean large) {
    Map<String, List<String>> given = new LinkedHashMap<>();
    given.put("x:" + a, List.of("1"));
    given.put("x:" + b, List.of("2"));
    given.put("x:" + c, List.of("3", "4"));
    if (large) {
      for (int i = 0; i < 10; i++) {
        given.put("y:filler" + i, List.of("f"));
      }
    }
    Map<String, List<String>> context = Map.copyOf(given);
    RequestContext ctx = new RequestContext(Map.of(), null, null, context);
    String key = ("x:" + asked).toLowerCase(Locale.ROOT);
    String[] expected = RequestContext.lowerCaseKeys(context).get(key);
    assertThat(ctx.get(key)).isEqualTo(expected);
  }
}
