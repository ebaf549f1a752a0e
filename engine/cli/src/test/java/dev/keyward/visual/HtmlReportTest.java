package dev.keyward.visual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.bench.ReportBenchmark;
import dev.keyward.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  private static final Path WORLD = Path.of("..", "..", "examples", "cross-account-decrypt", "world.yaml");

  private static String report(Path world, Path out) throws Exception {
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"report", "--world", world.toString(), "--out", out.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(rc).as(err.toString()).isZero();
    return Files.readString(out);
  }

  @Test
  void report_example_isSelfContainedAndDeterministic(@TempDir Path dir) throws Exception {
    String a = report(WORLD, dir.resolve("a.html"));
    String b = report(WORLD, dir.resolve("b.html"));
    assertThat(a).isEqualTo(b);
    assertThat(a).contains("default-src 'none'");
    // nothing is fetched: no external script, style, image or link target
    assertThat(a).doesNotContainPattern("(src|href)\\s*=\\s*\"(https?:)?//");
    assertThat(a).doesNotContainPattern("url\\(\\s*['\"]?https?:");
    assertThat(a).doesNotContain("<link ").doesNotContain("@import");
  }

  @Test
  void report_grantConstraints_areShownSortedByKey(@TempDir Path dir) throws Exception {
    // the world's map of constraints has no order of its own (it is hashed with a per-run seed), so the page
    // sorts it: the same world gives the same page in every run
    Path world = Path.of("..", "core", "src", "test", "resources", "scenarios", "11-grant-constraints", "world.yaml");
    String page = report(world, dir.resolve("r.html"));
    assertThat(page).contains("equals {Dept=Finance, Project=alpha}");
  }

  @Test
  void report_example_showsFindingsKeysAndOutsideStatements(@TempDir Path dir) throws Exception {
    String html = report(WORLD, dir.resolve("r.html"));
    assertThat(html).contains("IAM data date");
    // the statement that lets the analytics account in is highlighted, the key admins' is not
    Matcher m = Pattern.compile("<div class=\"stmt outside\">.*?</div>", Pattern.DOTALL).matcher(html);
    StringBuilder outside = new StringBuilder();
    while (m.find()) {
      outside.append(m.group());
    }
    assertThat(outside.toString()).contains("222222222222").doesNotContain("\"Sid\" : \"OnlyKeyAdminDeletes\"");
    // check findings link to the key, lint findings carry the rule's fix
    assertThat(html).contains("<a href=\"#key-0\">");
    assertThat(html).contains("KW300").contains("fix:");
    assertThat(html).contains("rotation").contains("enabled, every 365 days");
  }

  @Test
  void report_largeWorld_collapsesToAccounts(@TempDir Path dir) throws Exception {
    Path world = dir.resolve("world.yaml");
    ReportBenchmark.writeWorld(world, 8, 30, 15);
    String html = report(world, dir.resolve("r.html"));
    assertThat(html).contains("data-collapsed=\"true\"");
    assertThat(html).doesNotContain("data-kind=\"principal\"");
    assertThat(count(html, "data-kind=\"account\"")).isEqualTo(8);
    assertThat(html).contains("\"collapsed\":true");
    assertThat(html).contains("Actions asked: kms:Decrypt, kms:CreateGrant, kms:PutKeyPolicy.");
  }

  @Test
  void report_badWorld_exits2WithLocatedMessageAndWritesNothing(@TempDir Path dir) throws Exception {
    Path world = dir.resolve("world.yaml");
    Files.writeString(world, "keys:\n  - arn: not-an-arn\n");
    Path out = dir.resolve("r.html");
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"report", "--world", world.toString(), "--out", out.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("world.yaml:2:").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void report_withoutOut_isAUsageError() {
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"report", "--world", WORLD.toString()}, new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("--out");
  }

  private static long count(String s, String what) {
    long n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
