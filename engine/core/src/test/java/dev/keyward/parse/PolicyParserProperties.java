package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.keyward.model.Condition;
import dev.keyward.model.Located;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Problem;
import dev.keyward.model.SourceRef;
import dev.keyward.model.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser on random and mutated documents: it never throws, every problem has a location, and a
 * document without error-level problems always yields a policy whose parts are all located.
 */
class PolicyParserProperties {

  private static final PolicyParser PARSER = PolicyParser.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<String> VALID = loadValidFixtures();

  /** Element names and values that make random trees look like policies often enough to go deep. */
  private static final List<String> KEYS = List.of("Version", "Id", "Statement", "Sid", "Effect", "Principal",
      "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition", "AWS", "Service",
      "Federated", "CanonicalUser", "StringEquals", "ForAnyValue:StringLike", "NullIfExists", "Bool",
      "kms:ViaService", "aws:PrincipalArn", "effect", "Statment", "", "~/", "<<", "Ref", "Fn::Sub", "Fn::If");
  private static final List<String> STRINGS = List.of("2012-10-17", "2008-10-17", "Allow", "Deny", "*",
      "kms:Decrypt", "kms:*", "111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/*",
      "arn:aws:kms:us-east-1:111122223333:key/k", "ec2.amazonaws.com", "true", "", "allow", "arn:", "x:y:z",
      "AROAEXAMPLEID1234567", "${aws:username}", "\u00e9\u4e2d", "{\"Statement\": []}");

  private static void check(String label, ParseResult r, String file) {
    assertThat(r).as(label).isNotNull();
    for (Problem p : r.problems()) {
      SourceRef w = p.where();
      assertThat(w.line() > 0 || (!w.file().isEmpty() && !w.pointer().isEmpty()))
          .as("%s: location of %s", label, p).isTrue();
      assertThat(w.file()).as("%s: file of %s", label, p).isEqualTo(file);
      assertThat(p.message()).as("%s: message of %s", label, p).isNotBlank().doesNotContain("\n");
      assertThat(p.code()).matches("[a-z]+\\.[a-z0-9-]+");
    }
    if (!r.hasErrors()) {
      assertThat(r.policy()).as("%s: a document without errors has a policy", label).isNotNull();
    }
    if (r.policy() != null) {
      assertThat(r.policy().source().line()).isPositive();
      for (Statement s : r.policy().statements()) {
        assertLocated(s.source(), file);
        if (s.principal() != null) {
          assertLocated(s.principal().source(), file);
          for (PrincipalValue v : s.principal().values()) {
            assertLocated(v.source(), file);
          }
        }
        if (s.action() != null) {
          for (Located l : s.action().patterns()) {
            assertLocated(l.source(), file);
          }
        }
        if (s.resource() != null) {
          for (Located l : s.resource().patterns()) {
            assertLocated(l.source(), file);
          }
        }
        for (Condition c : s.conditions()) {
          assertLocated(c.source(), file);
          c.values().forEach(v -> assertLocated(v.source(), file));
        }
      }
    }
  }

  private static void assertLocated(SourceRef r, String file) {
    assertThat(r.line()).isPositive();
    assertThat(r.column()).isPositive();
    assertThat(r.file()).isEqualTo(file);
  }

  @Property
  void parse_randomJsonTrees_neverThrowsAndLocatesEveryProblem(@ForAll("trees") JsonNode tree,
      @ForAll PolicyType type, @ForAll boolean yaml) throws IOException {
    String file = yaml ? "random.yaml" : "random.json";
    byte[] bytes = yaml ? YAML.writeValueAsBytes(tree) : JSON.writeValueAsBytes(tree);
    check(file, PARSER.parse(bytes, file, type), file);
  }

