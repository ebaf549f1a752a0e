package dev.keyward.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Policy tests against the fixture world in src/test/resources/policytest (see docs/policy-tests.md). */
class PolicyTestRunnerTest {

  private static final Path DIR = Path.of("src/test/resources/policytest");
  private final PolicyTestRunner runner = PolicyTestRunner.create();

  private FileResult run(String text) {
    return runner.run(text, DIR.resolve("inline.kwtest"), "inline.kwtest");
  }

  private static List<String> problems(FileResult r) {
    return r.problems().stream().map(Problem::display).collect(Collectors.toList());
  }

  @Test
  void run_passingFile_everyTestPasses() {
    FileResult r = runner.run(DIR.resolve("passing.kwtest"), "passing.kwtest");
    assertThat(problems(r)).isEmpty();
    assertThat(r.tests()).extracting(TestResult::name).containsExactly("decisions", "who can");
    assertThat(r.tests()).allMatch(TestResult::passed);
  }

  @Test
  void run_failingFile_reportsEveryUnmetExpectation() {
    FileResult r = runner.run(DIR.resolve("failing.kwtest"), "failing.kwtest");
    assertThat(r.badInput()).isFalse();
    assertThat(r.passed()).isEqualTo(1);
    assertThat(r.failed()).isEqualTo(3);
    TestResult wrong = r.tests().get(3);
    assertThat(wrong.failures()).extracting(TestResult.Failure::line).containsExactly(16, 17, 18);
    assertThat(wrong.failures().get(0).message())
        .isEqualTo("expected deny for arn:aws:iam::111111111111:role/App kms:Decrypt alias/data, but the"
            + " evaluator decided ALLOW");
    assertThat(wrong.failures().get(0).details())
        .anyMatch(d -> d.contains("(data-key.json:11:5, statement AllowOrganization)"));
    assertThat(wrong.failures().get(2).details())
        .contains("can, but is not listed: arn:aws:iam::111111111111:role/Admin",
            "can, but is not listed: arn:aws:iam::222222222222:role/Reader");
  }

  @Test
  void nobodyOutside_keyPolicyNamesUndeclaredRole_findsItWithAnExampleRequest() {
    FileResult r = runner.run(DIR.resolve("failing.kwtest"), "failing.kwtest");
    TestResult partner = r.tests().get(1);
    assertThat(partner.failures()).singleElement().satisfies(f -> {
      assertThat(f.message()).endsWith("but a principal outside can, for example"
          + " arn:aws:iam::333333333333:role/Partner");
      assertThat(f.details())
          .contains("example: arn:aws:iam::333333333333:role/Partner kms:Decrypt"
              + " arn:aws:kms:us-east-1:111111111111:key/22222222-2222-2222-2222-222222222222",
              "can: principal arn:aws:iam::333333333333:role/Partner kms:Decrypt", "  by: shared-key.json AllowPartner")
          .noneMatch(d -> d.contains("over-approximation"));
    });
  }

  @Test
  void nobodyOutside_otherAccountOfTheOrganization_failsForTheOrganizationClass() {
    FileResult r = runner.run(DIR.resolve("failing.kwtest"), "failing.kwtest");
    List<String> details = r.tests().get(2).failures().get(0).details();
    // the zone is account 111111111111 alone: the organization's other account 222222222222 is outside
    assertThat(details).contains("zone: account 111111111111 (every principal and every request context outside"
        + " it was considered)");
    assertThat(details).filteredOn(d -> d.startsWith("can: "))
        .containsExactly("can: principals of organization o-aaaaaaaaaa kms:Decrypt");
    assertThat(details).anyMatch(d -> d.startsWith("example: arn:aws:") && d.contains("(caller in organization"
        + " o-aaaaaaaaaa)") && !d.contains("::111111111111:"));
  }

