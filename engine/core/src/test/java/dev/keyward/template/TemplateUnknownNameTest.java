package dev.keyward.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A role whose name is made of the stack name: with the account given, the message asks for the name. */
class TemplateUnknownNameTest {

  static final String TEMPLATE = String.join("\n",
      "Resources:",
      "  App:",
      "    Type: AWS::IAM::Role",
      "    Properties:",
      "      RoleName: !Sub \"${AWS::StackName}-app\"",
      "      AssumeRolePolicyDocument:",
      "        Version: \"2012-10-17\"",
      "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: \"sts:AssumeRole\"}]",
      "");

  static String message(TemplateInputs inputs) {
    TemplateResult r = TemplateLoader.create().read(TEMPLATE.getBytes(StandardCharsets.UTF_8), "app.yaml", inputs);
    return TemplateWorld.toWorld(r.template()).problems().stream()
        .filter(p -> p.code().equals("template.needs-account")).map(Problem::message).findFirst().orElse("");
  }

  @Test
  void accountGiven_stackNameMissing_asksForTheStackName() {
    assertThat(message(new TemplateInputs(Map.of(), "111122223333", "us-east-1")))
        .contains("its name (or path) is unknown until deployment", "--parameter AWS::StackName=NAME")
        .doesNotContain("--account");
  }

  @Test
  void accountMissing_asksForTheAccount() {
    assertThat(message(TemplateInputs.none())).contains("give --account");
  }

  @Test
  void everythingGiven_noProblem() {
    assertThat(message(new TemplateInputs(Map.of("AWS::StackName", "prod"), "111122223333", "us-east-1"))).isEmpty();
  }
}
