package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The metadata of every built-in rule file: the rules/README.md contract. One dynamic test per rule, so a
 * bad file is named in the report.
 */
class RuleCatalogueTest {

  private static final RuleLoader.Loaded LOADED = RuleLoader.create().builtIn();
  private static final Set<String> CATEGORIES = Set.of("structure", "vocabulary", "condition", "principal", "kms",
      "identity", "template");
  private static final Pattern BUILT_IN_ID = Pattern.compile("KW[0-9]{3}");
  private static final Pattern SEMVER = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");
  private static final Pattern URL = Pattern.compile("https://[^\\s)]+");

  @Test
  void catalogue_loadsWithoutProblems_andHasAtLeastFortyRules() {
    assertThat(LOADED.problems()).extracting(p -> p.display()).isEmpty();
    assertThat(LOADED.rules()).hasSizeGreaterThanOrEqualTo(40);
  }

  @Test
  void catalogue_idsAndNamesAreUnique() {
    Set<String> ids = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Rule r : LOADED.rules()) {
      assertThat(ids.add(r.id())).as("duplicate id %s", r.id()).isTrue();
      assertThat(names.add(r.name())).as("duplicate name %s", r.name()).isTrue();
    }
  }

  @Test
  void catalogue_coversEveryCategoryAndTheKeyPolicyType() {
    Set<String> categories = new HashSet<>();
    int keyPolicyRules = 0;
    for (Rule r : LOADED.rules()) {
      categories.add(r.category());
      if (r.appliesTo(PolicyType.KEY_POLICY)) {
        keyPolicyRules++;
      }
    }
    assertThat(categories).isEqualTo(CATEGORIES);
    assertThat(keyPolicyRules).isGreaterThanOrEqualTo(30);
  }

  @TestFactory
  Stream<DynamicTest> everyRule_followsTheRuleFileContract() {
    return LOADED.rules().stream().map(r -> DynamicTest.dynamicTest(r.id() + " " + r.name(), () -> check(r)));
  }

  private static void check(Rule r) {
    assertThat(r.id()).matches(BUILT_IN_ID);
    assertThat(r.origin()).endsWith("/" + r.category() + "/" + r.id() + "-" + r.name() + ".yaml");
    assertThat(CATEGORIES).contains(r.category());
    assertThat(r.since()).matches(SEMVER);
    assertThat(r.appliesTo()).isNotEmpty().doesNotContain(PolicyType.UNKNOWN);
    // Summary in message style: one line, lowercase first word, no final period, short.
    String summary = r.summary();
    assertThat(summary).doesNotContain("\n").doesNotEndWith(".").hasSizeLessThanOrEqualTo(120);
    assertThat(Character.isLowerCase(summary.charAt(0))).as("summary starts lowercase: %s", summary).isTrue();
    // Docs: the three sections, in order, and at least one reference URL after the last.
    String docs = r.docs();
    int why = docs.indexOf("## Why it matters");
    int fix = docs.indexOf("## How to fix");
    int refs = docs.indexOf("## References");
    assertThat(why).as("docs of %s have Why it matters", r.id()).isGreaterThanOrEqualTo(0);
    assertThat(fix).as("docs of %s have How to fix", r.id()).isGreaterThan(why);
    assertThat(refs).as("docs of %s have References", r.id()).isGreaterThan(fix);
    assertThat(URL.matcher(docs.substring(refs)).find()).as("a reference URL in %s", r.id()).isTrue();
    assertThat(docs.substring(why, fix).strip().length()).as("why section of %s", r.id()).isGreaterThan(80);
    // Exactly one check; Java checks only by a known name.
    assertThat(r.check() == null).isEqualTo(r.javaCheck() != null);
    if (r.javaCheck() != null) {
      assertThat(JavaChecks.NAMES).contains(r.javaCheck());
    }
    // Cases: at least one flagged and one clean, flagged ones with pointers.
    assertThat(r.flagged()).as("flagged cases of %s", r.id()).isNotEmpty();
    assertThat(r.clean()).as("clean cases of %s", r.id()).isNotEmpty();
    for (RuleCase c : r.flagged()) {
      assertThat(c.pointers()).isNotEmpty();
    }
  }

  @Test
  void identityOnlyRules_neverApplyToKeyPolicies() {
    List<Rule> identityOnly = LOADED.rules().stream().filter(r -> r.category().equals("identity")).toList();
    assertThat(identityOnly).isNotEmpty();
    for (Rule r : identityOnly) {
      assertThat(r.appliesTo()).as(r.id()).doesNotContain(PolicyType.KEY_POLICY, PolicyType.RESOURCE, PolicyType.TRUST);
    }
  }
}