  @Test
  void nobodyOutside_wildcardWithOrganizationCondition_holdsForStrangers() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n"
        + "  expect nobody outside organization o-aaaaaaaaaa can kms:Decrypt alias/data\n}\n");
    assertThat(r.tests()).singleElement().satisfies(t -> assertThat(t.failures()).isEmpty());
  }

  @Test
  void nobodyOutside_wildcardLimitedByPrincipalTag_failsBecauseOutsidersChooseTheirTags() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n"
        + "  expect nobody outside organization o-aaaaaaaaaa can kms:Decrypt alias/tagged\n}\n");
    assertThat(r.tests().get(0).failures()).singleElement().satisfies(f -> assertThat(f.details())
        .anyMatch(d -> d.startsWith("example: ") && d.contains("(caller tagged {team=finance})"))
        .contains("can: any AWS principal kms:Decrypt", "  when: StringEquals aws:PrincipalTag/team [finance]"));
  }

  @Test
  void nobodyOutside_principalArnPatternNamingAnotherRole_failsWhereTheBoundedSearchPassed() {
    // the stand-ins of the old bounded search had fixed role names and missed arn:aws:iam::*:role/Deploy
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n"
        + "  expect nobody outside organization o-aaaaaaaaaa can kms:Decrypt alias/deploy\n}\n");
    assertThat(r.tests().get(0).failures()).singleElement().satisfies(f -> assertThat(f.details())
        .anyMatch(d -> d.startsWith("example: arn:aws:iam::") && d.contains(":role/Deploy kms:Decrypt"))
        .contains("  when: ArnLike aws:PrincipalArn [arn:aws:iam::*:role/Deploy]"));
  }

  @Test
  void nobodyOutside_overApproximateAccess_failsAsAPossibleLeak() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n"
        + "  expect nobody outside account 111111111111 can kms:Decrypt alias/variable\n}\n");
    assertThat(r.tests().get(0).failures()).singleElement().satisfies(f -> {
      assertThat(f.message()).contains("but a principal outside possibly can (over-approximation), for example");
      assertThat(f.details()).anyMatch(d -> d.startsWith("over-approximation: "))
          .anyMatch(d -> d.startsWith("can: any AWS principal kms:Decrypt (over-approximation)"));
    });
  }

  @Test
  void nobodyOutside_servicePrincipalLimitedToTheAccount_countsAsOutside() {
    // line 3: CloudTrail with aws:SourceAccount fails; line 4: callers of the account via EBS are inside
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n"
        + "  expect nobody outside account 111111111111 can kms:GenerateDataKey alias/service\n"
        + "  expect nobody outside account 111111111111 can kms:Decrypt alias/service\n}\n");
    assertThat(r.tests().get(0).failures()).singleElement().satisfies(f -> {
      assertThat(f.line()).isEqualTo(3);
      assertThat(f.details()).contains("example: cloudtrail.amazonaws.com kms:GenerateDataKey"
          + " arn:aws:kms:us-east-1:111111111111:key/66666666-6666-6666-6666-666666666666 with context"
          + " {aws:SourceAccount=[111111111111]}");
    });
  }

  @Test
  void only_conditionalPrincipal_countsAsAble() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n"
        + "  expect only [App] can kms:Decrypt alias/shared\n}\n");
    // Admin may decrypt only through its grant, with the encryption context Purpose=reports.
    assertThat(r.tests().get(0).failures()).singleElement().satisfies(f ->
        assertThat(f.details()).containsSubsequence("can, but is not listed: arn:aws:iam::111111111111:role/Admin",
            "  allowed when:"));
  }

  @Test
  void run_syntaxError_isBadInputWithLineAndColumn() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n  expect maybe App kms:Decrypt alias/data\n}\n");
    assertThat(r.badInput()).isTrue();
    assertThat(r.tests()).isEmpty();
    assertThat(problems(r)).first().asString().startsWith("inline.kwtest:3:");
  }

  @Test
  void run_unknownPrincipal_isBadInputWithSuggestion() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n  expect allow Ap kms:Decrypt alias/data\n}\n");
    assertThat(problems(r)).singleElement().asString()
        .startsWith("inline.kwtest:3:16: error: no principal of the world is named `Ap`")
        .contains("[test.unknown-principal]");
  }

  @Test
  void run_noWorld_isBadInput() {
    FileResult r = run("test \"t\" {\n  expect allow App kms:Decrypt alias/data\n}\n");
    assertThat(problems(r)).singleElement().asString().contains("[test.no-world]");
  }

  @Test
  void run_worldThatDoesNotExist_isBadInputAtTheWorldClause() {
    FileResult r = run("\nworld \"nope.yaml\"\ntest \"t\" {\n  expect allow App kms:Decrypt alias/data\n}\n");
    assertThat(r.badInput()).isTrue();
    assertThat(problems(r).get(0)).startsWith("inline.kwtest:2:1: error: the world `nope.yaml` does not load");
  }

  @Test
  void run_unknownAnalysisDuplicateNameAndEmptyTest_areAllReported() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n  expect check everything clean\n}\n"
        + "test \"t\" {\n}\n");
    assertThat(problems(r)).hasSize(3)
        .anyMatch(p -> p.startsWith("inline.kwtest:3:16: error: unknown analysis `everything`"))
        .anyMatch(p -> p.contains("test `t` is already defined at line 2"))
        .anyMatch(p -> p.contains("has no `expect` line"));
  }

  @Test
  void run_badContextValue_isBadInput() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n"
        + "  expect allow App kms:Decrypt alias/data with context {\"a\": {\"b\": \"c\"}}\n}\n");
    assertThat(problems(r)).singleElement().asString().contains("[test.bad-context]");
  }

  @Test
  void checkClean_analysisWithoutFindings_passes() {
    FileResult r = run("world \"world.yaml\"\ntest \"t\" {\n  expect check ami-sharing clean\n}\n");
    assertThat(problems(r)).isEmpty();
    assertThat(r.tests().get(0).passed()).isTrue();
  }

  @Test
  void select_folder_findsTestFilesSorted() throws Exception {
    assertThat(PolicyTestRunner.select(List.of(DIR))).extracting(p -> p.getFileName().toString())
        .containsExactly("failing.kwtest", "passing.kwtest");
  }

  @Test
  void report_summaryAndJUnit_countEveryTest() {
    List<FileResult> all = runner.run(List.of(DIR.resolve("passing.kwtest"), DIR.resolve("failing.kwtest")),
        Path.of(""));
    assertThat(TestReport.summary(all)).isEqualTo("3 passed, 3 failed");
    String xml = JUnitXml.render(all);
    assertThat(xml).contains("<testsuites name=\"keyward\" tests=\"6\" failures=\"3\" errors=\"0\">")
        .contains("<testsuite name=\"src/test/resources/policytest/failing.kwtest\" tests=\"4\" failures=\"3\"")
        .contains("<failure message=\"expected deny for arn:aws:iam::111111111111:role/App kms:Decrypt alias/data,"
            + " but the evaluator decided ALLOW\" type=\"expectation\">");
  }

  @Test
  void junit_badInputAndFailures_isWellFormedXml() throws Exception {
    List<FileResult> all = List.of(run("world \"world.yaml\"\ntest \"<&>\" {\n  expect allow Nobody kms:Decrypt x\n}\n"),
        runner.run(DIR.resolve("failing.kwtest"), "failing.kwtest"));
    String xml = JUnitXml.render(all);
    org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(doc.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
    assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(1);
    assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(3);
    assertThat(doc.getElementsByTagName("error").item(0).getTextContent())
        .contains("no principal of the world is named `Nobody`");
  }
}
