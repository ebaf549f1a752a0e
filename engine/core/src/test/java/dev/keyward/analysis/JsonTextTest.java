package dev.keyward.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void of_singleElementList_isAPlainStringButAnArrayStaysAnArray() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Action", List.of("kms:Decrypt"));
    m.put("Types", new Object[] {"NONE"});
    m.put("Two", List.of("a", "b"));
    assertThat(JsonText.of(m)).isEqualTo("{\"Action\":\"kms:Decrypt\",\"Types\":[\"NONE\"],\"Two\":[\"a\",\"b\"]}");
  }

  @Test
  void of_escapesQuotesBackslashesAndControlCharacters() {
    assertThat(JsonText.of("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }
}
