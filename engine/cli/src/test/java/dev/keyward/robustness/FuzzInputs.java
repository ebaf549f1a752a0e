package dev.keyward.robustness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Fuzz inputs for one target: half structured-but-mutated (a seed file of the repository with a few
 * random mutations: byte flips, deletions, duplications, dictionary tokens, splices, truncation), half
 * random (raw bytes, or random sequences of the format's tokens). Deterministic per {@link Random}.
 */
final class FuzzInputs {
  /** Tokens that tend to reach the corners of JSON, YAML and the Keyward language. */
  private static final List<String> DICTIONARY = List.of(
      "{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "0", "-0", "1e999", "-1e-999",
      "99999999999999999999999999999999", "0x1F", ".5", "NaN", "\"*\"", "\"arn:aws:\"", "\"arn:aws:iam::\"",
      "\u0000", "\uFEFF", "\r\n", "\n", "\t", "  ", "- ", "? ", "&a ", "*a", "!Ref ", "!!binary ", "---\n", "...",
      "\"Statement\"", "\"Effect\"", "\"Allow\"", "\"Deny\"", "\"Principal\"", "\"Action\"", "\"NotAction\"",
      "\"Resource\"", "\"Condition\"", "\"StringEquals\"", "\"ForAnyValue:StringLike\"", "\"aws:PrincipalArn\"",
      "\"kms:*\"", "\"${aws:username}\"", "\"${\"", "principals:", "keys:", "policies:", "file:", "document:",
      "grants:", "arn:", "aliases:", "/", "../", "for ", "where ", "report ", "in ", "and ", "or ", "not ",
      "expect ", "allow ", "deny ", "test ", "world ", "can ", "who can ", "{{", "}}", "(", ")", "==", "!=",
      "\\", "\\u", "\\uD800", "\uD83D\uDE00", "é", "\u202E", "#", "'", "`", "<<: ", "|", ">");

  private final List<byte[]> seeds;
  private final boolean text;

  private FuzzInputs(List<byte[]> seeds, boolean text) {
    this.seeds = List.copyOf(seeds);
    this.text = text;
  }

  /** Seeds: the repository's policy files (valid and invalid examples). */
  static FuzzInputs policies(Path repo) {
    return new FuzzInputs(files(repo, List.of("engine/core/src/test/resources/policies", "examples",
        "engine/core/src/test/resources/bad-input"), ".json"), false);
  }

  /** Seeds: the repository's world files. */
  static FuzzInputs worlds(Path repo) {
    List<byte[]> seeds = new ArrayList<>();
    for (byte[] b : files(repo, List.of("examples", "engine/core/src/test/resources"), ".yaml")) {
      String s = new String(b, StandardCharsets.UTF_8);
      if (s.contains("principals:") || s.contains("keys:") || s.contains("organizations:")) {
        seeds.add(b);
      }
    }
    return new FuzzInputs(seeds, false);
  }

  /** Seeds: rule checks, policy-test files and queries of the Keyward language. */
  static FuzzInputs language(Path repo) {
    List<byte[]> seeds = new ArrayList<>();
    seeds.addAll(files(repo, List.of("engine/core/src/test/resources"), ".kwtest"));
    seeds.addAll(files(repo, List.of("engine/core/src/test/resources/lang/golden"), ".check"));
    seeds.addAll(files(repo, List.of("engine/core/src/test/resources/lang/golden"), ".query"));
    seeds.addAll(files(repo, List.of("engine/core/src/test/resources/lang/golden"), ".tests"));
    for (byte[] b : files(repo, List.of("rules"), ".yaml")) {
      String s = new String(b, StandardCharsets.UTF_8);
      int at = s.indexOf("\ncheck: |\n");
      if (at >= 0) {
        StringBuilder check = new StringBuilder();
        for (String line : s.substring(at + 10).split("\n")) {
          if (!line.startsWith("  ")) {
            break;
          }
          check.append(line.substring(2)).append('\n');
        }
        seeds.add(check.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return new FuzzInputs(seeds, true);
  }

  int seedCount() {
    return seeds.size();
  }

  private static List<byte[]> files(Path repo, List<String> roots, String suffix) {
    List<byte[]> out = new ArrayList<>();
    for (String root : roots) {
      Path dir = repo.resolve(root);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
          if (Files.isRegularFile(p) && p.toString().endsWith(suffix) && Files.size(p) < 200_000
              && !p.toString().contains("/target/")) {
            out.add(Files.readAllBytes(p));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no fuzz seeds under " + roots + " of " + repo);
    }
    return out;
  }

  /** The next input. */
  byte[] next(Random random) {
    int kind = random.nextInt(10);
    if (kind < 6) {
      byte[] b = seeds.get(random.nextInt(seeds.size()));
      int mutations = 1 + random.nextInt(random.nextBoolean() ? 3 : 12);
      for (int i = 0; i < mutations; i++) {
        b = mutate(b, random);
      }
      return b;
    }
    if (kind < 9) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(60);
      for (int i = 0; i < n; i++) {
        sb.append(random.nextInt(4) == 0 ? randomChar(random) : DICTIONARY.get(random.nextInt(DICTIONARY.size())));
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
    byte[] b = new byte[random.nextInt(300)];
    random.nextBytes(b);
    return b;
  }

  private static String randomChar(Random random) {
    int c = random.nextInt(8) == 0 ? random.nextInt(0x10000) : 32 + random.nextInt(95);
    return String.valueOf((char) c);
  }

  private byte[] mutate(byte[] b, Random random) {
    int len = b.length;
    int at = len == 0 ? 0 : random.nextInt(len + 1);
    switch (random.nextInt(9)) {
      case 0: { // flip a byte
        if (len == 0) {
          return b;
        }
        byte[] c = b.clone();
        c[Math.min(at, len - 1)] ^= (byte) (1 << random.nextInt(8));
        return c;
      }
      case 1: { // delete a range
        int n = Math.min(len - at, 1 + random.nextInt(text ? 8 : 40));
        return splice(b, at, n, new byte[0]);
      }
      case 2: { // duplicate a range
        int n = Math.min(len - at, 1 + random.nextInt(60));
        byte[] piece = new byte[n];
        System.arraycopy(b, at, piece, 0, n);
        return splice(b, at, 0, piece);
      }
      case 3: case 4: // insert a dictionary token
        return splice(b, at, 0, DICTIONARY.get(random.nextInt(DICTIONARY.size())).getBytes(StandardCharsets.UTF_8));
      case 5: { // replace a range with a token
        int n = Math.min(len - at, 1 + random.nextInt(10));
        return splice(b, at, n, DICTIONARY.get(random.nextInt(DICTIONARY.size())).getBytes(StandardCharsets.UTF_8));
      }
      case 6: { // splice with another seed
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        int from = other.length == 0 ? 0 : random.nextInt(other.length);
        byte[] tail = new byte[other.length - from];
        System.arraycopy(other, from, tail, 0, tail.length);
        return splice(b, at, len - at, tail);
      }
      case 7: // truncate
        return splice(b, at, len - at, new byte[0]);
      default: { // nest: wrap a range in brackets many times
        int depth = 1 + random.nextInt(random.nextInt(20) == 0 ? 3000 : 20);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        byte[] o = open.repeat(depth).getBytes(StandardCharsets.UTF_8);
        byte[] withOpen = splice(b, at, 0, o);
        int end = Math.min(withOpen.length, at + o.length + random.nextInt(40));
        return splice(withOpen, end, 0, close.repeat(depth).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }
}
