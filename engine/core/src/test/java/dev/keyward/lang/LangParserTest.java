package dev.keyward.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden parse tests: every source under src/test/resources/lang/golden is parsed and printed, and the
 * print must equal the committed {@code .ast} file next to it. Run with {@code -Dkeyward.golden.update=true}
 * to rewrite the expected files after a deliberate change (then review the diff).
 */
class LangParserTest {

  private static final Path GOLDEN = Paths.get("src/test/resources/lang/golden");
  private final LangParser parser = LangParser.create();

  @TestFactory
  Stream<DynamicTest> golden_everySource_printsAsCommitted() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(GOLDEN)) {
      sources = files.filter(p -> !p.toString().endsWith(".ast")).sorted().collect(Collectors.toList());
    }
    assertThat(sources).hasSizeGreaterThanOrEqualTo(6);
    return sources.stream().map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> {
      String text = Files.readString(src, StandardCharsets.UTF_8);
      String printed = print(src.getFileName().toString(), text);
      Path expected = Paths.get(src + ".ast");
      if (Boolean.getBoolean("keyward.golden.update")) {
        Files.writeString(expected, printed, StandardCharsets.UTF_8);
      }
      assertThat(printed).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }));
  }

  private String print(String name, String text) {
    if (name.endsWith(".check")) {
      Parsed<CheckProgram> p = parser.parseCheck(text);
      assertThat(p.errors()).isEmpty();
      return AstPrinter.print(p.value());
    }
    if (name.endsWith(".query")) {
      Parsed<Query> p = parser.parseQuery(text);
      assertThat(p.errors()).isEmpty();
      return AstPrinter.print(p.value());
    }
    Parsed<TestFile> p = parser.parseTestFile(text);
    assertThat(p.errors()).isEmpty();
    return AstPrinter.print(p.value());
  }

  @Test
  void parseCheck_missingMessage_reportsLineAndColumn() {
    Parsed<CheckProgram> p = parser.parseCheck("for s in policy.statements\nreport s\n");
    assertThat(p.ok()).isFalse();
    assertThat(p.errors()).first().satisfies(e -> {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.message()).contains("end of input").contains("STRING");
    });
  }

  @Test
  void parseCheck_unknownCharacter_namesIt() {
    Parsed<CheckProgram> p = parser.parseCheck("where a & b\nreport policy \"m\"");
    assertThat(p.errors()).extracting(SyntaxError::display).contains("1:9: unexpected character `&`");
  }

  @Test
  void parseCheck_noReport_isAnError() {
    Parsed<CheckProgram> p = parser.parseCheck("where true");
    assertThat(p.ok()).isFalse();
    assertThat(p.errors().get(0).line()).isEqualTo(1);
  }

  @Test
  void parseCheck_badHoleInMessage_reportsPositionInsideMessage() {
    Parsed<CheckProgram> p = parser.parseCheck("report policy \"bad {a ==} hole\"");
    assertThat(p.ok()).isFalse();
    assertThat(p.errors().get(0).line()).isEqualTo(1);
    assertThat(p.errors().get(0).column()).isGreaterThan(15);
    assertThat(p.errors().get(0).message()).startsWith("in message: ");
  }

  @Test
  void parseCheck_unclosedBrace_isAnError() {
    Parsed<CheckProgram> p = parser.parseCheck("report policy \"bad {a\"");
    assertThat(p.errors()).extracting(SyntaxError::message).containsExactly("unclosed `{` in message");
  }

  @Test
  void parseExpression_quantifierBody_extendsOverOr() {
    Parsed<Expr> p = parser.parseExpression("any x in xs: a or b");
    assertThat(p.value()).isInstanceOf(Expr.Quantifier.class);
    assertThat(((Expr.Quantifier) p.value()).body()).isInstanceOf(Expr.Binary.class);
  }

  @Test
  void parseExpression_fieldNamedLikeKeyword_isAccepted() {
    Parsed<Expr> p = parser.parseExpression("p.account == \"1\"");
    assertThat(p.errors()).isEmpty();
  }

  @Test
  void parseQuery_garbage_isAnErrorNotAnException() {
    Parsed<Query> p = parser.parseQuery("can a b");
    assertThat(p.ok()).isFalse();
  }

  @Test
  void parseExpression_stringEscapes_areResolved() {
    Parsed<Expr> p = parser.parseExpression("\"a\\\"b\\\\c\\n\"");
    assertThat(((Expr.StringLit) p.value()).value()).isEqualTo("a\"b\\c\n");
  }
}
