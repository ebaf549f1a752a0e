package dev.keyward.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import dev.keyward.parse.PolicyParser;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The action ids a decision uses to find each policy's candidate statements by index: spellings differing by
 * case share one id, every id indexes the right candidates however many actions came before, and past the
 * table's bound an action without id still gets its candidates.
 */
class ActionTableTest {

  private static CompiledPolicy policy() {
    String json = "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Sid\":\"Use\",\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\"],\"Resource\":\"*\"},"
        + "{\"Sid\":\"Gen\",\"Effect\":\"Allow\",\"Action\":\"kms:GenerateDataKey*\",\"Resource\":\"*\"},"
        + "{\"Sid\":\"NotAdmin\",\"Effect\":\"Deny\",\"NotAction\":\"kms:Describe*\",\"Resource\":\"*\"}]}";
    return new CompiledPolicy(PolicyParser.create().parseString(json, "p", PolicyType.IDENTITY).policy(), new int[1]);
  }

  private static Set<String> sids(CompiledStatement[] ss) {
    Set<String> out = new HashSet<>();
    Arrays.stream(ss).forEach(s -> out.add(s.label));
    return out;
  }

  @Test
  void spellingsDifferingByCaseShareAnId() {
    ActionTable t = new ActionTable();
    ActionTable.Action a = t.of("kms:Decrypt");
    assertThat(a.lower).isEqualTo("kms:decrypt");
    assertThat(t.of("KMS:DECRYPT").id).isEqualTo(a.id);
    assertThat(t.of("kms:Encrypt").id).isNotEqualTo(a.id);
  }

  @Test
  void candidatesByIdAreThoseOfTheActionWhateverCameBefore() {
    ActionTable t = new ActionTable();
    CompiledPolicy p = policy();
    for (int i = 0; i < 100; i++) {
      p.candidates(t.of("s3:Action" + i)); // grows the policy's index well past its first size
    }
    assertThat(sids(p.candidates(t.of("kms:Decrypt")))).containsExactlyInAnyOrder("Use", "NotAdmin");
    assertThat(sids(p.candidates(t.of("KMS:generateDataKeyPair")))).containsExactlyInAnyOrder("Gen", "NotAdmin");
    assertThat(sids(p.candidates(t.of("kms:DescribeKey")))).isEmpty();
    // asked again: the same answers from the index
    assertThat(sids(p.candidates(t.of("kms:decrypt")))).containsExactlyInAnyOrder("Use", "NotAdmin");
    assertThat(sids(p.candidates(t.of("s3:Action7")))).containsExactly("NotAdmin");
  }

  @Test
  void pastTheBoundActionsHaveNoIdAndStillTheirCandidates() {
    ActionTable t = new ActionTable();
    CompiledPolicy p = policy();
    for (int i = 0; i < ActionTable.MAX_IDS; i++) {
      t.of("x:a" + i);
    }
    ActionTable.Action late = t.of("kms:Decrypt");
    assertThat(late.id).isEqualTo(-1);
    assertThat(sids(p.candidates(late))).containsExactlyInAnyOrder("Use", "NotAdmin");
    assertThat(t.of("x:a5").id).isEqualTo(5);
    assertThat(sids(p.candidates(t.of("x:a4095")))).containsExactly("NotAdmin");
  }
}
