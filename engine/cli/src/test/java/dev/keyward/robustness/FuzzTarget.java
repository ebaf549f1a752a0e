package dev.keyward.robustness;

import dev.keyward.lang.LangParser;
import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import dev.keyward.parse.ParseResult;
import dev.keyward.parse.PolicyParser;
import dev.keyward.world.WorldLoadResult;
import dev.keyward.world.WorldLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fuzz target: feeds one input to a parser or loader. An internal error is anything thrown, or a
 * result that breaks the contract (a null list, a problem without message or location); bad input
 * itself is fine, it must only come back as problems.
 */
interface FuzzTarget {
  String name();

  /** Runs one input; throws (an {@link AssertionError} or anything else) on an internal error. */
  void run(byte[] input) throws Exception;

  static void checkProblems(List<Problem> problems) {
    if (problems == null) {
      throw new AssertionError("null problem list");
    }
    for (Problem p : problems) {
      if (p.message() == null || p.message().isBlank() || p.where() == null) {
        throw new AssertionError("a problem without message or location: " + p);
      }
      p.display();
    }
  }

  /** {@link PolicyParser#parse} under every policy type in turn. */
  static FuzzTarget policyParser() {
    PolicyParser parser = PolicyParser.create();
    PolicyType[] types = PolicyType.values();
    return new FuzzTarget() {
      private int turn;

      @Override
      public String name() {
        return "policy-parser";
      }

      @Override
      public void run(byte[] input) {
        ParseResult r = parser.parse(input, "fuzz.json", types[turn++ % types.length]);
        checkProblems(r.problems());
        if (!r.hasErrors() && r.policy() == null) {
          throw new AssertionError("no errors and no policy");
        }
      }
    };
  }

  /** {@link WorldLoader#load} of the input as a world file next to the matrix's good policy files. */
  static FuzzTarget worldLoader(Path workDir) {
    Harness.copyTree(Harness.resource("bad-input/good"), workDir);
    Path world = workDir.resolve("fuzz-world.yaml");
    WorldLoader loader = WorldLoader.create();
    return new FuzzTarget() {
      @Override
      public String name() {
        return "world-loader";
      }

      @Override
      public void run(byte[] input) {
        try {
          Files.write(world, input);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        WorldLoadResult r = loader.load(world, "fuzz-world.yaml");
        checkProblems(r.problems());
        if (!r.hasErrors() && r.world() == null) {
          throw new AssertionError("no errors and no world");
        }
      }
    };
  }

  /** The Keyward language: checks, policy-test files, queries and expressions in turn. */
  static FuzzTarget languageParser() {
    LangParser parser = LangParser.create();
    return new FuzzTarget() {
      private int turn;

      @Override
      public String name() {
        return "language-parser";
      }

      @Override
      public void run(byte[] input) {
        String source = new String(input, StandardCharsets.UTF_8);
        dev.keyward.lang.Parsed<?> r;
        switch (turn++ % 4) {
          case 0:
            r = parser.parseCheck(source);
            break;
          case 1:
            r = parser.parseTestFile(source);
            break;
          case 2:
            r = parser.parseQuery(source);
            break;
          default:
            r = parser.parseExpression(source);
            break;
        }
        if (r.errors() == null || (r.errors().isEmpty() && r.value() == null)) {
          throw new AssertionError("no errors and no value");
        }
        r.errors().forEach(e -> {
          if (e.message() == null || e.message().isBlank()) {
            throw new AssertionError("a syntax error without message: " + e);
          }
        });
      }
    };
  }
}
