package dev.keyward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void string_escapesQuotesBackslashesControlsAndLineSeparators() {
    String s = Json.string(new StringBuilder(), "a\"b\\c\nd\re\tf\u0001g\u2028h\u00e9").toString();

    assertThat(s).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h\u00e9\"");
  }

  @Test
  void string_null_isJsonNull() {
    assertThat(Json.string(new StringBuilder(), null).toString()).isEqualTo("null");
  }

  @Test
  void field_addsCommasBetweenFieldsOnly() {
    StringBuilder b = new StringBuilder("{");
    Json.field(b, "a");
    Json.string(b, "1");
    Json.field(b, "b").append('[');
    b.append(']');
    Json.field(b, "c").append(true);

    assertThat(b.append('}').toString()).isEqualTo("{\"a\":\"1\",\"b\":[],\"c\":true}");
  }
}
