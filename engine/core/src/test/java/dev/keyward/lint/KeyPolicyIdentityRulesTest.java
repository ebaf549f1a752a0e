package dev.keyward.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.PolicyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The false positive users of other linters complain about most: identity-policy rules ("Resource must
 * not be *", "kms:* on all keys") firing on key policies, where `"Resource": "*"` is mandatory. Every key
 * policy we have (examples/, the parser's valid key-policy fixtures, every key-policy case of every rule)
 * is linted both as given and with its type inferred, and no identity-only rule may fire.
 */
class KeyPolicyIdentityRulesTest {

  @Test
  void keyPolicies_everyOne_noIdentityOnlyRuleFires() throws Exception {
    List<Rule> rules = RuleLoader.create().builtIn().rules();
    Set<String> identityOnly = rules.stream()
        .filter(r -> r.appliesTo(PolicyType.IDENTITY) && !r.appliesTo(PolicyType.KEY_POLICY))
        .map(Rule::id).collect(Collectors.toSet());
    assertThat(identityOnly).contains("KW300", "KW301", "KW302", "KW303", "KW304", "KW305", "KW306", "KW307", "KW057");
    Linter linter = Linter.create(rules);

    List<String> names = new ArrayList<>();
    List<byte[]> policies = new ArrayList<>();
    for (Path dir : List.of(Paths.get("../../examples"), Paths.get("src/test/resources/policies/valid/key-policy"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.filter(f -> f.toString().endsWith(".json") && isKeyPolicy(f)).sorted().toList()) {
          names.add(p.toString());
          policies.add(Files.readAllBytes(p));
        }
      }
    }
    for (Rule r : rules) {
      for (RuleCase c : r.flagged()) {
        if (c.type() == PolicyType.KEY_POLICY) {
          names.add(r.id() + " " + c.name());
          policies.add(c.policyText().getBytes(StandardCharsets.UTF_8));
        }
      }
      for (RuleCase c : r.clean()) {
        if (c.type() == PolicyType.KEY_POLICY) {
          names.add(r.id() + " " + c.name());
          policies.add(c.policyText().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(25);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      // NOTE: a document without any Principal cannot be told from an identity policy; it is linted only as
      // the key policy it is declared to be.
      boolean inferable = new String(policies.get(i), StandardCharsets.UTF_8).contains("\"Principal\"");
      for (PolicyType t : inferable ? List.of(PolicyType.KEY_POLICY, PolicyType.UNKNOWN) : List.of(PolicyType.KEY_POLICY)) {
        Linter.FileResult r = linter.lint(policies.get(i), "key.json", t);
        for (Finding f : r.findings()) {
          if (identityOnly.contains(f.ruleId())) {
            wrong.add(names.get(i) + " (" + t.label() + "): " + f.ruleId() + " " + f.message());
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** Files under examples/ are key policies when they look like one (world files name them separately). */
  private static boolean isKeyPolicy(Path p) {
    try {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      return p.toString().contains("key-polic") || (text.contains("\"kms:") && text.contains("\"Principal\""));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
