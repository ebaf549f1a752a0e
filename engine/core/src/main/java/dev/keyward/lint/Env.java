package dev.keyward.lint;

/** An immutable chain of variable bindings; lookups walk from the innermost binding out. */
final class Env {

  static final Env EMPTY = new Env(null, null, null);

  private final String name;
  private final Object value;
  private final Env parent;

  private Env(String name, Object value, Env parent) {
    this.name = name;
    this.value = value;
    this.parent = parent;
  }

  Env bind(String n, Object v) {
    return new Env(n, v, this);
  }

  /** The value bound to {@code n}; {@link #UNBOUND} when none. */
  Object lookup(String n) {
    for (Env e = this; e != null && e.name != null; e = e.parent) {
      if (e.name.equals(n)) {
        return e.value;
      }
    }
    return UNBOUND;
  }

  static final Object UNBOUND = new Object();
}
