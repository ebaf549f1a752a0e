package dev.keyward.analysis;

import dev.keyward.parse.JsonOut;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact JSON that fixes are written in: objects keep the order they are given in, a one-element
 * list of a string is written as the plain string (as AWS's own policy examples do); an {@code Object[]} is
 * always an array (for API requests). The text itself comes from {@link JsonOut}.
 */
final class JsonText {

  private JsonText() {}

  /** Writes a value: String, Boolean, Number, List, Object[], Map (in its iteration order) or null. */
  static String of(Object value) {
    return JsonOut.compact(awsShape(value));
  }

  /** The value with every one-string list replaced by its string. */
  private static Object awsShape(Object v) {
    if (v instanceof List<?> l) {
      if (l.size() == 1 && l.get(0) instanceof String) {
        return l.get(0);
      }
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(item -> out.add(awsShape(item)));
      return out;
    }
    if (v instanceof Object[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (Object item : a) {
        out.add(awsShape(item));
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), awsShape(x)));
      return out;
    }
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    throw new IllegalArgumentException("cannot write " + v.getClass());
  }
}
