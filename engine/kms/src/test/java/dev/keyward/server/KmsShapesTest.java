package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The shipped model subset against botocore's KMS model, and the operations the server implements. */
class KmsShapesTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode shipped() throws Exception {
    try (InputStream in = KmsModel.class.getResourceAsStream("kms-shapes.json")) {
      return JSON.readTree(in);
    }
  }

  /** botocore's service-2.json, when Python's botocore (the AWS CLI's) is installed; else null. */
  static JsonNode botocore() throws Exception {
    Process p = new ProcessBuilder("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))")
        .redirectErrorStream(true).start();
    String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    Path base = Path.of(dir, "data", "kms", "2014-11-01");
    if (Files.exists(base.resolve("service-2.json.gz"))) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(base.resolve("service-2.json.gz")))) {
        return JSON.readTree(in);
      }
    }
    return Files.exists(base.resolve("service-2.json")) ? JSON.readTree(base.resolve("service-2.json").toFile()) : null;
  }

  @Test
  void everyImplementedOperation_isInTheModel() throws Exception {
    KmsModel m = KmsModel.load();
    for (String op : KmsOperations.create().implemented()) {
      assertThat(m.hasOperation(op)).as(op).isTrue();
    }
    assertThat(KmsOperations.create().implemented()).hasSizeGreaterThanOrEqualTo(46);
    assertThat(m.targetPrefix()).isEqualTo("TrentService");
  }

  @Test
  void readOnlyOperations_areImplemented() {
    assertThat(KmsOperations.create().implemented()).containsAll(KmsOperations.READ_ONLY);
  }

  @Test
  void shippedSubset_matchesInstalledBotocoreMembers() throws Exception {
    JsonNode b = null;
    try {
      b = botocore();
    } catch (java.io.IOException e) {
      b = null;
    }
    Assumptions.assumeTrue(b != null, "botocore (the AWS CLI's Python package) is not installed: the comparison of"
        + " kms-shapes.json with its KMS model is skipped");
    JsonNode s = shipped();
    for (String op : KmsOperations.create().implemented()) {
      String in = b.get("operations").get(op).get("input").get("shape").asText();
      JsonNode theirs = b.get("shapes").get(in);
      JsonNode ours = s.get("shapes").get(in);
      Set<String> theirMembers = new TreeSet<>();
      theirs.get("members").fieldNames().forEachRemaining(theirMembers::add);
      Set<String> ourMembers = new TreeSet<>();
      ours.get("members").fieldNames().forEachRemaining(ourMembers::add);
      assertThat(ourMembers).as(op + " members").isEqualTo(theirMembers);
      Set<String> theirRequired = new TreeSet<>();
      if (theirs.has("required")) {
        theirs.get("required").forEach(r -> theirRequired.add(r.asText()));
      }
      Set<String> ourRequired = new TreeSet<>();
      if (ours.has("required")) {
        ours.get("required").forEach(r -> ourRequired.add(r.asText()));
      }
      assertThat(ourRequired).as(op + " required members").isEqualTo(theirRequired);
    }
  }
}
