package dev.keyward.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.model.Condition;
import dev.keyward.model.ConditionOperator;
import dev.keyward.model.Effect;
import dev.keyward.model.PolicyDocument;
import dev.keyward.model.PolicyType;
import dev.keyward.model.PrincipalType;
import dev.keyward.model.PrincipalValue;
import dev.keyward.model.Problem;
import dev.keyward.model.SetQualifier;
import dev.keyward.model.Severity;
import dev.keyward.model.Statement;
import dev.keyward.model.ValueKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyParserTest {

  private final PolicyParser parser = PolicyParser.create();

  private static String keyPolicy(String statements) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}";
  }

  private static List<String> codes(ParseResult r) {
    return r.problems().stream().map(Problem::code).collect(Collectors.toList());
  }

  @Test
  void parse_bareAccountId_becomesAccountRootAndKeepsWrittenText() {
    ParseResult r = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"},"
        + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}"), "k.json", PolicyType.KEY_POLICY);
    assertThat(r.problems()).isEmpty();
    PrincipalValue v = r.policy().statements().get(0).principal().values().get(0);
    assertThat(v.type()).isEqualTo(PrincipalType.AWS);
    assertThat(v.value()).isEqualTo("arn:aws:iam::444455556666:root");
    assertThat(v.written()).isEqualTo("444455556666");
  }

  @Test
  void parse_bareAccountId_takesThePartitionOfThePolicysArns() {
    ParseResult r = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"444455556666\"},"
        + " \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws-us-gov:s3:::bucket/*\"}"), "b.json",
        PolicyType.RESOURCE);
    assertThat(r.policy().statements().get(0).principal().values().get(0).value())
        .isEqualTo("arn:aws-us-gov:iam::444455556666:root");
  }

  @Test
  void parse_principalStar_isAnyoneWithNoValues() {
    ParseResult r = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Principal\": \"*\","
        + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}"), "k.json", PolicyType.KEY_POLICY);
    Statement s = r.policy().statements().get(0);
    assertThat(s.principal().anyone()).isTrue();
    assertThat(s.principal().values()).isEmpty();
    assertThat(s.principal().matchesEveryAwsPrincipal()).isTrue();
  }

  @Test
  void parse_awsStarPrincipal_isAValueNotAnyone() {
    ParseResult r = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"},"
        + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}"), "k.json", PolicyType.KEY_POLICY);
    Statement s = r.policy().statements().get(0);
    assertThat(s.principal().anyone()).isFalse();
    assertThat(s.principal().values()).extracting(PrincipalValue::value).containsExactly("*");
    assertThat(s.principal().matchesEveryAwsPrincipal()).isTrue();
  }

  @Test
  void parse_stringOrArray_normalisedToLists() {
    ParseResult r = parser.parseString("{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\","
        + " \"NotAction\": \"kms:*\", \"Resource\": [\"*\"]}}", "p.json", PolicyType.IDENTITY);
    assertThat(r.problems()).isEmpty();
    Statement s = r.policy().statements().get(0);
    assertThat(s.index()).isZero();
    assertThat(s.effect()).isEqualTo(Effect.DENY);
    assertThat(s.action().negated()).isTrue();
    assertThat(s.action().patterns()).extracting(Object::toString).containsExactly("kms:*");
    assertThat(s.resource().isWildcard()).isTrue();
  }

  @Test
  void parse_wildcardsInActions_acceptedAnywhere() {
    ParseResult r = parser.parseString("{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\","
        + " \"Action\": [\"*\", \"*:Get*\", \"s3:Get?bject\", \"kms:*Key*\"], \"Resource\": \"*\"}}", "p.json",
        PolicyType.IDENTITY);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void parse_realResourcePolicyQuirks_accepted() {
    // CloudFront origin access identity principal, a tag key with a space, API Gateway's resource shorthand.
    ParseResult r = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": "
        + "\"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL\"}, \"Action\": "
        + "\"s3:GetObject\", \"Resource\": \"arn:aws:s3:::site/*\", \"Condition\": {\"StringEquals\": "
        + "{\"aws:ResourceTag/Cost Center\": \"42\"}}}"), "b.json", PolicyType.RESOURCE);
    assertThat(r.problems()).isEmpty();
    ParseResult api = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Principal\": \"*\", "
        + "\"Action\": \"execute-api:Invoke\", \"Resource\": \"execute-api:/prod/GET/*\"}"), "api.json",
        PolicyType.RESOURCE);
    assertThat(api.hasErrors()).isFalse();
    assertThat(api.problems()).extracting(Problem::code).containsExactly("policy.invalid-resource");
    ParseResult identity = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Action\": "
        + "\"execute-api:Invoke\", \"Resource\": \"execute-api:/prod/GET/*\"}"), "i.json", PolicyType.IDENTITY);
    assertThat(identity.hasErrors()).isTrue();
  }

  @Test
  void parse_conditionValues_keepKindAndTextAsWritten() {
    ParseResult r = parser.parseString("{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
        + " \"Action\": \"s3:ListBucket\", \"Resource\": \"*\", \"Condition\": {"
        + "\"NumericLessThan\": {\"s3:max-keys\": [10, 1.50, 1e3]}, \"Bool\": {\"aws:SecureTransport\": true},"
        + "\"StringEquals\": {\"aws:username\": \"true\"}}}}", "p.json", PolicyType.IDENTITY);
    assertThat(r.problems()).isEmpty();
    List<Condition> cs = r.policy().statements().get(0).conditions();
    assertThat(cs.get(0).values()).extracting(v -> v.kind() + " " + v.text())
        .containsExactly("NUMBER 10", "NUMBER 1.50", "NUMBER 1e3");
    assertThat(cs.get(1).values()).extracting(v -> v.kind() + " " + v.text()).containsExactly("BOOLEAN true");
    assertThat(cs.get(2).values().get(0).kind()).isEqualTo(ValueKind.STRING);
  }

  @Test
  void parse_operatorWithQualifierAndIfExists_isSplit() {
    ParseResult r = parser.parseString("{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
        + " \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {"
        + "\"ForAnyValue:StringLikeIfExists\": {\"aws:TagKeys\": \"a*\"},"
        + "\"ForAllValues:ArnNotEquals\": {\"aws:SourceArn\": \"arn:aws:sns:us-east-1:111122223333:t\"},"
        + "\"NumericGreaterThanEqualsIfExists\": {\"s3:max-keys\": \"5\"}}}}", "p.json", PolicyType.IDENTITY);
    assertThat(r.problems()).isEmpty();
    List<Condition> cs = r.policy().statements().get(0).conditions();
    assertThat(cs.get(0).qualifier()).isEqualTo(SetQualifier.FOR_ANY_VALUE);
    assertThat(cs.get(0).operator()).isEqualTo(ConditionOperator.STRING_LIKE);
    assertThat(cs.get(0).ifExists()).isTrue();
    assertThat(cs.get(1).qualifier()).isEqualTo(SetQualifier.FOR_ALL_VALUES);
    assertThat(cs.get(1).operator()).isEqualTo(ConditionOperator.ARN_NOT_EQUALS);
    assertThat(cs.get(1).ifExists()).isFalse();
    assertThat(cs.get(2).operator()).isEqualTo(ConditionOperator.NUMERIC_GREATER_THAN_EQUALS);
    assertThat(cs.get(2).ifExists()).isTrue();
  }

  @Test
  void parse_unknownOperator_keepsTextWithNullOperatorAndSuggests() {
    ParseResult r = parser.parseString("{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\","
        + " \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {"
        + "\"StringNotEqual\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}}}", "p.json", PolicyType.IDENTITY);
    Condition c = r.policy().statements().get(0).conditions().get(0);
    assertThat(c.operatorText()).isEqualTo("StringNotEqual");
    assertThat(c.operator()).isNull();
    assertThat(c.isValidOperator()).isFalse();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo("policy.unknown-operator");
      assertThat(p.message()).contains("did you mean `StringNotEquals`?");
      assertThat(p.where().line()).isEqualTo(1);
    });
  }

  @Test
  void parse_effectWrongCase_isAnErrorWithSuggestion() {
    ParseResult r = parser.parseString("{\"Version\": \"2012-10-17\", \"Statement\": {\"effect\": \"Allow\","
        + " \"Action\": \"s3:*\", \"Resource\": \"*\"}}", "p.json", PolicyType.IDENTITY);
    assertThat(codes(r)).containsExactly("policy.missing-effect", "policy.element-case");
    assertThat(r.problems().get(1).message()).contains("write `Effect`");
    assertThat(r.policy().statements().get(0).effect()).isNull();
  }

  @Test
  void parse_yamlByExtension_givesLinesAndColumnsOfTheYaml() {
    String yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Principal: {AWS: '111122223333'}\n"
        + "    Action: kms:Decrypt\n    Resource: '*'\n";
    ParseResult r = parser.parseString(yaml, "keys/k.yaml", PolicyType.KEY_POLICY);
    assertThat(r.problems()).isEmpty();
    PrincipalValue v = r.policy().statements().get(0).principal().values().get(0);
    assertThat(v.source().file()).isEqualTo("keys/k.yaml");
    assertThat(v.source().line()).isEqualTo(4);
    assertThat(v.source().column()).isEqualTo(22);
    assertThat(v.source().pointer()).isEqualTo("/Statement/0/Principal/AWS");
  }

  @Test
  void parseNode_policyInsideAWorldFile_pointsIntoTheWorldFile() {
    String world = "keys:\n  - arn: arn:aws:kms:us-east-1:111122223333:key/k\n    policy:\n      document:\n"
        + "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n"
        + "            Action: kms:Decrypt\n            Resource: '*'\n";
    ReadResult read = DocumentReader.create().read(world.getBytes(StandardCharsets.UTF_8), "world.yaml",
        DocumentFormat.YAML);
    Node.ObjectNode key = (Node.ObjectNode) ((Node.ArrayNode) ((Node.ObjectNode) read.root()).get("keys"))
        .items().get(0);
    Node doc = ((Node.ObjectNode) key.get("policy")).get("document");
    ParseResult r = parser.parseNode(doc, "keys[0].policy", PolicyType.KEY_POLICY);
    assertThat(r.policy().name()).isEqualTo("keys[0].policy");
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo("policy.missing-principal");
      assertThat(p.where().file()).isEqualTo("world.yaml");
      assertThat(p.where().line()).isEqualTo(7);
      assertThat(p.where().pointer()).isEqualTo("/keys/0/policy/document/Statement/0");
    });
  }

  @Test
  void parseNode_jsonStringScalar_parsesTheEmbeddedPolicyAtTheStringsLocation() {
    String template = "{\n  \"KeyPolicy\": \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": "
        + "[{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\": {\\\"AWS\\\": \\\"111122223333\\\"}, "
        + "\\\"Action\\\": \\\"kms:*\\\", \\\"Resource\\\": \\\"arn:aws:kms:us-east-1:111122223333:key/k\\\"}]}\"\n}\n";
    ReadResult read = DocumentReader.create().read(template.getBytes(StandardCharsets.UTF_8), "template.json",
        DocumentFormat.JSON);
    assertThat(read.problems()).isEmpty();
    Node embedded = ((Node.ObjectNode) read.root()).get("KeyPolicy");
    ParseResult r = parser.parseNode(embedded, "KeyPolicy", PolicyType.KEY_POLICY);
    assertThat(r.policy()).isNotNull();
    assertThat(r.policy().statements().get(0).principal().values().get(0).value())
        .isEqualTo("arn:aws:iam::111122223333:root");
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo("policy.key-policy-resource");
      assertThat(p.where().file()).isEqualTo("template.json");
      assertThat(p.where().line()).isEqualTo(2);
      assertThat(p.where().column()).isEqualTo(16);
      assertThat(p.where().pointer()).isEqualTo("/KeyPolicy/Statement/0/Resource");
    });
  }

  @Test
  void parseNode_cloudFormationFunctions_keptAsWrittenWithNotesNotErrors() throws IOException {
    Path template = Path.of("src/test/resources/cloudformation/key-template.yaml");
    ReadResult read = DocumentReader.create().readFile(template, "key-template.yaml");
    assertThat(read.problems()).isEmpty();
    Node keyPolicy = ((Node.ObjectNode) ((Node.ObjectNode) ((Node.ObjectNode) ((Node.ObjectNode) read.root())
        .get("Resources")).get("FinanceKey")).get("Properties")).get("KeyPolicy");
    ParseResult r = parser.parseNode(keyPolicy, "FinanceKey", PolicyType.KEY_POLICY);
    assertThat(r.hasErrors()).isFalse();
    assertThat(r.problems()).extracting(p -> p.where().line() + " " + p.severity().label() + " " + p.code())
        .containsExactly("18 note policy.cloudformation-function", "25 note policy.cloudformation-function",
            "26 note policy.cloudformation-function", "31 note policy.cloudformation-function",
            "32 note policy.cloudformation-function");
    assertThat(r.problems().get(0).message()).contains("`Fn::Sub`");
    List<Statement> statements = r.policy().statements();
    assertThat(statements.get(0).principal().values()).extracting(PrincipalValue::value)
        .containsExactly("{\"Fn::Sub\":\"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}");
    assertThat(statements.get(1).principal().values()).extracting(PrincipalValue::value)
        .containsExactly("{\"Ref\":\"AnalyticsAccount\"}", "{\"Fn::GetAtt\":\"AnalystRole.Arn\"}");
    assertThat(statements.get(1).conditions().get(1).values().get(0).text())
        .isEqualTo("{\"Fn::Join\":[\"\",[\"s3.\",{\"Ref\":\"AWS::Region\"},\".amazonaws.com\"]]}");
  }

  @Test
  void parseNode_malformedJsonString_reportsWhereInTheText() {
    Node s = new Node.ScalarNode(Node.ScalarType.STRING, "{\"Version\": \"2012-10-17\",\n \"Statement\": [}",
        null, new dev.keyward.model.SourceRef("t.yaml", "/Resources/Key/Properties/KeyPolicy", 12, 18));
    ParseResult r = parser.parseNode(s, "Key", PolicyType.KEY_POLICY);
    assertThat(r.policy()).isNull();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo("syntax.invalid");
      assertThat(p.message()).startsWith("in the policy text at line 2, column 16: invalid JSON");
      assertThat(p.where().line()).isEqualTo(12);
      assertThat(p.where().column()).isEqualTo(18);
    });
  }

  @Test
  void parseNode_nonStringScalar_isNotAPolicy() {
    Node n = new Node.ScalarNode(Node.ScalarType.NUMBER, "5", null,
        new dev.keyward.model.SourceRef("w.yaml", "/p", 3, 4));
    ParseResult r = parser.parseNode(n, "p", PolicyType.IDENTITY);
    assertThat(r.policy()).isNull();
    assertThat(codes(r)).containsExactly("policy.not-object");
  }

  @Test
  void parse_unknownType_infersFromPrincipal() {
    String withPrincipal = keyPolicy("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\"}");
    ParseResult r = parser.parseString(withPrincipal, "p.json", PolicyType.UNKNOWN);
    assertThat(r.policy().type()).isEqualTo(PolicyType.RESOURCE);
    // The missing Resource would be a warning for a resource policy; the type is only a guess, so none.
    assertThat(r.problems()).isEmpty();
    String without = keyPolicy("{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\"}");
    ParseResult r2 = parser.parseString(without, "p.json", PolicyType.UNKNOWN);
    assertThat(r2.policy().type()).isEqualTo(PolicyType.IDENTITY);
    assertThat(r2.problems()).isEmpty();
    ParseResult r3 = parser.parseString(without, "p.json", PolicyType.IDENTITY);
    assertThat(codes(r3)).containsExactly("policy.missing-resource");
  }

  // -------------------------------------------------------------------------------------------
  // Size limits (docs/policy-parser.md, "Size limits")

  /** A policy whose minified JSON has exactly {@code target} characters (ASCII only). */
  private static String policyOfSize(int target, String head) {
    String start = "{\"Version\":\"2012-10-17\",\"Statement\":[" + head + ",\"Sid\":\"";
    String end = "\"}]}";
    int pad = target - start.length() - end.length();
    assertThat(pad).isPositive();
    return start + "A".repeat(pad) + end;
  }

  private static final String KEY_STATEMENT =
      "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"";
  private static final String IDENTITY_STATEMENT = "{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"";
  private static final String TRUST_STATEMENT =
      "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"";

  private List<Problem> sizeProblems(String text, PolicyType type) {
    ParseResult r = parser.parseString(text, "p.json", type);
    return r.problems().stream().filter(p -> p.code().equals("policy.size-limit")).collect(Collectors.toList());
  }

  @Test
  void sizeLimit_keyPolicy_32768BytesIsTheLimit() {
    assertThat(sizeProblems(policyOfSize(32_768, KEY_STATEMENT), PolicyType.KEY_POLICY)).isEmpty();
    assertThat(sizeProblems(policyOfSize(32_769, KEY_STATEMENT), PolicyType.KEY_POLICY))
        .singleElement().satisfies(p -> {
          assertThat(p.severity()).isEqualTo(Severity.ERROR);
          assertThat(p.message()).contains("32,768 bytes");
          assertThat(p.where().line()).isEqualTo(1);
        });
  }

  @Test
  void sizeLimit_keyPolicyOverOnlyWithWhiteSpace_isAWarning() {
    String pretty = "\n".repeat(500) + policyOfSize(32_500, KEY_STATEMENT) + " ".repeat(500);
    assertThat(sizeProblems(pretty, PolicyType.KEY_POLICY)).singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.WARNING));
  }

  @Test
  void sizeLimit_keyPolicyMultiByteCharacters_countedInBytes() {
    String start = "{\"Version\":\"2012-10-17\",\"Statement\":[" + KEY_STATEMENT + ",\"Sid\":\"";
    String end = "\"}]}";
    // Each U+00E9 is two bytes: 16,500 of them make the policy over 32,768 bytes but under 32,768 characters.
    String text = start + "\u00e9".repeat(16_500) + end;
    assertThat(text.length()).isLessThan(32_768);
    assertThat(sizeProblems(text, PolicyType.KEY_POLICY)).singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.ERROR));
  }

  @Test
  void sizeLimit_scpAndRcp_5120Characters() {
    String scp = "{\"Effect\":\"Deny\",\"Action\":\"kms:*\",\"Resource\":\"*\"";
    assertThat(sizeProblems(policyOfSize(5_120, scp), PolicyType.SCP)).isEmpty();
    assertThat(sizeProblems(policyOfSize(5_121, scp), PolicyType.SCP)).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("service control policy limit of 5,120"));
    String rcp = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"";
    assertThat(sizeProblems(policyOfSize(5_121, rcp), PolicyType.RCP)).singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.ERROR));
  }

  @Test
  void sizeLimit_identity_over6144NonWhiteSpaceIsAWarning() {
    assertThat(sizeProblems(policyOfSize(6_144, IDENTITY_STATEMENT), PolicyType.IDENTITY)).isEmpty();
    // White space does not count for IAM.
    String pretty = policyOfSize(6_144, IDENTITY_STATEMENT).replace(",", ",\n    ");
    assertThat(sizeProblems(pretty, PolicyType.IDENTITY)).isEmpty();
    assertThat(sizeProblems(policyOfSize(6_145, IDENTITY_STATEMENT), PolicyType.IDENTITY)).singleElement()
        .satisfies(p -> {
          assertThat(p.severity()).isEqualTo(Severity.WARNING);
          assertThat(p.message()).contains("6,144");
        });
  }

  @Test
  void sizeLimit_trust_defaultQuotaWarnsAndMaximumQuotaErrs() {
    assertThat(sizeProblems(policyOfSize(2_048, TRUST_STATEMENT), PolicyType.TRUST)).isEmpty();
    assertThat(sizeProblems(policyOfSize(2_049, TRUST_STATEMENT), PolicyType.TRUST)).singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.WARNING));
    assertThat(sizeProblems(policyOfSize(8_193, TRUST_STATEMENT), PolicyType.TRUST)).singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.ERROR));
  }

  @Test
  void sizeLimit_resourceAndUnknown_notChecked() {
    String big = policyOfSize(40_000, KEY_STATEMENT);
    assertThat(sizeProblems(big, PolicyType.RESOURCE)).isEmpty();
    assertThat(sizeProblems(big, PolicyType.UNKNOWN)).isEmpty();
  }

  // -------------------------------------------------------------------------------------------

  @Test
  void parseFile_missingFile_isAProblemNotAnException(@TempDir Path dir) {
    ParseResult r = parser.parseFile(dir.resolve("nope.json"), "nope.json", PolicyType.IDENTITY);
    assertThat(r.policy()).isNull();
    assertThat(codes(r)).containsExactly("io.not-found");
    ParseResult d = parser.parseFile(dir, "dir", PolicyType.IDENTITY);
    assertThat(codes(d)).containsExactly("io.directory");
  }

  @Test
  void parseFile_yamlFile_readAsYamlWithDisplayName(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("p.yml");
    Files.writeString(f, "Version: '2012-10-17'\nStatement:\n  Effect: Deny\n  Action: '*'\n  Resource: '*'\n");
    ParseResult r = parser.parseFile(f, "policies/p.yml", PolicyType.SCP);
    assertThat(r.problems()).isEmpty();
    assertThat(r.policy().name()).isEqualTo("policies/p.yml");
    assertThat(r.policy().statements().get(0).source().file()).isEqualTo("policies/p.yml");
  }

  @Test
  void parser_sharedAcrossThreads_givesTheSameResults() throws IOException {
    Node.ObjectNode corpus = ManagedPolicyCorpusTest.loadCorpus();
    List<Node.Field> fields = corpus.fields();
    Map<String, String> serial = new ConcurrentHashMap<>();
    for (Node.Field f : fields.subList(0, 300)) {
      serial.put(f.key(), render(parser.parseNode(((Node.ObjectNode) f.value()).get("document"), f.key(),
          PolicyType.IDENTITY)));
    }
    Map<String, String> parallel = new ConcurrentHashMap<>();
    IntStream.range(0, 300).parallel().forEach(i -> {
      Node.Field f = fields.get(i);
      parallel.put(f.key(), render(parser.parseNode(((Node.ObjectNode) f.value()).get("document"), f.key(),
          PolicyType.IDENTITY)));
    });
    assertThat(parallel).isEqualTo(serial);
  }

  private static String render(ParseResult r) {
    return ModelDump.dump(r.policy()) + r.problems();
  }

  @Test
  void parse_policyVariablesVersion_onlyWith2012() {
    PolicyDocument p2012 = parser.parseString(keyPolicy("{\"Effect\": \"Allow\", \"Action\": \"s3:*\","
        + " \"Resource\": \"arn:aws:s3:::b/${aws:username}\"}"), "p.json", PolicyType.IDENTITY).policy();
    assertThat(p2012.supportsPolicyVariables()).isTrue();
    ParseResult none = parser.parseString("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\","
        + " \"Resource\": \"*\"}}", "p.json", PolicyType.IDENTITY);
    assertThat(none.policy().version()).isNull();
    assertThat(none.policy().supportsPolicyVariables()).isFalse();
    assertThat(none.problems()).singleElement().satisfies(p -> {
      assertThat(p.code()).isEqualTo("policy.missing-version");
      assertThat(p.severity()).isEqualTo(Severity.WARNING);
    });
  }

  @Test
  void parse_duplicateSid_errorForIamWarningForKeyPolicies() {
    String two = keyPolicy("{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\","
        + " \"Resource\": \"*\"}, {\"Sid\": \"A\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"kms:*\","
        + " \"Resource\": \"*\"}");
    assertThat(parser.parseString(two, "k.json", PolicyType.KEY_POLICY).problems()).singleElement()
        .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.WARNING));
    String identity = two.replace("\"Principal\": \"*\", ", "");
    assertThat(parser.parseString(identity, "k.json", PolicyType.IDENTITY).problems()).singleElement()
        .satisfies(p -> {
          assertThat(p.code()).isEqualTo("policy.duplicate-sid");
          assertThat(p.severity()).isEqualTo(Severity.ERROR);
        });
  }
}