  @Property
  void parse_mutatedValidPolicies_neverThrowsAndLocatesEveryProblem(@ForAll("fixtureIndex") int index,
      @ForAll("seeds") long seed, @ForAll PolicyType type) throws IOException {
    Random random = new Random(seed);
    JsonNode tree = JSON.readTree(VALID.get(index));
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      tree = mutate(tree, random);
    }
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    if (random.nextInt(4) == 0) {
      text = duplicateAKey(text, random);
    }
    check("mutated", PARSER.parseString(text, "mutated.json", type), "mutated.json");
  }

  @Property
  void parse_textuallyDamagedPolicies_neverThrowsAndLocatesEveryProblem(@ForAll("fixtureIndex") int index,
      @ForAll("seeds") long seed, @ForAll PolicyType type, @ForAll boolean yaml) throws IOException {
    Random random = new Random(seed);
    String text = VALID.get(index);
    if (yaml) {
      text = YAML.writeValueAsString(JSON.readTree(text));
    }
    byte[] bytes = damage(text.getBytes(StandardCharsets.UTF_8), random);
    String file = yaml ? "damaged.yaml" : "damaged.json";
    check("damaged", PARSER.parse(bytes, file, type), file);
  }

  @Property
  void parse_randomBytes_neverThrowsAndLocatesEveryProblem(@ForAll("bytes") byte[] bytes, @ForAll boolean yaml,
      @ForAll PolicyType type) {
    String file = yaml ? "bytes.yml" : "bytes.json";
    check("bytes", PARSER.parse(bytes, file, type), file);
  }

  @Property
  void parseNode_randomTreesAndEmbeddedText_neverThrows(@ForAll("trees") JsonNode tree, @ForAll PolicyType type)
      throws IOException {
    String text = JSON.writeValueAsString(tree);
    // The same tree as an embedded node, and as JSON text held in a string scalar.
    ReadResult read = DocumentReader.create().read(("{\"p\": " + text + ", \"s\": "
        + JSON.writeValueAsString(text) + "}").getBytes(StandardCharsets.UTF_8), "outer.json", DocumentFormat.JSON);
    if (read.root() == null) {
      return; // e.g. nesting too deep for the outer document
    }
    Node.ObjectNode outer = (Node.ObjectNode) read.root();
    check("node", PARSER.parseNode(outer.get("p"), "p", type), "outer.json");
    check("string", PARSER.parseNode(outer.get("s"), "s", type), "outer.json");
  }

  @Property(tries = 200)
  void parse_sameInputTwice_givesTheSameResult(@ForAll("fixtureIndex") int index, @ForAll("seeds") long seed,
      @ForAll PolicyType type) throws IOException {
    Random random = new Random(seed);
    String text = JSON.writeValueAsString(mutate(JSON.readTree(VALID.get(index)), random));
    ParseResult a = PARSER.parseString(text, "p.json", type);
    ParseResult b = PARSER.parseString(text, "p.json", type);
    assertThat(b).isEqualTo(a);
  }

  // -------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<Integer> fixtureIndex() {
    return Arbitraries.integers().between(0, VALID.size() - 1);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 6))
        .as((seed, depth) -> randomTree(new Random(seed), depth));
  }

  private static JsonNode randomTree(Random r, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    int kind = depth <= 0 ? 2 + r.nextInt(5) : r.nextInt(7);
    switch (kind) {
      case 0: {
        ObjectNode o = f.objectNode();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
          o.set(r.nextInt(5) == 0 ? randomString(r) : KEYS.get(r.nextInt(KEYS.size())), randomTree(r, depth - 1));
        }
        return o;
      }
      case 1: {
        ArrayNode a = f.arrayNode();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.add(randomTree(r, depth - 1));
        }
        return a;
      }
      case 2:
      case 3:
        return f.textNode(r.nextInt(4) == 0 ? randomString(r) : STRINGS.get(r.nextInt(STRINGS.size())));
      case 4:
        return r.nextBoolean() ? f.numberNode(r.nextInt()) : f.numberNode(r.nextDouble() * 1e6);
      case 5:
        return f.booleanNode(r.nextBoolean());
      default:
        return f.nullNode();
    }
  }

  private static String randomString(Random r) {
    int n = r.nextInt(12);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(10) == 0 ? r.nextInt(0x3000) : 0x20 + r.nextInt(0x5f);
      if (!Character.isSurrogate((char) c)) {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** One structural mutation somewhere in the tree: delete, retype, rename or wrap an element. */
  private static JsonNode mutate(JsonNode root, Random r) {
    List<JsonNode> containers = new ArrayList<>();
    collectContainers(root, containers);
    if (containers.isEmpty() || r.nextInt(20) == 0) {
      return randomTree(r, 2);
    }
    JsonNode target = containers.get(r.nextInt(containers.size()));
    if (target instanceof ObjectNode) {
      ObjectNode o = (ObjectNode) target;
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      if (names.isEmpty()) {
        o.set(KEYS.get(r.nextInt(KEYS.size())), randomTree(r, 1));
        return root;
      }
      String name = names.get(r.nextInt(names.size()));
      switch (r.nextInt(5)) {
        case 0:
          o.remove(name);
          break;
        case 1:
          o.set(name, randomTree(r, r.nextInt(3)));
          break;
        case 2: {
          JsonNode v = o.remove(name);
          o.set(r.nextBoolean() ? name.toLowerCase(java.util.Locale.ROOT) : name + "s", v);
          break;
        }
        case 3:
          o.set(name, JsonNodeFactory.instance.arrayNode().add(o.get(name)));
          break;
        default:
          o.set(name, JsonNodeFactory.instance.arrayNode());
          break;
      }
    } else {
      ArrayNode a = (ArrayNode) target;
      if (a.isEmpty() || r.nextBoolean()) {
        a.add(randomTree(r, 1));
      } else {
        int i = r.nextInt(a.size());
        if (r.nextBoolean()) {
          a.remove(i);
        } else {
          a.set(i, randomTree(r, r.nextInt(3)));
        }
      }
    }
    return root;
  }

  private static void collectContainers(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        collectContainers(it.next(), out);
      }
    }
  }

  /** Repeats one "key": line of pretty-printed JSON (JSON allows duplicate keys, IAM does not). */
  private static String duplicateAKey(String text, Random r) {
    String[] lines = text.split("\n");
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().startsWith("\"") && lines[i].trim().endsWith(",")) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      return text;
    }
    int i = candidates.get(r.nextInt(candidates.size()));
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < lines.length; k++) {
      b.append(lines[k]).append('\n');
      if (k == i) {
        b.append(lines[k]).append('\n');
      }
    }
    return b.toString();
  }

  /** Truncates, deletes, inserts random bytes or swaps bytes. */
  private static byte[] damage(byte[] b, Random r) {
    if (b.length == 0) {
      return b;
    }
    switch (r.nextInt(4)) {
      case 0:
        return java.util.Arrays.copyOf(b, r.nextInt(b.length));
      case 1: {
        int from = r.nextInt(b.length);
        int to = Math.min(b.length, from + 1 + r.nextInt(20));
        byte[] out = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, to, out, from, b.length - to);
        return out;
      }
      case 2: {
        int at = r.nextInt(b.length + 1);
        byte[] noise = new byte[1 + r.nextInt(8)];
        r.nextBytes(noise);
        byte[] out = new byte[b.length + noise.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(noise, 0, out, at, noise.length);
        System.arraycopy(b, at, out, at + noise.length, b.length - at);
        return out;
      }
      default: {
        byte[] out = b.clone();
        for (int k = 0; k < 1 + r.nextInt(5); k++) {
          int i = r.nextInt(out.length);
          int j = r.nextInt(out.length);
          byte t = out[i];
          out[i] = out[j];
          out[j] = t;
        }
        return out;
      }
    }
  }

  private static List<String> loadValidFixtures() {
    Path root = Paths.get("src/test/resources/policies/valid");
    try (Stream<Path> files = Files.walk(root)) {
      List<String> out = new ArrayList<>();
      for (Path p : files.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList())) {
        out.add(Files.readString(p, StandardCharsets.UTF_8));
      }
      if (out.isEmpty()) {
        throw new IllegalStateException("no valid fixtures under " + root.toAbsolutePath());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
