package dev.keyward.cli;

import dev.keyward.template.TemplateInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --parameter}, {@code --account}, {@code --region}: what templates and plans leave to deployment. */
final class TemplateOptions {

  @Option(names = "--parameter", paramLabel = "NAME=VALUE",
      description = "A template parameter's value (also AWS::StackName and other pseudo parameters); repeatable.")
  List<String> parameters = new ArrayList<>();

  @Option(names = "--account", paramLabel = "ACCOUNT",
      description = "The account templates are deployed in (AWS::AccountId).")
  String account;

  @Option(names = "--region", paramLabel = "REGION",
      description = "The Region templates are deployed in (AWS::Region).")
  String region;

  /** The inputs; a malformed --parameter or --account is a usage error (ParameterException). */
  TemplateInputs inputs(CommandLine cmd) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String p : parameters) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(cmd, "--parameter `" + p + "` must be NAME=VALUE");
      }
      params.put(p.substring(0, eq), p.substring(eq + 1));
    }
    if (account != null && !account.matches("\\d{12}")) {
      throw new CommandLine.ParameterException(cmd, "--account `" + account + "` must be a 12-digit account id");
    }
    return new TemplateInputs(params, account, region);
  }
}
