package dev.keyward.visual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.cli.Main;
import dev.keyward.world.SnapshotWorldTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot folder (what {@code keyward snapshot} or the AWS CLI script writes) as the input of
 * {@code keyward report}: the page shows the snapshot's role and key with the access between them, the key's
 * policy and alias, and lint findings located in the snapshot's files; opened in headless Chromium (when
 * installed) from {@code file://}, it has one graph node per principal and key and no console error.
 */
class SnapshotReportTest {

  @TempDir Path tmp;

  @Test
  void report_snapshotFolder_showsItsPrincipalsKeysAccessAndLintFindings() throws Exception {
    // the test fixture's snapshot, with a key policy that also lets anyone decrypt (a lint error)
    Path snap = SnapshotWorldTest.snapshot(tmp.resolve("snap"), Map.of("regions/us-east-1/kms/get-key-policy.json",
        "{\n  \"" + SnapshotWorldTest.KEY_ID + "\": {\n    \"Policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\","
            + "\\\"Statement\\\":[{\\\"Sid\\\":\\\"Etl\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
            + "\\\"" + SnapshotWorldTest.ROLE + "\\\"},\\\"Action\\\":\\\"kms:Decrypt\\\",\\\"Resource\\\":\\\"*\\\"},"
            + "{\\\"Sid\\\":\\\"Open\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":"
            + "\\\"kms:Decrypt\\\",\\\"Resource\\\":\\\"*\\\"}]}\"\n  }\n}\n"));
    Path out = tmp.resolve("report.html");
    StringWriter err = new StringWriter();
    int rc = Main.run(new String[] {"report", "--world", snap.toString(), "--out", out.toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(rc).as(err.toString()).isZero();
    String html = Files.readString(out);

    // one node per principal and key of the snapshot, and the role's access to the key
    assertThat(html).contains("data-kind=\"principal\" data-id=\"" + SnapshotWorldTest.ROLE + "\"")
        .contains("data-kind=\"key\" data-id=\"" + SnapshotWorldTest.KEY + "\"");
    assertThat(html).contains("\"edges\":[[0,0,").contains("get-key-policy.json#/" + SnapshotWorldTest.KEY_ID
        + " Etl: key policy allows the caller");
    // the key: its alias and its policy, the statement open to everyone highlighted as outside access
    assertThat(html).contains("alias/etl").contains("&quot;Sid&quot; : &quot;Open&quot;")
        .contains("<div class=\"stmt outside\">");
    // lint findings of the policies, located in the snapshot's files
    assertThat(html).contains("KW200").contains("regions/us-east-1/kms/get-key-policy.json");

    if (Chromium.find().isPresent()) {
      try (Chromium browser = Chromium.launch(Chromium.find().get())) {
        String page = browser.newPage();
        browser.open(page, out.toUri().toString());
        assertThat(browser.eval(page, "document.body.dataset.ready").asText()).isEqualTo("1");
        List<String> nodes = new ArrayList<>();
        browser.eval(page, "Array.from(document.querySelectorAll('svg.graph .node')).map(n =>"
            + " n.getAttribute('data-kind') + ' ' + n.getAttribute('data-id'))").forEach(n -> nodes.add(n.asText()));
        assertThat(nodes).containsExactlyInAnyOrder("principal " + SnapshotWorldTest.ROLE,
            "key " + SnapshotWorldTest.KEY);
        assertThat(browser.eval(page, "document.querySelectorAll('table.matrix td[data-edge]').length").asInt())
            .isEqualTo(1);
        assertThat(browser.errors(page)).as("console errors").isEmpty();
      }
    }
  }
}
