package dev.keyward.iam;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The bundled resource's format, version 1, and its reader. The writer is the test-scope generator
 * {@code IamReferenceGenerator}; both follow this description.
 *
 * <p>A gzip'd UTF-8 text, one record a line, fields separated by tabs:
 * <pre>
 * keyward-iam-reference  1
 * date    2026-09-26
 * source  one line naming the data's origin
 * G  key  type[,type...]                      a global key (first type is the main one)
 * S  prefix  name                             starts a service; the records below belong to it
 * K  key  type                                the service's condition keys, numbered from 0
 * R  name  arnTemplate  keyRefs               the service's resource types, numbered from 0
 * A  name  levels  keyRefs  dependents  uses  an action; a service's A records come after its K and R
 * </pre>
 * {@code keyRefs} are comma-separated numbers of the service's K records; {@code levels} are access level
 * letters ({@link AccessLevel#code()}); {@code dependents} are comma-separated {@code service:Action}
 * names; {@code uses} are semicolon-separated {@code typeRef|required(0/1)|keyRefs|dependents}. Empty
 * lists are empty fields. Every list is sorted by lower-cased name, so the same input gives the same bytes.
 *
 * <p>Reading is in two steps. {@link #read} parses everything but the actions, and notes where each
 * service's A records are; {@link ServiceBlock#parseActions()} parses one service's actions when they
 * are first needed. The actions are four fifths of the records, and a lint of a key policy needs
 * those of one or two services.
 */
final class ReferenceFormat {

  static final String MAGIC = "keyward-iam-reference";
  static final int VERSION = 1;
  static final String RESOURCE = "/dev/keyward/iam/iam-reference.txt.gz";

  private ReferenceFormat() {}

  /** What the resource holds, actions not yet parsed. */
  record Parsed(LocalDate date, String source, List<ConditionKeyInfo> globals, List<ServiceBlock> services) {}

  static Parsed read(InputStream gzip) throws IOException {
    byte[] bytes;
    try (InputStream in = new GZIPInputStream(gzip, 1 << 16)) {
      bytes = in.readAllBytes();
    }
    return parse(new String(bytes, StandardCharsets.UTF_8));
  }

  static Parsed read(byte[] gzip) throws IOException {
    return read(new ByteArrayInputStream(gzip));
  }

  static Parsed parse(String text) {
    LineReader r = new LineReader(text, 0, text.length());
    String[] head = r.fields();
    if (head == null || head.length != 2 || !head[0].equals(MAGIC)) {
      throw new IllegalArgumentException("not a keyward IAM reference resource");
    }
    if (Integer.parseInt(head[1]) != VERSION) {
      throw new IllegalArgumentException("unsupported IAM reference format version `" + head[1] + "`");
    }
    LocalDate date = null;
    String source = null;
    List<ConditionKeyInfo> globals = new ArrayList<>();
    List<ServiceBlock> services = new ArrayList<>();
    Map<String, ConditionKeyInfo> globalByName = new HashMap<>();
    ServiceBlock cur = null;
    String[] f;
    while ((f = r.fields()) != null) {
      switch (f[0]) {
        case "date":
          date = LocalDate.parse(f[1]);
          break;
        case "source":
          source = f[1];
          break;
        case "G":
          ConditionKeyInfo g = globalKey(f);
          globals.add(g);
          globalByName.put(g.name().toLowerCase(Locale.ROOT), g);
          break;
        case "S":
          cur = new ServiceBlock(f[1], f[2], text);
          services.add(cur);
          break;
        case "K":
          // NOTE: a service's entry for a global key is that global key, so one key has one type.
          ConditionKeyInfo global = globalByName.get(f[1].toLowerCase(Locale.ROOT));
          service(cur, r).keys.add(global != null ? global
              : new ConditionKeyInfo(f[1], type(f[2]), List.of(), false, Template.hasPlaceholder(f[1])));
          break;
        case "R":
          service(cur, r).types.add(new ResourceTypeInfo(cur.prefix, f[1], f[2], cur.keyNames(f[3])));
          break;
        case "A":
          // The service's actions run up to the next service (or the end): note where, parse later.
          service(cur, r).actionsFrom = r.lineStart;
          r.skipTo("\nS\t");
          cur.actionsTo = r.pos;
          break;
        default:
          throw new IllegalArgumentException("unknown record `" + f[0] + "` at line " + r.line);
      }
    }
    if (date == null || source == null) {
      throw new IllegalArgumentException("the resource has no date or no source line");
    }
    for (ServiceBlock s : services) {
      s.freeze();
    }
    return new Parsed(date, source, globals, services);
  }

  private static ServiceBlock service(ServiceBlock cur, LineReader r) {
    if (cur == null) {
      throw new IllegalArgumentException("a record before the first service at line " + r.line);
    }
    return cur;
  }

  private static ConditionKeyInfo globalKey(String[] f) {
    String[] types = f[2].split(",");
    List<ConditionKeyType> alt = new ArrayList<>();
    for (int i = 1; i < types.length; i++) {
      alt.add(type(types[i]));
    }
    return new ConditionKeyInfo(f[1], type(types[0]), alt, true, Template.hasPlaceholder(f[1]));
  }

  private static ConditionKeyType type(String name) {
    return ConditionKeyType.fromAwsName(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown condition key type `" + name + "`"));
  }

  /**
   * One service: its keys and resource types parsed, its actions kept as a range of the text until
   * {@link #parseActions()}. Not thread-safe by itself: {@link IamReference} calls parseActions once
   * per service, under a lock.
   */
  static final class ServiceBlock {
    final String prefix;
    final String name;
    private final String text;
    private List<ConditionKeyInfo> keys = new ArrayList<>();
    private List<ResourceTypeInfo> types = new ArrayList<>();
    private final Map<String, List<String>> keyLists = new HashMap<>();
    private int actionsFrom = -1;
    private int actionsTo = -1;

    ServiceBlock(String prefix, String name, String text) {
      this.prefix = prefix;
      this.name = name;
      this.text = text;
    }

    List<ConditionKeyInfo> keys() {
      return keys;
    }

    List<ResourceTypeInfo> types() {
      return types;
    }

    private void freeze() {
      keys = List.copyOf(keys);
      types = List.copyOf(types);
    }

    /** Parses this service's A records into actions, in the order of the text. */
    List<ActionInfo> parseActions() {
      if (actionsFrom < 0) {
        return List.of();
      }
      Map<String, List<AccessLevel>> levelLists = new HashMap<>(); // a handful of combinations, shared
      Map<String, List<ResourceTypeUse>> useLists = new HashMap<>();
      List<ActionInfo> actions = new ArrayList<>();
      LineReader r = new LineReader(text, actionsFrom, actionsTo);
      String[] f;
      while ((f = r.fields()) != null) {
        if (!f[0].equals("A") || f.length != 6) {
          throw new IllegalArgumentException("service `" + prefix + "`: a bad action record `" + f[0] + "`");
        }
        List<AccessLevel> levels = levelLists.computeIfAbsent(f[2], ReferenceFormat::levels);
        List<ResourceTypeUse> uses = f[5].isEmpty() ? List.of()
            : useLists.computeIfAbsent(f[5], this::uses);
        actions.add(new ActionInfo(prefix, f[1], levels, uses, keyNames(f[3]), names(f[4])));
      }
      return actions;
    }

    /** Parses an action's uses field; actions with the same field share the result (immutable). */
    private List<ResourceTypeUse> uses(String field) {
      String[] parts = field.split(";");
      ResourceTypeUse[] uses = new ResourceTypeUse[parts.length];
      for (int i = 0; i < parts.length; i++) {
        String[] u = parts[i].split("\\|", -1);
        uses[i] = new ResourceTypeUse(types.get(Integer.parseInt(u[0])), u[1].equals("1"),
            keyNames(u[2]), names(u[3]));
      }
      return List.of(uses);
    }

    private List<String> keyNames(String refs) {
      if (refs.isEmpty()) {
        return List.of();
      }
      // NOTE: many actions share one key list (KMS's attestation keys); one list instance serves them all.
      List<String> cached = keyLists.get(refs);
      if (cached != null) {
        return cached;
      }
      List<String> names = new ArrayList<>();
      int n = 0;
      for (int i = 0; i <= refs.length(); i++) {
        char c = i < refs.length() ? refs.charAt(i) : ',';
        if (c == ',') {
          names.add(keys.get(n).name());
          n = 0;
        } else {
          n = n * 10 + (c - '0');
        }
      }
      List<String> list = List.copyOf(names);
      keyLists.put(refs, list);
      return list;
    }
  }

  private static List<AccessLevel> levels(String codes) {
    List<AccessLevel> levels = new ArrayList<>(codes.length());
    for (int i = 0; i < codes.length(); i++) {
      char c = codes.charAt(i);
      levels.add(AccessLevel.fromCode(c)
          .orElseThrow(() -> new IllegalArgumentException("unknown access level code `" + c + "`")));
    }
    return List.copyOf(levels);
  }

  private static List<String> names(String list) {
    return list.isEmpty() ? List.of() : List.of(list.split(","));
  }

  /** Splits a range of the text into lines and lines into tab-separated fields, keeping empty fields. */
  private static final class LineReader {
    private final String text;
    private final int end;
    int pos;
    int lineStart;
    int line;

    LineReader(String text, int from, int to) {
      this.text = text;
      this.pos = from;
      this.end = to;
    }

    /** The next line's fields, or null at the end. Fields are cut straight from the text, no regex. */
    String[] fields() {
      if (pos >= end) {
        return null;
      }
      int eol = text.indexOf('\n', pos);
      if (eol < 0 || eol > end) {
        eol = end;
      }
      int count = 1;
      for (int i = pos; i < eol; i++) {
        if (text.charAt(i) == '\t') {
          count++;
        }
      }
      String[] f = new String[count];
      int start = pos;
      int k = 0;
      for (int i = pos; i < eol; i++) {
        if (text.charAt(i) == '\t') {
          f[k++] = text.substring(start, i);
          start = i + 1;
        }
      }
      f[k] = text.substring(start, eol);
      lineStart = pos;
      pos = eol + 1;
      line++;
      return f;
    }

    /** Moves to just after the next {@code \n} that starts {@code marker}, or to the end. */
    void skipTo(String marker) {
      int at = text.indexOf(marker, lineStart);
      pos = at < 0 || at >= end ? end : at + 1;
    }
  }
}
