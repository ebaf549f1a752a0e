package dev.keyward.analysis;

import java.util.List;
import java.util.Map;

/**
 * The compact JSON that fixes are written in: objects keep the order they are given in, a one-element
 * list is written as a plain string (as AWS's own policy examples do); an {@code Object[]} is always an
 * array (for API requests). Strings are escaped per RFC 8259.
 */
final class JsonText {

  private JsonText() {}

  /** Writes a value: String, Boolean, Number, List, Map (in its iteration order) or null. */
  static String of(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value);
    return b.toString();
  }

  static void write(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      string(b, (String) v);
    } else if (v instanceof Boolean || v instanceof Number) {
      b.append(v);
    } else if (v instanceof Object[]) {
      Object[] a = (Object[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        write(b, a[i]);
      }
      b.append(']');
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      if (l.size() == 1 && l.get(0) instanceof String) {
        write(b, l.get(0));
        return;
      }
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(b, l.get(i));
      }
      b.append(']');
    } else if (v instanceof Map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, String.valueOf(e.getKey()));
        b.append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass());
    }
  }

  static void string(StringBuilder b, String s) {
    dev.keyward.parse.JsonStrings.quote(b, s);
  }
}
