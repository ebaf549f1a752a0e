package dev.keyward.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** Shared plumbing of the robustness tests: one CLI run with captured streams, the fixture folder. */
final class Harness {
  /** What no output of Keyward may contain: a Java stack trace or an exception class name. */
  static final List<String> FORBIDDEN = List.of("Exception", "at dev.keyward", "java.lang", "\tat ");

  private Harness() {}

  /** One run of the CLI. */
  record Run(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }

    /** Asserts the run printed no stack trace or exception class name. */
    void assertNoJavaInternals(String what) {
      for (String word : FORBIDDEN) {
        assertThat(all()).as("%s: output must not contain `%s`:%n%s", what, word, head(all())).doesNotContain(word);
      }
    }
  }

  static Run run(byte[] stdin, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream in = new ByteArrayInputStream(stdin);
    int code = Main.run(args.toArray(String[]::new), in, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** The first 2,000 characters of a text, for assertion messages. */
  static String head(String s) {
    return s.length() <= 2000 ? s : s.substring(0, 2000) + "... (" + s.length() + " characters)";
  }

  /** A test resource folder as a path. */
  static Path resource(String name) {
    try {
      return Paths.get(Harness.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a folder tree. */
  static void copyTree(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
