package dev.keyward.visual;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format dot} renders with Graphviz's {@code dot}, and {@code --format mermaid} with the mermaid
 * package's script in headless Chromium, for every command that takes them, on the example worlds.
 */
class GraphFormatsRenderTest {

  private static final Path EXAMPLES = Path.of("..", "..", "examples");
  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  /** Each command line (without --format) whose graph is drawn. */
  private static Map<String, String[]> commands(Path tmp) throws Exception {
    String world = EXAMPLES.resolve("cross-account-decrypt").resolve("world.yaml").toString();
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("who-can", new String[] {"who-can", "--world", world, "--action", "kms:Decrypt", "--resource",
        "alias/finance"});
    m.put("access", new String[] {"access", "--world", world, "--key", "alias/finance"});
    try (var dirs = Files.list(EXAMPLES)) {
      for (Path d : dirs.sorted().toList()) {
        if (Files.isRegularFile(d.resolve("world.yaml"))) {
          m.put("check-" + d.getFileName(), new String[] {"check", "--world", d.resolve("world.yaml").toString()});
        }
      }
    }
    Path old = EXAMPLES.resolve("cross-account-decrypt").resolve("key-policies").resolve("finance.json");
    String text = Files.readString(old);
    Path newer = tmp.resolve("finance-open.json");
    // the change a reviewer should see: every account may now decrypt
    Files.writeString(newer, text.replaceFirst("\"Statement\"\\s*:\\s*\\[", "\"Statement\": [{\"Sid\": \"Everyone\","
        + " \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"},"));
    m.put("diff", new String[] {"diff", old.toString(), newer.toString(), "--key-arn", KEY});
    return m;
  }

  private static String run(String[] args, String format) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--format");
    all.add(format);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    assertThat(rc).as(String.join(" ", all) + "\n" + err).isBetween(0, 1);
    return out.toString();
  }

  private static Optional<Path> dot() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "dot");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Test
  void dot_everyCommand_rendersWithGraphviz(@TempDir Path tmp) throws Exception {
    Optional<Path> dot = dot();
    if (dot.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("Graphviz's dot is not installed, but CI runs this test: .ci/run must install it");
    }
    Assumptions.assumeTrue(dot.isPresent(), "Graphviz is not installed (apt-get install graphviz); skipping");
    for (Map.Entry<String, String[]> c : commands(tmp).entrySet()) {
      String source = run(c.getValue(), "dot");
      Process p = new ProcessBuilder(dot.get().toString(), "-Tsvg").start();
      p.getOutputStream().write(source.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      ByteArrayOutputStream svg = new ByteArrayOutputStream();
      p.getInputStream().transferTo(svg);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(c.getKey() + ": " + err + "\n" + source).isZero();
      assertThat(err).as(c.getKey()).isBlank();
      String out = svg.toString(StandardCharsets.UTF_8);
      Path file = Path.of("target", "graph-formats", c.getKey() + ".svg");
      Files.createDirectories(file.getParent());
      Files.writeString(file, out);
      long arrows = source.lines().filter(l -> l.contains(" -> ")).count();
      assertThat(count(out, "class=\"edge\"")).as(c.getKey()).isEqualTo(arrows);
      assertThat(count(out, "class=\"node\"")).as(c.getKey()).isPositive();
    }
  }

  /** The mermaid script: $KEYWARD_MERMAID_JS, else where .ci/run installs it. */
  static Optional<Path> mermaidScript() {
    String env = System.getenv("KEYWARD_MERMAID_JS");
    List<Path> candidates = new ArrayList<>();
    if (env != null) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".cache", "keyward-tools", "node_modules", "mermaid",
        "dist", "mermaid.min.js"));
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  @Test
  void mermaid_everyCommand_rendersInChromium(@TempDir Path tmp) throws Exception {
    Optional<Path> script = mermaidScript();
    if (script.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("the mermaid script is not installed, but CI runs this test: .ci/run must install it");
    }
    Assumptions.assumeTrue(script.isPresent(), "the mermaid npm package is not installed (see .ci/run, or set"
        + " KEYWARD_MERMAID_JS to its dist/mermaid.min.js); skipping");
    Path chromium = Chromium.require();
    Path page = Path.of("target", "graph-formats", "mermaid.html").toAbsolutePath();
    Files.createDirectories(page.getParent());
    Files.writeString(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script src=\""
        + script.get().toAbsolutePath().toUri() + "\"></script></head><body><div id=\"out\"></div></body></html>");
    ObjectMapper json = new ObjectMapper();
    try (Chromium browser = Chromium.launch(chromium)) {
      String session = browser.newPage();
      browser.open(session, page.toUri().toString());
      browser.eval(session, "mermaid.initialize({startOnLoad: false, securityLevel: 'strict'}); true");
      for (Map.Entry<String, String[]> c : commands(tmp).entrySet()) {
        String source = run(c.getValue(), "mermaid");
        String result = browser.eval(session, "(async () => { try { await mermaid.parse(" + json.writeValueAsString(
            source) + "); const r = await mermaid.render('g" + Math.abs(c.getKey().hashCode()) + "', "
            + json.writeValueAsString(source) + "); document.getElementById('out').innerHTML = r.svg;"
            + " return 'ok ' + document.querySelectorAll('#out svg .node').length; }"
            + " catch (e) { return 'error ' + (e && e.message || e); } })()").asText();
        assertThat(result).as(c.getKey() + ":\n" + source).startsWith("ok ");
        long nodes = source.lines().filter(l -> l.matches("\\s+n\\d+[\\[(].*")).count();
        assertThat(Long.parseLong(result.substring(3))).as(c.getKey()).isEqualTo(nodes);
        browser.screenshot(session, Path.of("target", "graph-formats", c.getKey() + "-mermaid.png"), false);
      }
      assertThat(browser.errors(session)).isEmpty();
    }
  }

  private static long count(String s, String what) {
    long n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
