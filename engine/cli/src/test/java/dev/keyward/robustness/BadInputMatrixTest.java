package dev.keyward.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix: every file-reading entry point of the CLI, fed every kind of broken
 * file, must answer with a one-line message that names the file (with line and column where there is
 * one), the documented exit code, no stack trace and no exception class name, in bounded time, under the
 * test JVM's heap.
 *
 * <p>Three sources of cases: generated damage applied to each entry point's good file (below), the
 * hand-written files of {@code bad-input/cases.tsv}, and the command lines of {@code bad-input/cli-args.tsv}.
 * The 50 MB inputs are generated into a temporary folder, never committed.
 */
final class BadInputMatrixTest {
  /**
   * A hang guard, not a speed claim: the slowest case (a 50 MB world) takes a few seconds alone and up
   * to 45 s on the shared 2-core machine under full load.
   */
  private static final Duration GUARD = Duration.ofSeconds(180);
  private static final int FIFTY_MB = 50 * 1024 * 1024;
  private static final Pattern ANY_LOCATION = Pattern.compile(":\\d+:\\d+");

  @TempDir
  static Path tmp;

  /** An entry point: the file it reads (relative to a copy of bad-input/good), the command that reads it. */
  enum Target {
    POLICY_LINT("key-policy.json", 1, 0, "lint", "--no-color", "--type", "key-policy", "{dir}/key-policy.json"),
    KEY_POLICY_IN_WORLD("key-policy.json", 2, 0,
        "can", "--world", "{dir}/world.yaml", "--principal", "App", "--action", "kms:Decrypt", "--resource", "alias/data"),
    IDENTITY_POLICY_IN_WORLD("app.json", 2, 0,
        "can", "--world", "{dir}/world.yaml", "--principal", "App", "--action", "kms:Decrypt", "--resource", "alias/data"),
    WORLD_CAN("world.yaml", 2, 0,
        "can", "--world", "{dir}/world.yaml", "--principal", "App", "--action", "kms:Decrypt", "--resource", "alias/data"),
    WORLD_WHO_CAN("world.yaml", 2, 0,
        "who-can", "--world", "{dir}/world.yaml", "--action", "kms:Decrypt", "--resource", "alias/data"),
    WORLD_CHECK("world.yaml", 2, 0, "check", "--world", "{dir}/world.yaml"),
    REQUESTS("requests.jsonl", 2, 0,
        "can", "--world", "{dir}/world.yaml", "--requests", "{dir}/requests.jsonl", "--format", "jsonl"),
    REQUESTS_STDIN("requests.jsonl", 2, 0,
        "can", "--world", "{dir}/world.yaml", "--requests", "-", "--format", "jsonl"),
    TEMPLATE("template.yaml", 2, 0, "can", "--world", "{dir}/world.yaml", "--template", "{dir}/template.yaml",
        "--account", "111111111111", "--region", "us-east-1",
        "--principal", "App", "--action", "kms:Decrypt", "--resource", "alias/data"),
    PLAN("plan.json", 2, 0, "can", "--world", "{dir}/world.yaml", "--template", "{dir}/plan.json",
        "--account", "111111111111", "--region", "us-east-1",
        "--principal", "App", "--action", "kms:Decrypt", "--resource", "alias/data"),
    RULE_TEST("rules/KW901-matrix-sample-rule.yaml", 2, 0, "rules", "test", "{dir}/rules"),
    RULE_LINT("rules/KW901-matrix-sample-rule.yaml", 2, 0,
        "lint", "--no-color", "--rules", "{dir}/rules", "{dir}/key-policy.json"),
    POLICY_TEST("test.kwtest", 2, 0, "test", "{dir}/test.kwtest"),
    LINT_CONFIG("keyward.yaml", 2, 0, "lint", "--no-color", "--config", "{dir}/keyward.yaml", "{dir}/key-policy.json"),
    LINT_BASELINE("baseline.json", 2, 0,
        "lint", "--no-color", "--baseline", "{dir}/baseline.json", "{dir}/key-policy.json"),
    ACCESS_WORLD("world.yaml", 2, 1, "access", "--world", "{dir}/world.yaml", "--key", "alias/data"),
    ACCESS_POLICY("key-policy.json", 2, 1, "access", "--policy", "{dir}/key-policy.json",
        "--key-arn", "arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111"),
    DIFF("key-policy.json", 2, 0, "diff", "{dir}/key-policy.json", "{dir}/key-policy-new.json",
        "--key-arn", "arn:aws:kms:us-east-1:111111111111:key/11111111-1111-1111-1111-111111111111"),
    /** Only bad worlds: a good one starts the server, which runs until stopped. */
    SERVE_WORLD("world.yaml", 2, -1, "serve", "--world", "{dir}/world.yaml", "--store", "{dir}/store",
        "--port", "0");

