package dev.keyward.condition;

import dev.keyward.model.Glob;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A policy value that may hold policy variables ({@code ${aws:username}}, {@code ${aws:PrincipalTag/team,
 * 'default'}}) and the special literals {@code ${*}}, {@code ${?}} and {@code ${$}}. Compiled once;
 * {@link #glob} resolves it against a request. Source: IAM User Guide, "IAM policy elements: Variables and
 * tags" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 *
 * <p>A variable whose key the request does not have, and which has no default, makes the whole value
 * null: it matches nothing. A variable whose key has several values is treated the same way (IAM only
 * substitutes single-valued keys).
 */
public final class Template {

  /** One piece: pattern text (wildcards live), literal text, or a variable. */
  private record Part(int kind, String text, String defaultValue) {}

  private static final int PATTERN = 0;
  private static final int LITERAL = 1;
  private static final int VARIABLE = 2;

  private final String written;
  private final List<Part> parts;
  private final boolean wildcards;
  private final boolean ignoreCase;
  /** Precompiled when the template has no variable. */
  private final Glob constant;
  private final Set<String> variableKeys;
  /**
   * True when the template has variables but no live wildcard: it resolves to one literal string, which
   * {@link #matches} compares directly instead of building a glob per request.
   */
  private final boolean resolvesToLiteral;

  private Template(String written, List<Part> parts, boolean wildcards, boolean ignoreCase) {
    this.written = written;
    this.parts = List.copyOf(parts);
    this.wildcards = wildcards;
    this.ignoreCase = ignoreCase;
    Set<String> vars = new LinkedHashSet<>();
    for (Part p : parts) {
      if (p.kind == VARIABLE) {
        vars.add(p.text);
      }
    }
    this.variableKeys = Set.copyOf(vars);
    this.constant = vars.isEmpty() ? build(null) : null;
    boolean literal = constant == null;
    for (Part p : parts) {
      if (p.kind == PATTERN && Glob.hasWildcard(p.text)) {
        literal = false;
      }
    }
    this.resolvesToLiteral = literal;
  }

  /** Variable-free pattern templates compiled once, by ignore-case flag and text; see {@link #shared}. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Template> SHARED =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_SHARED = 4096;

  /**
   * The template of a value read without policy variables and with live wildcards, as {@link #compile}
   * gives it ({@code compile(value, false, true, ignoreCase)}), shared: such a template never changes, and
   * values that repeat across a world's policies (the partition, service, Region and account of resource
   * ARNs) are then compiled once. The map is emptied if it ever holds more than {@value #MAX_SHARED}.
   */
  public static Template shared(String value, boolean ignoreCase) {
    if (SHARED.size() > MAX_SHARED) {
      SHARED.clear();
    }
    return SHARED.computeIfAbsent((ignoreCase ? "i:" : "c:") + value, k -> compile(value, false, true, ignoreCase));
  }

  /**
   * Compiles a value.
   *
   * @param variables whether policy variables are substituted (policy Version 2012-10-17); when false the
   *     text is taken as written
   * @param wildcards whether {@code *} and {@code ?} in the written text are wildcards
   * @param ignoreCase whether matching ignores case
   */
  public static Template compile(String value, boolean variables, boolean wildcards, boolean ignoreCase) {
    List<Part> parts = new ArrayList<>();
    int kindOfText = wildcards ? PATTERN : LITERAL;
    if (!variables) {
      parts.add(new Part(kindOfText, value, null));
      return new Template(value, parts, wildcards, ignoreCase);
    }
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        text.append(value, i, value.length());
        break;
      }
      int end = value.indexOf('}', start + 2);
      if (end < 0) {
        text.append(value, i, value.length());
        break;
      }
      text.append(value, i, start);
      String inner = value.substring(start + 2, end);
      if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
        flush(parts, text, kindOfText);
        parts.add(new Part(LITERAL, inner, null));
      } else {
        String key = inner;
        String def = null;
        int comma = inner.indexOf(',');
        if (comma >= 0) {
          key = inner.substring(0, comma);
          String d = inner.substring(comma + 1).trim();
          if (d.length() >= 2 && d.startsWith("'") && d.endsWith("'")) {
            def = d.substring(1, d.length() - 1);
          } else {
            def = d;
          }
        }
        flush(parts, text, kindOfText);
        parts.add(new Part(VARIABLE, key.trim().toLowerCase(Locale.ROOT), def));
      }
      i = end + 1;
    }
    flush(parts, text, kindOfText);
    return new Template(value, parts, wildcards, ignoreCase);
  }

  private static void flush(List<Part> parts, StringBuilder text, int kind) {
    if (text.length() > 0) {
      parts.add(new Part(kind, text.toString(), null));
      text.setLength(0);
    }
  }

  public String written() {
    return written;
  }

  /** The lower-case context keys of the variables in this value. */
  public Set<String> variableKeys() {
    return variableKeys;
  }

  public boolean hasVariables() {
    return constant == null;
  }

  /** The matcher for this request, or null when a variable is absent without default. */
  public Glob glob(ContextValues ctx) {
    return constant != null ? constant : build(ctx);
  }

  /**
   * Whether {@code value} matches this template resolved for the request, exactly as {@code glob(ctx)} would
   * match it (false when a variable is absent without default); without a glob per request when the
   * resolved template has no wildcard.
   */
  public boolean matches(String value, ContextValues ctx) {
    if (constant != null) {
      return constant.matches(value);
    }
    if (!resolvesToLiteral) {
      Glob g = build(ctx);
      return g != null && g.matches(value);
    }
    String text = resolveLiteral(ctx);
    if (text == null) {
      return false;
    }
    // as a literal-only glob: both sides lower-cased whole (Locale.ROOT) when it ignores case
    return ignoreCase ? text.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT)) : text.equals(value);
  }

  /** The text of a template that resolves to a literal, or null when a variable is absent without default. */
  private String resolveLiteral(ContextValues ctx) {
    if (parts.size() == 1) {
      return variableValue(parts.get(0), ctx);
    }
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      String t = p.kind == VARIABLE ? variableValue(p, ctx) : p.text;
      if (t == null) {
        return null;
      }
      b.append(t);
    }
    return b.toString();
  }

  /** The value a variable takes (its single value, else its default when the key is absent), or null. */
  private static String variableValue(Part p, ContextValues ctx) {
    String[] vals = ctx == null ? null : ctx.get(p.text);
    if (vals != null && vals.length == 1) {
      return vals[0];
    }
    return p.defaultValue != null && (vals == null || vals.length == 0) ? p.defaultValue : null;
  }

  /** The resolved text (literal and wildcard characters as they are), or null like {@link #glob}. */
  public String text(ContextValues ctx) {
    Glob g = glob(ctx);
    return g == null ? null : g.toString();
  }

  private Glob build(ContextValues ctx) {
    Glob.Builder b = Glob.builder();
    for (Part p : parts) {
      switch (p.kind) {
        case PATTERN -> b.pattern(p.text);
        case LITERAL -> b.literal(p.text);
        default -> {
          String[] vals = ctx == null ? null : ctx.get(p.text);
          if (vals != null && vals.length == 1) {
            b.literal(vals[0]);
          } else if (p.defaultValue != null && (vals == null || vals.length == 0)) {
            b.literal(p.defaultValue);
          } else {
            return null;
          }
        }
      }
    }
    return b.build(ignoreCase);
  }
}
