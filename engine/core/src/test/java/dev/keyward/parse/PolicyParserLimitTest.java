package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import dev.keyward.model.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy over 1 MiB is refused with one problem, not read statement by statement. */
class PolicyParserLimitTest {
  private static String policyOf(int bytes) {
    StringBuilder sb = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
    String st = "{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
    sb.append(st);
    while (sb.length() + st.length() + 3 < bytes) {
      sb.append(',').append(st);
    }
    return sb.append("]}").toString();
  }

  @Test
  void parse_overOneMebibyte_oneTooLargeProblemAtTheStart() {
    byte[] big = policyOf(PolicyParser.MAX_POLICY_BYTES + 100).getBytes(StandardCharsets.UTF_8);
    ParseResult r = PolicyParser.create().parse(big, "big.json", PolicyType.IDENTITY);
    assertThat(r.policy()).isNull();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo("io.too-large");
      assertThat(p.display()).startsWith("big.json:1:1: error: the policy is " + big.length + " bytes");
    });
  }

  @Test
  void parseFile_overOneMebibyte_refusedWithoutReading(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("big.json");
    Files.writeString(f, policyOf(PolicyParser.MAX_POLICY_BYTES + 200));
    assertThat(Files.size(f)).isGreaterThan(PolicyParser.MAX_POLICY_BYTES);
    ParseResult r = PolicyParser.create().parseFile(f, "big.json", PolicyType.KEY_POLICY);
    assertThat(r.problems()).extracting(Problem::code).containsExactly("io.too-large");
  }

  @Test
  void parse_justUnderOneMebibyte_isRead() {
    byte[] big = policyOf(PolicyParser.MAX_POLICY_BYTES - 10).getBytes(StandardCharsets.UTF_8);
    ParseResult r = PolicyParser.create().parse(big, "big.json", PolicyType.IDENTITY);
    assertThat(r.policy()).isNotNull();
    assertThat(r.policy().statements()).hasSizeGreaterThan(10_000);
  }
}