    final String file;
    final int badExit;
    final int goodExit;
    final List<String> args;

    Target(String file, int badExit, int goodExit, String... args) {
      this.file = file;
      this.badExit = badExit;
      this.goodExit = goodExit;
      this.args = List.of(args);
    }

    boolean viaStdin() {
      return this == REQUESTS_STDIN;
    }

    /** The file's name as messages show it (the last part of the path). */
    String shownName() {
      return viaStdin() ? "<stdin>" : file.substring(file.lastIndexOf('/') + 1);
    }
  }

  /** A kind of damage: how to turn the good file into a bad one. */
  enum Damage {
    EMPTY(good -> new byte[0], true),
    WHITESPACE_ONLY(good -> " \n\t  \r\n   \n".getBytes(StandardCharsets.UTF_8), true),
    BINARY_GARBAGE(good -> {
      byte[] b = new byte[4096];
      new Random(11).nextBytes(b);
      return b;
    }, true),
    NUL_BYTES(good -> insert(good, 30, new byte[] {0, 0, 0}), true),
    INVALID_UTF8(good -> insert(good, firstQuote(good) + 1, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE}),
        true),
    DEEP_NESTING(good -> ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII), true),
    DEEP_NESTING_OBJECTS(good -> ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))
        .getBytes(StandardCharsets.US_ASCII), true),
    FIFTY_MEGABYTES(good -> fiftyMegabytes(), true),
    UTF8_BOM(good -> insert(good, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}), false),
    CRLF_LINE_ENDINGS(good -> new String(good, StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n")
        .getBytes(StandardCharsets.UTF_8), false),
    DIRECTORY(null, true),
    MISSING(null, true);

    final Function<byte[], byte[]> damage;
    /** Whether the result is bad input; a BOM and CRLF line endings must be read like the good file. */
    final boolean bad;

    Damage(Function<byte[], byte[]> damage, boolean bad) {
      this.damage = damage;
      this.bad = bad;
    }
  }

  private static byte[] fiftyMegabytesCache;

  /** 50 MB of syntactically valid JSON (also valid YAML): a policy of ~700,000 statements. */
  private static synchronized byte[] fiftyMegabytes() {
    if (fiftyMegabytesCache == null) {
      String head = "{\"Version\":\"2012-10-17\",\"Statement\":[";
      String statement = "{\"Sid\":\"S\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"},\n";
      StringBuilder sb = new StringBuilder(FIFTY_MB + 100).append(head);
      while (sb.length() < FIFTY_MB) {
        sb.append(statement);
      }
      sb.setLength(sb.length() - 2);
      sb.append("]}\n");
      fiftyMegabytesCache = sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
    return fiftyMegabytesCache;
  }

  private static byte[] insert(byte[] good, int at, byte[] extra) {
    int i = Math.min(at, good.length);
    byte[] out = new byte[good.length + extra.length];
    System.arraycopy(good, 0, out, 0, i);
    System.arraycopy(extra, 0, out, i, extra.length);
    System.arraycopy(good, i, out, i + extra.length, good.length - i);
    return out;
  }

  private static int firstQuote(byte[] good) {
    for (int i = 0; i < good.length; i++) {
      if (good[i] == '"') {
        return i;
      }
    }
    return Math.min(10, good.length);
  }

  /** A fresh copy of the good fixtures for one case. */
  private static Path freshCopy(String name) {
    Path dir = tmp.resolve(name);
    Harness.copyTree(Harness.resource("bad-input/good"), dir);
    return dir;
  }

  private static List<String> args(List<String> template, Path dir) {
    List<String> out = new ArrayList<>();
    for (String a : template) {
      out.add(a.replace("{dir}", dir.toString()));
    }
    return out;
  }

  private static Harness.Run runTarget(Target target, Path dir, byte[] content) {
    byte[] stdin = new byte[0];
    if (target.viaStdin()) {
      stdin = content;
    }
    byte[] in = stdin;
    return assertTimeoutPreemptively(GUARD, () -> Harness.run(in, args(target.args, dir)));
  }

  @TestFactory
  Stream<DynamicTest> goodFixtures_everyEntryPoint_answersWithItsGoodExitCode() {
    Stream<Target> startable = Arrays.stream(Target.values()).filter(t -> t.goodExit >= 0);
    return startable.map(t -> DynamicTest.dynamicTest(t.name(), () -> {
      Path dir = freshCopy("good-" + t);
      Harness.Run r = runTarget(t, dir, Files.readAllBytes(dir.resolve(t.file)));
      assertThat(r.exitCode()).as("%s%n%s", t, Harness.head(r.all())).isEqualTo(t.goodExit);
      r.assertNoJavaInternals(t.name());
    }));
  }

  @TestFactory
  Stream<DynamicTest> generatedDamage_everyEntryPoint_clearMessageDocumentedExitCode() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Target t : Target.values()) {
      for (Damage d : Damage.values()) {
        if (t.viaStdin() && (d == Damage.DIRECTORY || d == Damage.MISSING)) {
          continue; // standard input is neither
        }
        if (t.goodExit < 0 && !d.bad) {
          continue; // read like the good file, it would start a server
        }
        tests.add(DynamicTest.dynamicTest(t + " x " + d, () -> damageCase(t, d)));
      }
    }
    return tests.stream();
  }

  private static void damageCase(Target t, Damage d) throws IOException {
    Path dir = freshCopy(t + "-" + d);
    Path file = dir.resolve(t.file);
    byte[] good = Files.readAllBytes(file);
    byte[] content = good;
    if (d == Damage.DIRECTORY) {
      Files.delete(file);
      Files.createDirectory(file);
    } else if (d == Damage.MISSING) {
      Files.delete(file);
    } else {
      content = d.damage.apply(good);
      if (!t.viaStdin()) {
        Files.write(file, content);
      }
    }
    Harness.Run r = runTarget(t, dir, content);
    String what = t + " x " + d;
    r.assertNoJavaInternals(what);
    if (!d.bad) {
      assertThat(r.exitCode()).as("%s must read like the good file:%n%s", what, Harness.head(r.all()))
          .isEqualTo(t.goodExit);
      return;
    }
    assertThat(r.all().length()).as("%s: a clear message, not a flood:%n%s", what, Harness.head(r.all()))
        .isLessThan(20_000);
    Expected e = expected(t, d);
    assertThat(r.exitCode()).as("%s exit code:%n%s", what, Harness.head(r.all())).isEqualTo(e.exit());
    assertThat(r.all()).as("%s message:%n%s", what, Harness.head(r.all())).containsPattern(e.message());
  }

  /** What a damaged file must produce. */
  record Expected(int exit, Pattern message) {}

  /**
   * The documented answer: the entry point's bad-input exit code and a message naming the file, with
   * line and column for damaged content; the exceptions below are documented behaviour, each with its reason.
   */
  static Expected expected(Target t, Damage d) {
    String name = Pattern.quote(t.shownName());
    Expected dflt;
    if (d == Damage.DIRECTORY) {
      dflt = new Expected(t.badExit, Pattern.compile(name + ".*(?i)(director|folder)"));
    } else if (d == Damage.MISSING) {
      dflt = new Expected(t.badExit, Pattern.compile(name + ".*(?i)(not found|does not exist|no such)"));
    } else {
      dflt = new Expected(t.badExit, Pattern.compile(name + ANY_LOCATION.pattern()));
    }
    switch (t) {
      case POLICY_LINT:
        if (d == Damage.DIRECTORY) {
          // docs/linting.md: a folder is searched for policies; this one holds none.
          return new Expected(0, Pattern.compile("in 0 files"));
        }
        if (d == Damage.MISSING) {
          // docs/linting.md: exit 2 for bad usage, a missing path.
          return new Expected(2, dflt.message());
        }
        return dflt;
      case REQUESTS:
      case REQUESTS_STDIN:
        if (d == Damage.EMPTY || d == Damage.WHITESPACE_ONLY) {
          // docs/world-and-requests.md: blank lines are skipped; no line, no answer, nothing wrong.
          return new Expected(0, Pattern.compile("^$"));
        }
        return dflt;
      case RULE_TEST:
      case RULE_LINT:
        if (d == Damage.DIRECTORY || d == Damage.MISSING) {
          // The rule folder then holds no rule file: a wrong path, reported for the folder.
          return new Expected(2, Pattern.compile("rules` holds no rule files"));
        }
        return dflt;
      case POLICY_TEST:
        if (d == Damage.DIRECTORY) {
          // docs/policy-tests.md: a folder is searched for *.kwtest files; this one holds none.
          return new Expected(2, Pattern.compile("no \\*\\.kwtest file in .*" + name));
        }
        return dflt;
      case TEMPLATE:
      case PLAN:
        if (d == Damage.FIFTY_MEGABYTES) {
          // Valid JSON that is neither a template nor a plan: a verdict on the whole file, no line.
          return new Expected(2, Pattern.compile(name + ".*is neither a CloudFormation template"));
        }
        return dflt;
      default:
        return dflt;
    }
  }

  /** A row of bad-input/cases.tsv: a hand-written bad file for one entry point. */
  record FileCase(Target target, String name, String file, int exit, Pattern expected) {}

  static List<FileCase> fileCases() throws IOException {
    List<FileCase> cases = new ArrayList<>();
    for (String line : Files.readAllLines(Harness.resource("bad-input/cases.tsv"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (f.length != 5) {
        throw new IllegalStateException("cases.tsv: a row needs 5 tab-separated fields: " + line);
      }
      for (String target : f[0].split(",")) {
        cases.add(new FileCase(Target.valueOf(target.strip()), f[1], f[2], f[3].equals("-") ? -1 : Integer.parseInt(f[3]),
            Pattern.compile(f[4])));
      }
    }
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> handWrittenFiles_clearMessageWithLocation_documentedExitCode() throws IOException {
    return fileCases().stream().map(c -> DynamicTest.dynamicTest(c.target() + " x " + c.name(), () -> {
      Path dir = freshCopy(c.target() + "-" + c.name());
      byte[] content = Files.readAllBytes(Harness.resource("bad-input/cases/" + c.file()));
      if (!c.target().viaStdin()) {
        Files.write(dir.resolve(c.target().file), content);
      }
      Harness.Run r = runTarget(c.target(), dir, content);
      String what = c.target() + " x " + c.name();
      r.assertNoJavaInternals(what);
      int exit = c.exit() < 0 ? c.target().badExit : c.exit();
      assertThat(r.exitCode()).as("%s exit code:%n%s", what, Harness.head(r.all())).isEqualTo(exit);
      assertThat(r.all()).as("%s message:%n%s", what, Harness.head(r.all())).containsPattern(c.expected());
    }));
  }

  /** A row of bad-input/cli-args.tsv: a command line with bad arguments against the good fixtures. */
  @TestFactory
  Stream<DynamicTest> badArguments_clearMessage_exit2() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String line : Files.readAllLines(Harness.resource("bad-input/cli-args.tsv"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String name = f[0];
      List<Integer> exits = Arrays.stream(f[1].split("\\|")).map(Integer::valueOf).toList();
      Pattern expected = Pattern.compile(f[2]);
      List<String> template = new ArrayList<>(Arrays.asList(f).subList(3, f.length));
      tests.add(DynamicTest.dynamicTest(name, () -> {
        Path dir = freshCopy("args-" + name);
        List<String> args = new ArrayList<>();
        for (String a : args(template, dir)) {
          args.add(a.replace("{nul}", "\0").replace("{megabyte}", "x".repeat(1 << 20)));
        }
        Harness.Run r = assertTimeoutPreemptively(GUARD, () -> Harness.run(new byte[0], args));
        r.assertNoJavaInternals(name);
        assertThat(r.exitCode()).as("%s exit code:%n%s", name, Harness.head(r.all())).isIn(exits);
        assertThat(r.all()).as("%s message:%n%s", name, Harness.head(r.all())).containsPattern(expected);
        assertThat(r.err().length()).as("%s: no flood", name).isLessThan(20_000);
      }));
    }
    return tests.stream();
  }

  static void write(Path p, String s) {
    try {
      Files.writeString(p, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
