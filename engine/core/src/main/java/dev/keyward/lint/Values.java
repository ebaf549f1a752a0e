package dev.keyward.lint;

import dev.keyward.lang.Pos;
import java.util.List;

/** Equality, ordering, membership and glob relations between check values. */
final class Values {

  private Values() {}

  enum GlobOp { COVERS, OVERLAPS }

  static boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Text && b instanceof Text) {
      Text x = (Text) a;
      Text y = (Text) b;
      return x.ignoreCase() || y.ignoreCase() ? x.value().equalsIgnoreCase(y.value()) : x.value().equals(y.value());
    }
    if (a instanceof Text && b instanceof Boolean || a instanceof Boolean && b instanceof Text) {
      // Condition values written as JSON booleans or strings compare the same way IAM does.
      return String.valueOf(a).equalsIgnoreCase(String.valueOf(b));
    }
    if (a instanceof List && b instanceof List) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!equal(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  static int compare(Object a, Object b, Pos pos) {
    if (a instanceof Double && b instanceof Double) {
      return Double.compare((Double) a, (Double) b);
    }
    if (a instanceof Text && b instanceof Text) {
      return ((Text) a).value().compareTo(((Text) b).value());
    }
    throw new CheckError("cannot order a " + Fields.typeName(a) + " and a " + Fields.typeName(b), pos);
  }

  /** {@code x in xs}: membership in a list, or a substring of a string; a list on the left means any. */
  static boolean in(Object x, Object xs, Pos pos) {
    if (x instanceof List) {
      for (Object o : (List<?>) x) {
        if (in(o, xs, pos)) {
          return true;
        }
      }
      return false;
    }
    if (xs == null || x == null) {
      return false;
    }
    if (xs instanceof List) {
      for (Object o : (List<?>) xs) {
        if (equal(x, o)) {
          return true;
        }
      }
      return false;
    }
    if (xs instanceof Text && x instanceof Text) {
      Text hay = (Text) xs;
      Text needle = (Text) x;
      return hay.ignoreCase() || needle.ignoreCase() ? hay.lower().contains(needle.lower())
          : hay.value().contains(needle.value());
    }
    throw new CheckError("`in` needs a list or a string on its right, not a " + Fields.typeName(xs), pos);
  }

  /**
   * Glob relations between strings or lists of strings: with a list on either side, true when some pair
   * is related. Case is ignored when either string ignores it.
   */
  static boolean glob(Object wide, Object narrow, GlobOp op, Pos pos) {
    if (wide == null || narrow == null) {
      return false;
    }
    if (wide instanceof List) {
      for (Object w : (List<?>) wide) {
        if (glob(w, narrow, op, pos)) {
          return true;
        }
      }
      return false;
    }
    if (narrow instanceof List) {
      for (Object n : (List<?>) narrow) {
        if (glob(wide, n, op, pos)) {
          return true;
        }
      }
      return false;
    }
    if (!(wide instanceof Text) || !(narrow instanceof Text)) {
      throw new CheckError("glob relations need strings, not a " + Fields.typeName(wide) + " and a "
          + Fields.typeName(narrow), pos);
    }
    Text w = (Text) wide;
    Text n = (Text) narrow;
    boolean ci = w.ignoreCase() || n.ignoreCase();
    return op == GlobOp.COVERS ? Glob.covers(w.value(), n.value(), ci) : Glob.overlaps(w.value(), n.value(), ci);
  }
}
