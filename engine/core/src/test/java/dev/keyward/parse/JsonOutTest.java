package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one JSON writer: escapes, field order and the three layouts, byte for byte. */
class JsonOutTest {

  @Test
  void string_escapesQuotesBackslashesControlsAndLineSeparators() {
    String s = JsonOut.quote("a\"b\\c\nd\re\tf\u0001g\u2028h\u00e9");

    assertThat(s).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h\u00e9\"");
  }

  @Test
  void string_null_isJsonNull() {
    assertThat(JsonOut.quote(null)).isEqualTo("null");
  }

  @Test
  void compact_keepsTheMapsOrder_andWritesNoWhiteSpace() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", "1");
    m.put("b", List.of());
    m.put("c", true);

    assertThat(JsonOut.compact(m)).isEqualTo("{\"a\":\"1\",\"b\":[],\"c\":true}");
  }

  @Test
  void indented_twoSpacesALevel_emptyContainersOnOneLine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "k");
    m.put("count", 2);
    m.put("none", Map.of());
    m.put("empty", List.of());
    m.put("items", List.of("x", Map.of("y", false)));

    assertThat(JsonOut.indented(m)).isEqualTo("""
        {
          "name": "k",
          "count": 2,
          "none": {},
          "empty": [],
          "items": [
            "x",
            {
              "y": false
            }
          ]
        }""");
    assertThat(JsonOut.indented(Map.of())).isEqualTo("{}");
  }

  @Test
  void rows_oneArrayItemALine_objectsOnOneLine() {
    List<Object> rows = new ArrayList<>();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("a", "1");
    row.put("b", 2);
    rows.add(row);
    rows.add(row);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", 1);
    m.put("rows", rows);

    assertThat(JsonOut.write(m, JsonOut.Layout.ROWS))
        .isEqualTo("{\"version\": 1, \"rows\": [\n  {\"a\": \"1\", \"b\": 2},\n  {\"a\": \"1\", \"b\": 2}\n]}");
    m.put("rows", List.of());
    assertThat(JsonOut.write(m, JsonOut.Layout.ROWS)).isEqualTo("{\"version\": 1, \"rows\": []}");
  }

  @Test
  void nodes_keepKeyOrderAndNumbersAsWritten() {
    ReadResult r = DocumentReader.create().read("{\"b\": 1.50, \"a\": [true, null, \"s\"], \"c\": {}}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), "t.json", DocumentFormat.JSON);
    Node root = r.root();

    assertThat(JsonOut.compact(root)).isEqualTo("{\"b\":1.50,\"a\":[true,null,\"s\"],\"c\":{}}");
    assertThat(JsonOut.indented(root)).isEqualTo("{\n  \"b\": 1.50,\n  \"a\": [\n    true,\n    null,\n    \"s\"\n  ],\n"
        + "  \"c\": {}\n}");
  }
}
