package dev.keyward.visual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.cli.Main;
import dev.keyward.world.IamPrincipal;
import dev.keyward.world.KmsKey;
import dev.keyward.world.World;
import dev.keyward.world.WorldLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opens the report of every example world in real headless Chromium from {@code file://}: it loads with no
 * console error and no network request, its graph has one node per principal and key of the world, the
 * matrix has a row per principal and a click on a cell shows the deciding statements. Screenshots go to
 * {@code target/report-screenshots/}.
 */
class ReportBrowserTest {

  private static final Path EXAMPLES = Path.of("..", "..", "examples");
  private static final Path OUT = Path.of("target", "report-screenshots");
  private static Chromium browser;

  @BeforeAll
  static void start() throws Exception {
    browser = Chromium.launch(Chromium.require());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  static Stream<String> examples() throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      dirs.filter(d -> Files.isRegularFile(d.resolve("world.yaml"))).forEach(d -> out.add(d.getFileName().toString()));
    }
    assertThat(out).isNotEmpty();
    return out.stream().sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void report_exampleWorld_opensOffline_withOneNodePerPrincipalAndKey(String example) throws Exception {
    Path world = EXAMPLES.resolve(example).resolve("world.yaml");
    Path html = OUT.resolve(example + ".html").toAbsolutePath();
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"report", "--world", world.toString(), "--out", html.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(rc).as(err.toString()).isZero();
    World w = WorldLoader.create().load(world).world();

    String page = browser.newPage();
    String url = html.toUri().toString();
    browser.open(page, url);
    assertThat(browser.eval(page, "document.body.dataset.ready").asText()).isEqualTo("1");
    browser.screenshot(page, OUT.resolve(example + ".png"), true);

    assertThat(browser.errors(page)).as("console errors").isEmpty();
    assertThat(browser.requests(page)).as("network requests").allSatisfy(u -> assertThat(u).isEqualTo(url));

    TreeSet<String> principals = new TreeSet<>();
    for (IamPrincipal p : w.principals()) {
      principals.add(p.arn());
    }
    TreeSet<String> keys = new TreeSet<>();
    for (KmsKey k : w.keys()) {
      keys.add(k.arn().toString());
    }
    assertThat(ids(page, "principal")).containsExactlyElementsOf(principals);
    assertThat(ids(page, "key")).containsExactlyElementsOf(keys);
    assertThat(browser.eval(page, "document.querySelectorAll('table.matrix tr[data-principal]').length").asInt())
        .isEqualTo(w.principals().size());

    int cells = browser.eval(page, "document.querySelectorAll('td[data-edge]').length").asInt();
    if (cells > 0) {
      browser.eval(page, "document.querySelector('td[data-edge]').click()");
      assertThat(browser.eval(page, "document.getElementById('detail').hidden").asBoolean()).isFalse();
      assertThat(browser.eval(page, "document.getElementById('detail-body').textContent").asText())
          .contains("kms:").contains("by ");
    }
    assertThat(browser.errors(page)).as("console errors after clicking").isEmpty();
  }

  private TreeSet<String> ids(String page, String kind) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    browser.eval(page, "Array.from(document.querySelectorAll('svg.graph .node[data-kind=" + kind
        + "]')).map(n => n.getAttribute('data-id'))").forEach(n -> out.add(n.asText()));
    return out;
  }
}
