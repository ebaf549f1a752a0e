package dev.keyward.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.model.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TemplateChecksTest {

  static List<String> findings(String file, TemplateChecks checks) {
    TemplateResult r = TemplateLoader.create().load(Path.of("src/test/resources/templates", file), file,
        TemplateInputs.none());
    return checks.check(r.template()).stream().map(p -> p.code() + "@" + p.where().line())
        .collect(Collectors.toList());
  }

  @Test
  void keySettings_everyRuleFiresAtTheTemplateLine() {
    assertThat(findings("key-settings.yaml", TemplateChecks.create())).containsExactly(
        "key.rotation-off@16",
        "key.deletion-window-short@17",
        "key.no-explicit-policy@33",
        "key.no-explicit-policy@38",
        "key.multi-region-without-replicas@41",
        "key.rotation-impossible@48",
        "key.no-explicit-policy@44",
        "key.no-explicit-policy@50");
  }

  @Test
  void deletionWindow_teamMinimum_isConfigurable() {
    assertThat(findings("key-settings.yaml", TemplateChecks.withMinDeletionWindow(7)))
        .noneMatch(f -> f.startsWith("key.deletion-window-short"));
    assertThatThrownBy(() -> TemplateChecks.withMinDeletionWindow(3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wellConfiguredTemplate_onlyTheShortWindow() {
    assertThat(findings("finance-key.yaml", TemplateChecks.create())).containsExactly("key.deletion-window-short@19");
  }

  @Test
  void terraformPlan_rotationOnAndPolicyDeclared_onlyTheShortWindowAtThePlanLine() {
    assertThat(findings("finance-plan.json", TemplateChecks.create())).containsExactly("key.deletion-window-short@164");
  }

  @Test
  void signingKey_rotationAsked_isImpossible() {
    String yaml = "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      KeySpec: RSA_2048\n"
        + "      KeyUsage: SIGN_VERIFY\n      EnableKeyRotation: true\n      KeyPolicy: {Version: '2012-10-17', "
        + "Statement: []}\n";
    TemplateResult r = TemplateLoader.create().read(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "k.yaml",
        TemplateInputs.none());
    List<Problem> ps = TemplateChecks.create().check(r.template());
    assertThat(ps).extracting(Problem::code).containsExactly("key.rotation-impossible");
    assertThat(ps.get(0).where().line()).isEqualTo(7);
  }
}
