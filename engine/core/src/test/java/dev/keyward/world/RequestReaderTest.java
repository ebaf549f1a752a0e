package dev.keyward.world;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.request.Request;
import dev.keyward.model.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

  private static final String KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ANALYST = "arn:aws:iam::222222222222:role/Analyst";

  private static RequestReader reader;

  @BeforeAll
  static void loadWorld() {
    WorldLoadResult r = WorldLoader.create().load(Path.of("..", "..", "examples", "cross-account-decrypt", "world.yaml"));
    assertThat(r.hasErrors()).isFalse();
    reader = RequestReader.create(WorldIndex.create(r.world()));
  }

  private static String line(String body) {
    return "{" + body + "}";
  }

  private static List<String> problems(RequestReader.Result r) {
    return r.problems().stream().map(Problem::display).toList();
  }

  @Test
  void read_validLine_givesTheRequest() {
    RequestReader.Result r = reader.readAll(line("\"id\":\"r1\",\"principal\":\"" + ANALYST + "\",\"action\":"
        + "\"kms:Decrypt\",\"resource\":\"" + KEY + "\",\"context\":{\"kms:EncryptionContext:Dept\":\"Finance\","
        + "\"aws:CalledVia\":[\"a\",\"b\"]}"), "req.jsonl");

    assertThat(r.problems()).isEmpty();
    assertThat(r.requests()).containsExactly(new Request("r1", ANALYST, "kms:Decrypt", KEY,
        Map.of("kms:EncryptionContext:Dept", List.of("Finance"), "aws:CalledVia", List.of("a", "b"))));
  }

  @Test
  void read_shortForms_resolveThroughTheWorld() {
    String text = String.join("\n",
        line("\"id\":\"alias\",\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\""),
        line("\"id\":\"alias-arn\",\"principal\":\"" + ANALYST + "\",\"action\":\"kms:Decrypt\","
            + "\"resource\":\"arn:aws:kms:us-east-1:111111111111:alias/finance\""),
        line("\"id\":\"key-id\",\"principal\":\"222222222222\",\"action\":\"kms:Decrypt\","
            + "\"resource\":\"1234abcd-12ab-34cd-56ef-1234567890ab\""),
        line("\"principal\":\"arn:aws:sts::222222222222:assumed-role/Analyst/alice\",\"action\":\"kms:Decrypt\","
            + "\"resource\":\"" + KEY + "\""));

    RequestReader.Result r = reader.readAll(text, "req.jsonl");

    assertThat(r.problems()).isEmpty();
    assertThat(r.requests()).extracting(Request::id).containsExactly("alias", "alias-arn", "key-id", "4");
    assertThat(r.requests()).extracting(Request::resource).containsOnly(KEY);
    assertThat(r.requests()).extracting(Request::principal).containsExactly(ANALYST, ANALYST,
        "arn:aws:iam::222222222222:root", "arn:aws:sts::222222222222:assumed-role/Analyst/alice");
  }

  @Test
  void read_badLines_oneProblemEachAtLineAndColumn_goodLinesStillRead() {
    String good = line("\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\"");
    String text = String.join("\n",
        good,
        "{\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\",\"contxt\":{}}",
        "{\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\"}",
        "{\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/nope\"}",
        "{\"principal\":\"Analsyt\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\"}",
        "{\"principal\":\"Analyst\",\"action\":\"kms:*\",\"resource\":\"alias/finance\"}",
        "{\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\",\"context\":{\"a\":1}}",
        "{\"principal\":\"Analyst\",",
        "",
        "[1]",
        "{\"principal\":\"arn:aws:iam::222222222222:group/G\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\"}",
        "{\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"" + KEY.replace("1234abcd-", "9999abcd-")
            + "\"}",
        good);

    RequestReader.Result r = reader.readAll(text, "req.jsonl");

    assertThat(r.requests()).extracting(Request::id).containsExactly("1", "13");
    assertThat(problems(r)).containsExactly(
        "req.jsonl:2:74: error: unknown field `contxt`; did you mean `context`? [request.unknown-field]",
        "req.jsonl:3:1: error: a request needs `resource` [request.missing-field]",
        "req.jsonl:4:58: error: no key of the world has alias `alias/nope` [request.invalid-resource]",
        "req.jsonl:5:14: error: no principal of the world is named `Analsyt`; did you mean `Analyst`?; give a"
            + " principal ARN [request.invalid-principal]",
        "req.jsonl:6:33: error: action `kms:*` must be one action such as `kms:Decrypt`, without wildcards"
            + " [request.invalid-action]",
        "req.jsonl:7:89: error: the value of context key `a` must be a string or an array of strings, not number"
            + " (write `\"1\"`) [request.wrong-type]",
        "req.jsonl:8:24: error: invalid JSON: Unexpected end-of-input within/between Object entries"
            + " [syntax.invalid]",
        "req.jsonl:10:1: error: a request must be a JSON object, not array [request.not-object]",
        "req.jsonl:11:14: error: `arn:aws:iam::222222222222:group/G` is not a principal ARN: expected a role,"
            + " user, account root (`arn:aws:iam::ACCOUNT:root`) or role session"
            + " (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) [request.invalid-principal]",
        "req.jsonl:12:58: error: key `arn:aws:kms:us-east-1:111111111111:key/9999abcd-12ab-34cd-56ef-1234567890ab`"
            + " is not in the world [request.invalid-resource]");
  }

  @Test
  void read_streams_eachLineToTheSinkInOrder() throws IOException {
    String good = line("\"principal\":\"Analyst\",\"action\":\"kms:Decrypt\",\"resource\":\"alias/finance\"");
    List<Integer> seen = new ArrayList<>();

    reader.read(new BufferedReader(new StringReader(good + "\n\n{bad\n" + good + "\n")), "-", l -> seen.add(
        l.ok() ? l.line() : -l.line()));

    assertThat(seen).containsExactly(1, -3, 4);
  }

  @Test
  void read_nonKmsArn_isPassedThrough() {
    RequestReader.Result r = reader.readAll(line("\"principal\":\"Analyst\",\"action\":\"s3:GetObject\","
        + "\"resource\":\"arn:aws:s3:::bucket/key\""), "r");

    assertThat(r.problems()).isEmpty();
    assertThat(r.requests().get(0).resource()).isEqualTo("arn:aws:s3:::bucket/key");
  }
}
